"""The clerk side of the API, behind tokens: the queue with the web's filters, a submission,
status changes, document requests and the CSV export. A token sees only its services; a
submission of another service is a 404, as for a clerk. Every use is audited.

A token does not claim submissions: it may change one only while no clerk holds it, and it
follows the same moves and rules as a clerk (``web.models.MOVES``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake.services import Service
from web import csvfiles, jobs, notify, references, waivers
from web.api import bp, errors, schemas, shapes, tokens
from web.api.problems import ApiProblem
from web.clerk import queue as queue_filters
from web.clerk import work
from web.models import MOVES, ApiToken, StaffUser, Submission, WorkItem, db, utcnow

TOKEN: list[dict[str, list[str]]] = [{"token": []}]
PAGE_SIZE = 25


def _submission(token: ApiToken, reference: str) -> Submission:
    canonical = references.normalise(reference)
    submission = (db.session.query(Submission).filter_by(reference=canonical).one_or_none()
                  if canonical else None)
    if submission is None or submission.service_id not in token.services:
        tokens.audit(token, "api_not_found", None, reference=reference[:20])
        db.session.commit()
        raise ApiProblem(404, "submission.not_found", _("There is no submission with that reference code in "
                                                        "the services this token can see."))
    return submission


def _held_by_clerk(item: WorkItem) -> bool:
    expiry = utcnow() - dt.timedelta(minutes=int(current_app.config["CLAIM_MINUTES"]))
    return item.claimed_by is not None and item.claimed_at is not None and item.claimed_at >= expiry


def _reason_id(service: Service, decision: str, reason_id: str | None) -> str | None:
    """The canned reason id when it is one of the service's for this decision; 422 otherwise."""
    try:
        return work.check_reason(service, decision, reason_id)
    except work.Refused as refused:
        raise ApiProblem(422, "reason.unknown", str(refused),
                         [{"field": "reason_id", "code": "reason.unknown", "message": str(refused)}]) from None


@bp.get("/clerk/submissions")
@bp.doc(tags=["clerk"], security=TOKEN)
@bp.arguments(schemas.QueueArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.QueueSchema)
@errors(401, 422)
def queue(page: int = 1, **_args: Any) -> dict[str, Any]:
    """The queue.

    The submissions of the token's services, oldest first, with the web queue's filters
    (``service``, ``status``, ``q``) and the count in each status."""
    token = tokens.current("read")
    filters = queue_filters.Filters.from_args(request.args)
    base, query = queue_filters.select_for(token.services, filters)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    shown = rows[:PAGE_SIZE]
    summaries = queue_filters.summaries([s for s, _item in shown], g.lang)
    tokens.audit(token, "api_queue", None, filters=filters.as_args(), page=page)
    answer = {"items": [shapes.queue_row(s, item, summaries.get(s.id, queue_filters.Summary(s.status, ())))
                        for s, item in shown],
              "counts": queue_filters.counts(base), "page": page, "more": len(rows) > PAGE_SIZE}
    db.session.commit()
    return answer


@bp.get("/clerk/submissions/<reference>")
@bp.doc(tags=["clerk"], security=TOKEN)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.SubmissionSchema)
@errors(401, 404, 422)
def detail(reference: str, **_args: Any) -> dict[str, Any]:
    """Read a submission.

    A submission with its files, latest report, queue status and the requests made."""
    token = tokens.current("read")
    submission = _submission(token, reference)
    answer = shapes.submission(submission, jobs.services()[submission.service_id], g.lang)
    tokens.audit(token, "api_view", submission)
    db.session.commit()
    return answer


