"""What the web service keeps: submissions, their files, every check's report, survey
answers and events. SQLAlchemy 2 models; Alembic (Flask-Migrate) owns the schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Index, String, Text
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
        return self.checks[-1] if self.checks else None


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


class CheckRecord(db.Model):  # type: ignore[name-defined,misc]
    """One run of the checker on the files a submission had then, with the service version."""

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    service_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    report_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

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
