"""Submissions for citizens' apps and kiosks: create one (safely retried with an
``Idempotency-Key``), then read it, its report and the clerk's requests, and add files,
all with the secret given at creation in the ``Submission-Secret`` header. A program waiting
for a check polls ``…/check``, which reads the newest check's row alone and answers 304 to an
unchanged ETag.

A wrong secret and an unknown reference get the same 404, so guessing tells nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from flask import Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from web import checkqueue, jobs, references, waivers
from web.api import bp, errors, idempotency, schemas, shapes, uploads
from web.api.catalogue import known_service
from web.api.problems import ApiProblem
from web.citizen import packets
from web.limits import limiter
from web.models import Submission, SubmissionFile, db

SECRET: list[dict[str, list[str]]] = [{"secret": []}]
IDEMPOTENCY_SCOPE = "POST /api/v1/submissions"


def _find(reference: str) -> Submission:
    """The submission, if the reference and the secret both match; a 404 otherwise."""
    secret = request.headers.get("Submission-Secret", "")
    if not secret:
        raise ApiProblem(401, "auth.secret_required", _(
            "Send the submission's secret in the Submission-Secret header. It was given when the submission was "
            "made."), headers={"WWW-Authenticate": 'Secret realm="submission"'})
    canonical = references.normalise(reference)
    submission = (db.session.query(Submission).filter_by(reference=canonical).one_or_none()
                  if canonical else None)
    if submission is None or not packets.secret_matches(submission, secret):
        raise ApiProblem(404, "submission.not_found", _(
            "We could not find a submission with that reference code and secret. Check both and try again."))
    return submission


@bp.post("/submissions")
@bp.doc(tags=["submissions"], security=[])
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.arguments(schemas.IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(schemas.SubmissionForm, location="form", content_type="multipart/form-data", as_kwargs=True)
@bp.response(201, schemas.NewSubmissionSchema, headers={
    "Location": {"description": "The submission's address", "schema": {"type": "string"}},
    "Idempotent-Replayed": {"description": "true when this is the stored answer to an earlier request with the "
                                           "same Idempotency-Key", "schema": {"type": "string"}}})
@bp.alt_response(202, schema=schemas.NewSubmissionSchema, description=(
    "Stored, and its check queued (where the office runs check workers): poll the Location until the "
    "submission's check is done"), headers={
    "Location": {"description": "The submission's address, to poll", "schema": {"type": "string"}}})
@errors(404, 409, 413, 415, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"])
def create(**form: Any) -> ResponseReturnValue:
    """Send files in: a stored, checked submission.

    A submission with its files and first report. The answer holds the reference code and
    the secret, shown only here. With an ``Idempotency-Key``, a retry returns this same answer.
    A file that cannot be used (empty, not a PDF or picture, damaged, ...) is listed in
    ``refused`` with its code and what to do, and the other files are kept and checked; when
    no file can be kept, the answer is a problem and nothing is stored."""
    with _kept_after_commit():
        return _create(**form)


_HELD = "intake.api.rows_written"


@contextlib.contextmanager
def _kept_after_commit() -> Iterator[None]:
    """While an upload is made: what this request itself just wrote stays loaded past each commit.

    An upload commits its idempotency reservation, then the submission with its queued check,
    then the stored answer; by default every commit forgets every loaded row, and the answer,
    the completion and the dispatch would read the submission, its files, its check, its work
    item and the reservation back, one query each, while a burst of uploads waits on the same
    database. Nothing else changes those rows meanwhile: the check goes to a worker only after
    the last commit. A rollback still forgets everything, as always. The session keeps a row it
    wrote only while something refers to it, so the rows this request inserts are held here
    (:func:`_hold`) until it ends."""
    session = db.session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    session.info[_HELD] = []
    try:
        yield
    finally:
        session.info.pop(_HELD, None)
        session.expire_on_commit = before


@event.listens_for(Session, "pending_to_persistent")
def _hold(session: Session, row: object) -> None:
    """A row just inserted, held while :func:`_kept_after_commit` asks for it (listened to once,
    for every session, so no request adds or removes a listener)."""
    held = session.info.get(_HELD)
    if held is not None:
        held.append(row)


def _create(**form: Any) -> ResponseReturnValue:
    service = known_service(str(form.get("service", "")))
    incoming = uploads.read(service, keep_good=True)
    zip_code = str(form.get("zip", ""))[:10]
    key = form.get("idempotency_key")
    if key:
        earlier = idempotency.reserve(IDEMPOTENCY_SCOPE, key,
                                      uploads.body_hash(incoming, service=service.id, zip=zip_code))
        if earlier is not None:
            status, answer = earlier
            replay = jsonify({"refused": []} | (answer.get(g.lang) or answer[current_app.config["LANGUAGES"][0]]))
            replay.status_code = status
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
    queued = checkqueue.enabled()
    try:
        refused = incoming.refused
        kept = packets.without(incoming, refused)
        if queued:
            packets.refuse(service, refused)
            submission, secret, check = packets.create_queued(service, kept, client_key=None, zip_code=zip_code,
                                                              client=_client())
        else:
            report = packets.check_new(service, kept)
            late = packets.refusals(report, kept)
            if not packets.keeps_some(kept, late):
                uploads.refuse(service, [*refused, *late])
            refused = [*refused, *late]
            packets.refuse(service, refused)
            submission, secret = packets.create(service, packets.without(kept, late), report, client_key=None,
                                                zip_code=zip_code)
        # A retry may ask in another language, so the stored answer has each; without a key, one will do.
        langs = current_app.config["LANGUAGES"] if key else (g.lang,)
        listed = uploads.listed(refused)
        answers = {lang: shaped | {"secret": secret, "refused": listed}
                   for lang, shaped in shapes.submissions(submission, service, langs).items()}
    except BaseException:
        if key:
            idempotency.release(IDEMPOTENCY_SCOPE, key)
        raise
    status = 202 if queued else 201
    if key:
        idempotency.complete(IDEMPOTENCY_SCOPE, key, status, answers, submission.id)
    if queued:
        checkqueue.dispatch(check.id)
    response = jsonify(answers[g.lang])
    response.status_code = status
    response.headers["Location"] = url_for("api.read", reference=submission.reference)
    return response


def _client() -> str:
    """The sender as the fair share sees it: the token if one was sent, else a keyed hash of the address."""
    return packets.hashed("client:" + (request.headers.get("Authorization") or request.remote_addr or "-"))[:32]


@bp.get("/submissions/<reference>")
@bp.doc(tags=["submissions"], security=SECRET)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.SubmissionSchema)
@errors(401, 404, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"])
def read(reference: str, **_args: Any) -> dict[str, Any]:
    """Read a submission.

    Its files, its latest report, where it is in the office's queue and what the clerk asked for."""
    submission = _find(reference)
    return shapes.submission(submission, jobs.services()[submission.service_id], g.lang)