@bp.post("/clerk/submissions/<reference>/status")
@bp.doc(tags=["clerk"], security=TOKEN)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.arguments(schemas.StatusChange, as_kwargs=True)
@bp.response(200, schemas.SubmissionSchema)
@errors(400, 401, 403, 404, 409, 415, 422)
def status(reference: str, to: str, reason: str | None = None, reason_id: str | None = None,
           **_args: Any) -> dict[str, Any]:
    """Change the queue status.

    Move a submission, as a clerk would: new → in_review or, when the check is complete, straight
    to ready; in_review → needs_documents, ready or rejected. Rejecting needs a reason, written
    or one of the service's canned ones (``reason_id``); ready needs a complete check (once
    waivers are applied); a submission a clerk holds is theirs."""
    token = tokens.current("write")
    submission = _submission(token, reference)
    item = work.work_item(submission)
    reason = (reason or "").strip() or None
    if _held_by_clerk(item):
        raise ApiProblem(409, "work.claimed", _("A clerk is working on this submission. Try again later."))
    if to not in MOVES.get(item.status, ()):
        raise ApiProblem(409, "work.move", _("A submission that is %(now)s cannot go to %(to)s.",
                                             now=item.status.replace("_", " "), to=to.replace("_", " ")),
                         [{"field": "to", "code": "work.move", "message": _(
                             "Choose one of: %(moves)s.", moves=", ".join(MOVES.get(item.status, ())))}])
    reason_id = _reason_id(jobs.services()[submission.service_id], to, reason_id)
    if to == "rejected" and not reason and reason_id is None:
        raise ApiProblem(422, "work.reason", _("Say why you reject it: the citizen will read the reason."),
                         [{"field": "reason", "code": "field.required",
                           "message": _("Say why you reject it: the citizen will read the reason.")}])
    if to == "ready" and waivers.status(submission) != "complete":
        raise ApiProblem(409, "work.not_complete", _(
            "The latest check is not complete. Request what is missing, or re-run the check."))
    messages = work.decide(submission, item, to, reason, reason_id)
    tokens.audit(token, "api_status", submission, to=to, reason=reason,
                 **({"reason_id": reason_id} if reason_id else {}))
    db.session.commit()
    notify.dispatch(messages)
    return shapes.submission(submission, jobs.services()[submission.service_id], g.lang)


@bp.post("/clerk/submissions/<reference>/requests")
@bp.doc(tags=["clerk"], security=TOKEN)
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.arguments(schemas.DocumentRequestIn, as_kwargs=True)
@bp.response(201, schemas.RequestListSchema)
@errors(400, 401, 403, 404, 409, 415, 422)
def request_documents(reference: str, items: list[str], clerk: str, note: str | None = None,
                      reason_id: str | None = None, **_args: Any) -> dict[str, Any]:
    """Ask the citizen for documents.

    Ask for checklist items; the citizen sees the request when they come back, and the
    submission moves to needs_documents. The request is made for a staff member who may see
    the service, named by email."""
    token = tokens.current("write")
    submission = _submission(token, reference)
    service = jobs.services()[submission.service_id]
    unknown = [i for i in items if i not in service.items]
    if unknown:
        raise ApiProblem(422, "request.items", _("Ask only for items on this service's checklist."),
                         [{"field": f"items[{items.index(i)}]", "code": "request.unknown_item",
                           "message": _("%(item)s is not on this service's checklist.", item=i[:80])}
                          for i in unknown])
    reason_id = _reason_id(service, "needs_documents", reason_id)
    staff = db.session.query(StaffUser).filter_by(email=clerk.strip().lower()).one_or_none()
    if staff is None or not staff.active or submission.service_id not in work.visible_services(staff):
        raise ApiProblem(422, "request.clerk", _("Name a staff member with an active account who may see this "
                                                 "service."),
                         [{"field": "clerk", "code": "request.clerk",
                           "message": _("Use the email of a staff account that may see this service.")}])
    item = work.work_item(submission)
    if _held_by_clerk(item) and item.claimed_by != staff.id:
        raise ApiProblem(409, "work.claimed", _("A clerk is working on this submission. Try again later."))
    chosen = list(dict.fromkeys(items))
    text = (note or "").strip()[:2000] or None
    _row, messages = work.request_documents(submission, staff, chosen, text, reason_id)
    tokens.audit(token, "api_request_documents", submission, items=chosen, note=text, clerk=staff.email,
                 **({"reason_id": reason_id} if reason_id else {}))
    db.session.commit()
    notify.dispatch(messages)
    return {"requests": shapes.requests(submission, service, g.lang)}


@bp.get("/clerk/export.csv")
@bp.doc(tags=["clerk"], security=TOKEN)
@bp.arguments(schemas.ExportArgs, location="query", as_kwargs=True)
@bp.response(200, {"type": "string"}, content_type="text/csv", description="One row per submission")
@errors(401, 422)
def export(**_args: Any) -> ResponseReturnValue:
    """The filtered queue as CSV.

    The same columns as the clerks' CSV export, for the agency's own tracking."""
    token = tokens.current("read")
    _base, query = queue_filters.select_for(token.services, queue_filters.Filters.from_args(request.args))
    rows = queue_filters.csv_rows(query)
    tokens.audit(token, "api_export", None, filters=dict(request.args))
    db.session.commit()
    return csvfiles.attachment("queue.csv", queue_filters.CSV_HEADER, rows)
