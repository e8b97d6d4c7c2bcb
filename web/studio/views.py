"""Studio routes: the services, a new one from a blank form, the edit form, trying a draft,
publishing, and the re-check offer of a published version."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

import intake
from intake import samples as sample_runner
from intake.errors import IntakeError, TooComplexError
from intake.services import Service, ServiceError
from web import jobs, references, storage
from web.clerk import work
from web.models import ServiceDraft, ServiceVersion, StaffUser, db
from web.studio import bp, editor, rechecks, versions

_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def _user() -> StaffUser:
    user: StaffUser = current_user._get_current_object()
    return user


def _known(service_id: str) -> bool:
    return service_id in jobs.services() or versions.draft(service_id) is not None


@bp.get("")
def index() -> str:
    return _index_with([], "")


@bp.post("/new")
def new() -> str | WerkzeugResponse | tuple[str, int]:
    """A draft service from a blank fillable form, as ``intake scaffold`` makes it."""
    user = _user()
    upload = request.files.get("blank")
    wanted = (request.form.get("service_id") or "").strip().lower()
    errors: list[tuple[str, str]] = []
    data = upload.read(int(current_app.config["MAX_FILE_BYTES"]) + 1) if upload and upload.filename else b""
    if not data:
        errors.append(("blank", _("Choose the blank form, a fillable PDF, to start from.")))
    elif len(data) > int(current_app.config["MAX_FILE_BYTES"]):
        errors.append(("blank", _("This file is bigger than %(mb)s MB. Choose the blank form itself.",
                                  mb=current_app.config["MAX_FILE_MB"])))
    if wanted and (set(wanted) - _ID_CHARS or not wanted[0].isalnum() or len(wanted) > 60):
        errors.append(("service_id", _("Use up to 60 small letters, digits and dashes, like my-new-service.")))
    draft_text = ""
    if not errors:
        try:
            # An uploaded file is read in a sandbox worker, under the same caps as a citizen's.
            draft_text = jobs.scaffold(intake.Upload(upload.filename or "form.pdf", data),  # type: ignore[union-attr]
                                       service_id=wanted or None)
        except TooComplexError:
            errors.append(("blank", _("This file is too large or complex for us to read. Save the blank form "
                                      "again as a new PDF, or download it again from the agency, and upload "
                                      "that copy.")))
        except IntakeError:
            errors.append(("blank", _("This file could not be read as a fillable PDF form. Choose the blank "
                                      "form as the agency publishes it.")))
    service_id = editor.service_id_of(draft_text) if draft_text else wanted
    if not errors and len(service_id) > 60:
        errors.append(("service_id", _("The file name is too long to name the service. Give it a short name, "
                                       "like my-new-service.")))
    if not errors and _known(service_id):
        errors.append(("service_id", _("There is already a service called %(id)s. Give the new one another "
                                       "name, or open that one to edit it.", id=service_id)))
    if errors:
        return _index_with(errors, wanted), 400
    versions.save_draft(service_id, draft_text, user, editor.hints_from(draft_text))
    work.audit(user, "service_draft_started", service=service_id, source="blank_form",
               file=(upload.filename or "")[:200])  # type: ignore[union-attr]
    db.session.commit()
    flash(_("Here is a first draft made from the form. Check each title and type, then save."))
    return redirect(url_for("studio.edit", service_id=service_id), 303)


def _index_with(errors: list[tuple[str, str]], wanted: str) -> str:
    """The services offered now (with their newest published version) and the drafts."""
    offered = jobs.services()
    published = {row.service_id: row for row in db.session.query(ServiceVersion).order_by(ServiceVersion.number)}
    drafts = {d.service_id: d for d in db.session.query(ServiceDraft)}
    return render_template("studio/index.html", ids=sorted(set(offered) | set(drafts)), offered=offered,
                           published=published, drafts=drafts, errors=errors, service_id=wanted)


@bp.post("/<service_id>/draft")
def start_draft(service_id: str) -> WerkzeugResponse:
    """A draft of a service offered now, from the text offered now."""
    user = _user()
    if versions.draft(service_id) is None:
        text = versions.last_text(service_id)
        if text is None:
            abort(404)
        versions.save_draft(service_id, text, user, {})
        work.audit(user, "service_draft_started", service=service_id, source="current")
        db.session.commit()
    return redirect(url_for("studio.edit", service_id=service_id), 303)


def _draft_or_404(service_id: str) -> ServiceDraft:
    row = versions.draft(service_id)
    if row is None:
        abort(404)
    return row


def _edit_page(service_id: str, *, sample_results: list[dict[str, Any]] | None = None,
               tried: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    row = _draft_or_404(service_id)
    checked = versions.lint(row.yaml_text, service_id)
    page = editor.view(service_id, row.yaml_text, versions.hints(row), checked.mistakes, checked.warnings,
                       checked.codes)
    return render_template("studio/edit.html", page=page, checked=checked, sample_results=sample_results,
                           tried=tried, service=checked.service), status


@bp.get("/<service_id>/edit")
def edit(service_id: str) -> tuple[str, int]:
    return _edit_page(service_id)


@bp.post("/<service_id>/edit")
def save(service_id: str) -> WerkzeugResponse:
    user = _user()
    row = _draft_or_404(service_id)
    answers = {key: request.form.get(key, "") for key in request.form}
    lists = {key: request.form.getlist(key) for key in request.form if key.endswith("-accept")}
    versions.save_draft(service_id, editor.apply(row.yaml_text, answers, lists), user)
    work.audit(user, "service_draft_saved", service=service_id)
    db.session.commit()
    checked = versions.lint(row.yaml_text, service_id)
    if checked.ok:
        flash(_("Draft saved. It has no mistakes."))
    else:
        flash(_("Draft saved. Fix the mistakes marked below before you publish."))
    return redirect(url_for("studio.edit", service_id=service_id), 303)


@bp.post("/<service_id>/samples")
def run_samples(service_id: str) -> tuple[str, int]:
    """Check the draft's sample packets, as ``intake test-service`` does."""
    row = _draft_or_404(service_id)
    try:
        service = versions.load(row.yaml_text, service_id)
    except ServiceError:
        return _edit_page(service_id, sample_results=[], status=400)
    results: list[dict[str, Any]] = []
    corpus = sample_runner.corpus_root(service)
    for index, sample in enumerate(service.samples):
        try:
            result = sample_runner.run_one(service, sample, corpus)
        except sample_runner.SampleFileMissing:
            results.append({"name": sample.name, "outcome": "skipped",
                            "detail": _("A file this sample needs is not on this server.")})
            continue
        except sample_runner.SampleMistake as exc:
            results.append({"name": sample.name, "outcome": "mistake",
                            "detail": sample_runner.locate(service, index, exc).split(": ", 1)[-1]})
            continue
        results.append({"name": sample.name, "outcome": "passed" if result.passed else "failed",
                        "detail": "" if result.passed else result.explain().split(": ", 1)[-1]})
    return _edit_page(service_id, sample_results=results)


