"""Submissions still in flight when a service version is published: how many wait on an
earlier version, which verdicts the new version would change, and re-checking them on it when
an admin asks.

A submission stays pinned to the version its checks used (``web.jobs.pinned``) until it is
re-checked here or by a clerk. "In flight" is a submission no clerk has decided yet (not
ready, not rejected); purged submissions are gone from the database, so never listed.
Counting and listing them only reads the database; comparing verdicts (:func:`preview`) runs
real checks, so it happens only when an admin asks for it, never when a page is opened.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import exists, func, select

import intake
from intake.services import Service
from web import jobs, storage
from web.clerk import work
from web.models import CheckRecord, StaffUser, Submission, SubmissionFile, WorkItem, db

DECIDED = ("ready", "rejected")
MOST = 50
"""Submissions compared on one page: each is a real check of its stored files, so the page
says so when more are waiting, and lists the next ones once these are checked again."""


@dataclass(frozen=True)
class Change:
    submission: Submission
    before: str
    after: str
    pinned: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _waiting(service: Service) -> Any:
    """The undecided submissions of ``service`` with files whose latest finished check used
    another version (``Submission.latest``: the done check with the highest id)."""
    latest = (select(CheckRecord.submission_id, func.max(CheckRecord.id).label("check_id"))
              .where(CheckRecord.state == "done").group_by(CheckRecord.submission_id).subquery())
    has_files = exists().where(SubmissionFile.submission_id == Submission.id, SubmissionFile.removed_at.is_(None))
    return (select(Submission)
            .join(latest, latest.c.submission_id == Submission.id)
            .join(CheckRecord, CheckRecord.id == latest.c.check_id)
            .outerjoin(WorkItem, WorkItem.submission_id == Submission.id)
            .where(Submission.service_id == service.id, CheckRecord.service_version != service.version,
                   WorkItem.status.is_(None) | WorkItem.status.not_in(DECIDED), has_files))


def in_flight(service: Service, most: int = MOST) -> list[Submission]:
    """Undecided submissions of the service whose latest check used another version: the first
    ``most`` of them (one more tells the page there are others)."""
    return list(db.session.execute(_waiting(service).order_by(Submission.id).limit(most)).scalars())


def waiting(service: Service) -> int:
    """How many submissions :func:`in_flight` would list with no cap: one count in the
    database, so the version page says it without checking anything."""
    return int(db.session.execute(select(func.count()).select_from(_waiting(service).subquery())).scalar_one())


@dataclass(frozen=True)
class Preview:
    """What checking again on a version would give: the first ``MOST`` submissions still on an
    earlier one, and whether there are more than that."""

    changes: list[Change]
    more: bool

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.changed]


def preview(service: Service) -> Preview:
    """Each waiting submission's verdict now and under ``service``, from its stored files, for at
    most ``MOST`` of them (nothing is written). All are read in one sandbox worker borrowed for
    the run, so the preview never holds more than one of them however many are waiting."""
    waiting = in_flight(service, MOST + 1)
    shown, more = waiting[:MOST], len(waiting) > MOST
    blobs = storage.from_config(current_app.config["STORAGE"])
    packets = ([(f.item, intake.Upload(f.name, blobs.get(f.sha256))) for f in submission.current_files]
               for submission in shown)
    changes = []
    with contextlib.closing(jobs.run_checks(service, packets)) as reports:
        for submission, report in zip(shown, reports, strict=True):
            latest = submission.latest
            assert latest is not None
            changes.append(Change(submission, latest.status, report.status, latest.service_version))
    return Preview(changes, more)


def recheck(service: Service, submissions: list[Submission], user: StaffUser) -> int:
    """Check each submission again on ``service``, through the usual path (in this request, or
    queued for a worker); returns how many."""
    from web.citizen import packets

    for submission in submissions:
        packets.recheck(submission, service, event="service_version_recheck")
        work.audit(user, "recheck_on_version", submission, service=service.id, version=service.version)
        db.session.commit()
    return len(submissions)
