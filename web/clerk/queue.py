"""The queue's filters, shared by the clerk pages, the CSV export and the API: one query, so a
filter means the same thing everywhere, and it can only ever name the caller's services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from web import references
from web.models import STATUSES, Submission, WorkItem, db


@dataclass(frozen=True)
class Filters:
    """What the clerk asked for; values that make no sense are dropped, never an error."""

    service: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        status = args.get("status", "")
        return cls(service=args.get("service", "") or "", status=status if status in STATUSES else "",
                   q=(args.get("q", "") or "").strip()[:40])

    def as_args(self) -> dict[str, str]:
        """The filters as address arguments, for links that keep them."""
        return {k: v for k, v in vars(self).items() if v}


def select_for(services: set[str], filters: Filters) -> tuple[Select[Any], Select[Any]]:
    """The unfiltered query over the caller's services (for counts), and the filtered one in
    queue order (oldest first)."""
    visible = sorted(services)
    chosen = [filters.service] if filters.service in visible else visible
    base = (select(Submission, WorkItem).join(WorkItem, WorkItem.submission_id == Submission.id)
            .where(Submission.service_id.in_(chosen)))
    query = base
    if filters.status:
        query = query.where(WorkItem.status == filters.status)
    text = references.normalise(filters.q) or filters.q.upper()
    if text:
        query = query.where(Submission.reference.contains(text.replace("-", "")))
    return base, query.order_by(Submission.created_at, Submission.id)


def counts(base: Select[Any]) -> dict[str, int]:
    """How many submissions are in each status, over the caller's services."""
    found = base.with_only_columns(WorkItem.status.label("work_status")).subquery()
    rows = db.session.execute(select(found.c.work_status, func.count()).group_by(found.c.work_status)).all()
    return {status: 0 for status in STATUSES} | {status: count for status, count in rows}