@bp.post("/<service_id>/try")
def try_files(service_id: str) -> tuple[str, int]:
    """The draft's report for files dropped on the page; nothing is stored."""
    from web.citizen import packets

    row = _draft_or_404(service_id)
    try:
        service = versions.load(row.yaml_text, service_id)
    except ServiceError:
        return _edit_page(service_id, tried={"error": _("Fix the draft's mistakes first, then try a file.")},
                          status=400)
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        return _edit_page(service_id, tried={"error": _("Choose one or more files to try.")}, status=400)
    limit = int(current_app.config["MAX_FILE_BYTES"])
    files: list[tuple[str | None, intake.Upload]] = []
    for stored in uploads[: int(current_app.config["MAX_FILES"])]:
        data = stored.read(limit + 1)
        if len(data) > limit:
            return _edit_page(service_id, tried={"error": _("%(name)s is bigger than %(mb)s MB.",
                                                            name=stored.filename,
                                                            mb=current_app.config["MAX_FILE_MB"])}, status=400)
        files.append((None, intake.Upload(packets.display_name(stored.filename or "file"), data)))
    # What OCR reads off these files waits in the request and goes with it: nothing is kept.
    readings = storage.PendingReadings(storage.from_config(current_app.config["STORAGE"]))
    report = jobs.run_check(service, files, readings=readings)
    return _edit_page(service_id, tried={"report": report.to_dict(_lang())})


def _lang() -> str:
    from flask import g

    return str(getattr(g, "lang", None) or "en")


