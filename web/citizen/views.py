"""Citizen routes. Each renders one template per outcome; the work is in ``packets``."""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from intake import rules, search
from intake.rules import fold
from intake.services import DocumentSpec, Service
from intake.words import in_sentence, join_choices
from web import checkqueue, decisions, jobs, notify, references, visits, waivers
from web.citizen import bp, contact, device, packets
from web.limits import limiter
from web.models import AuditEntry, Submission, SurveyAnswer, db

ACCESS = device.ACCESS
DENIED = "access_denied"


def _service(service_id: str) -> Service:
    service = jobs.services().get(service_id)
    if service is None:
        abort(404)
    return service


def _grant(reference: str) -> None:
    device.grant(reference)


def _audit_denial(submission: Submission | None, reason: str) -> None:
    """One audit entry for a refused access: the route and why (no access in this session, wrong
    secret, wrong ZIP code, no such reference), never the secret or ZIP code that was tried."""
    db.session.add(AuditEntry(action=DENIED, submission_id=submission.id if submission else None,
                              detail=json.dumps({"route": request.endpoint, "reason": reason})))
    db.session.commit()


def _deny(submission: Submission | None, reason: str) -> None:
    """Audit, then answer 404 whether or not the submission exists."""
    _audit_denial(submission, reason)
    abort(404)


def _granted(reference: str) -> Submission:
    submission = db.session.query(Submission).filter_by(reference=reference).one_or_none()
    if submission is None or reference not in session.get(ACCESS, []):
        _deny(submission, "no_access" if submission else "unknown")
    assert submission is not None
    return submission


def _asked(submission: Submission, service: Service) -> list[dict[str, Any]]:
    """What the office asked this citizen for, newest first: their to-do list, then what is done."""
    return decisions.requests(submission, service, g.lang)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"reason": rules.reason, "accepts": _accepts, "in_sentence": in_sentence,
            "offices": visits.offices, "wording": visits.wording}


def _accepts(service: Service, document: DocumentSpec, lang: str) -> str:
    """What a checklist item takes, when the lines above it do not already say it: "Any one of: a
    utility bill, a bank statement or a signed lease", or "It must be a birth certificate".
    Nothing when its one kind is what the title names ("Birth certificate (2 points)"), or when
    the item has a description (which says what it takes in the author's own words)."""
    if document.description is not None:
        return ""
    titles = [in_sentence(service.kinds[k].title.get(lang)) for k in document.any_of if k in service.kinds]
    if len(titles) > 1:
        return str(_("Any one of: %(kinds)s.", kinds=join_choices(titles, lang)))
    if not titles or _bare(titles[0]) in _bare(document.title.get(lang)):
        return ""
    return str(_("It must be %(kind)s.", kind=titles[0]))


def _bare(title: str) -> str:
    """A title without its article or possessive, folded: "Your birth certificate" -> "birth certificate"."""
    words = fold(title).split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in _ARTICLES else words)


_ARTICLES = {"a", "an", "the", "your", "un", "una", "el", "la", "los", "las", "su", "sus"}


@bp.get("/")
def index() -> str:
    """Every service, with those a search does not find hidden: the script that filters the list
    as the person types shows and hides the same items, so both ways end on the same list."""
    query = request.args.get("q", "").strip()[:200]
    services = list(jobs.services().values())
    found = {s.id for s in search.search(services, query)}
    modes = {s.visit.by_mail for s in services}
    return render_template("citizen/index.html", services=services, found=found, query=query,
                           by_mail=modes == {True}, mixed=len(modes) > 1)


@bp.get("/s/<service_id>")
def checklist(service_id: str) -> str:
    service = _service(service_id)
    return render_template("citizen/service.html", service=service, errors=[], client_key=secrets.token_hex(16),
                           zip_code="")


