"""What the office decided about a submission, in the citizen's words: the result page, the
bring page, the API and the messages all show the same decision.

A check's report says whether the papers look complete; a clerk's decision (more documents,
ready, rejected) overrides it for the citizen. A packet the checker found complete but a
clerk rejected must never read "Ready for your visit", and a service sent by mail never
speaks of a visit at all.

Requests for documents are open until a check made after the request finds every item asked
for provided and fine (or waived); they are then fulfilled, with the check that did it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from intake.services import Service
from web.models import DocumentRequest, StaffUser, Submission, Waiver, WorkItem, db, utcnow

# The statuses a citizen is told about; "new" means no one has looked yet.
TOLD = ("in_review", "needs_documents", "ready", "rejected")
# A citizen's upload after these sends the submission back to a clerk.
REOPENED_BY_UPLOAD = ("needs_documents", "rejected")


def _titles(service: Service) -> dict[str, Any]:
    return {f.id: f.title for f in service.forms} | {d.id: d.title for d in service.documents}


def _day(when: dt.datetime | None) -> str:
    return str(format_date(when, "long")) if when else ""


def requests(submission: Submission, service: Service, lang: str) -> list[dict[str, Any]]:
    """What the office asked this citizen for, newest first: items, note, who asked, when, and
    whether it is done."""
    titles = _titles(service)
    rows = (db.session.query(DocumentRequest).filter_by(submission_id=submission.id)
            .order_by(DocumentRequest.id.desc()).all())
    names = {u.id: u.name for u in db.session.query(StaffUser).filter(
        StaffUser.id.in_({r.created_by for r in rows}))} if rows else {}
    with force_locale(lang):
        return [{"id": r.id, "items": [{"id": i, "title": titles[i].get(lang)} for i in r.item_ids if i in titles],
                 "note": r.note or canned(service, "needs_documents", r.reason_id, lang),
                 "asked_by": names.get(r.created_by, ""), "created_at": r.created_at,
                 "asked_on": _day(r.created_at), "open": r.fulfilled_at is None, "fulfilled_at": r.fulfilled_at,
                 "fulfilled_on": _day(r.fulfilled_at)} for r in rows]


def canned(service: Service, decision: str, reason_id: str | None, lang: str) -> str | None:
    """A canned reason's words in the citizen's language: the clerk picked it by id, so each
    citizen reads it in their own language, whatever the clerk's was."""
    found = next((r for r in service.reasons.get(decision, ()) if r.id == reason_id), None) if reason_id else None
    return found.text.get(lang) if found is not None else None


def _reason(item: WorkItem, service: Service, lang: str) -> str | None:
    """The reason the citizen reads: the canned one picked, then what the clerk wrote, if both."""
    parts = [p for p in (canned(service, item.status, item.reason_id, lang), item.reason) if p]
    return " ".join(parts) or None


def _offices(service: Service, lang: str) -> list[dict[str, Any]]:
    """The offices as the service file writes them (the API gives hours as written; pages show
    them through web.visits)."""
    return [{"name": o.name, "address": o.address, "hours": o.hours.get(lang) if o.hours else None,
             "appointments": o.appointments} for o in service.visit.offices]


def decision(submission: Submission, service: Service, lang: str) -> dict[str, Any] | None:
    """The office's latest decision in plain words, or None while no one has looked."""
    item = db.session.get(WorkItem, submission.id)
    if item is None or item.status not in TOLD:
        return None
    with force_locale(lang):
        day = _day(item.changed_at)
        found: dict[str, Any] = {"status": item.status, "changed_at": item.changed_at, "changed_on": day,
                                 "reason": _reason(item, service, lang), "offices": [], "next_step": ""}
        if item.status == "in_review":
            found["title"] = _("The office is looking at your papers")
            found["message"] = _("Someone at the office started to review your papers on %(day)s. You do not "
                                 "need to do anything now.", day=day)
        elif item.status == "needs_documents":
            found["title"] = _("The office asked you for more documents")
            found["message"] = _("Upload what they asked for on this page. The office looks again when it "
                                 "arrives.")
        elif item.status == "ready" and service.visit.by_mail:
            found["title"] = _("The office says your papers are ready to send")
            found["message"] = _("Someone at the office checked your papers on %(day)s. Send what is listed "
                                 "to the office.", day=day)
            found["offices"] = _offices(service, lang)
        elif item.status == "ready":
            found["title"] = _("The office says you are ready for your visit")
            found["message"] = _("Someone at the office checked your papers on %(day)s. Bring what is listed "
                                 "to your visit.", day=day)
            found["offices"] = _offices(service, lang)
            if any(o.appointments for o in service.visit.offices):
                found["next_step"] = _("Make an appointment before you go.")
        else:
            found["title"] = _("The office could not accept your application")
            found["message"] = _("Someone at the office looked at your papers on %(day)s and could not accept "
                                 "them.", day=day)
            found["next_step"] = _("You can fix what the reason says and upload new files on this page: the "
                                   "office will look at your application again. If something is not clear, "
                                   "ask the office.")
    return found


def _satisfied(report: dict[str, Any], item_id: str) -> bool:
    """Whether a report (waivers applied) shows this checklist item given and fine."""
    if any(m["id"] == item_id for m in report["missing"]):
        return False
    forms = [f for f in report["forms"] if f["form"] == item_id]
    documents = [d for d in report["documents"] if d["id"] == item_id]
    if not forms and not documents:
        return False
    blocking = [p for f in forms for p in f["problems"] if p["severity"] == "blocks"]
    return not blocking and all(d["status"] == "provided" for d in documents)


def fulfil(submission: Submission, report: dict[str, Any], check_id: int | None) -> list[DocumentRequest]:
    """Mark fulfilled every open request whose items this check finds given and fine, once the
    citizen sent something after the request; call it in the transaction that stores the
    check. Returns the requests it marked."""
    from web import waivers

    rows = db.session.query(DocumentRequest).filter_by(submission_id=submission.id, fulfilled_at=None).all()
    if not rows:
        return []
    shown, _status = waivers.apply(report, db.session.query(Waiver).filter_by(submission_id=submission.id))
    now, done = utcnow(), []
    for row in rows:
        sent_since = any(f.created_at >= row.created_at for f in submission.current_files)
        if sent_since and all(_satisfied(shown, i) for i in row.item_ids):
            row.fulfilled_at, row.fulfilled_check_id = now, check_id
            done.append(row)
    return done


def reopen_on_upload(submission: Submission) -> None:
    """New files from the citizen after a request or a rejection send the submission back to
    review, so a clerk sees it again."""
    item = db.session.get(WorkItem, submission.id)
    if item is not None and item.status in REOPENED_BY_UPLOAD:
        item.status, item.changed_at = "in_review", utcnow()
