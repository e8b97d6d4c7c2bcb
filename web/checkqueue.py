"""Checks off the request path: a queued row, a worker that takes it by id, one finish.

With ``INTAKE_BROKER_URL`` set, an upload stores its files and a queued check in one
transaction and sends the check's id to the broker (``web.tasks``). The state lives here, in
the database, never in a result backend:

- A worker *takes* a check with one conditional update (queued, or running under a lease
  that ran out or a worker that is gone), so two deliveries of one message never both run.
- It *finishes* with another (still running, same attempt): a check is done at most once,
  even when a worker was thought dead and came back.
- A check that stopped twice (a file that kills its worker, say) is failed with a plain
  reason rather than tried for ever; the files stay and a clerk sees why.
- One sender's checks wait behind their own: while a client has its share of checks
  running, its next one waits and everyone else's go first.
- A sweeper sends again every check left queued or running past its deadline, so a broker
  that loses messages loses no check.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import and_, func, or_, select, update

import intake
from web import decisions, jobs, storage
from web.models import AuditEntry, CheckRecord, Event, Submission, SubmissionFile, db, utcnow

_log = logging.getLogger(__name__)

CHECK_TASK = "intake.check"
SWEEP_TASK = "intake.sweep"
MAX_ATTEMPTS = 2  # the first run and one retry
QUEUED_GRACE_SECONDS = 30  # a queued check no worker has taken by then is sent again


@dataclass(frozen=True)
class Outcome:
    """What one delivery of a check did: ran it, found nothing to do, or must wait."""

    ran: bool = False
    wait_seconds: float | None = None
    reason: str = ""


def enabled(app: Flask | None = None) -> bool:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return bool(app.config.get("BROKER_URL"))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_seconds(app: Flask | None = None) -> int:
    """How long a running check is its worker's: past the task's hard time limit."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return int(app.config["CHECK_SECONDS"]) + 60


def dispatch(check_id: int) -> bool:
    """Send a committed check to the workers; False (and logged) when the broker cannot take it
    now: the check stays queued and the sweeper sends it again."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    celery = app.extensions["intake.celery"]
    try:
        celery.send_task(CHECK_TASK, args=[check_id], queue=app.config["CHECK_QUEUE"])
    except Exception as exc:  # the broker is down or unreachable: the sweeper will send it
        _log.warning("check %d stays queued: the broker did not take it (%s)", check_id, type(exc).__name__)
        return False
    return True


def _gone(worker: str | None) -> bool:
    """The worker that holds a check ran on this host and its process has ended."""
    if not worker or ":" not in worker:
        return False
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _busy_for(client: str | None, check_id: int, now: dt.datetime) -> int:
    """How many of this sender's other checks are running now (under a live lease)."""
    if not client:
        return 0
    cutoff = now - dt.timedelta(seconds=lease_seconds())
    return int(db.session.execute(
        select(func.count(CheckRecord.id)).where(CheckRecord.client == client, CheckRecord.state == "running",
                                                 CheckRecord.id != check_id, CheckRecord.started_at >= cutoff)
    ).scalar_one())


def take(check_id: int, worker: str) -> tuple[Outcome, int]:
    """Make the check this worker's, or say why not; returns the attempt number taken."""
    now = utcnow()
    row = db.session.get(CheckRecord, check_id)
    if row is None:
        return Outcome(reason="gone"), 0
    if row.state in ("done", "failed"):
        return Outcome(reason=row.state), 0
    held = row.state == "running"
    expired = held and row.started_at is not None and row.started_at < now - dt.timedelta(seconds=lease_seconds())
    if held and not expired and not _gone(row.worker):
        left = lease_seconds() - (now - (row.started_at or now)).total_seconds()
        return Outcome(wait_seconds=max(5.0, min(left, 60.0)), reason="held"), 0
    if held and row.attempts >= MAX_ATTEMPTS:
        fail(check_id, row.attempts, "the check stopped twice before it finished")
        return Outcome(reason="failed"), 0
    share = int(current_app.config["CHECK_FAIR_SHARE"])
    if share > 0 and _busy_for(row.client, check_id, now) >= share:
        return Outcome(wait_seconds=2.0, reason="fair_share"), 0
    condition = (CheckRecord.state == "queued") if not held else and_(
        CheckRecord.state == "running", CheckRecord.attempts == row.attempts,
        or_(CheckRecord.worker == row.worker, CheckRecord.worker.is_(None)))
    attempt = row.attempts + 1
    taken = db.session.execute(
        update(CheckRecord).where(CheckRecord.id == check_id, condition)
        .values(state="running", attempts=attempt, started_at=now, worker=worker[:120])
        .execution_options(synchronize_session=False))
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return Outcome(reason="taken"), 0
    return Outcome(ran=True), attempt


