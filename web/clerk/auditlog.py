"""Searching the audit trail: the filters a supervisor may use, and what each person may read.

An admin reads everything. A supervisor reads what happened to submissions of their services,
and what the staff of their services did outside any submission (signing in, exports, denied
look-ups). Clerks read none of it. The page and its CSV export use the one query here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select

from web import references
from web.models import AuditEntry, ServiceGrant, StaffUser, Submission, db

READERS = ("supervisor", "admin")


def actions() -> list[str]:
    """Every action the trail holds, for the filter's choices: the clerk pages, the API, the
    citizen side and the commands all write to it, so the list comes from the trail itself."""
    return sorted(action for (action,) in db.session.execute(select(AuditEntry.action).distinct()))


def _date(value: str | None) -> dt.date | None:
    from web.clerk.queue import filter_date

    return filter_date(value)


@dataclass(frozen=True)
class AuditFilters:
    """Who, what, which reference, and which days (UTC, both included); nonsense is dropped."""

    user: int | None = None
    action: str = ""
    reference: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilters:
        user = (args.get("user") or "").strip()
        action = (args.get("action") or "").strip()[:40]
        typed = args.get("reference") or ""
        return cls(user=int(user) if user.isdigit() and len(user) <= 12 else None,  # ids fit any database
                   action=action if action.replace("_", "").isalnum() else "",
                   reference=references.normalise(typed) or re.sub(r"[^A-Za-z0-9]", "", typed).upper()[:40],
                   since=_date(args.get("since")), until=_date(args.get("until")))

    def as_args(self) -> dict[str, str]:
        values = {"user": self.user, "action": self.action, "reference": self.reference,
                  "since": self.since, "until": self.until}
        return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in values.items() if v}


def _services_of(viewer: StaffUser) -> set[str]:
    from web.clerk import work

    return work.visible_services(viewer)


def readable_users(viewer: StaffUser) -> list[StaffUser]:
    """The staff whose actions this person may read: everyone for an admin; for a supervisor,
    the staff of their services."""
    query = db.session.query(StaffUser).order_by(StaffUser.name, StaffUser.id)
    if viewer.role != "admin":
        colleagues = select(ServiceGrant.user_id).where(ServiceGrant.service_id.in_(sorted(_services_of(viewer))))
        query = query.filter(or_(StaffUser.id.in_(colleagues), StaffUser.id == viewer.id))
    return list(query)


def select_entries(viewer: StaffUser, filters: AuditFilters) -> Select[Any]:
    """The entries this person may read that match, newest first, with the reference and the
    person's email beside each."""
    query = (select(AuditEntry, Submission.reference, StaffUser.email)
             .outerjoin(Submission, Submission.id == AuditEntry.submission_id)
             .outerjoin(StaffUser, StaffUser.id == AuditEntry.user_id))
    if viewer.role != "admin":
        services = sorted(_services_of(viewer))
        colleagues = select(ServiceGrant.user_id).where(ServiceGrant.service_id.in_(services))
        query = query.where(or_(Submission.service_id.in_(services),
                                and_(AuditEntry.submission_id.is_(None),
                                     or_(AuditEntry.user_id.in_(colleagues), AuditEntry.user_id == viewer.id))))
    if filters.user is not None:
        query = query.where(AuditEntry.user_id == filters.user)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.reference:
        tried = and_(AuditEntry.action == "denied",
                     AuditEntry.detail.contains(f'"reference": "{filters.reference}"', autoescape=True))
        query = query.where(or_(Submission.reference == filters.reference, tried))
    if filters.since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(filters.since, dt.time.min))
    if filters.until:
        query = query.where(AuditEntry.at < dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def actor_names() -> dict[int, str]:
    """API token id -> how the trail names it ("token: billing sync (ik_3f9a…)"), for the rows a
    token wrote, which have no person."""
    from web.models import ApiToken

    return {token.id: f"token: {token.name} ({token.prefix}…)" for token in db.session.query(ApiToken)}
