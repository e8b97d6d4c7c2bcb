"""The queue's rules: who may see what, claiming without races, valid status moves, the audit.

Claims are one conditional UPDATE, so two clerks can never hold the same submission, on
SQLite and PostgreSQL alike; a claim left idle expires after ``CLAIM_MINUTES``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, or_, update

from intake.services import Service
from web import decisions, notify, waivers
from web.clerk.labels import label
from web.models import (
    MOVES,
    STATUSES,
    AuditEntry,
    DocumentRequest,
    Note,
    Notification,
    StaffUser,
    Submission,
    Waiver,
    WorkItem,
    db,
    utcnow,
)


class Refused(Exception):
    """An action that is not allowed now; the message says why, in plain words."""


def visible_services(user: StaffUser) -> set[str]:
    from web import jobs

    return set(jobs.services()) if user.role == "admin" else user.services


def audit(user: StaffUser | None, action: str, submission: Submission | None = None, **detail: Any) -> None:
    db.session.add(AuditEntry(user_id=user.id if user else None, action=action,
                              submission_id=submission.id if submission else None,
                              detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))


def work_item(submission: Submission) -> WorkItem:
    item = db.session.get(WorkItem, submission.id)
    if item is None:
        item = WorkItem(submission_id=submission.id)
        db.session.add(item)
        db.session.flush()
    return item


def _expiry() -> dt.datetime:
    return utcnow() - dt.timedelta(minutes=int(current_app.config["CLAIM_MINUTES"]))


def claim(user: StaffUser, submission: Submission) -> None:
    work_item(submission)
    db.session.commit()
    taken = db.session.execute(
        update(WorkItem)
        .where(WorkItem.submission_id == submission.id)
        .where(or_(WorkItem.claimed_by.is_(None), WorkItem.claimed_by == user.id, WorkItem.claimed_at < _expiry()))
        .values(claimed_by=user.id, claimed_at=utcnow())
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise Refused(_("Someone else is working on this submission."))
    audit(user, "claim", submission)
    db.session.commit()


# What "claim next" hands out when the clerk did not filter by status: a decided submission
# (ready or rejected) has nothing left to do.
OPEN = tuple(s for s in STATUSES if s not in ("ready", "rejected"))


def claim_next(user: StaffUser, shown: Select[Any], status_chosen: bool) -> Submission | None:
    """Claim the oldest submission the clerk's filtered queue ``shown`` lists that no one holds
    (or whose claim expired), and return it; None when none is left.

    Each try is ``claim``'s conditional UPDATE, so when another clerk takes a candidate first
    this one moves on to the next, and two clerks never get the same submission.
    """
    free = or_(WorkItem.claimed_by.is_(None), WorkItem.claimed_at.is_(None), WorkItem.claimed_at < _expiry())
    candidates = shown.where(free).order_by(None).order_by(Submission.created_at, Submission.id)
    if not status_chosen:
        candidates = candidates.where(WorkItem.status.in_(OPEN))
    ids = candidates.with_only_columns(Submission.id)
    tried: set[int] = set()
    while True:
        batch = list(db.session.scalars(ids.where(Submission.id.not_in(tried)).limit(20)))
        if not batch:
            return None
        for submission_id in batch:
            tried.add(submission_id)
            submission = db.session.get(Submission, submission_id)
            if submission is None:
                continue
            try:
                claim(user, submission)
            except Refused:
                continue
            return submission


def assign(user: StaffUser, submission: Submission, to: StaffUser) -> None:
    """Give the submission to another staff member who may see its service (a supervisor's or
    an admin's call), taking it from whoever held it; both names stay in the audit."""
    if user.role not in ("supervisor", "admin"):
        raise Refused(_("Only a supervisor or an admin can give a submission to someone."))
    if not to.active or submission.service_id not in visible_services(to):
        raise Refused(_("Choose someone who may work on this service."))
    item = work_item(submission)
    before = item.claimed_by
    item.claimed_by, item.claimed_at = to.id, utcnow()
    audit(user, "assign", submission, to=to.email, previous=before)
    db.session.commit()


def check_reason(service: Service, decision: str, reason_id: str | None) -> str | None:
    """The canned reason id, if it is one of the service's reasons for this decision."""
    reason_id = (reason_id or "").strip() or None
    if reason_id is not None and decisions.canned(service, decision, reason_id, "en") is None:
        raise Refused(_("Choose one of this service's reasons for that decision, or write your own."))
    return reason_id


def release(user: StaffUser, submission: Submission) -> None:
    item = work_item(submission)
    if item.claimed_by not in (user.id, None) and user.role == "clerk":
        raise Refused(_("Only the person working on it, or a supervisor, can release it."))
    item.claimed_by, item.claimed_at = None, None
    audit(user, "release", submission)
    db.session.commit()


def expired(item: WorkItem) -> bool:
    """A claim left idle past ``CLAIM_MINUTES``: anyone may take it over."""
    return item.claimed_by is not None and (item.claimed_at is None or item.claimed_at < _expiry())


def holds(user: StaffUser, item: WorkItem) -> bool:
    return item.claimed_by == user.id and item.claimed_at is not None and item.claimed_at >= _expiry()


def move(user: StaffUser, submission: Submission, to: str, reason: str | None = None,
         reason_id: str | None = None) -> None:
    """Move a submission the clerk holds, by ``MOVES``; a rejection needs a reason (written, or
    one of the service's canned ones), and ready needs a complete latest check."""
    from web import jobs

    item = work_item(submission)
    if not holds(user, item):
        raise Refused(_("Claim the submission before you change it."))
    service = jobs.services()[submission.service_id]
    if to not in MOVES.get(item.status, ()):
        by_mail = service.visit.by_mail
        raise Refused(_("A submission that is %(now)s cannot go to %(to)s.", now=label(item.status, by_mail),
                        to=label(to, by_mail)))
    reason_id = check_reason(service, to, reason_id)
    if to == "rejected" and not (reason or "").strip() and reason_id is None:
        raise Refused(_("Say why you reject it: the citizen will read the reason."))
    if to == "ready" and waivers.status(submission) != "complete":
        raise Refused(_("The latest check is not complete. Request what is missing, or re-run the check."))
    messages = decide(submission, item, to, reason, reason_id)
    item.claimed_at = utcnow()
    audit(user, "status", submission, to=to, reason=item.reason, **({"reason_id": reason_id} if reason_id else {}))
    db.session.commit()
    notify.dispatch(messages)


def decide(submission: Submission, item: WorkItem, to: str, reason: str | None,
           reason_id: str | None = None) -> list[Notification]:
    """Move to ``to`` (already allowed) and write the citizen's message about it, in the caller's
    transaction; the caller commits, then dispatches the message."""
    item.status, item.reason, item.changed_at = to, (reason or "").strip() or None, utcnow()
    item.reason_id = reason_id
    submission.updated_at = utcnow()
    if to in ("ready", "rejected"):
        return notify.queue(submission, "decision")
    if to == "needs_documents":
        return notify.queue(submission, "request")
    return []


def request_documents(submission: Submission, asked_by: StaffUser, items: list[str], note: str | None,
                      reason_id: str | None = None) -> tuple[DocumentRequest, list[Notification]]:
    """Ask the citizen for checklist items, in the caller's transaction: the request, the move
    to needs_documents (and "Last change") and the citizen's message. ``reason_id`` is one of
    the service's canned reasons for asking, already checked."""
    row = DocumentRequest(submission_id=submission.id, items=json.dumps(list(dict.fromkeys(items))), note=note,
                          reason_id=reason_id, created_by=asked_by.id)
    db.session.add(row)
    item = work_item(submission)
    now = utcnow()
    if item.status in ("new", "in_review"):
        item.status = "needs_documents"
    item.changed_at = submission.updated_at = now
    db.session.flush()
    return row, notify.queue(submission, "request")


def add_note(user: StaffUser, submission: Submission, text: str) -> Note:
    """An internal note every clerk of the service reads (and the audit log keeps)."""
    note = Note(submission_id=submission.id, user_id=user.id, text=text)
    db.session.add(note)
    audit(user, "note", submission, note=text)
    return note


def waive(user: StaffUser, submission: Submission, choice: str, reason: str | None) -> None:
    """Set aside a missing item or a blocking problem of the latest check, with the reason."""
    item = work_item(submission)
    if not holds(user, item):
        raise Refused(_("Claim the submission before you change it."))
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise Refused(_("Say why you waive it: the reason is kept with the submission."))
    latest = waivers.report(submission, "en")
    chosen = next((w for w in waivers.waivable(latest) if w.choice == choice), None)
    if chosen is None:
        raise Refused(_("Choose an item of the latest check to waive. It may have changed: look at it again."))
    db.session.add(Waiver(submission_id=submission.id, kind=chosen.kind, target=chosen.target, reason=reason,
                          created_by=user.id))
    item.claimed_at = utcnow()
    audit(user, "waive", submission, kind=chosen.kind, target=chosen.target, title=chosen.title, reason=reason)
    db.session.commit()
