"""Clerk routes. Every route that names a submission checks the clerk may see its service,
and answers 404 otherwise: guessing a reference tells nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from intake.services import Service
from intake.words import Words
from web import accounts, backoff, csvfiles, decisions, jobs, logins, notify, references, storage, waivers
from web.clerk import bp, images, timeline, work
from web.clerk import queue as queue_filters
from web.models import (
    MOVES,
    STATUSES,
    AuditEntry,
    DocumentRequest,
    Note,
    StaffUser,
    Submission,
    SubmissionFile,
    db,
    utcnow,
)

PAGE_SIZE = 25


def _user() -> StaffUser:
    user: StaffUser = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def _submission(reference: str) -> Submission:
    """The submission, if this clerk may see it; otherwise 404, and a "denied" entry in the audit
    with the reference tried (the same whether it exists or not)."""
    user = _user()
    submission = db.session.query(Submission).filter_by(reference=reference).one_or_none()
    if submission is None or submission.service_id not in work.visible_services(user):
        tried = references.normalise(reference) or reference[:40]
        work.audit(user, "denied", reference=tried, endpoint=request.endpoint)
        db.session.commit()
        abort(404)
    return submission


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | WerkzeugResponse | tuple[str, int]:
    if request.method == "GET":
        return render_template("clerk/sign_in.html", errors=[], email="")
    email = (request.form.get("email") or "").strip().lower()[:320]
    address = get_remote_address()
    wait = backoff.wait_seconds(email, address)
    if wait:
        work.audit(None, "sign_in_refused", email=email, address=address, wait_seconds=wait)
        db.session.commit()
        errors = [("email", _("Too many wrong passwords from here. Wait %(n)s seconds, then try again.", n=wait))]
        page = render_template("clerk/sign_in.html", errors=errors, email=email)
        return page, 429, {"Retry-After": str(wait)}  # type: ignore[return-value]
    user = db.session.query(StaffUser).filter_by(email=email).one_or_none()
    if not accounts.verify(user, request.form.get("password") or ""):
        backoff.failed(email, address)
        work.audit(user, "sign_in_failed", email=email, address=address)
        db.session.commit()
        errors = [("email", _("The email or password is not right, or the account is disabled."))]
        return render_template("clerk/sign_in.html", errors=errors, email=email), 400
    assert user is not None
    backoff.succeeded(email, address)
    lang = session.get("lang")
    session.clear()  # a new session at sign-in: nothing from before survives
    if lang:
        session["lang"] = lang
    logins.begin(user)
    work.audit(user, "sign_in")
    db.session.commit()
    return redirect(url_for("clerk.queue"), 303)


def _end_session(everywhere: bool) -> WerkzeugResponse:
    """Sign out here, or everywhere: either way the sessions end on the server."""
    user = _user()
    work.audit(user, "sign_out_everywhere" if everywhere else "sign_out")
    logins.end(user, everywhere=everywhere)
    db.session.commit()
    session.clear()
    return redirect(url_for("clerk.sign_in"), 303)


@bp.post("/sign-out")
@login_required
def sign_out() -> WerkzeugResponse:
    return _end_session(everywhere=False)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> WerkzeugResponse:
    return _end_session(everywhere=True)


def _filtered(user: StaffUser) -> tuple[Any, Any, list[str]]:
    """The queue's query for this clerk and the filters in the address, and the unfiltered base."""
    visible = work.visible_services(user)
    base, query = queue_filters.select_for(visible, queue_filters.Filters.from_args(request.args), user.id)
    return base, query, sorted(visible)


@bp.get("/export.csv")
@login_required
def export() -> Any:
    """The filtered queue as CSV, for the agency's own tracking."""
    user = _user()
    _base, query, _visible = _filtered(user)
    rows = queue_filters.csv_rows(query)
    work.audit(user, "export", filters=dict(request.args))
    db.session.commit()
    return csvfiles.attachment("queue.csv", queue_filters.CSV_HEADER, rows)


