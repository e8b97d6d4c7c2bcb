"""Turning uploaded files into a stored, checked submission, file by file.

Every file is typed by its bytes and checked by the library before anything is stored. A
file the library finds unusable (empty, not a PDF, damaged, locked, too big or complex) is
refused on its own: it is stored nowhere, and it leaves exactly one ``upload_refused`` entry
in the audit log, so an attack shows up without filling the disk. The good files of the same
upload are kept, so one bad file never makes a citizen choose the others again; only when
every file is refused, or the upload as a whole is (too many files, too many megabytes), is
nothing kept. Accepted files are then stored (content-addressed, so a retry stores nothing
new) and the submission, its file rows, the report and the event written in one database
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

from flask import current_app, g
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

import intake
from intake.rules import fold
from intake.services import Service
from web import decisions, jobs, references, storage
from web.citizen import contact
from web.models import AuditEntry, CheckRecord, Event, Submission, SubmissionFile, WorkItem, db, utcnow

ACCEPTED = ("pdf", "jpeg", "png", "heic")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff/\\]")
NAME_LENGTH = 120
REFUSED = "upload_refused"
MB = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    """One file (or the packet as a whole) that the upload refused, with its stable code.

    ``code`` is the library's code for a file (``file.*``) or the web's own for the packet
    (``packet.too_large``, ``packet.too_many_files``); ``message`` is for the citizen.
    """

    code: str
    anchor: str
    message: str
    item: str | None = None
    sha256: str | None = None
    size: int | None = None
    name: str | None = None

    @property
    def whole_upload(self) -> bool:
        """A refusal of the upload as a whole, which keeps none of its files."""
        return self.code.startswith("packet.")


@dataclass
class Incoming:
    """What one form post brought: files by checklist item (None: sort them for me)."""

    files: list[tuple[str | None, intake.Upload]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(upload.size for _item, upload in self.files)


def display_name(name: str) -> str:
    """A file name safe to show: no folders, control characters, invisible or direction marks.

    The name is only ever shown (files are stored by their sha256), so this is about what a
    clerk or citizen sees: ``ann`` + U+202E + ``fdp.exe`` must not pass for ``annexe.pdf``.
    """
    name = unicodedata.normalize("NFC", name or "").split("\x00", 1)[0]  # "a.pdf\x00.exe" is "a.pdf"
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("", name).strip(" .") or "upload"
    if len(name) > NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot and stem else ""
        name = name[: NAME_LENGTH - len(suffix) - 2].rstrip() + "…" + ("." + suffix if suffix else "")
    return name


_EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",), "heic": (".heic", ".heif")}
_KNOWN_EXTENSIONS = {e for found in _EXTENSIONS.values() for e in found}


def typed_name(name: str, data: bytes) -> str:
    """The name with an extension that matches what the bytes are, so a download opens as the
    type we checked: a PDF sent as ``bill.exe`` is kept as ``bill.exe.pdf``, a picture sent as
    ``scan.pdf`` as ``scan.png``."""
    name = name.split("\x00", 1)[0]
    extensions = _EXTENSIONS.get(intake.sniff(data))
    if not name or extensions is None or name.lower().endswith(extensions):
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and "." + suffix.lower() in _KNOWN_EXTENSIONS:  # scan.pdf that is a PNG: scan.png
        return stem + extensions[0]
    return name + extensions[0]


def _unique(name: str, sha256: str | None, taken: dict[str, str | None]) -> str:
    """The name, or ``name (2).pdf`` when a different file of the packet already has it, so each
    problem the checker reports by file name points at one file's bytes."""
    candidate, number = name, 1
    stem, dot, suffix = name.rpartition(".")
    while candidate in taken and (sha256 is None or taken[candidate] != sha256):
        number += 1
        candidate = f"{stem} ({number}).{suffix}" if dot and stem else f"{name} ({number})"
    taken[candidate] = sha256
    return candidate


