"""Statistics of one service for supervisors: where submissions are, how long they take to be
ready, what citizens most often get wrong or leave out, and what they say in the survey.

Problems and missing items come from each submission's latest check as the checker wrote it
(waivers do not hide them: a waived item was still something the citizen could not give).
Each submission counts once per code or item, so one packet with five date mistakes does not
outweigh five packets with one each.

The charts count the same things: submissions received on each of the last 30 days (UTC),
split by where they are in the queue now; how long those that are ready took, from the first
upload to the last change of status; and problem codes and missing items together, most
frequent first, so the commonest reason a packet is not ready stands out whatever its kind.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_skeleton
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.services import Service
from web.clerk import charts, queue
from web.models import STATUSES, CheckRecord, Submission, SurveyAnswer, WorkItem, db

TOP = 10
COMMENTS = 50
DAYS = 30
DAY = 86_400
# Upper bounds in whole days (a wait of 26 hours is in its second day), the last open-ended.
READY_WITHIN: tuple[tuple[int | None, Any], ...] = (
    (1, _l("Within 1 day")), (3, _l("2 to 3 days")), (7, _l("4 to 7 days")), (14, _l("8 to 14 days")),
    (None, _l("More than 14 days")))


@dataclass(frozen=True)
class DayCount:
    """The submissions received on one day, by their status in the queue now."""

    day: dt.date
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ServiceStats:
    per_status: dict[str, int]
    median_to_ready: dt.timedelta | None
    ready: int
    problem_codes: list[tuple[str, int]]
    most_missed: list[tuple[str, int]]
    satisfied: dict[int, int]
    trust: dict[int, int]
    answers: int
    comments: list[tuple[dt.datetime, str]] = field(default_factory=list)
    per_day: list[DayCount] = field(default_factory=list)
    ready_within: list[tuple[str, int]] = field(default_factory=list)
    top_problems: list[tuple[str, int]] = field(default_factory=list)

    @property
    def submissions(self) -> int:
        return sum(self.per_status.values())

    @property
    def received(self) -> int:
        """Submissions received in the days of ``per_day``."""
        return sum(day.total for day in self.per_day)

    @property
    def received_by_status(self) -> dict[str, int]:
        return {status: sum(day.counts.get(status, 0) for day in self.per_day) for status in STATUSES}

    @property
    def busiest_day(self) -> DayCount | None:
        """The day with most submissions (the latest of equals), for the chart's summary."""
        return max(reversed(self.per_day), key=lambda day: day.total, default=None) if self.received else None

    @property
    def day_chart(self) -> charts.Chart:
        return charts.stacked_columns([(day.label, day.counts) for day in self.per_day], self.status_series)

    @property
    def status_series(self) -> tuple[charts.Series, ...]:
        """The statuses as the day chart stacks them, with their colours and patterns."""
        return charts.STATUS_SERIES

    @property
    def ready_chart(self) -> charts.Chart:
        return charts.rows(self.ready_within)

    @property
    def problem_chart(self) -> charts.Chart:
        return charts.rows(self.top_problems)


def for_service(service: Service, lang: str, today: dt.date | None = None) -> ServiceStats:
    """The statistics of one service; ``today`` (UTC) ends the days counted, today by default."""
    base, _query = queue.select_for({service.id}, queue.Filters())
    per_status = queue.counts(base)
    waits = [(changed - created).total_seconds() for created, changed in db.session.execute(
        select(Submission.created_at, WorkItem.changed_at).join(WorkItem, WorkItem.submission_id == Submission.id)
        .where(Submission.service_id == service.id, WorkItem.status == "ready"))]
    codes, missed = _latest_findings(service)
    titles = {f.id: f.title.get(lang) for f in service.forms} | {d.id: d.title.get(lang) for d in service.documents}
    answers = db.session.query(SurveyAnswer).join(Submission).filter(Submission.service_id == service.id)
    satisfied: Counter[int] = Counter()
    trust: Counter[int] = Counter()
    total = 0
    for answer in answers:
        total += 1
        if answer.satisfied:
            satisfied[answer.satisfied] += 1
        if answer.trust:
            trust[answer.trust] += 1
    comments = [(a.created_at, a.comment) for a in answers.filter(SurveyAnswer.comment.is_not(None))
                .order_by(SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc()).limit(COMMENTS) if a.comment]
    most_missed = [(titles.get(item, item), n) for item, n in missed.most_common(TOP)]
    problems = [(code, n) for code, n in codes.most_common(TOP)] + \
        [(str(_l("Missing: %(item)s", item=title)), n) for title, n in most_missed]
    return ServiceStats(
        per_status=per_status,
        median_to_ready=dt.timedelta(seconds=statistics.median(waits)) if waits else None, ready=len(waits),
        problem_codes=codes.most_common(TOP), most_missed=most_missed,
        satisfied={score: satisfied[score] for score in range(5, 0, -1)},
        trust={score: trust[score] for score in range(5, 0, -1)}, answers=total, comments=comments,
        per_day=_per_day(service, lang, today or dt.datetime.now(dt.UTC).date()),
        ready_within=_ready_within(waits),
        top_problems=sorted(problems, key=lambda pair: -pair[1])[:TOP])


def _per_day(service: Service, lang: str, today: dt.date) -> list[DayCount]:
    """The last ``DAYS`` days up to today, each with its submissions by current status; days
    with none are kept, so the chart's gaps are real quiet days."""
    first = today - dt.timedelta(days=DAYS - 1)
    days = {first + dt.timedelta(days=n): dict.fromkeys(STATUSES, 0) for n in range(DAYS)}
    rows = db.session.execute(
        select(Submission.created_at, WorkItem.status).join(WorkItem, WorkItem.submission_id == Submission.id)
        .where(Submission.service_id == service.id,
               Submission.created_at >= dt.datetime.combine(first, dt.time.min),
               Submission.created_at < dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
        .execution_options(yield_per=500))
    for created, status in rows:
        counts = days[created.date()]
        counts[status] = counts.get(status, 0) + 1
    return [DayCount(day, format_skeleton("MMMd", day, locale=lang), counts) for day, counts in days.items()]


def _ready_within(waits: list[float]) -> list[tuple[str, int]]:
    """How many ready submissions took each span of whole days (every span, even when none)."""
    found: Counter[int] = Counter()
    for seconds in waits:
        days = max(1, math.ceil(seconds / DAY))
        found[next(i for i, (bound, _label) in enumerate(READY_WITHIN) if bound is None or days <= bound)] += 1
    return [(str(label), found[i]) for i, (_bound, label) in enumerate(READY_WITHIN)]


def _latest_findings(service: Service) -> tuple[Counter[str], Counter[str]]:
    """Problem codes and missing forms or documents over each submission's latest check."""
    latest = (select(func.max(CheckRecord.id)).join(Submission, Submission.id == CheckRecord.submission_id)
              .where(Submission.service_id == service.id, CheckRecord.state == "done")
              .group_by(CheckRecord.submission_id))
    codes: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    rows = db.session.execute(select(CheckRecord.report_json).where(CheckRecord.id.in_(latest))
                              .execution_options(yield_per=200)).scalars()
    for text in rows:
        report = json.loads(text)["en"]
        codes.update(set(_codes(report)))
        missed.update({m["id"] for m in report["missing"] if m["kind"] in ("form", "document")})
    return codes, missed


def _codes(report: dict[str, Any]) -> list[str]:
    found = [p["code"] for section in ("forms", "documents") for entry in report[section] for p in entry["problems"]]
    return found + [u["code"] for u in report["unrecognised_files"]]