@bp.get("")
@login_required
def queue() -> str:
    user = _user()
    base, query, visible = _filtered(user)
    filters = queue_filters.Filters.from_args(request.args)
    counts = queue_filters.counts(base)
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    holders = {u.id: u.name for u in db.session.query(StaffUser)}
    catalogue = jobs.services()
    shown = [sid for sid in visible if sid in catalogue]
    listed = [filters.service] if filters.service in shown else shown
    modes = {catalogue[sid].visit.by_mail for sid in listed}
    items = {item_id: title.get(g.lang) for sid in listed for item_id, title in _item_titles(catalogue[sid]).items()}
    now = utcnow()
    late = {s.id: days for s, item in rows[:PAGE_SIZE]
            if (days := queue_filters.days_over(catalogue.get(s.service_id), item.status, s.created_at, now))}
    return render_template("clerk/queue.html", rows=rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE, page=page,
                           counts=counts, services=visible, catalogue=catalogue, holders=holders,
                           filters=filters, args=filters.as_args(), items=items,
                           summaries=queue_filters.summaries([s for s, _i in rows[:PAGE_SIZE]], g.lang),
                           expired=work.expired, age=_age, statuses=STATUSES, display=references.display,
                           status_by_mail=modes == {True}, status_mixed=len(modes) > 1,
                           late=late, over_target=queue_filters.over_target(query, {
                               sid: catalogue[sid] for sid in shown}, now))


@bp.post("/next")
@login_required
def claim_next() -> WerkzeugResponse:
    """Claim the oldest free submission the queue's filters (kept in the address) list, and open
    it; with none left, back to the same queue with a plain message."""
    user = _user()
    _base, query, _visible = _filtered(user)
    filters = queue_filters.Filters.from_args(request.args)
    found = work.claim_next(user, query, status_chosen=bool(filters.status))
    if found is None:
        flash(_("Nothing is left to claim in this list."), "info")
        kept: dict[str, Any] = dict(filters.as_args())
        return redirect(url_for("clerk.queue", **kept), 303)
    return redirect(url_for("clerk.detail", reference=found.reference), 303)


def _age(when: Any) -> str:
    """How long ago, in words of the page's language ("3 days", "3 días")."""
    return str(format_timedelta(utcnow() - when, threshold=1.0))


def _item_titles(service: Service) -> dict[str, Words]:
    return {f.id: f.title for f in service.forms} | {d.id: d.title for d in service.documents}


@bp.get("/s/<reference>")
@login_required
def detail(reference: str) -> str:
    user, submission = _user(), _submission(reference)
    item = work.work_item(submission)
    work.audit(user, "view", submission)
    db.session.commit()
    audit_rows = []
    if user.role in ("supervisor", "admin"):
        audit_rows = db.session.query(AuditEntry).filter_by(submission_id=submission.id).order_by(AuditEntry.id).all()
    service = jobs.services()[submission.service_id]
    report = waivers.report(submission, g.lang) if submission.latest is not None else _no_report_yet()
    names = {u.id: u.name for u in db.session.query(StaffUser)}
    titles = {k: v.get(g.lang) for k, v in _item_titles(service).items()}
    holds = work.holds(user, item)
    free = holds or item.claimed_by is None or work.expired(item)
    return render_template("clerk/detail.html", submission=submission, item=item, service=service, report=report,
                           timeline=timeline.entries(submission, titles, by_mail=service.visit.by_mail),
                           asked=decisions.requests(submission, service, g.lang),
                           notes=db.session.query(Note).filter_by(submission_id=submission.id).order_by(Note.id).all(),
                           holds=holds, expired=work.expired(item),
                           holder=db.session.get(StaffUser, item.claimed_by) if item.claimed_by else None,
                           requests=db.session.query(DocumentRequest).filter_by(submission_id=submission.id).all(),
                           audit_rows=audit_rows, display=references.display, moves=work.MOVES[item.status],
                           waivable=waivers.waivable(report), names=names,
                           waived_by={(w.kind, w.target): w for w in waivers.of(submission)},
                           views=images.form_views(submission, service, report, g.lang),
                           evidence=images.document_files(submission, report),
                           item_titles=titles, reasons=_reasons(service),
                           decided_reason=" ".join(p for p in (decisions.canned(
                               service, item.status, item.reason_id, g.lang), item.reason) if p),
                           one_step=free and "ready" in MOVES[item.status]
                           and waivers.status(submission) == "complete",
                           assignable=_assignable(submission) if user.role in ("supervisor", "admin") else [])


