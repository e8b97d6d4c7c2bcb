"""Messages to citizens who left an email address: a document request, a decision, a reminder
before the visit day they gave.

A message is a row (``Notification``) written in the same transaction as the clerk's action
that causes it, so an action never happens without its message or the other way round. It
is then delivered by a check worker when a broker is configured, or right after the commit
in the same process; ``flask --app web reminders send`` (or Celery beat) sends reminders
and every message whose earlier try failed for a reason that may pass. A refusal (a 5xx
answer, a bad address) is never retried, so no server is hammered about a bounced address.

Each message is written in the citizen's language with a plain-text and an HTML part, and
carries their private link only when they asked for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update

from web import decisions, references, visits
from web.models import Notification, Submission, WorkItem, db, utcnow

_log = logging.getLogger(__name__)

KINDS = ("request", "decision", "reminder")
NOTIFY_TASK = "intake.notify"
PERIODIC_TASK = "intake.notify_due"
# A message left "sending" this long (its process died mid-send) is tried again.
SENDING_LEASE = dt.timedelta(minutes=10)
LINK_DAYS = 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="intake-mail-link")


def link_token(submission: Submission) -> str:
    """A signed token for the citizen's private link in messages; it dies with the secret."""
    return _serializer().dumps({"r": submission.reference, "s": submission.secret_hash[:16]})