def collect(form_files: dict[str, list[FileStorage]], service: Service,
            taken: dict[str, str] | None = None) -> Incoming:
    """Read and type every uploaded file; refuse, with the library's codes, the ones we cannot take.

    A file is read at most one byte past the per-file limit, so an oversized part costs no
    more memory than an allowed one. ``taken`` holds the names (and sha256) a submission already has.
    """
    incoming = Incoming()
    config = current_app.config
    limit = config["MAX_FILE_BYTES"]
    names: dict[str, str | None] = dict(taken or {})
    for key, uploads in form_files.items():
        item = key.removeprefix("item-") if key.startswith("item-") else None
        if key != "everything" and item not in service.items:
            continue
        for upload in uploads:
            try:
                data = upload.read(limit + 1)
            finally:
                upload.close()
            if not upload.filename and not data:
                continue
            size = len(data) if len(data) <= limit else None
            sha256 = hashlib.sha256(data).hexdigest() if size is not None else None
            name = _unique(display_name(typed_name(upload.filename or "", data)), sha256, names)

            refusal = _refusal(data, name, limit)
            if refusal is not None:
                incoming.refused.append(Refusal(refusal[0], key, refusal[1], item, sha256, size, name))
            else:
                incoming.files.append((item, _hashed_upload(name, data, sha256)))
                incoming.anchors[name] = key
    if len(incoming.files) + len(incoming.refused) > config["MAX_FILES"]:
        incoming.refused.append(Refusal("packet.too_many_files", "everything", _(
            "That is too many files. You can upload up to %(n)s at a time.", n=config["MAX_FILES"])))
    elif incoming.size > config["MAX_PACKET_BYTES"]:
        incoming.refused.append(Refusal("packet.too_large", "everything", _(
            "Together, these files are bigger than %(mb)s MB, the most we can take at once. Upload fewer "
            "files now and add the rest afterwards.", mb=config["MAX_PACKET_MB"])))
    return incoming


def _hashed_upload(name: str, data: bytes, sha256: str | None) -> intake.Upload:
    """The file as the library takes it, carrying the digest :func:`collect` already worked out:
    ``Upload.sha256`` is a cached property, filled here, so a file of many megabytes is hashed
    once per request rather than again when it is stored, recorded and keyed for a retry."""
    upload = intake.Upload(name, data)
    if sha256 is not None:
        upload.__dict__["sha256"] = sha256
    return upload


