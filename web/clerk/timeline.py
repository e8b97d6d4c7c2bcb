"""One case timeline for the clerk's detail page: uploads, checks, requests (and when they
were fulfilled), notes, waivers, status changes and messages, with who and when, oldest
first. Files that arrived after the latest document request are marked, so the clerk sees
at once what is new since they asked."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from flask_babel import gettext as _

from web.clerk.labels import label
from web.models import (
    AuditEntry,
    DocumentRequest,
    Note,
    Notification,
    StaffUser,
    Submission,
    Waiver,
    db,
)

STATUS_ACTIONS = ("status", "api_status")


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # upload, check, request, fulfilled, note, waiver, status, message, contact
    who: str
    text: str
    new_since_request: bool = False


def _names() -> dict[int, str]:
    return {u.id: u.name for u in db.session.query(StaffUser)}


def entries(submission: Submission, titles: dict[str, str], *, by_mail: bool = False) -> list[Entry]:
    """Everything that happened to the submission, oldest first; ``by_mail`` words its statuses
    for a service sent by mail."""
    names = _names()
    asked = db.session.query(DocumentRequest).filter_by(submission_id=submission.id).all()
    last_asked = max((r.created_at for r in asked), default=None)
    found: list[Entry] = []
    for stored in submission.files:
        text = _("File added: %(name)s (%(item)s)", name=stored.name,
                 item=titles.get(stored.item or "", stored.item) or _("sorted by the checker"))
        if stored.removed_at:
            text += " – " + _("replaced later")
        found.append(Entry(stored.created_at, "upload", _("Citizen"), text,
                           new_since_request=last_asked is not None and stored.created_at >= last_asked))
    for check in submission.checks:
        state = label(check.status) if check.state == "done" else label(check.state)
        found.append(Entry(check.finished_at or check.created_at, "check", _("Checker"),
                           _("Check: %(state)s", state=state) + (f" – {check.error}" if check.error else "")))
    for row in asked:
        items = ", ".join(titles.get(i, i) for i in row.item_ids)
        found.append(Entry(row.created_at, "request", names.get(row.created_by, ""),
                           _("Asked for: %(items)s", items=items) + (f" – “{row.note}”" if row.note else "")))
        if row.fulfilled_at:
            found.append(Entry(row.fulfilled_at, "fulfilled", _("Checker"),
                               _("Request fulfilled: %(items)s", items=items)))
    for note in db.session.query(Note).filter_by(submission_id=submission.id):
        found.append(Entry(note.created_at, "note", names.get(note.user_id or 0, ""), note.text))
    for waiver in db.session.query(Waiver).filter_by(submission_id=submission.id):
        found.append(Entry(waiver.created_at, "waiver", names.get(waiver.created_by or 0, ""),
                           _("Waived: %(target)s – %(reason)s", target=waiver.target, reason=waiver.reason)))
    for entry in (db.session.query(AuditEntry).filter(AuditEntry.submission_id == submission.id,
                                                      AuditEntry.action.in_((*STATUS_ACTIONS, "citizen_contact")))):
        detail = json.loads(entry.detail) if entry.detail else {}
        if entry.action == "citizen_contact":
            found.append(Entry(entry.at, "contact", _("Citizen"), _("Contact details changed")))
            continue
        who = names.get(entry.user_id or 0, "") or (_("API token") if entry.token_id else "")
        text = _("Status: %(status)s", status=label(detail.get("to", ""), by_mail))
        if detail.get("reason"):
            text += f" – “{detail['reason']}”"
        found.append(Entry(entry.at, "status", who, text))
    for message in db.session.query(Notification).filter_by(submission_id=submission.id):
        texted = message.channel == "sms"
        if message.state == "sent":
            text = (_("Text message sent: %(subject)s", subject=message.subject or message.kind) if texted
                    else _("Email sent: %(subject)s", subject=message.subject or message.kind))
        elif message.state == "failed":
            text = (_("Text message not sent: %(why)s", why=message.error or "") if texted
                    else _("Email not sent: %(why)s", why=message.error or ""))
        else:
            text = (_("Text message waiting to be sent (tries: %(n)s)", n=message.attempts) if texted
                    else _("Email waiting to be sent (tries: %(n)s)", n=message.attempts))
        found.append(Entry(message.sent_at or message.created_at, "message", _("Office"), text))
    return sorted(found, key=lambda e: e.at)
