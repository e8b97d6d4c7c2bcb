"""Statistics of one service for supervisors: where submissions are, how long they take to be
ready, what citizens most often get wrong or leave out, and what they say in the survey.

Problems and missing items come from each submission's latest check as the checker wrote it
(waivers do not hide them: a waived item was still something the citizen could not give).
Each submission counts once per code or item, so one packet with five date mistakes does not
outweigh five packets with one each.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from intake.services import Service
from web.clerk import queue
from web.models import CheckRecord, Submission, SurveyAnswer, WorkItem, db

TOP = 10
COMMENTS = 50


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

    @property
    def submissions(self) -> int:
        return sum(self.per_status.values())


def for_service(service: Service, lang: str) -> ServiceStats:
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
    return ServiceStats(
        per_status=per_status,
        median_to_ready=dt.timedelta(seconds=statistics.median(waits)) if waits else None, ready=len(waits),
        problem_codes=codes.most_common(TOP),
        most_missed=[(titles.get(item, item), n) for item, n in missed.most_common(TOP)],
        satisfied={score: satisfied[score] for score in range(5, 0, -1)},
        trust={score: trust[score] for score in range(5, 0, -1)}, answers=total, comments=comments)


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