@bp.post("/s/<service_id>")
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"])
def upload(service_id: str) -> WerkzeugResponse | tuple[str, int]:
    service = _service(service_id)
    if device.chose_shared():
        device.share()
    client_key = (request.form.get("client_key") or "")[:64] or None
    if client_key:
        earlier = db.session.query(Submission).filter_by(client_key=client_key).one_or_none()
        if earlier is not None:
            _grant(earlier.reference)
            return redirect(url_for("citizen.result", reference=earlier.reference), 303)
    incoming = packets.collect(request.files.to_dict(flat=False), service)

    def again(errors: list[tuple[str, str]], status: int) -> tuple[str, int]:
        return render_template("citizen/service.html", service=service, errors=errors,
                               client_key=client_key or secrets.token_hex(16),
                               zip_code=request.form.get("zip", ""), contact_values=request.form), status

    if not incoming.files and not incoming.refused:
        return again([("everything", _("Choose at least one file to upload."))], 400)
    details, wrong = contact.parse(request.form)
    if wrong:
        return again(wrong, 422)
    refused = incoming.refused
    if not packets.keeps_some(incoming, refused):
        packets.refuse(service, refused)
        return again([(r.anchor, r.message) for r in refused], 422)
    kept = packets.without(incoming, refused)
    if checkqueue.enabled():
        packets.refuse(service, refused)
        return _queued_upload(service, kept, client_key, details, refused)
    report = packets.check_new(service, kept)
    late = packets.refusals(report, kept)
    if not packets.keeps_some(kept, late):
        packets.refuse(service, [*refused, *late])
        return again([(r.anchor, r.message) for r in [*refused, *late]], 422)
    packets.refuse(service, [*refused, *late])
    try:
        submission, secret = packets.create(service, packets.without(kept, late), report, client_key=client_key,
                                            zip_code=request.form.get("zip", ""), details=details)
    except IntegrityError as exc:
        return _sent_before(client_key, exc)
    _grant(submission.reference)
    session["new_secret"] = {"reference": submission.reference, "secret": secret}
    _note_refused(submission, refused)
    return redirect(url_for("citizen.result", reference=submission.reference), 303)


REFUSED_NOTE = "refused_files"


def _note_refused(submission: Submission, refused: list[packets.Refusal]) -> None:
    """Keep, beside the check these files came with, the files refused before checking: the
    report never saw them, so without this the citizen would not learn what to send again.
    The note shows until a newer check replaces that one, however often the page is loaded."""
    if refused:
        session[REFUSED_NOTE] = {"reference": submission.reference, "check": submission.checks[-1].id,
                                 "files": [[r.anchor, r.message] for r in refused]}
    else:
        session.pop(REFUSED_NOTE, None)


def _refused_note(submission: Submission) -> list[tuple[str, str]]:
    note = session.get(REFUSED_NOTE)
    if not note or note.get("reference") != submission.reference or not submission.checks \
            or submission.checks[-1].id != note.get("check"):
        return []
    return [(anchor, message) for anchor, message in note["files"]]


def _sent_before(client_key: str | None, error: IntegrityError) -> WerkzeugResponse:
    """The same form sent twice at once: the second finds the first's submission (the client
    key is unique) and goes to it; any other integrity error is not ours to hide."""
    db.session.rollback()
    earlier = db.session.query(Submission).filter_by(client_key=client_key).one_or_none() if client_key else None
    if earlier is None:
        raise error
    _grant(earlier.reference)
    return redirect(url_for("citizen.result", reference=earlier.reference), 303)


def _client() -> str:
    """The sender as the fair share sees it: a keyed hash of the address, never the address."""
    return packets.hashed("client:" + (request.remote_addr or "-"))[:32]


def _queued_upload(service: Service, incoming: packets.Incoming, client_key: str | None,
                   details: contact.Contact | None, refused: list[packets.Refusal]) -> WerkzeugResponse:
    """With check workers: store the files and a queued check, answer at once, check elsewhere."""
    try:
        submission, secret, check = packets.create_queued(service, incoming, client_key=client_key,
                                                          zip_code=request.form.get("zip", ""), client=_client(),
                                                          details=details)
    except IntegrityError as exc:
        return _sent_before(client_key, exc)
    checkqueue.dispatch(check.id)
    _grant(submission.reference)
    session["new_secret"] = {"reference": submission.reference, "secret": secret}
    _note_refused(submission, refused)
    return redirect(url_for("citizen.result", reference=submission.reference), 303)


@bp.get("/r/<reference>/progress.json")
def progress(reference: str) -> Response:
    """Where the pending check stands, for the page's script; no report, nothing personal."""
    submission = _granted(reference)
    response = jsonify(checkqueue.progress(submission))
    response.headers["Cache-Control"] = "no-store"
    return response