@bp.route("/<service_id>/publish", methods=["GET", "POST"])
def publish(service_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    user = _user()
    row = _draft_or_404(service_id)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        version = (request.form.get("version") or "").strip()[:40]
        if not version:
            errors.append(("version", _("Give this version a name, like %(suggested)s.",
                                        suggested=versions.suggest_version(service_id))))
        else:
            row.yaml_text = versions.set_version(row.yaml_text, version)
            db.session.flush()
            try:
                published = versions.publish(service_id, user, request.form.get("note") or "")
            except versions.Refused as refused:
                db.session.rollback()
                errors.append(("version", str(refused)))
            else:
                flash(_("Version %(version)s is published. Every office offers it within a few seconds.",
                        version=published.version))
                return redirect(url_for("studio.version", service_id=service_id, number=published.number), 303)
        row = _draft_or_404(service_id)
    checked = versions.lint(row.yaml_text, service_id)
    current = checked.service.version if checked.service else ""
    suggested = current if current and current not in versions.taken_versions(service_id) else \
        versions.suggest_version(service_id)
    before = versions.last_text(service_id)
    diff = versions.diff(before, versions.set_version(row.yaml_text, suggested), service_id)
    return render_template("studio/publish.html", service_id=service_id, checked=checked, diff=diff,
                           suggested=request.form.get("version") or suggested, errors=errors,
                           note=request.form.get("note") or "", new_service=before is None), (400 if errors else 200)


def _version_or_404(service_id: str, number: int) -> ServiceVersion:
    if number > 2**31:
        abort(404)
    found = db.session.query(ServiceVersion).filter_by(service_id=service_id, number=number).one_or_none()
    if found is None:
        abort(404)
    return found


def _offered_if_newest(service_id: str, row: ServiceVersion) -> Service | None:
    """The service offered now when ``row`` is its newest version (else None: only the newest
    one offers to compare and re-check the submissions still on an earlier version)."""
    newest = versions.newest(service_id)
    offered = jobs.services().get(service_id)
    if newest is None or newest.id != row.id or offered is None or offered.version != row.version:
        return None
    return offered


def _version_page(service_id: str, row: ServiceVersion, offered: Service | None,
                  found: rechecks.Preview | None = None) -> str:
    return render_template("studio/version.html", row=row, service_id=service_id, history=versions.history(service_id),
                           is_newest=offered is not None, waiting=rechecks.waiting(offered) if offered else 0,
                           preview=found, most=rechecks.MOST, display=references.display)


@bp.get("/<service_id>/versions/<int:number>")
def version(service_id: str, number: int) -> str:
    """The version, its diff, and how many submissions wait on an earlier one: counted, never
    checked (opening a page runs no check; comparing verdicts is a button, :func:`compare`)."""
    row = _version_or_404(service_id, number)
    return _version_page(service_id, row, _offered_if_newest(service_id, row))


@bp.post("/<service_id>/versions/<int:number>/compare")
def compare(service_id: str, number: int) -> str | WerkzeugResponse:
    """Which verdicts this version would change: the first ``MOST`` waiting submissions checked
    again on it, in one borrowed sandbox worker, with nothing written."""
    row = _version_or_404(service_id, number)
    offered = _offered_if_newest(service_id, row)
    if offered is None:
        flash(_("A newer version is offered now. Compare the verdicts from that version's page."))
        return redirect(url_for("studio.version", service_id=service_id, number=number), 303)
    return _version_page(service_id, row, offered, rechecks.preview(offered))


@bp.post("/<service_id>/versions/<int:number>/recheck")
def recheck(service_id: str, number: int) -> WerkzeugResponse:
    user = _user()
    row = _version_or_404(service_id, number)
    offered = jobs.services().get(service_id)
    if offered is None or offered.version != row.version:
        flash(_("A newer version is offered now. Re-check the submissions from that version's page."))
        return redirect(url_for("studio.version", service_id=service_id, number=number), 303)
    chosen = set(request.form.getlist("submission"))
    waiting = [s for s in rechecks.in_flight(offered) if not chosen or s.reference in chosen]
    done = rechecks.recheck(offered, waiting, user)
    flash(ngettext("%(num)s submission was checked again on version %(version)s.",
                   "%(num)s submissions were checked again on version %(version)s.", done, version=row.version))
    return redirect(url_for("studio.version", service_id=service_id, number=number), 303)
