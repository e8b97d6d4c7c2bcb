"""Supervisor pages: the searchable audit trail (with its CSV export) and each service's
statistics. Clerks are refused (403): these pages read across every submission of a service."""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request
from flask_babel import format_timedelta
from flask_login import current_user, login_required

from web import csvfiles, jobs, references
from web.clerk import auditlog, bp, stats, work
from web.models import StaffUser, db

PAGE_SIZE = 50


def _reader() -> StaffUser:
    user: StaffUser = current_user._get_current_object()
    if user.role not in auditlog.READERS:
        abort(403)
    return user


@bp.get("/audit")
@login_required
def audit() -> str:
    user = _reader()
    filters = auditlog.AuditFilters.from_args(request.args)
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    query = auditlog.select_entries(user, filters)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    people = auditlog.readable_users(user)
    return render_template("clerk/audit.html", rows=rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE, page=page,
                           filters=filters, args=filters.as_args(), people=people, actions=auditlog.actions(),
                           display=references.display, tokens=auditlog.actor_names())


@bp.get("/audit.csv")
@login_required
def audit_export() -> Any:
    """The matching entries as CSV; the export itself is audited, with its filters."""
    user = _reader()
    filters = auditlog.AuditFilters.from_args(request.args)
    tokens = auditlog.actor_names()
    rows = [[entry.at.isoformat(timespec="seconds"), email or tokens.get(entry.token_id or 0, ""), entry.action,
             references.display(reference) if reference else "", entry.detail or ""]
            for entry, reference, email in db.session.execute(auditlog.select_entries(user, filters))]
    work.audit(user, "audit_export", filters=filters.as_args())
    db.session.commit()
    return csvfiles.attachment("audit.csv", ["at", "user", "action", "reference", "detail"], rows)


@bp.get("/stats")
@login_required
def statistics() -> str:
    user = _reader()
    catalogue = jobs.services()
    visible = [sid for sid in sorted(work.visible_services(user)) if sid in catalogue]
    chosen = request.args.get("service") or (visible[0] if visible else "")
    if chosen not in visible:
        abort(404)
    service = catalogue[chosen]
    found = stats.for_service(service, g.lang)
    median = format_timedelta(found.median_to_ready, threshold=1.0) if found.median_to_ready else None
    return render_template("clerk/stats.html", service=service, services=visible, catalogue=catalogue,
                           stats=found, median=median)
