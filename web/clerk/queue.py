"""The queue's filters, shared by the clerk pages, the CSV export and the API: one query, so a
filter means the same thing everywhere, and it can only ever name the caller's services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select

from intake.services import Service
from web import references, waivers
from web.citizen.packets import fold_name
from web.models import STATUSES, CheckRecord, Submission, Waiver, WorkItem, db

SORTS = ("oldest", "newest", "changed")
_ITEM = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def _date(value: str | None) -> dt.date | None:
    return filter_date(value)


def filter_date(value: str | None) -> dt.date | None:
    """A day typed into a filter, or None when it is no date we can search by: not ISO, or in
    the year 9999 (the date pickers accept 9999-12-31, and the day after it overflows)."""
    try:
        day = dt.date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None
    return day if day is not None and day.year < 9999 else None


@dataclass(frozen=True)
class Filters:
    """What the clerk asked for; values that make no sense are dropped, never an error.

    ``received_from``/``received_to`` are days (UTC), both included; ``missing`` is a checklist
    item (form or document id) the latest check still misses once waivers are applied;
    ``sort`` is oldest first (the default), newest first, or most recently changed first.
    """

    service: str = ""
    status: str = ""
    q: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    missing: str = ""
    sort: str = "oldest"
    name: str = ""
    held: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        status, sort, missing = args.get("status", ""), args.get("sort", ""), (args.get("missing", "") or "").strip()
        name = fold_name("".join(c for c in (args.get("name", "") or "") if c.isprintable())[:100])
        return cls(service=args.get("service", "") or "", status=status if status in STATUSES else "",
                   q="".join(c for c in (args.get("q", "") or "") if c.isprintable()).strip()[:40],
                   received_from=_date(args.get("received_from")),
                   received_to=_date(args.get("received_to")),
                   missing=missing if _ITEM.fullmatch(missing) else "", sort=sort if sort in SORTS else "oldest",
                   name=name, held=args.get("held") == "me")

    def as_args(self) -> dict[str, str]:
        """The filters as address arguments, for links that keep them."""
        out = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in vars(self).items()
               if v and k != "held"}
        if out.get("sort") == "oldest":
            del out["sort"]
        if self.held:
            out["held"] = "me"
        return out


def latest_check_id() -> Any:
    """The id of a submission's latest finished check, as a correlated subquery."""
    return (select(func.max(CheckRecord.id)).where(CheckRecord.submission_id == Submission.id,
                                                    CheckRecord.state == "done")
            .correlate(Submission).scalar_subquery())


def _still_missing(item: str) -> Any:
    """The latest check misses the item, and no waiver set it aside. Reports are stored as JSON
    text with sorted keys, so a missing entry reads ``"id": "<item>", "kind": "form"`` (or
    "document"); a found document's own kind is a document kind, never one of those words."""
    in_report = or_(*(CheckRecord.report_json.contains(f'"id": "{item}", "kind": "{kind}"', autoescape=True)
                      for kind in ("form", "document")))
    missing = exists().where(CheckRecord.id == latest_check_id(), in_report)
    waived = exists().where(Waiver.submission_id == Submission.id, Waiver.kind == "missing",
                            Waiver.target.in_([f"form:{item}", f"document:{item}"]))
    return and_(missing, ~waived)


def select_for(services: set[str], filters: Filters, user_id: int | None = None) -> tuple[Select[Any], Select[Any]]:
    """The unfiltered query over the caller's services (for counts), and the filtered one in
    the order asked for (oldest first unless told otherwise).

    "Held by me" needs the clerk (``user_id``): it lists what they claimed, an expired claim
    included, since nobody else took it yet; a caller with no clerk (an API token) holds
    nothing, so the filter then lists nothing."""
    visible = sorted(services)
    chosen = [filters.service] if filters.service in visible else visible
    base = (select(Submission, WorkItem).join(WorkItem, WorkItem.submission_id == Submission.id)
            .where(Submission.service_id.in_(chosen)))
    query = base
    if filters.status:
        query = query.where(WorkItem.status == filters.status)
    text = references.normalise(filters.q) or filters.q.upper()
    if text:
        query = query.where(Submission.reference.contains(text.replace("-", ""), autoescape=True))
    if filters.received_from:
        query = query.where(Submission.created_at >= dt.datetime.combine(filters.received_from, dt.time.min))
    if filters.received_to:
        end = dt.datetime.combine(filters.received_to + dt.timedelta(days=1), dt.time.min)
        query = query.where(Submission.created_at < end)
    if filters.missing:
        query = query.where(_still_missing(filters.missing))
    if filters.name:
        query = query.where(Submission.applicant_name.contains(filters.name, autoescape=True))
    if filters.held:
        query = query.where(WorkItem.claimed_by == user_id) if user_id is not None else query.where(false())
    order = {"oldest": (Submission.created_at, Submission.id),
             "newest": (Submission.created_at.desc(), Submission.id.desc()),
             "changed": (WorkItem.changed_at.desc(), Submission.id.desc())}[filters.sort]
    return base, query.order_by(*order)


