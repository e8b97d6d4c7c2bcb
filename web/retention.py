"""How long we keep what citizens send: each service's ``retention_days`` (30 unless its file
says otherwise), counted from the submission's last change.

``expired()`` lists what is past its time; ``purge()`` deletes those submissions with every
row that hangs off them (following each foreign key's own rule, so SQLite ends up exactly
as PostgreSQL would), then the stored files no submission uses any more, including the
orphans a process left when it died between storing a file and committing its record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Table

from intake.services import Service
from web import storage
from web.clerk import images
from web.models import AuditEntry, Submission, SubmissionFile, db, utcnow

DEFAULT_DAYS = 30
# A blob younger than this may belong to an upload still between storing and committing.
ORPHAN_GRACE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Expired:
    """A submission past its service's retention period."""

    id: int
    reference: str
    service_id: str
    last_change: dt.datetime
    files: int


def expired(services: Mapping[str, Service], now: dt.datetime | None = None) -> list[Expired]:
    """Submissions whose last change is older than their service's retention period, oldest first."""
    now = now or utcnow()
    found: list[Expired] = []
    query = db.session.query(Submission).order_by(Submission.updated_at, Submission.id)
    for submission in query:
        days = services[submission.service_id].retention_days if submission.service_id in services else DEFAULT_DAYS
        last = max(submission.created_at, submission.updated_at or submission.created_at)
        if last < now - dt.timedelta(days=days):
            found.append(Expired(submission.id, submission.reference, submission.service_id, last,
                                 len(submission.files)))
    return found


def _dependants() -> list[tuple[Table, str, str | None]]:
    """Every (table, column, ondelete) whose foreign key points at a submission."""
    found = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == Submission.__tablename__ and table.name != Submission.__tablename__:
                found.append((table, key.parent.name, (key.ondelete or "").upper() or None))
    return found


def purge(expired_ids: Iterable[int], location: str, now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete these submissions and every file no submission needs any more.

    Returns (submissions deleted, stored files deleted). The rows go in one transaction; the
    files only after it committed, so a failure never leaves a record without its file.
    """
    ids = list(expired_ids)
    shas: set[str] = set()
    if ids:
        shas = {sha for (sha,) in db.session.query(SubmissionFile.sha256).filter(SubmissionFile.submission_id.in_(ids))}
        for table, column, ondelete in reversed(_dependants()):
            where = table.c[column].in_(ids)
            if ondelete == "SET NULL":
                db.session.execute(table.update().where(where).values({column: None}))
            else:
                db.session.execute(table.delete().where(where))
        db.session.execute(Submission.__table__.delete().where(Submission.id.in_(ids)))
        db.session.add(AuditEntry(action="purge", detail=json.dumps({"submissions": len(ids)})))
        db.session.commit()
    return len(ids), _delete_unused(shas, location, now or utcnow())


def orphans(location: str, now: dt.datetime | None = None) -> list[str]:
    """Stored files no record points at, older than the grace period."""
    blobs = storage.from_config(location)
    cutoff = (now or utcnow()) - ORPHAN_GRACE
    used = {sha for (sha,) in db.session.query(SubmissionFile.sha256).distinct()}
    return [sha for sha, stored_at in blobs.stored() if sha not in used and stored_at < cutoff]


def _delete_unused(candidates: set[str], location: str, now: dt.datetime) -> int:
    blobs = storage.from_config(location)
    used = {sha for (sha,) in db.session.query(SubmissionFile.sha256).filter(SubmissionFile.sha256.in_(candidates))}
    gone = [sha for sha in candidates - used if blobs.exists(sha)] + orphans(location, now)
    for sha in set(gone):
        blobs.delete(sha)
        images.forget(sha, location)  # no picture of a page outlives the file it shows
    return len(set(gone))
