"""The citizen's optional contact details: an email address (and, where the office sends text
messages, a mobile number) for the office's news, with their agreement; whether those
messages may carry their private link; and their visit day for a reminder. Validated with
marshmallow like every other form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import fields, validate

from web.models import Submission, utcnow


class _ContactForm(ma.Schema):
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    consent = fields.Boolean(load_default=False)
    link = fields.Boolean(load_default=False)
    visit_date = fields.Date(load_default=None)


@dataclass(frozen=True)
class Contact:
    email: str | None
    link: bool
    visit_date: dt.date | None
    phone: str | None = None


def _phone(typed: str) -> str | None:
    """A mobile number as Notify takes it (+ and digits), or None when it is not one: ten
    digits are a U.S. number."""
    digits = re.sub(r"[\s().-]", "", typed)
    if re.fullmatch(r"\d{10}", digits):
        return "+1" + digits
    if re.fullmatch(r"1\d{10}", digits):
        return "+" + digits
    if re.fullmatch(r"\+\d{8,15}", digits):
        return digits
    return None


def _blank_is_none(form: Any, name: str) -> Any:
    value = (form.get(name) or "").strip()
    return value or None


def parse(form: Any, *, today: dt.date | None = None) -> tuple[Contact | None, list[tuple[str, str]]]:
    """The contact details in a form, or the problems with them as (field id, message); None
    when the form holds none at all."""
    typed_phone = _blank_is_none(form, "phone")
    raw = {"email": _blank_is_none(form, "email"), "visit_date": _blank_is_none(form, "visit_date"),
           "consent": form.get("consent") in ("1", "on", "yes", "true"),
           "link": form.get("link") in ("1", "on", "yes", "true")}
    if raw["email"] is None and raw["visit_date"] is None and typed_phone is None:
        return None, []
    phone = _phone(typed_phone) if typed_phone else None
    if typed_phone and phone is None:
        return None, [("phone", _("Check the mobile number: write it with its area code, like 217 555 0123."))]
    try:
        loaded = _ContactForm().load({k: v for k, v in raw.items() if v is not None})
    except ma.ValidationError as error:
        found = []
        if "email" in error.messages:
            found.append(("email", _("Check the email address: it should look like name@example.com.")))
        if "visit_date" in error.messages:
            found.append(("visit_date", _("Check the date of your visit: use the date picker or write it as "
                                          "YYYY-MM-DD.")))
        return None, found
    problems = []
    if (loaded["email"] or phone) and not loaded["consent"]:
        problems.append(("consent", _("Tick the box to agree that the office emails you, or leave the email "
                                      "address empty.")))
    if loaded["visit_date"] and loaded["visit_date"] < (today or dt.date.today()):
        problems.append(("visit_date", _("The date of your visit has passed. Choose today or a later day.")))
    if problems:
        return None, problems
    return Contact(email=loaded["email"].strip().lower() if loaded["email"] else None, link=loaded["link"],
                   visit_date=loaded["visit_date"], phone=phone), []


def apply(submission: Submission, contact: Contact | None, lang: str) -> None:
    """Keep the details (in the caller's transaction); a new visit day gets its own reminder."""
    if contact is None:
        return
    if contact.email or contact.phone:
        if (contact.email != submission.email or contact.phone != submission.phone
                or submission.email_consent_at is None):
            submission.email_consent_at = utcnow()
        submission.email, submission.phone, submission.email_link = contact.email, contact.phone, contact.link
    if contact.visit_date and contact.visit_date != submission.visit_date:
        submission.visit_date, submission.reminded_at = contact.visit_date, None
    submission.lang = lang


def forget(submission: Submission) -> None:
    """The citizen asked for no more messages: the address and the agreement go."""
    submission.email, submission.phone, submission.email_consent_at, submission.email_link = None, None, None, False