def _refusal(data: bytes, name: str, limit: int) -> tuple[str, str] | None:
    """The code and words for a file refused before parsing, with the codes the library uses."""
    if len(data) > limit:
        return "file.too_large", _("%(name)s is too big. Each file can be up to %(mb)s MB.", name=name, mb=limit // MB)
    if not data:
        return "file.empty", _("%(name)s is empty. Save it again and upload the new copy.", name=name)
    if intake.sniff(data) not in ACCEPTED:
        return "file.not_pdf", _("%(name)s is not a PDF, JPEG, PNG or HEIC file. Save it as one of those "
                                 "and upload it again.", name=name)
    return None


def refusals(report: intake.Report, incoming: Incoming) -> list[Refusal]:
    """The new files the library found unusable: each one's blocking ``file.*`` problem.

    The web adds no judgement of its own here, so a file gets the same code on the web as
    from ``intake check``.
    """
    found: list[Refusal] = []
    for item, upload in incoming.files:
        problem = next((p for p in report.problems if p.file == upload.name and p.code.startswith("file.")
                        and p.severity is intake.Severity.BLOCKS), None)
        if problem is not None:
            found.append(Refusal(problem.code, incoming.anchors.get(upload.name, "everything"),
                                 _("%(name)s: %(problem)s", name=upload.name,
                                   problem=problem.message(g.get("lang", "en"))),
                                 item, upload.sha256, upload.size, upload.name))
    return found


def keeps_some(incoming: Incoming, refused: list[Refusal]) -> bool:
    """Whether the upload goes on with its good files: some are fine, and no refusal is of the
    upload as a whole."""
    names = {r.name for r in refused}
    return any(u.name not in names for _item, u in incoming.files) and not any(r.whole_upload for r in refused)


def without(incoming: Incoming, refused: list[Refusal]) -> Incoming:
    """The upload without its refused files: what is stored and checked."""
    names = {r.name for r in refused if r.name}
    files = [(item, u) for item, u in incoming.files if u.name not in names]
    return Incoming(files=files, anchors={u.name: incoming.anchors.get(u.name, "everything") for _i, u in files})


def refuse(service: Service, refused: list[Refusal], submission: Submission | None = None) -> None:
    """One audit entry per refused file (or packet); the file itself is never stored.

    The entry keeps the code, the item, the size and the sha256, never the name, which a
    citizen may have typed their own details into.
    """
    for refusal in refused:
        detail = {"code": refusal.code, "service": service.id, "item": refusal.item, "size": refusal.size,
                  "sha256": refusal.sha256}
        db.session.add(AuditEntry(action=REFUSED, submission_id=submission.id if submission else None,
                                  detail=json.dumps({k: v for k, v in detail.items() if v is not None})))
    db.session.commit()


def refuse_request(code: str, service_id: str | None, submission_id: int | None = None) -> None:
    """The audit entry for an upload refused before its body was read (too big, too many parts)."""
    detail = {"code": code, "service": service_id}
    db.session.rollback()
    db.session.add(AuditEntry(action=REFUSED, submission_id=submission_id,
                              detail=json.dumps({k: v for k, v in detail.items() if v is not None})))
    db.session.commit()


def hashed(value: str) -> str:
    """A keyed hash: what is kept of a secret, a ZIP code or a sender's address."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def secret_matches(submission: Submission, secret: str) -> bool:
    return hmac.compare_digest(submission.secret_hash, hashed(secret))


def zip_matches(submission: Submission, zip_code: str) -> bool:
    digits = re.sub(r"\D", "", zip_code or "")[:5]
    return bool(submission.zip_hash) and len(digits) == 5 and hmac.compare_digest(
        submission.zip_hash or "", hashed(digits))


def _store_all(files: list[tuple[str | None, intake.Upload]], written: list[str]) -> None:
    """Store every file, noting in ``written`` each blob this call wrote (not those already there).

    Each content is stored once, even when it serves several items, in one request to object
    storage: a write that S3 refuses when the content is there (``Storage.add``), never a
    question first and a write after."""
    blobs = storage.from_config(current_app.config["STORAGE"])
    seen: set[str] = set()
    for _item, upload in files:
        if upload.sha256 in seen:
            continue
        seen.add(upload.sha256)
        written.append(upload.sha256)  # noted first: a write that fails part-way may still have stored it
        if not blobs.add(upload.data, upload.sha256):
            written.pop()  # it was there before this request: not this request's to remove
    pending = g.get(_READINGS)
    if pending is not None:
        pending.flush({upload.sha256 for _item, upload in files})


# What OCR read off the files of this request, waiting until they are stored (see check_new).
_READINGS = "intake_pending_readings"


def _pending_readings() -> storage.PendingReadings:
    pending = storage.PendingReadings(storage.from_config(current_app.config["STORAGE"]))
    setattr(g, _READINGS, pending)
    return pending


def _forget(written: list[str]) -> None:
    """After a failed transaction: delete the blobs this request wrote that no record points at.

    A blob another request stored meanwhile stays; ``submissions purge`` removes any orphan
    left by a process that died before it could get here.
    """
    db.session.rollback()
    blobs = storage.from_config(current_app.config["STORAGE"])
    for sha256 in written:
        if db.session.query(SubmissionFile.id).filter_by(sha256=sha256).first() is None:
            blobs.delete(sha256)


def report_json(report: intake.Report) -> str:
    """A report as stored: every language's wording, so a page never checks again to translate."""
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


def fold_name(text: str) -> str:
    """A name as the queue searches it: accents and case folded, spaces collapsed, so "JOSÉ
    Pérez" and "jose perez" are the same person."""
    return " ".join(fold(text).split())[:200]


def applicant_name(report: intake.Report, service: Service) -> str | None:
    """The applicant's name in a report, folded, read from the form fields the service file
    names for the "right person" rule (a document's ``name_matches``), as the checker reads
    them; None when the service names none or the form does not give it."""
    values = {form.form: form.values for form in report.forms}
    for spec in service.documents:
        where = spec.name_matches
        if where is None or where.form not in values:
            continue
        given = values[where.form or ""]
        parts = [str(given[f]) for f in where.field.split() if isinstance(given.get(f), str) and given[f].strip()]
        if parts:
            return fold_name(" ".join(parts)) or None
    return None


def check_new(service: Service, incoming: Incoming) -> intake.Report:
    """The report for a new packet, before anything is stored. What OCR reads off its photos
    waits in the request and is kept only beside files that are then stored: a refused upload,
    or a check that stores nothing (the API's ``POST /checks``), leaves no reading behind."""
    return jobs.run_check(service, incoming.files, readings=_pending_readings())


def create(service: Service, incoming: Incoming, report: intake.Report, *, client_key: str | None,
           zip_code: str, details: contact.Contact | None = None) -> tuple[Submission, str]:
    """A new submission with its files and first report; returns it with its secret."""
    written: list[str] = []
    try:
        _store_all(incoming.files, written)
        secret = secrets.token_urlsafe(24)
        zip_digits = _zip_from(report, service, zip_code)
        submission = Submission(reference=_unused_reference(), secret_hash=hashed(secret),
                                zip_hash=hashed(zip_digits) if zip_digits else None, client_key=client_key,
                                service_id=service.id, status=report.status, lang=_lang(),
                                applicant_name=applicant_name(report, service))
        submission.files = [SubmissionFile(item=item, name=u.name, sha256=u.sha256, size=u.size, kind=u.kind)
                            for item, u in incoming.files]
        contact.apply(submission, details, _lang())
        submission.checks = [CheckRecord(service_version=service.version, status=report.status,
                                         report_json=report_json(report), finished_at=utcnow())]
        db.session.add(submission)
        db.session.flush()
        db.session.add(WorkItem(submission_id=submission.id))
        db.session.add(Event(submission_id=submission.id, kind="created",
                             detail=json.dumps({"files": len(incoming.files), "status": report.status})))
        db.session.commit()
    except BaseException:
        _forget(written)
        raise
    return submission, secret


def create_queued(service: Service, incoming: Incoming, *, client_key: str | None, zip_code: str,
                  client: str | None, details: contact.Contact | None = None) -> tuple[Submission, str, CheckRecord]:
    """A new submission with its files and a queued check, in one transaction; the caller sends
    the check to a worker once this is committed. Its first report comes from the worker."""
    written: list[str] = []
    try:
        _store_all(incoming.files, written)
        secret = secrets.token_urlsafe(24)
        digits = re.sub(r"\D", "", zip_code or "")[:5]
        submission = Submission(reference=_unused_reference(), secret_hash=hashed(secret),
                                zip_hash=hashed(digits) if len(digits) == 5 else None, client_key=client_key,
                                service_id=service.id, status="checking", lang=_lang(),
                                checks=[])  # new: it has no checks to load before its first is queued
        submission.files = [SubmissionFile(item=item, name=u.name, sha256=u.sha256, size=u.size, kind=u.kind)
                            for item, u in incoming.files]
        contact.apply(submission, details, _lang())
        db.session.add(submission)
        db.session.flush()
        check = _queue(submission, service, new=[f.id for f in submission.files], client=client)
        db.session.add(WorkItem(submission_id=submission.id))
        db.session.add(Event(submission_id=submission.id, kind="created",
                             detail=json.dumps({"files": len(incoming.files), "status": "checking"})))
        db.session.commit()
    except BaseException:
        _forget(written)
        raise
    return submission, secret, check


def add_files_queued(submission: Submission, service: Service, incoming: Incoming, replace: set[str], *,
                     client: str | None) -> CheckRecord:
    """Store the new files (replacing an item's files when asked) with a queued check of them all."""
    written: list[str] = []
    try:
        arrived = _place(submission, incoming, replace, written)
        check = _queue(submission, service, new=[f.id for f in arrived], client=client)
        db.session.add(Event(submission_id=submission.id, kind="files_added",
                             detail=json.dumps({"files": len(submission.current_files), "status": "checking"})))
        db.session.commit()
    except BaseException:
        _forget(written)
        raise
    return check


def recheck_queued(submission: Submission, service: Service, *, event: str) -> CheckRecord:
    """A queued check of the submission's current files (a new service version, a waiver)."""
    check = _queue(submission, service, new=[], client=None)
    db.session.add(Event(submission_id=submission.id, kind=event,
                         detail=json.dumps({"files": len(submission.current_files), "status": "checking"})))
    db.session.commit()
    return check


def _queue(submission: Submission, service: Service, *, new: list[int], client: str | None) -> CheckRecord:
    files = [f.id for f in submission.current_files]
    check = CheckRecord(service_version=service.version, status="checking", report_json="", state="queued",
                        files_json=json.dumps({"files": files, "new": new}), client=client)
    submission.checks.append(check)
    db.session.flush()
    return check


def zip_from(report: intake.Report, service: Service) -> str | None:
    return _zip_from(report, service, "")


def forget_blobs(shas: list[str]) -> None:
    """Delete the blobs no file row points at any more (after a check set files aside)."""
    blobs = storage.from_config(current_app.config["STORAGE"])
    for sha256 in shas:
        if db.session.query(SubmissionFile.id).filter_by(sha256=sha256).first() is None:
            blobs.delete(sha256)


def _place(submission: Submission, incoming: Incoming, replace: set[str], written: list[str]) -> list[SubmissionFile]:
    """Store the new files and their rows; the replaced items' files are marked removed, and a
    clerk's request for documents goes back to review. Returns the new rows (flushed)."""
    _store_all(incoming.files, written)
    now = utcnow()
    kept = {f.id for f in _kept(submission, incoming, replace)}
    for old in submission.current_files:
        if old.id not in kept:
            old.removed_at = now
    arrived = [SubmissionFile(item=item, name=upload.name, sha256=upload.sha256, size=upload.size, kind=upload.kind)
               for item, upload in incoming.files]
    submission.files.extend(arrived)
    db.session.flush()
    decisions.reopen_on_upload(submission)
    return arrived


def _kept(submission: Submission, incoming: Incoming, replace: set[str]) -> list[SubmissionFile]:
    """The submission's files that stay when ``incoming`` arrives (replaced items' files go)."""
    replaced = {item for item, _u in incoming.files if item in replace}
    return [f for f in submission.current_files if f.item not in replaced]


def _send_the_rest(service: Service) -> str:
    if service.visit.by_mail:
        return _("Replace files you sent before instead of adding more, or send the rest by mail with "
                 "your application.")
    return _("Replace files you sent before instead of adding more, or bring the rest to your visit.")


def over_total(submission: Submission, service: Service, incoming: Incoming, replace: set[str]) -> list[Refusal]:
    """A refusal when the new files would take the submission past its own limits (files kept
    plus files arriving), which several uploads within the per-upload limits could reach. The
    rest goes to the visit, or for a service sent by mail (``visit.mode: mail``) with the application."""
    config = current_app.config
    kept = _kept(submission, incoming, replace)
    files, size = len(kept) + len(incoming.files), sum(f.size for f in kept) + incoming.size
    if files > int(config["MAX_SUBMISSION_FILES"]):
        return [Refusal("packet.too_many_files", "everything", " ".join([_(
            "With these files your submission would have %(n)s files, and it can have up to %(max)s.",
            n=files, max=config["MAX_SUBMISSION_FILES"]), _send_the_rest(service)]))]
    if size > int(config["MAX_SUBMISSION_MB"]) * MB:
        return [Refusal("packet.too_large", "everything", " ".join([_(
            "With these files your submission would be bigger than %(mb)s MB, the most it can be.",
            mb=config["MAX_SUBMISSION_MB"]), _send_the_rest(service)]))]
    return []


def check_added(submission: Submission, service: Service, incoming: Incoming, replace: set[str]) -> intake.Report:
    """The report the submission would have with the new files, before anything is stored."""
    blobs = storage.from_config(current_app.config["STORAGE"])
    kept = [(f.item, intake.Upload(f.name, blobs.get(f.sha256))) for f in _kept(submission, incoming, replace)]
    return jobs.run_check(service, [*kept, *incoming.files], readings=_pending_readings())


def add_files(submission: Submission, service: Service, incoming: Incoming, replace: set[str],
              report: intake.Report) -> None:
    """Store the new files (replacing an item's files when asked) with the report they gave."""
    written: list[str] = []
    try:
        _place(submission, incoming, replace, written)
        _record(submission, service, report, event="files_added")
    except BaseException:
        _forget(written)
        raise


def recheck(submission: Submission, service: Service, *, event: str) -> None:
    """Check the submission's current files again (a new service version, a clerk's waiver)."""
    from web import checkqueue

    if checkqueue.enabled():
        checkqueue.dispatch(recheck_queued(submission, service, event=event).id)
        return
    blobs = storage.from_config(current_app.config["STORAGE"])
    files = [(f.item, intake.Upload(f.name, blobs.get(f.sha256))) for f in submission.current_files]
    _record(submission, service, jobs.run_check(service, files), event=event)


def _record(submission: Submission, service: Service, report: intake.Report, *, event: str) -> None:
    submission.status = report.status
    submission.applicant_name = applicant_name(report, service)
    check = CheckRecord(service_version=service.version, status=report.status, report_json=report_json(report),
                        finished_at=utcnow())
    submission.checks.append(check)
    db.session.flush()
    decisions.fulfil(submission, report.to_dict("en"), check.id)
    db.session.add(Event(submission_id=submission.id, kind=event,
                         detail=json.dumps({"files": len(submission.current_files), "status": report.status})))
    db.session.commit()


def _lang() -> str:
    """The language of the request that made the submission: the office's messages use it."""
    return str(getattr(g, "lang", None) or "en")


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
