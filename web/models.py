"""What the web service keeps: submissions, their files, every check's report, survey
answers and events. SQLAlchemy 2 models; Alembic (Flask-Migrate) owns the schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Submission(db.Model):  # type: ignore[name-defined,misc]
    """One citizen's packet for one service, found again by its reference code."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    zip_hash: Mapped[str | None] = mapped_column(String(64))
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    service_id: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The language the citizen last used: the office's messages are written in it.
    lang: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # Where the citizen asked to be told of requests and decisions (optional; with the time
    # they agreed), whether they asked for their private link in those messages, and the
    # day of their visit if they gave one (a reminder goes out before it).
    email: Mapped[str | None] = mapped_column(String(254))
    email_consent_at: Mapped[dt.datetime | None]
    email_link: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # A mobile number for text messages, where the office enables them (same agreement).
    phone: Mapped[str | None] = mapped_column(String(20))
    visit_date: Mapped[dt.date | None]
    reminded_at: Mapped[dt.datetime | None]
    # The applicant's name as the latest check read it from the form the service file names for
    # it, folded ("jose perez"), so clerks find a packet by name; it goes with the row on purge.
    applicant_name: Mapped[str | None] = mapped_column(String(200), index=True)

    files: Mapped[list[SubmissionFile]] = relationship(back_populates="submission", order_by="SubmissionFile.id",
                                                       cascade="all, delete-orphan")
    checks: Mapped[list[CheckRecord]] = relationship(back_populates="submission", order_by="CheckRecord.id",
                                                     cascade="all, delete-orphan")
    survey: Mapped[list[SurveyAnswer]] = relationship(back_populates="submission", cascade="all, delete-orphan")

    @property
    def current_files(self) -> list[SubmissionFile]:
        return [f for f in self.files if f.removed_at is None]

    @property
    def latest(self) -> CheckRecord | None:
        """The latest check that finished with a report; a queued or failed one has none."""
        done = self.done_checks
        return done[-1] if done else None

    @property
    def done_checks(self) -> list[CheckRecord]:
        return [c for c in self.checks if c.state == "done"]

    @property
    def pending(self) -> CheckRecord | None:
        """The newest check when it is still waiting for a worker or running: its files are
        stored, its report is not ready yet."""
        newest = self.checks[-1] if self.checks else None
        return newest if newest is not None and newest.state in PENDING else None

    @property
    def failed(self) -> CheckRecord | None:
        """The newest check when it failed for good (after its retry): the files are kept and a
        clerk sees why; the citizen is asked to check again later."""
        newest = self.checks[-1] if self.checks else None
        return newest if newest is not None and newest.state == "failed" else None


class SubmissionFile(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    item: Mapped[str | None] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="files")

    __table_args__ = (Index("ix_submission_files_submission", "submission_id"),)


# A check's life: queued (stored, waiting for a worker), running, then done (with its report)
# or failed (after its one retry). In-process checks are written done at once.
CHECK_STATES = ("queued", "running", "done", "failed")
PENDING = ("queued", "running")


class CheckRecord(db.Model):  # type: ignore[name-defined,misc]
    """One run of the checker on the files a submission had then, with the service version.

    The row is the check's state: written queued in the same transaction as the upload, taken
    by a worker by id, and finished with its report in one transaction, so a check a killed
    worker left running is run again and one that is done is never run twice.
    """

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    service_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    report_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="done", server_default="done", index=True)
    # The ids of the files this check reads, and of those that arrived with it (a file the check
    # finds unusable among those is set aside, as an in-process upload refuses it).
    files_json: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    # Who sent the files (a hashed address or an API token): one sender's checks wait behind
    # their own, not behind everyone's.
    client: Mapped[str | None] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def file_ids(self) -> list[int]:
        return list(json.loads(self.files_json)["files"]) if self.files_json else []

    @property
    def new_file_ids(self) -> list[int]:
        return list(json.loads(self.files_json)["new"]) if self.files_json else []

    submission: Mapped[Submission] = relationship(back_populates="checks")

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.report_json)
        return data


class SurveyAnswer(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    satisfied: Mapped[int | None]
    trust: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="survey")