def run(check_id: int, worker: str) -> Outcome:
    """One delivery of a check: take it, check its files, finish it."""
    outcome, attempt = take(check_id, worker)
    if not outcome.ran:
        return outcome
    row = db.session.get(CheckRecord, check_id)
    assert row is not None
    db.session.refresh(row)
    submission = row.submission
    # The version the check was queued with: a submission stays on its version until re-checked.
    service = jobs.service_at(submission.service_id, row.service_version) or jobs.services().get(submission.service_id)
    if service is None:
        fail(check_id, attempt, f"the service {submission.service_id!r} is no longer offered")
        return Outcome(reason="failed")
    blobs = storage.from_config(current_app.config["STORAGE"])
    wanted = set(row.file_ids)
    files = [f for f in submission.files if f.id in wanted]
    report = jobs.run_check(service, [(f.item, intake.Upload(f.name, blobs.get(f.sha256))) for f in files])
    finished = finish(check_id, attempt, report)
    return Outcome(ran=finished, reason="done" if finished else "superseded")


def finish(check_id: int, attempt: int, report: intake.Report) -> bool:
    """Write the report and the state in one transaction, if this attempt still holds the check.

    A file that arrived with this check and that the library finds unusable is set aside, as
    an in-process upload refuses it: its row goes, one refusal is audited, and its blob goes
    when nothing else points at it. Its problem stays in the report, so the citizen reads why.
    """
    from web.citizen import packets

    now = utcnow()
    row = db.session.get(CheckRecord, check_id)
    if row is None:
        return False
    submission = row.submission
    service = jobs.services()[submission.service_id]
    done = db.session.execute(
        update(CheckRecord).where(CheckRecord.id == check_id, CheckRecord.state == "running",
                                  CheckRecord.attempts == attempt)
        .values(state="done", status=report.status, report_json=packets.report_json(report), finished_at=now,
                error=None)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    refused = _refused(row, report)
    for stored, code in refused:
        detail = {"code": code, "service": service.id, "item": stored.item, "size": stored.size,
                  "sha256": stored.sha256}
        db.session.add(AuditEntry(action=packets.REFUSED, submission_id=submission.id,
                                  detail=json.dumps({k: v for k, v in detail.items() if v is not None})))
        db.session.delete(stored)
    newest = max(c.id for c in submission.checks)
    if newest == check_id:
        submission.status = report.status
        submission.applicant_name = packets.applicant_name(report, service)
    if submission.zip_hash is None:
        digits = packets.zip_from(report, service)
        submission.zip_hash = packets.hashed(digits) if digits else None
    submission.updated_at = now
    if newest == check_id:
        decisions.fulfil(submission, report.to_dict("en"), check_id)
    db.session.add(Event(submission_id=submission.id, kind="checked",
                         detail=json.dumps({"check": check_id, "status": report.status,
                                            "files": len(row.file_ids) - len(refused)})))
    db.session.commit()
    db.session.expire_all()
    if refused:
        packets.forget_blobs([stored.sha256 for stored, _code in refused])
    return True


def _refused(row: CheckRecord, report: intake.Report) -> list[tuple[SubmissionFile, str]]:
    new = set(row.new_file_ids)
    out = []
    for stored in row.submission.files:
        if stored.id not in new:
            continue
        problem = next((p for p in report.problems if p.file == stored.name and p.code.startswith("file.")
                        and p.severity is intake.Severity.BLOCKS), None)
        if problem is not None:
            out.append((stored, problem.code))
    return out


def fail(check_id: int, attempt: int, reason: str) -> bool:
    """The check failed for good: kept with a reason a clerk can read; the files stay."""
    now = utcnow()
    failed = db.session.execute(
        update(CheckRecord).where(CheckRecord.id == check_id, CheckRecord.state.in_(("queued", "running")),
                                  CheckRecord.attempts == attempt)
        .values(state="failed", finished_at=now, error=reason[:2000])
        .execution_options(synchronize_session=False))
    if failed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    row = db.session.get(CheckRecord, check_id)
    if row is not None:
        db.session.add(Event(submission_id=row.submission_id, kind="check_failed",
                             detail=json.dumps({"check": check_id, "reason": reason[:500]})))
    db.session.commit()
    _log.warning("check %d failed: %s", check_id, reason)
    return True


def give_back(check_id: int, attempt: int) -> bool:
    """After an error worth one more try: queued again, its attempt counted."""
    given = db.session.execute(
        update(CheckRecord).where(CheckRecord.id == check_id, CheckRecord.state == "running",
                                  CheckRecord.attempts == attempt)
        .values(state="queued", worker=None).execution_options(synchronize_session=False))
    db.session.commit()
    return given.rowcount == 1  # type: ignore[attr-defined]


def attempts(check_id: int) -> int:
    row = db.session.get(CheckRecord, check_id)
    return row.attempts if row is not None else 0


def overdue(now: dt.datetime | None = None) -> list[int]:
    """Checks no worker is working on as it should: queued past the grace, running past the
    lease, or running in a worker process of this host that has ended (found at once)."""
    now = now or utcnow()
    queued_before = now - dt.timedelta(seconds=QUEUED_GRACE_SECONDS)
    running_before = now - dt.timedelta(seconds=lease_seconds())
    late = set(db.session.execute(
        select(CheckRecord.id).where(or_(
            and_(CheckRecord.state == "queued", CheckRecord.created_at < queued_before),
            and_(CheckRecord.state == "running", CheckRecord.started_at < running_before)))).scalars())
    running = db.session.execute(select(CheckRecord.id, CheckRecord.worker).where(CheckRecord.state == "running"))
    late |= {check_id for check_id, worker in running if _gone(worker)}
    return sorted(late)


def sweep(now: dt.datetime | None = None) -> int:
    """Send every overdue check again; the take decides what runs, so sending twice is safe."""
    sent = 0
    for check_id in overdue(now):
        sent += dispatch(check_id)
    return sent


@dataclass(frozen=True)
class Newest:
    """The newest check of a submission, read from its row alone: never its report."""

    id: int
    state: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    file_ids: tuple[int, ...] | None
    """The files it reads; None for a check that ran in the request (it read the files the
    submission has now, as the newest check)."""


def newest(submission_id: int) -> Newest | None:
    """The submission's newest check, in one query of its small columns (a poll must not load
    every check's report, which holds the whole packet in every language)."""
    row = db.session.execute(
        select(CheckRecord.id, CheckRecord.state, CheckRecord.created_at, CheckRecord.started_at,
               CheckRecord.finished_at, CheckRecord.files_json)
        .where(CheckRecord.submission_id == submission_id).order_by(CheckRecord.id.desc()).limit(1)).first()
    if row is None:
        return None
    files = tuple(json.loads(row.files_json)["files"]) if row.files_json else None
    return Newest(id=row.id, state=row.state, created_at=row.created_at, started_at=row.started_at,
                  finished_at=row.finished_at, file_ids=files)


def ahead_of(check: Newest | CheckRecord) -> int:
    """Queued checks ahead of this one (none once it is running or finished)."""
    if check.state != "queued":
        return 0
    return int(db.session.execute(select(func.count(CheckRecord.id)).where(
        CheckRecord.state == "queued", CheckRecord.id < check.id)).scalar_one())


def progress(submission: Submission) -> dict[str, Any]:
    """Where the submission's pending check stands, for the "Checking your files" page: read
    from the newest check's row alone."""
    check = newest(submission.id)
    if check is None:
        return {"state": "none", "ahead": 0}
    return {"state": check.state, "ahead": ahead_of(check)}