def _counted(submission: Submission, service: Service) -> str:
    """What is being checked, counted in words: "1 form and 3 documents"."""
    form_ids = {f.id for f in service.forms}
    files = submission.current_files
    forms = sum(1 for f in files if f.item in form_ids)
    unsorted = sum(1 for f in files if f.item is None)
    documents = len(files) - forms - unsorted
    parts = [text for count, text in (
        (forms, _("1 form") if forms == 1 else _("%(n)s forms", n=forms)),
        (documents, _("1 document") if documents == 1 else _("%(n)s documents", n=documents)),
        (unsorted, _("1 file to sort") if unsorted == 1 else _("%(n)s files to sort", n=unsorted))) if count]
    if not parts:
        return str(_("your files"))
    if len(parts) == 1:
        return str(parts[0])
    return str(_("%(some)s and %(last)s", some=", ".join(parts[:-1]), last=parts[-1]))


def _checking(submission: Submission, service: Service, reference: str) -> str:
    """The page while a check waits or runs: it refreshes itself, and with JavaScript says more."""
    return render_template("citizen/checking.html", service=service, submission=submission,
                           reference=references.display(reference), raw_reference=reference,
                           progress=checkqueue.progress(submission), counted=_counted(submission, service),
                           refused=_refused_note(submission),
                           failed=submission.failed is not None and submission.latest is None)


@bp.get("/r/<reference>")
def result(reference: str) -> str | WerkzeugResponse:
    canonical = references.normalise(reference)
    if canonical is None:
        _deny(None, "unknown")
    assert canonical is not None
    if canonical != reference:
        return redirect(url_for("citizen.result", reference=canonical), 301)
    if canonical not in session.get(ACCESS, []):
        return redirect(url_for("citizen.lookup", reference=references.display(canonical)), 303)
    submission = _granted(canonical)
    service = _service(submission.service_id)
    if submission.pending is not None or submission.latest is None:
        return _checking(submission, service, canonical)
    latest = waivers.report(submission, g.lang)
    previous = waivers.report(submission, g.lang, check=-2) if len(submission.done_checks) > 1 else None
    fresh = session.get("new_secret")
    link = None
    if fresh and fresh.get("reference") == canonical:
        link = url_for("citizen.resume", reference=canonical, secret=fresh["secret"], _external=True)
    return _result_page(submission, service, canonical, latest, changes=packets.changes(previous, latest),
                        resume_link=link, refused=_refused_note(submission))


def _result_page(submission: Submission, service: Service, reference: str, report: dict[str, Any] | None = None,
                 *, errors: list[tuple[str, str]] | None = None, changes: Any = None, resume_link: str | None = None,
                 contact_values: Any = None, refused: list[tuple[str, str]] | None = None) -> str:
    """The result page: the latest report (waivers applied), the office's decision over it, the
    checklist as a task list, and the forms to add files and contact details (with their errors)."""
    report = report if report is not None else waivers.report(submission, g.lang)
    tasks = _tasks(report, service)
    todo = [p for t in tasks if t["status"] != "missing" for p in t["problems"]]
    return render_template("citizen/result.html", service=service, submission=submission, report=report,
                           changes=changes, resume_link=resume_link, reference=references.display(reference),
                           errors=errors or [], tasks=tasks, todo=todo,
                           asked=_asked(submission, service), refused=refused or [],
                           decision=decisions.decision(submission, service, g.lang), contact_values=contact_values,
                           zip_lookup=submission.zip_hash is not None,
                           listed=visits.bring_list(service, report, g.lang))


def _tasks(report: dict[str, Any], service: Service) -> list[dict[str, Any]]:
    """One line per checklist item with its status, and each of its problems once, numbered so
    the summary at the top links to each: done, needs fixing, missing, bring the original or
    not needed. A warning is a "check this" under its item and never makes an item need fixing."""
    tasks: list[dict[str, Any]] = []
    number = 0
    missing = {(m["kind"], m["id"]): m for m in report["missing"] if m["kind"] != "field"}
    entries = [("form", f["form"], f) for f in report["forms"]]
    entries += [("form", key[1], None) for key in missing if key[0] == "form"
                and key[1] not in {f["form"] for f in report["forms"]}]
    entries += [("document", d["id"], d) for d in report["documents"]]
    for kind, item_id, entry in entries:
        gap = missing.get((kind, item_id))
        title = entry["title"] if entry else gap["title"] if gap else item_id
        files = ([entry["file"]] if entry.get("file") else []) if kind == "form" and entry else \
            (entry.get("files") or ([entry["file"]] if entry.get("file") else [])) if entry else []
        problems = []
        for problem in (entry or {}).get("problems", []):
            number += 1
            problems.append({**problem, "anchor": f"fix-{number}", "item": title})
        severities = {p["severity"] for p in problems}
        if entry and entry.get("status") == "not_needed":
            status = "not_needed"
        elif not files and (gap is not None or (entry and entry.get("status") == "missing")):
            status = "missing"
        elif "blocks" in severities:
            status = "needs_fixing"
        elif "bring_original" in severities:
            status = "bring_original"
        else:
            status = "done"
        why = (gap or entry or {}).get("reason")
        tasks.append({"id": f"task-{kind}-{item_id}", "title": title, "files": [f for f in files if f],
                      "status": status, "problems": problems, "reason": in_sentence(why) if why else None})
    for gap in report["missing"]:
        if gap["kind"] == "points":  # a sentence of its own ("You have 2 of the 6 points needed. ...")
            tasks.append({"id": f"task-points-{gap['id']}", "title": gap["title"], "files": [], "status": "missing",
                          "problems": [], "reason": None, "note": gap.get("reason")})
    return tasks