class Event(db.Model):  # type: ignore[name-defined,misc]
    """Something that happened to a submission (created, files added, checked, resumed)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


STATUSES = ("new", "in_review", "needs_documents", "ready", "rejected")
# Where a submission may go from each status; anything else is refused. Going to "ready" also
# needs a complete latest check (waivers applied), so a complete new packet is marked ready in
# one step, and an incomplete one still goes through review.
MOVES: dict[str, tuple[str, ...]] = {
    "new": ("in_review", "ready"),
    "in_review": ("needs_documents", "ready", "rejected"),
    "needs_documents": ("in_review", "ready", "rejected"),
    "ready": ("in_review",),
    "rejected": ("in_review",),
}
ROLES = ("clerk", "supervisor", "admin")


class StaffUser(db.Model):  # type: ignore[name-defined,misc]
    """A clerk, supervisor or admin, and the services they may see."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="clerk")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    grants: Mapped[list[ServiceGrant]] = relationship(cascade="all, delete-orphan")

    @property
    def services(self) -> set[str]:
        return {g.service_id for g in self.grants}

    # Flask-Login's protocol: the id carries the session version, so "sign out everywhere"
    # (a new version) ends every session at once.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class ServiceGrant(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "service_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(80), primary_key=True)


class WorkItem(db.Model):  # type: ignore[name-defined,misc]
    """The clerk side of a submission: its status in the queue and who holds it."""

    __tablename__ = "work_items"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    # The service's canned reason the clerk picked, if any: the citizen reads its words in
    # their own language, so only the id is kept.
    reason_id: Mapped[str | None] = mapped_column(String(60))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    claimed_at: Mapped[dt.datetime | None]
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """Append-only: who did what to which submission, and when. Nothing updates or deletes rows."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)


class DocumentRequest(db.Model):  # type: ignore[name-defined,misc]
    """Items a clerk asked the citizen for; the citizen sees them until a check after the
    request finds every one of them provided and fine, which marks the request fulfilled."""

    __tablename__ = "document_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    items: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # The canned reason picked for the request, if any: without a note, the citizen reads its
    # words in their language.
    reason_id: Mapped[str | None] = mapped_column(String(60))
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    fulfilled_at: Mapped[dt.datetime | None]
    fulfilled_check_id: Mapped[int | None] = mapped_column(ForeignKey("checks.id", ondelete="SET NULL"))

    @property
    def item_ids(self) -> list[str]:
        return list(json.loads(self.items))


class Note(db.Model):  # type: ignore[name-defined,misc]
    """A clerk's internal note on a submission: every clerk of the service reads it; the
    citizen never does."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# A message's life: queued (written with the action that causes it), sent, or failed (refused
# for good, or still undelivered after its last try).
MESSAGE_STATES = ("queued", "sending", "sent", "failed")


class Notification(db.Model):  # type: ignore[name-defined,misc]
    """A message to the citizen about their submission (a request, a decision, a reminder).

    Written in the same transaction as what caused it, then delivered by a worker or right
    after the commit; a temporary failure is tried again later, a refusal never."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Waiver(db.Model):  # type: ignore[name-defined,misc]
    """A requirement a clerk set aside, with the reason; the report then shows it as waived."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A token another system uses on the clerk side of the API. Only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10))
    services_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    @property
    def services(self) -> set[str]:
        return set(json.loads(self.services_json))


class IdempotencyRecord(db.Model):  # type: ignore[name-defined,misc]
    """The first answer to a request sent with an ``Idempotency-Key``, replayed on a retry."""

    __tablename__ = "idempotency_records"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_json: Mapped[str] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StaffSession(db.Model):  # type: ignore[name-defined,misc]
    """One signed-in browser of a staff member. Signing out ends it here, on the server, so a
    copy of the session cookie is worth nothing afterwards. Only a hash of its id is kept."""

    __tablename__ = "staff_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]


class ServiceVersion(db.Model):  # type: ignore[name-defined,misc]
    """One published version of a service file, as YAML text, with what changed since the one
    before. Append-only: the newest row per service is what every host and worker offers; the
    files in ``INTAKE_SCHEMAS`` are the seed it overrides (or adds to)."""

    __tablename__ = "service_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int]
    version: Mapped[str] = mapped_column(String(40))
    yaml_text: Mapped[str] = mapped_column(Text)
    diff_text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    __table_args__ = (Index("ux_service_versions_number", "service_id", "number", unique=True),
                      Index("ux_service_versions_version", "service_id", "version", unique=True))


class ServiceDraft(db.Model):  # type: ignore[name-defined,misc]
    """An admin's unpublished edit of a service file: one per service, saved as YAML text."""

    __tablename__ = "service_drafts"

    service_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    yaml_text: Mapped[str] = mapped_column(Text)
    # What the scaffold read beside each field of the blank form (field id -> words), shown to
    # the admin while they name the fields.
    hints_json: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