def _reasons(service: Service) -> dict[str, list[tuple[str, str]]]:
    """The service's canned reasons for each decision, as (id, words in the page's language)."""
    return {decision: [(r.id, r.text.get(g.lang)) for r in service.reasons.get(decision, ())]
            for decision in ("rejected", "needs_documents")}


def _assignable(submission: Submission) -> list[StaffUser]:
    """The active staff who may see the submission's service: whom a supervisor may give it to."""
    people = db.session.query(StaffUser).filter_by(active=True).order_by(StaffUser.name, StaffUser.id)
    return [p for p in people if submission.service_id in work.visible_services(p)]


@bp.get("/s/<reference>/files/<int(max=2147483647):file_id>")
@login_required
def download(reference: str, file_id: int) -> Any:
    user, submission = _user(), _submission(reference)
    stored = db.session.get(SubmissionFile, file_id)
    if stored is None or stored.submission_id != submission.id:
        abort(404)
    work.audit(user, "download", submission, file=stored.name, sha256=stored.sha256)
    db.session.commit()
    data = storage.from_config(current_app.config["STORAGE"]).get(stored.sha256)
    response = make_response(data)
    response.mimetype = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "heic": "image/heic"}.get(
        stored.kind, "application/octet-stream")
    # RFC 6266: an ASCII fallback, and the real name (UTF-8) for browsers that read filename*
    response.headers["Content-Disposition"] = (f'attachment; filename="{_ascii_name(stored.name)}"; '
                                               f"filename*=UTF-8''{quote(stored.name, safe='')}")
    return response


def _ascii_name(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name) or "file"


def _act(reference: str, action: Any) -> WerkzeugResponse:
    submission = _submission(reference)
    try:
        action(_user(), submission)
    except work.Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    return redirect(url_for("clerk.detail", reference=reference), 303)


@bp.post("/s/<reference>/claim")
@login_required
def claim(reference: str) -> WerkzeugResponse:
    return _act(reference, work.claim)


@bp.post("/s/<reference>/release")
@login_required
def release(reference: str) -> WerkzeugResponse:
    return _act(reference, work.release)


@bp.post("/s/<reference>/status")
@login_required
def status(reference: str) -> WerkzeugResponse:
    to, reason, reason_id = request.form.get("to", ""), request.form.get("reason"), request.form.get("reason_id")
    return _act(reference, lambda user, submission: work.move(user, submission, to, reason, reason_id))


@bp.post("/s/<reference>/ready")
@login_required
def ready(reference: str) -> WerkzeugResponse:
    """Claim (when not held yet) and mark ready in one step: for a packet whose latest check is
    complete. Each step is audited on its own, as if done one after the other."""

    def claim_and_ready(user: StaffUser, submission: Submission) -> None:
        if not work.holds(user, work.work_item(submission)):
            work.claim(user, submission)
        work.move(user, submission, "ready")

    return _act(reference, claim_and_ready)