def _reference_key() -> str:
    """Rate-limit key for ZIP code guesses at one submission, whichever addresses they come from.

    A ZIP code is a weak secret (five digits), so guesses at it are limited per reference as
    well as per address; the secret link (192 random bits) needs only the per-address limit,
    which also keeps someone who knows a reference from locking its owner out of their link.
    """
    return "reference:" + (references.normalise(request.form.get("reference", "")) or "-")


def _not_a_reference() -> bool:
    return references.normalise(request.form.get("reference", "")) is None


@bp.get("/r/<reference>/k/<secret>")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"])
def resume(reference: str, secret: str) -> WerkzeugResponse:
    """The secret link: grant access in the session and leave for an address without the secret."""
    submission = db.session.query(Submission).filter_by(reference=reference).one_or_none()
    if submission is None or not packets.secret_matches(submission, secret):
        _deny(submission, "secret" if submission else "unknown")
    _grant(reference)
    response = redirect(url_for("citizen.result", reference=reference), 303)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/r/<reference>/m/<token>")
def mail_link(reference: str, token: str) -> WerkzeugResponse:
    """The private link in a message, for a citizen who asked for it: signed, it dies when
    the submission's secret changes or after a while."""
    submission = notify.link_submission(reference, token)
    if submission is None:
        _deny(db.session.query(Submission).filter_by(reference=reference).one_or_none(), "mail_link")
    _grant(reference)
    response = redirect(url_for("citizen.result", reference=reference), 303)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/r/<reference>/contact")
def contact_details(reference: str) -> WerkzeugResponse | tuple[str, int]:
    """Leave, change or remove the email address for the office's news, and the visit day."""
    submission = _granted(reference)
    service = _service(submission.service_id)
    if request.form.get("stop"):
        contact.forget(submission)
        db.session.add(AuditEntry(action="citizen_contact", submission_id=submission.id,
                                  detail=json.dumps({"email": "removed"})))
        db.session.commit()
        flash(_("We will not email you about this application any more."), "info")
        return redirect(url_for("citizen.result", reference=reference) + "#contact", 303)
    details, wrong = contact.parse(request.form)
    if details is None and not wrong:
        wrong = [("email", _("Write your email address.") if service.visit.by_mail
                  else _("Write your email address or the date of your visit."))]
    if wrong:
        return _result_page(submission, service, reference, errors=wrong, contact_values=request.form), 422
    contact.apply(submission, details, g.lang)
    db.session.add(AuditEntry(action="citizen_contact", submission_id=submission.id,
                              detail=json.dumps({"email": "given" if submission.email else "none",
                                                 "visit_date": submission.visit_date.isoformat()
                                                 if submission.visit_date else None})))
    db.session.commit()
    flash(_("Saved. The office will email you when something changes.") if submission.email
          else _("Saved."), "info")
    return redirect(url_for("citizen.result", reference=reference) + "#contact", 303)


@bp.route("/r", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOOKUP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REFERENCE"], methods=["POST"], key_func=_reference_key,
               exempt_when=_not_a_reference)
def lookup() -> str | WerkzeugResponse | tuple[str, int]:
    typed = request.values.get("reference", "")
    zip_code = request.form.get("zip", "")
    if request.method == "GET":
        return render_template("citizen/lookup.html", reference=typed, zip_code="", errors=[])
    errors: list[tuple[str, str]] = []
    canonical = references.normalise(typed)
    if canonical is None:
        errors.append(("reference", _("Check your reference code. It has 9 letters and numbers, like "
                                      "ACD-EFG-HJK, and one of them may be mistyped.")))
    submission = db.session.query(Submission).filter_by(reference=canonical).one_or_none() if canonical else None
    if canonical and (submission is None or not packets.zip_matches(submission, zip_code)):
        _audit_denial(submission, "zip" if submission else "unknown")
        errors.append(("zip", _("We could not find a check with that reference code and ZIP code. Check both "
                                "and try again, or use the link we gave you.")))
    if errors:
        return render_template("citizen/lookup.html", reference=typed, zip_code=zip_code, errors=errors), 400
    assert canonical is not None
    if device.chose_shared():
        device.share()
    _grant(canonical)
    return redirect(url_for("citizen.result", reference=canonical), 303)


