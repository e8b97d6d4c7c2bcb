"""``flask --app web submissions purge``: each service's retention period, a dry run, and files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests import pdfs
from tests.web.conftest import post_files, upload_data
from web import storage
from web.models import (
    AuditEntry,
    CheckRecord,
    Event,
    Submission,
    SubmissionFile,
    SurveyAnswer,
    WorkItem,
    db,
    utcnow,
)


@pytest.fixture
def app(app: Flask, another_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """The test's database with files in a local folder: these tests age stored files by their
    time on disk, which a bucket does not let a client set (test_storage_s3 purges a bucket).
    Checks run in the request, since a worker elsewhere reads the bucket it was started on."""
    if storage.is_s3(app.config["STORAGE"]):
        return another_app(STORAGE=str(tmp_path / "local-files"), BROKER_URL=None)
    return app


def _submit(app: Flask, service: str, item: str, data: bytes) -> str:
    response = post_files(app.test_client(), f"/s/{service}",
                          upload_data(**{f"item-{item}": (data, "bill.pdf")}) | {"client_key": os.urandom(8).hex()})
    assert response.status_code == 303, response.status_code
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def _age(app: Flask, reference: str, days: int) -> None:
    when = utcnow() - dt.timedelta(days=days)
    with app.app_context():
        db.session.execute(Submission.__table__.update().where(Submission.reference == reference)
                           .values(created_at=when, updated_at=when))
        db.session.commit()


def _blob(app: Flask, data: bytes) -> Path:
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    return Path(app.config["STORAGE"]) / sha[:2] / sha


@pytest.fixture
def packets(app: Flask) -> dict[str, Any]:
    """Five submissions: old and new in a 30-day service, old and new in a 7-day one, and one
    old submission sharing its file with a new one; plus an old and a fresh orphan file."""
    from web import jobs

    with app.app_context():
        catalogue = jobs.services()
        catalogue["w9-vendor"] = dataclasses.replace(catalogue["w9-vendor"], retention_days=7)
    files = {name: pdfs.text_pdf([f"Billing date 11/01/2026 service address {name}"])
             for name in ("old", "new", "week_old", "fresh", "shared")}
    made = {
        "old": _submit(app, "passport-first-time", "proof_of_address", files["old"]),
        "new": _submit(app, "passport-first-time", "proof_of_address", files["new"]),
        "week_old": _submit(app, "w9-vendor", "ein_letter", files["week_old"]),
        "fresh": _submit(app, "w9-vendor", "ein_letter", files["fresh"]),
        "shared_old": _submit(app, "passport-first-time", "proof_of_address", files["shared"]),
        "shared_new": _submit(app, "il-child-care", "proof_of_address", files["shared"]),
    }
    _age(app, made["old"], 31)
    _age(app, made["new"], 29)
    _age(app, made["week_old"], 8)
    _age(app, made["fresh"], 6)
    _age(app, made["shared_old"], 40)
    with app.app_context():
        old_id = db.session.query(Submission.id).filter_by(reference=made["old"]).scalar()
        db.session.add(SurveyAnswer(submission_id=old_id, satisfied=5))
        db.session.add(AuditEntry(action="view", submission_id=old_id))
        db.session.commit()
    blobs = storage.from_config(app.config["STORAGE"])
    orphan_old, orphan_new = b"%PDF-1.4 left by a crash long ago", b"%PDF-1.4 being uploaded right now"
    blobs.put(orphan_old)
    blobs.put(orphan_new)
    hours_ago = (utcnow() - dt.timedelta(hours=2)).replace(tzinfo=dt.UTC).timestamp()
    os.utime(_blob(app, orphan_old), (hours_ago, hours_ago))
    return {"refs": made, "files": files, "orphans": (orphan_old, orphan_new)}


def _left(app: Flask) -> set[str]:
    with app.app_context():
        return {r for (r,) in db.session.query(Submission.reference)}


def test_a_dry_run_lists_what_is_past_each_services_retention_and_deletes_nothing(
        app: Flask, packets: dict[str, Any]) -> None:
    refs = packets["refs"]
    result = app.test_cli_runner().invoke(args=["submissions", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    listed = {line.split("\t")[0] for line in result.output.splitlines() if "\t" in line}
    assert listed == {refs["old"], refs["week_old"], refs["shared_old"]}
    assert "would delete 3 submission(s) and 1 unused stored file(s)" in result.output
    assert _left(app) == set(refs.values())
    assert all(_blob(app, data).is_file() for data in packets["files"].values())


def test_purge_deletes_expired_submissions_every_row_of_theirs_and_files_no_one_uses(
        app: Flask, packets: dict[str, Any]) -> None:
    refs, files = packets["refs"], packets["files"]
    pictures = {name: Path(app.config["STORAGE"]) / "page-cache" / _blob(app, files[name]).relative_to(
        app.config["STORAGE"]) for name in ("old", "new")}
    for folder in pictures.values():  # pictures a clerk's view left in the page cache
        folder.mkdir(parents=True)
        (folder / "page-1.png").write_bytes(b"\x89PNG")
    result = app.test_cli_runner().invoke(args=["submissions", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 3 submission(s) and 3 stored file(s)" in result.output
    assert not pictures["old"].exists() and pictures["new"].is_dir(), "pictures go with their file, not before"
    assert _left(app) == {refs["new"], refs["fresh"], refs["shared_new"]}
    with app.app_context():
        kept = {i for (i,) in db.session.query(Submission.id)}
        for model in (SubmissionFile, CheckRecord, Event, WorkItem, SurveyAnswer):
            owners = {i for (i,) in db.session.query(model.submission_id)}
            assert owners <= kept, model.__tablename__
        audit = db.session.query(AuditEntry).filter_by(action="view").one()
        assert audit.submission_id is None
        assert db.session.query(AuditEntry).filter_by(action="purge").count() == 1
    assert not _blob(app, files["old"]).exists() and not _blob(app, files["week_old"]).exists()
    assert _blob(app, files["shared"]).is_file() and _blob(app, files["new"]).is_file()
    orphan_old, orphan_new = packets["orphans"]
    assert not _blob(app, orphan_old).exists() and _blob(app, orphan_new).is_file()
    again = app.test_cli_runner().invoke(args=["submissions", "purge"])
    assert "deleted 0 submission(s) and 0 stored file(s)" in again.output