@bp.post("/s/<reference>/assign")
@login_required
def assign(reference: str) -> WerkzeugResponse:
    """A supervisor or an admin gives the submission to a staff member of its service."""
    submission = _submission(reference)
    user = _user()
    if user.role not in ("supervisor", "admin"):
        work.audit(user, "denied", reference=submission.reference, endpoint=request.endpoint)
        db.session.commit()
        abort(403)
    chosen = request.form.get("clerk", type=int)
    to = db.session.get(StaffUser, chosen) if chosen is not None and 0 < chosen < 2**31 else None

    def give(user: StaffUser, submission: Submission) -> None:
        if to is None:
            raise work.Refused(_("Choose someone who may work on this service."))
        work.assign(user, submission, to)

    return _act(reference, give)


@bp.post("/s/<reference>/note")
@login_required
def note(reference: str) -> WerkzeugResponse:
    text = (request.form.get("note") or "").strip()[:4000]

    def add(user: StaffUser, submission: Submission) -> None:
        if not text:
            raise work.Refused(_("Write the note before you save it."))
        work.add_note(user, submission, text)
        db.session.commit()

    return _act(reference, add)


@bp.post("/s/<reference>/request")
@login_required
def request_documents(reference: str) -> WerkzeugResponse:
    items = request.form.getlist("items")
    text = (request.form.get("note") or "").strip()[:2000] or None
    picked = request.form.get("reason_id")

    def ask(user: StaffUser, submission: Submission) -> None:
        service = jobs.services()[submission.service_id]
        chosen = [i for i in items if i in service.items]
        if not chosen:
            raise work.Refused(_("Choose at least one item to ask for."))
        if not work.holds(user, work.work_item(submission)):
            raise work.Refused(_("Claim the submission before you change it."))
        reason_id = work.check_reason(service, "needs_documents", picked)
        _row, messages = work.request_documents(submission, user, chosen, text, reason_id)
        work.work_item(submission).claimed_at = utcnow()
        work.audit(user, "request_documents", submission, items=chosen, note=text,
                   **({"reason_id": reason_id} if reason_id else {}))
        db.session.commit()
        notify.dispatch(messages)

    return _act(reference, ask)


def _no_report_yet() -> dict[str, Any]:
    """What the detail page shows before the first check is done: nothing found, nothing missing."""
    return {"status": "checking", "forms": [], "documents": [], "missing": [], "unrecognised_files": [],
            "problems": [], "waived": [], "bring_in_person": []}


@bp.post("/s/<reference>/recheck")
@login_required
def recheck(reference: str) -> WerkzeugResponse:
    from web.citizen import packets

    def run(user: StaffUser, submission: Submission) -> None:
        packets.recheck(submission, jobs.services()[submission.service_id], event="clerk_recheck")
        work.audit(user, "recheck", submission)
        db.session.commit()

    return _act(reference, run)


@bp.post("/s/<reference>/waive")
@login_required
def waive(reference: str) -> WerkzeugResponse:
    choice, reason = request.form.get("item", ""), request.form.get("reason")
    return _act(reference, lambda user, submission: work.waive(user, submission, choice, reason))


@bp.get("/s/<reference>/files/<int(max=2147483647):file_id>/pages/<int(max=100000):page>.png")
@login_required
def page_image(reference: str, file_id: int, page: int) -> Any:
    """A picture of one page of an uploaded PDF, drawn in the sandbox worker, with the boxes of
    the fields named in ``field`` marked. Checked and audited like a download."""
    user, submission = _user(), _submission(reference)
    stored = db.session.get(SubmissionFile, file_id)
    if stored is None or stored.submission_id != submission.id:
        abort(404)
    fields = sorted(set(request.args.getlist("field")))[:20]
    show = request.args.get("show") == "sensitive"
    try:
        png = images.picture(submission, jobs.services()[submission.service_id], stored, page, fields, show=show)
    except images.NoPicture:
        abort(404)
    work.audit(user, "page_image_unmasked" if show else "page_image", submission, file=stored.name,
               sha256=stored.sha256, page=page, fields=fields)
    db.session.commit()
    response = make_response(png)
    response.mimetype = "image/png"
    response.headers["Cache-Control"] = "private, no-store"
    return response
