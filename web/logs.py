"""Masking sensitive values in every log line the web process writes, tracebacks included.

Reports are masked by the library; logs are the other way values escape: an exception
message quoting a field, an access log line with a private resume link. So every log
record made in this process is masked as it is created (a record factory, which sees
records of every logger, whoever installed the handlers: Flask, gunicorn or a test):

- Social Security numbers and EINs in any common spelling (dashes, spaces, full-width digits),
- dates (a date of birth looks like any other date, so every date is masked but its year),
- the secret in a resume link (``/r/<reference>/k/<secret>``),
- any value written next to the name of a field a service file marks ``sensitive``
  (``Mother's maiden name: ...``, ``'SSN': '...'``).

This module never logs anything itself.
"""

from __future__ import annotations

import logging
import re
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from intake.services import Service

MASK = "***"
_DIGIT = r"\d"
_SEP = r"[ \t.\-\u2010-\u2015]?"
_SSN = re.compile(rf"(?<![\d\w]){_DIGIT}{{3}}{_SEP}{_DIGIT}{{2}}{_SEP}{_DIGIT}{{4}}(?![\d\w])")
_EIN = re.compile(rf"(?<![\d\w]){_DIGIT}{{2}}{_SEP}{_DIGIT}{{7}}(?![\d\w])")
_DATE_MDY = re.compile(r"(?<!\d)(\d{1,2})([/.\-])(\d{1,2})\2((?:19|20)\d{2})(?!\d)")
_DATE_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})([/.\-])(\d{1,2})\2(\d{1,2})(?![\d:])")
_RESUME_SECRET = re.compile(r"(/r/[^/\s]+/k/)[^\s/?#\"']+")

_names: set[str] = set()
_keyed: re.Pattern[str] | None = None


def mask(text: str) -> str:
    """``text`` with every sensitive value replaced; other words and numbers are left alone."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _RESUME_SECRET.sub(rf"\1{MASK}", folded)
    if _keyed is not None:
        folded = _keyed.sub(lambda m: m.group("key") + m.group("sep") + MASK, folded)
    folded = _SSN.sub(MASK, folded)
    folded = _EIN.sub(MASK, folded)
    folded = _DATE_MDY.sub(lambda m: f"**{m.group(2)}**{m.group(2)}{m.group(4)}", folded)
    folded = _DATE_YMD.sub(lambda m: f"{m.group(1)}{m.group(2)}**{m.group(2)}**", folded)
    return folded


def sensitive_names(services: Iterable[Service]) -> set[str]:
    """The PDF field names, ids and labels of every field marked sensitive in these services."""
    names: set[str] = set()
    for service in services:
        for form in service.forms:
            for spec in form.fields.values():
                if spec.sensitive:
                    names.update(spec.sources)
                    names.add(spec.id)
                    if spec.label is not None:
                        names.update({spec.label.en, spec.label.es} - {""})
    return {n for n in names if len(n) >= 3}


def watch_names(names: Iterable[str]) -> None:
    """Mask any value written right after one of ``names`` and ``:`` or ``=`` (quoted or not)."""
    global _keyed
    _names.update(unicodedata.normalize("NFKC", n) for n in names)
    if not _names:
        return
    alternatives = sorted((re.escape(n) for n in _names), key=len, reverse=True)
    _keyed = re.compile(r"(?P<key>" + "|".join(alternatives) + r")(?P<sep>['\"]?\s*[:=]\s*['\"]?)"
                        r"(?P<value>[^'\",;\n]{1,80})", re.IGNORECASE)


def _masked_record(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = mask(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return record

    make.intake_masking = True  # type: ignore[attr-defined]
    return make


def install(services: Iterable[Service] = ()) -> None:
    """Mask every record made in this process from now on (safe to call again, for each app)."""
    watch_names(sensitive_names(services))
    current = logging.getLogRecordFactory()
    if not getattr(current, "intake_masking", False):
        logging.setLogRecordFactory(_masked_record(current))


def init_app(app: Flask) -> None:
    install(app.extensions["intake.services"].values())