@bp.post("/r/<reference>/files")
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"])
def add_files(reference: str) -> WerkzeugResponse | tuple[str, int]:
    submission = _granted(reference)
    _service(submission.service_id)
    service = jobs.pinned(submission)  # the version its checks used, until it is checked on a newer one
    replace = {key.removeprefix("replace-") for key in request.form if key.startswith("replace-")}
    incoming = packets.collect(request.files.to_dict(flat=False), service,
                               taken={f.name: f.sha256 for f in submission.current_files})

    def again(errors: list[tuple[str, str]], status: int) -> tuple[str, int]:
        if submission.latest is None:
            return _checking(submission, service, reference), status
        return _result_page(submission, service, reference, errors=errors), status

    if not incoming.files and not incoming.refused:
        return again([("everything", _("Choose at least one file to upload."))], 400)
    refused = incoming.refused
    kept = packets.without(incoming, refused)
    if packets.keeps_some(incoming, refused):
        refused = [*refused, *packets.over_total(submission, service, kept, replace)]
    if not packets.keeps_some(incoming, refused):
        packets.refuse(service, refused, submission)
        return again([(r.anchor, r.message) for r in refused], 422)
    if checkqueue.enabled():
        packets.refuse(service, refused, submission)
        check = packets.add_files_queued(submission, service, kept, replace, client=_client())
        checkqueue.dispatch(check.id)
        _note_refused(submission, refused)
        return redirect(url_for("citizen.result", reference=reference), 303)
    report = packets.check_added(submission, service, kept, replace)
    late = packets.refusals(report, kept)
    if not packets.keeps_some(kept, late):
        packets.refuse(service, [*refused, *late], submission)
        return again([(r.anchor, r.message) for r in [*refused, *late]], 422)
    packets.refuse(service, [*refused, *late], submission)
    packets.add_files(submission, service, packets.without(kept, late), replace, report)
    _note_refused(submission, refused)
    return redirect(url_for("citizen.result", reference=reference), 303)


@bp.get("/r/<reference>/bring")
def bring(reference: str) -> str | WerkzeugResponse:
    submission = _granted(reference)
    service = _service(submission.service_id)
    if submission.latest is None:
        return redirect(url_for("citizen.result", reference=reference), 303)
    report = waivers.report(submission, g.lang)
    return render_template("citizen/bring.html", service=service, report=report,
                           reference=references.display(reference), raw_reference=reference,
                           decision=decisions.decision(submission, service, g.lang),
                           asked=[r for r in _asked(submission, service) if r["open"]],
                           listed=visits.bring_list(service, report, g.lang))


@bp.get("/r/<reference>/bring.txt")
def bring_text(reference: str) -> Response | WerkzeugResponse:
    submission = _granted(reference)
    service = _service(submission.service_id)
    if submission.latest is None:
        return redirect(url_for("citizen.result", reference=reference), 303)
    listed = visits.bring_list(service, waivers.report(submission, g.lang), g.lang)
    heading = _("Ref %(ref)s: %(service)s", ref=references.display(reference), service=service.title.get(g.lang))
    response = make_response("\n".join(visits.text_lines(listed, heading, g.lang)) + "\n")
    response.mimetype = "text/plain"
    return response


@bp.post("/r/<reference>/survey")
def survey(reference: str) -> WerkzeugResponse:
    submission = _granted(reference)

    def score(name: str) -> int | None:
        value = request.form.get(name, "")
        return int(value) if value in {"1", "2", "3", "4", "5"} else None

    comment = (request.form.get("comment") or "").strip()[:2000] or None
    if score("satisfied") or score("trust") or comment:
        db.session.add(SurveyAnswer(submission_id=submission.id, satisfied=score("satisfied"),
                                    trust=score("trust"), comment=comment))
        db.session.commit()
    session["thanked"] = reference
    return redirect(url_for("citizen.result", reference=reference, _anchor="survey"), 303)
