"""What the citizen takes or sends to the office, said once for every page that shows it.

The result page, the printable list, its short text version and the reminder email all read
:func:`bring_list`, so the text version can never drop words the page keeps. Office hours are
written in service files with a 24-hour clock; :func:`hours` shows them as the service's
``locale`` reads them (the API gives them as written). :func:`wording` holds the few phrases
that change when a service is handled by mail (``visit: mode: mail``): such a service never
speaks of a visit.

This module shapes words only: the report and the service come from the library unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_time
from flask_babel import force_locale
from flask_babel import gettext as _

from intake.services import Service

LINE_WIDTH = 60
"""The text version's budget per line, for a phone screen: longer items wrap at whole words."""
NBSP = "\u00a0"

_TIME = r"([01]?\d|2[0-3]):([0-5]\d)"
_TIMES = re.compile(rf"(?<![\d:]){_TIME}(?:\s*[-–]\s*{_TIME})?(?![\d:])")
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mi[eé]|jue|vie|s[aá]b|dom)\.?"
_DAYS = re.compile(rf"\b({_DAY})\s*-\s*({_DAY})(?!\w)", re.IGNORECASE)


def _clock(hour: int, minute: int, locale: str, lang: str) -> str:
    """One time of day: 12-hour for US services ("8:30 a.m.", "8:30 a. m."), else 24-hour."""
    when = dt.time(hour, minute)
    if locale != "US":
        return str(format_time(when, "H:mm", locale=lang))
    if lang == "es":
        shown = str(format_time(when, "h:mm a", locale="es"))
    else:  # CLDR has "AM" for English; US public style is "a.m."
        shown = f"{hour % 12 or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"
    return re.sub(r"[\s\u202f]+", NBSP, shown)


def hours(text: str, locale: str, lang: str) -> str:
    """Opening hours written "Mon-Fri 8:30-16:30" as the locale reads them: for the US,
    "Mon–Fri 8:30 a.m.–4:30 p.m."; elsewhere "Mon–Fri 8:30–16:30". Any other words stay."""
    def span(match: re.Match[str]) -> str:
        shown = _clock(int(match[1]), int(match[2]), locale, lang)
        if match[3]:
            shown += "–" + _clock(int(match[3]), int(match[4]), locale, lang)
        return shown

    shown = _TIMES.sub(span, text)
    return _DAYS.sub(lambda m: f"{m.group(1)}–{m.group(2)}", shown)


@dataclass(frozen=True)
class Office:
    """An office as the citizen reads it: its hours in their language and locale."""

    name: str
    address: str
    hours: str | None
    appointments: str | None


def offices(service: Service, lang: str) -> tuple[Office, ...]:
    return tuple(Office(name=o.name, address=o.address,
                        hours=hours(o.hours.get(lang), service.locale, lang) if o.hours else None,
                        appointments=o.appointments) for o in service.visit.offices)


@dataclass(frozen=True)
class Wording:
    """The phrases that differ between a service one visits and one sent by mail."""

    by_mail: bool
    ready: str
    before: str
    bring: str
    printable: str
    link: str
    where: str
    """The heading over the offices of a service sent by mail; empty for one visited."""


def wording(service: Service, lang: str) -> Wording:
    with force_locale(lang):
        if service.visit.by_mail:
            return Wording(by_mail=True, ready=_("Ready to send"), before=_("What to do before you send it"),
                           bring=_("Send these"), printable=_("Printable list to send"),
                           link=_("The office's website"), where=_("Where to send them"))
        return Wording(by_mail=False, ready=_("Ready for your visit"), before=_("What to do before your visit"),
                       bring=_("Bring to your visit"), printable=_("Printable list to bring"),
                       link=_("Make an appointment"), where="")


@dataclass(frozen=True)
class BringList:
    """Everything the list says, in order: what to bring or send, the fees, what is still
    missing or to fix, then where (the offices, last)."""

    words: Wording
    items: tuple[str, ...]
    fees: str | None
    missing: tuple[str, ...]
    problems: tuple[str, ...]
    offices: tuple[Office, ...]


def _open_problems(report: Mapping[str, Any]) -> Iterator[str]:
    """Each problem that still stops the packet, as "item: what to do", once."""
    seen: set[str] = set()
    entries = [(f.get("title") or f["form"], f) for f in report["forms"]]
    entries += [(d.get("title") or d["id"], d) for d in report["documents"]]
    for title, entry in entries:
        for problem in entry.get("problems", []):
            if problem["severity"] != "blocks":
                continue
            label = f" – {problem['label']}" if problem.get("label") else ""
            line = f"{title}{label}: {problem['message']}"
            if line not in seen:
                seen.add(line)
                yield line


def bring_list(service: Service, report: Mapping[str, Any], lang: str) -> BringList:
    """The list for this report (waivers applied) in ``lang``."""
    fees = service.visit.fees.get(lang) if service.visit.fees else None
    return BringList(words=wording(service, lang), items=tuple(report["bring_in_person"]), fees=fees,
                     missing=tuple(m["title"] for m in report["missing"] if m["kind"] != "field"),
                     problems=tuple(_open_problems(report)), offices=offices(service, lang))


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Whole words only: a word longer than the line (an address on the web) gets a line of its own."""
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def text_lines(found: BringList, heading: str, lang: str, *, width: int = LINE_WIDTH) -> list[str]:
    """The short text version: the same list as the page, each item whole with its qualifiers,
    wrapped to ``width`` at whole words, with the offices and their hours last."""
    with force_locale(lang):
        lines = _wrap(heading, width)
        if found.items:
            lines.append(found.words.bring + ":")
            for item in found.items:
                lines += _wrap(item, width, "- ", "  ")
        if found.fees:
            lines += _wrap(found.fees, width)
        if found.missing:
            lines.append(_("Still needed:"))
            for item in found.missing:
                lines += _wrap(item, width, "- ", "  ")
        if found.problems:
            lines.append(_("Still to fix:"))
            for item in found.problems:
                lines += _wrap(item, width, "- ", "  ")
        if found.offices and found.words.by_mail:
            lines.append(found.words.where + ":")
        for office in found.offices:
            lines += _wrap(office.name, width)
            if office.address:
                lines += _wrap(office.address, width)
            if office.hours:
                lines += _wrap(office.hours, width)
            if office.appointments:  # the address on a line of its own, whole, to tap or type
                lines += [found.words.link + ":", office.appointments]
    return lines