@bp.post("/submissions/<reference>/files")
@bp.doc(tags=["submissions"], security=SECRET)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.arguments(schemas.FilesForm, location="form", content_type="multipart/form-data", as_kwargs=True)
@bp.response(200, schemas.UploadedSchema)
@bp.alt_response(202, schema=schemas.UploadedSchema, description=(
    "Stored, and a check of the submission's files queued (where the office runs check workers): poll the "
    "Location until the check is done"), headers={
    "Location": {"description": "The submission's address, to poll", "schema": {"type": "string"}}})
@errors(401, 404, 413, 415, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"])
def add_files(reference: str, **_form: Any) -> ResponseReturnValue:
    """Add or replace files.

    New files, checked again with the ones already there. Name an item in ``replace`` to have
    the new files for that item take the place of the earlier ones. As when the submission
    was made, a file that cannot be used is listed in ``refused`` and the others are kept."""
    submission = _find(reference)
    service = jobs.pinned(submission)  # the version its checks used, until it is checked on a newer one
    incoming = uploads.read(service, taken={f.name: f.sha256 for f in submission.current_files}, keep_good=True,
                            submission=submission)
    replace = {item for item in request.form.getlist("replace") if item in service.items}
    refused = incoming.refused
    kept = packets.without(incoming, refused)
    too_much = packets.over_total(submission, service, kept, replace)
    if too_much:
        uploads.refuse(service, [*refused, *too_much], submission)
    if checkqueue.enabled():
        packets.refuse(service, refused, submission)
        check = packets.add_files_queued(submission, service, kept, replace, client=_client())
        checkqueue.dispatch(check.id)
        response = jsonify(shapes.submission(submission, service, g.lang) | {"refused": uploads.listed(refused)})
        response.status_code = 202
        response.headers["Location"] = url_for("api.read", reference=submission.reference)
        return response
    report = packets.check_added(submission, service, kept, replace)
    late = packets.refusals(report, kept)
    if not packets.keeps_some(kept, late):
        uploads.refuse(service, [*refused, *late], submission)
    refused = [*refused, *late]
    packets.refuse(service, refused, submission)
    packets.add_files(submission, service, packets.without(kept, late), replace, report)
    return shapes.submission(submission, service, g.lang) | {"refused": uploads.listed(refused)}


@bp.get("/submissions/<reference>/report")
@bp.doc(tags=["submissions"], security=SECRET)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ReportSchema)
@errors(401, 404, 409, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"])
def report(reference: str, **_args: Any) -> ResponseReturnValue:
    """The latest report.

    The report of the latest finished check, with what a clerk waived set aside (listed in
    ``waived``). Until the first check is done, a 409 with ``Retry-After``."""
    submission = _find(reference)
    if submission.latest is None:
        raise ApiProblem(409, "report.pending", _(
            "The files are saved and their check is not finished yet. Ask again in a few seconds."),
            headers={"Retry-After": "2"})
    response = jsonify(waivers.report(submission, g.lang))
    response.headers["Content-Language"] = g.lang
    return response


@bp.get("/submissions/<reference>/check")
@bp.doc(tags=["submissions"], security=SECRET)
@bp.arguments(schemas.ConditionalHeader, location="headers", as_kwargs=True)
@bp.response(200, schemas.CheckStatusSchema, headers={
    "ETag": {"description": "A strong validator of this answer: send it back in If-None-Match",
             "schema": {"type": "string"}}})
@bp.alt_response(304, description="Nothing has changed since the answer with the ETag sent in If-None-Match",
                 headers={"ETag": {"description": "The same validator", "schema": {"type": "string"}}})
@errors(401, 404, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_POLL"])
def check_state(reference: str, **_headers: Any) -> ResponseReturnValue:
    """Where the newest check stands.

    For programs waiting on a check: its state (queued, running, done or failed), its counts
    and a link to the full report, read from the newest check alone, so asking often is cheap.
    Send the ``ETag`` back in ``If-None-Match`` to get a 304 with no body while nothing has
    changed. Poll until the state is done or failed, then read the report."""
    submission = _find(reference)
    newest = checkqueue.newest(submission.id)
    if newest is None:  # every upload writes a check; read as the submission's own answer reads it
        files, state, ahead = _current_files(submission.id), "done", 0
        queued_at, started_at, finished_at = submission.created_at, None, None
    else:
        files = len(newest.file_ids) if newest.file_ids is not None else _current_files(submission.id)
        state, ahead = newest.state, checkqueue.ahead_of(newest)
        queued_at, started_at, finished_at = newest.created_at, newest.started_at, newest.finished_at
    body = {"reference": submission.reference, "state": state, "queued_at": shapes.when(queued_at),
            "started_at": shapes.when(started_at) if started_at else None,
            "finished_at": shapes.when(finished_at) if finished_at else None,
            "counts": {"files": files, "ahead": ahead},
            "links": {"report": url_for("api.report", reference=submission.reference),
                      "submission": url_for("api.read", reference=submission.reference)}}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    etag = hashlib.sha256(text.encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(text, mimetype="application/json")
    response.set_etag(etag)  # kept by the program itself: like every API answer, no cache may store it
    return response


def _current_files(submission_id: int) -> int:
    """The files a submission has now: what a check that ran in the request read, as the newest."""
    return int(db.session.execute(select(func.count(SubmissionFile.id)).where(
        SubmissionFile.submission_id == submission_id, SubmissionFile.removed_at.is_(None))).scalar_one())


@bp.get("/submissions/<reference>/requests")
@bp.doc(tags=["submissions"], security=SECRET)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.RequestListSchema)
@errors(401, 404, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"])
def asked(reference: str, **_args: Any) -> dict[str, Any]:
    """What the office asked for.

    The clerk's requests for documents, newest first."""
    submission = _find(reference)
    return {"requests": shapes.requests(submission, jobs.services()[submission.service_id], g.lang)}