def link_submission(reference: str, token: str) -> Submission | None:
    """The submission a message link opens, or None when it is forged, old or revoked."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("r") != reference:
        return None
    submission = db.session.query(Submission).filter_by(reference=reference).one_or_none()
    if submission is None or submission.secret_hash[:16] != data.get("s"):
        return None
    return submission


def _agreed(submission: Submission) -> bool:
    return submission.email_consent_at is not None


def queue(submission: Submission, kind: str) -> list[Notification]:
    """The messages about what just happened, in this transaction: an email, and a text where
    the office sends them and the citizen gave a number; none when they left neither. The
    caller commits, then calls :func:`dispatch`."""
    if kind not in KINDS or not _agreed(submission):
        return []
    recipients = [("email", submission.email)]
    if current_app.config.get("SMS_PROVIDER"):
        recipients.append(("sms", submission.phone))
    rows = [Notification(submission_id=submission.id, channel=channel, kind=kind, recipient=to,
                         lang=submission.lang or "en", state="queued", attempts=0, next_try_at=utcnow())
            for channel, to in recipients if to]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def dispatch(rows: Iterable[Notification]) -> None:
    """After the commit: hand the messages to the workers, or send them here and now."""
    ids = [r.id for r in rows]
    if not ids:
        return
    if current_app.config.get("BROKER_URL"):
        celery = current_app.extensions["intake.celery"]
        try:
            for notification_id in ids:
                celery.send_task(NOTIFY_TASK, args=[notification_id], queue=current_app.config["CHECK_QUEUE"])
        except Exception as exc:  # the broker is away: the periodic job sends them later
            _log.warning("messages %s left for the periodic job: the broker failed (%s)", ids, type(exc).__name__)
        return
    for notification_id in ids:
        deliver(notification_id)


def _base_url() -> str | None:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return None


def _address(base: str | None, endpoint: str, **values: Any) -> str | None:
    if base is None:
        return None
    return base + url_for(endpoint, _external=False, **values)


@dataclass(frozen=True)
class Rendered:
    email: Any  # web.mail.Message
    short: str  # the text message: a few lines, no HTML


def render(row: Notification) -> Rendered:
    """The message for a row, in the citizen's language: the email (subject, text and HTML)
    and the short text message."""
    from web import jobs, mail

    submission = db.session.get(Submission, row.submission_id)
    assert submission is not None
    service = jobs.services()[submission.service_id]
    lang = row.lang
    base = _base_url()
    with current_app.test_request_context(base_url=base or "http://localhost/"), force_locale(lang):
        link = (_address(base, "citizen.mail_link", reference=submission.reference, token=link_token(submission))
                if submission.email_link else None)
        context = {
            "kind": row.kind, "service": service, "service_title": service.title.get(lang), "lang": lang,
            "reference": references.display(submission.reference), "link": link,
            "lookup": _address(base, "citizen.lookup"),
            "decision": decisions.decision(submission, service, lang),
            "asked": [r for r in decisions.requests(submission, service, lang) if r["open"]][:1],
            "visit_date": submission.visit_date, "bring": [b.get(lang) for b in service.visit.bring],
            "fees": service.visit.fees.get(lang) if service.visit.fees else None,
            "offices": visits.offices(service, lang), "words": visits.wording(service, lang),
        }
        subject = {
            "request": _("The office asked you for more documents (%(ref)s)", ref=context["reference"]),
            "decision": _("News about your application (%(ref)s)", ref=context["reference"]),
            "reminder": _("Your visit is soon (%(ref)s)", ref=context["reference"]),
        }[row.kind]
        text = render_template("mail/message.txt", subject=subject, **context)
        html = render_template("mail/message.html", subject=subject, **context)
        short = render_template("mail/sms.txt", subject=subject, **context).strip()
    return Rendered(mail.Message(to=row.recipient, subject=subject, text=text, html=html, lang=lang,
                                 reference=submission.reference), short)


def deliver(notification_id: int) -> str:
    """Send one message if it is due and no one else is sending it; returns its state after."""
    from web import mail, sms

    now = utcnow()
    taken = db.session.execute(
        update(Notification).where(Notification.id == notification_id, Notification.state == "queued",
                                   Notification.next_try_at <= now)
        .values(state="sending", attempts=Notification.attempts + 1, next_try_at=now + SENDING_LEASE)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    row = db.session.get(Notification, notification_id)
    if row is None:
        return "gone"
    db.session.refresh(row)
    if taken != 1:
        return row.state
    try:
        message = render(row)
        if row.channel == "sms":
            texts = sms.transport(current_app.config)
            if texts is None:
                raise mail.DeliveryError("sms.off", "text messages are not enabled (INTAKE_SMS_PROVIDER)",
                                         temporary=True)
            row.message_id = texts.send(row.recipient, message.short)
        else:
            transport = mail.transport(current_app.config)
            if transport is None:
                raise mail.DeliveryError("mail.off", "no mail server is configured (INTAKE_SMTP_URL)",
                                         temporary=True)
            row.message_id = transport.send(message.email)
        row.subject, row.state, row.sent_at, row.error = message.email.subject, "sent", utcnow(), None
    except mail.DeliveryError as error:
        delay = mail.retry_delay(row.attempts) if error.temporary else None
        row.error = f"{error.code}: {error}"[:2000]
        if delay is None:
            row.state = "failed"
        else:
            row.state, row.next_try_at = "queued", utcnow() + dt.timedelta(seconds=delay)
        _log.warning("message %s to submission %s not sent (%s)", row.id, row.submission_id, row.error)
    db.session.commit()
    return row.state


def due(now: dt.datetime | None = None) -> list[int]:
    """Messages to send now: queued and due, or left sending by a process that died."""
    now = now or utcnow()
    db.session.execute(update(Notification).where(Notification.state == "sending", Notification.next_try_at <= now)
                       .values(state="queued").execution_options(synchronize_session=False))
    db.session.commit()
    return [i for (i,) in db.session.query(Notification.id).filter(
        Notification.state == "queued", Notification.next_try_at <= now).order_by(Notification.id)]


def queue_reminders(today: dt.date | None = None) -> list[Notification]:
    """A reminder for every citizen whose visit day is within ``REMINDER_DAYS`` and who was not
    reminded yet; not for a rejected application, nor for a service sent by mail (no visit)."""
    from web import jobs

    today = today or dt.date.today()
    until = today + dt.timedelta(days=int(current_app.config["REMINDER_DAYS"]))
    found = (db.session.query(Submission).outerjoin(WorkItem, WorkItem.submission_id == Submission.id)
             .filter(Submission.visit_date.is_not(None), Submission.visit_date >= today,
                     Submission.visit_date <= until, Submission.reminded_at.is_(None),
                     Submission.email_consent_at.is_not(None),
                     (WorkItem.status.is_(None)) | (WorkItem.status != "rejected"))
             .all())
    made: list[Notification] = []
    services = jobs.services()
    for submission in found:
        service = services.get(submission.service_id)
        if service is not None and service.visit.by_mail:
            continue
        made.extend(queue(submission, "reminder"))
        submission.reminded_at = utcnow()
    db.session.commit()
    return made


def send_due(today: dt.date | None = None) -> dict[str, int]:
    """The periodic job: queue the reminders that are due, then send every due message."""
    reminders = queue_reminders(today)
    states = [deliver(i) for i in due()]
    return {"reminders": len(reminders), "sent": states.count("sent"), "failed": states.count("failed"),
            "waiting": states.count("queued")}
