"""Turning uploaded files into a stored, checked submission, all or nothing.

Files are validated and stored first (content-addressed, so a retry stores nothing new);
the submission, its file rows, the report and the event are then written in one database
transaction. A failure anywhere leaves no half-made submission.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

import intake
from intake.services import Service
from web import jobs, references, storage
from web.models import CheckRecord, Event, Submission, SubmissionFile, WorkItem, db, utcnow

ACCEPTED = ("pdf", "jpeg", "png")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069/\\]")


@dataclass
class Incoming:
    """What one form post brought: files by checklist item (None: sort them for me)."""

    files: list[tuple[str | None, intake.Upload]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def display_name(name: str) -> str:
    """A file name safe to show: no folders, control characters or direction overrides."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("", name).strip() or "upload"
    return name[:120]


def collect(form_files: dict[str, list[FileStorage]], service: Service) -> Incoming:
    """Read and type every uploaded file; collect plain-language errors for the ones we refuse."""
    incoming = Incoming()
    limit = current_app.config["MAX_FILE_BYTES"]
    for key, uploads in form_files.items():
        item = key.removeprefix("item-") if key.startswith("item-") else None
        if key not in ("everything",) and item not in service.items:
            continue
        for upload in uploads:
            if not upload or not upload.filename:
                continue
            try:
                data = upload.read(limit + 1)
            finally:
                upload.close()
            name = display_name(upload.filename)
            anchor = key
            if len(data) > limit:
                incoming.errors.append((anchor, _("%(name)s is too big. Each file can be up to %(mb)s MB.",
                                                  name=name, mb=limit // (1024 * 1024))))
                continue
            if not data:
                incoming.errors.append((anchor, _("%(name)s is empty. Save it again and upload the new copy.",
                                                  name=name)))
                continue
            if intake.sniff(data) not in ACCEPTED:
                incoming.errors.append((anchor, _("%(name)s is not a PDF, JPEG or PNG file. Save it as one of "
                                                  "those and upload it again.", name=name)))
                continue
            incoming.files.append((item, intake.Upload(name, data)))
    if len(incoming.files) > current_app.config["MAX_FILES"]:
        incoming.errors.append(("everything", _("That is too many files. You can upload up to %(n)s at a time.",
                                                n=current_app.config["MAX_FILES"])))
    return incoming


def _hash(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def secret_matches(submission: Submission, secret: str) -> bool:
    return hmac.compare_digest(submission.secret_hash, _hash(secret))


def zip_matches(submission: Submission, zip_code: str) -> bool:
    digits = re.sub(r"\D", "", zip_code or "")[:5]
    return bool(submission.zip_hash) and len(digits) == 5 and hmac.compare_digest(
        submission.zip_hash or "", _hash(digits))


def _store_all(files: list[tuple[str | None, intake.Upload]]) -> None:
    blobs = storage.from_config(current_app.config["STORAGE"])
    for _item, upload in files:
        blobs.put(upload.data)


def _report_json(report: intake.Report) -> str:
    return json.dumps({lang: report.to_dict(lang) for lang in current_app.config["LANGUAGES"]},
                      ensure_ascii=False, sort_keys=True)


def _zip_from(report: intake.Report, service: Service, typed: str) -> str | None:
    digits = re.sub(r"\D", "", typed or "")[:5]
    if len(digits) == 5:
        return digits
    for form in report.forms:
        spec = next((f for f in service.forms if f.id == form.form), None)
        for field_id, value in form.values.items():
            if spec and spec.fields[field_id].type == "zip" and isinstance(value, str) and len(value) >= 5:
                return value[:5]
    return None


def create(service: Service, incoming: Incoming, *, client_key: str | None, zip_code: str) -> tuple[Submission, str]:
    """A new submission with its files and first report; returns it with its secret."""
    _store_all(incoming.files)
    report = jobs.run_check(service, incoming.files)
    secret = secrets.token_urlsafe(24)
    zip_digits = _zip_from(report, service, zip_code)
    submission = Submission(reference=_unused_reference(), secret_hash=_hash(secret),
                            zip_hash=_hash(zip_digits) if zip_digits else None, client_key=client_key,
                            service_id=service.id, status=report.status)
    submission.files = [SubmissionFile(item=item, name=u.name, sha256=u.sha256, size=u.size, kind=u.kind)
                        for item, u in incoming.files]
    submission.checks = [CheckRecord(service_version=service.version, status=report.status,
                                     report_json=_report_json(report))]
    db.session.add(submission)
    db.session.flush()
    db.session.add(WorkItem(submission_id=submission.id))
    db.session.add(Event(submission_id=submission.id, kind="created",
                         detail=json.dumps({"files": len(incoming.files), "status": report.status})))
    db.session.commit()
    return submission, secret


def add_files(submission: Submission, service: Service, incoming: Incoming, replace: set[str]) -> None:
    """New files for a submission (replacing an item's files when asked), and a new check."""
    _store_all(incoming.files)
    now = utcnow()
    for old in submission.current_files:
        if old.item in replace and any(item == old.item for item, _u in incoming.files):
            old.removed_at = now
    for item, upload in incoming.files:
        submission.files.append(SubmissionFile(item=item, name=upload.name, sha256=upload.sha256,
                                               size=upload.size, kind=upload.kind))
    work_item = db.session.get(WorkItem, submission.id)
    if work_item is not None and work_item.status == "needs_documents":
        work_item.status, work_item.changed_at = "in_review", now
    recheck(submission, service, event="files_added")


def recheck(submission: Submission, service: Service, *, event: str) -> None:
    blobs = storage.from_config(current_app.config["STORAGE"])
    files = [(f.item, intake.Upload(f.name, blobs.get(f.sha256))) for f in submission.current_files]
    report = jobs.run_check(service, files)
    submission.status = report.status
    submission.checks.append(CheckRecord(service_version=service.version, status=report.status,
                                         report_json=_report_json(report)))
    db.session.add(Event(submission_id=submission.id, kind=event,
                         detail=json.dumps({"files": len(files), "status": report.status})))
    db.session.commit()


def _unused_reference() -> str:
    while True:
        reference = references.new_reference()
        if db.session.query(Submission.id).filter_by(reference=reference).first() is None:
            return reference


def changes(previous: dict[str, object] | None, latest: dict[str, object]) -> dict[str, list[str]]:
    """What changed since the last check: fixed, still to do, and new."""
    if previous is None:
        return {}

    def todo(report: dict[str, object]) -> dict[tuple[str, ...], str]:
        out: dict[tuple[str, ...], str] = {}
        for section in ("forms", "documents"):
            for entry in report.get(section, []):  # type: ignore[attr-defined]
                owner = entry.get("form") or entry.get("id")
                for problem in entry.get("problems", []):
                    if problem["severity"] == "blocks":
                        out[(problem["code"], owner, problem.get("field", ""))] = problem["message"]
        for missing in report.get("missing", []):  # type: ignore[attr-defined]
            out[("missing", missing["kind"], missing["id"])] = missing["title"]
        return out

    before, after = todo(previous), todo(latest)
    return {
        "fixed": [before[k] for k in before if k not in after],
        "still": [after[k] for k in after if k in before],
        "new": [after[k] for k in after if k not in before],
    }