def counts(base: Select[Any]) -> dict[str, int]:
    """How many submissions are in each status, over the caller's services."""
    found = base.with_only_columns(WorkItem.status.label("work_status")).subquery()
    rows = db.session.execute(select(found.c.work_status, func.count()).group_by(found.c.work_status)).all()
    return {status: 0 for status in STATUSES} | {status: count for status, count in rows}


CLOSED = ("ready", "rejected")


def days_over(service: Service | None, status: str, received: dt.datetime, now: dt.datetime) -> int | None:
    """How many whole days old a submission still open is, when that is more than its
    service's ``review_days`` target; None when it is within the target, decided, or the
    service sets no target."""
    if service is None or service.review_days is None or status in CLOSED:
        return None
    days = (now - received).days
    return days if days > service.review_days else None


def over_target(query: Select[Any], catalogue: Mapping[str, Service], now: dt.datetime) -> int:
    """How many open submissions the query lists are older than their service's target, in
    one count (the same rule as ``days_over``: more whole days than the target)."""
    late = [and_(Submission.service_id == sid, Submission.created_at <= now - dt.timedelta(days=s.review_days + 1))
            for sid, s in catalogue.items() if s.review_days is not None]
    if not late:
        return 0
    found = (query.order_by(None).where(WorkItem.status.not_in(CLOSED), or_(*late))
             .with_only_columns(Submission.id).subquery())
    return int(db.session.scalar(select(func.count()).select_from(found)) or 0)


@dataclass(frozen=True)
class Summary:
    """One row's latest check, waivers applied: its status and what it still misses."""

    status: str
    missing: tuple[str, ...]


def summaries(submissions: Iterable[Submission], lang: str) -> dict[int, Summary]:
    """The summary of each submission, with two queries for the lot (not two per row)."""
    ids = [s.id for s in submissions]
    if not ids:
        return {}
    latest = select(func.max(CheckRecord.id)).where(CheckRecord.submission_id.in_(ids),
                                                    CheckRecord.state == "done").group_by(CheckRecord.submission_id)
    checks = {c.submission_id: c for c in db.session.query(CheckRecord).filter(CheckRecord.id.in_(latest))}
    given: dict[int, list[Waiver]] = {}
    for waiver in db.session.query(Waiver).filter(Waiver.submission_id.in_(ids)):
        given.setdefault(waiver.submission_id, []).append(waiver)
    out = {}
    for submission_id, check in checks.items():
        report, status = waivers.apply(check.report[lang], given.get(submission_id, []))
        out[submission_id] = Summary(status, tuple(m["title"] for m in report["missing"]))
    return out


CSV_HEADER = ["reference", "service", "status", "check", "received", "last_change", "held_by", "missing"]


def csv_rows(query: Select[Any]) -> list[list[str]]:
    """The rows of the queue's CSV export, the same for clerks and for API tokens."""
    from web.models import StaffUser

    holders = {u.id: u.email for u in db.session.query(StaffUser)}
    rows = db.session.execute(query).all()
    found = summaries([submission for submission, _item in rows], "en")
    out = []
    for submission, item in rows:
        summary = found.get(submission.id, Summary(submission.status, ()))
        out.append([references.display(submission.reference), submission.service_id, item.status, summary.status,
                    submission.created_at.isoformat(timespec="minutes"), item.changed_at.isoformat(timespec="minutes"),
                    holders.get(item.claimed_by, ""), "; ".join(summary.missing)])
    return out
