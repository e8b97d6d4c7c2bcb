"""Plain-language words for every problem code, in English and Spanish (gettext).

The English text is the gettext message id; translations live in
``intake/locale/<lang>/LC_MESSAGES/intake.po`` (compiled to ``.mo`` next to it). Each
message says what happened, why it matters and what to do next, in plain words at about a
grade-8 reading level, without blaming the person. No HTML inside the strings.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es")
DOMAIN = "intake"
_LOCALE_DIR = Path(__file__).with_name("locale")

# code -> English text (the gettext msgid). Placeholders are filled from the problem.
TEXTS: Mapping[str, str] = {
    "field.ambiguous": (
        "This form has two boxes with the same name ({field}), so we cannot tell which answer "
        "is the right one. Check both boxes show the same answer, or bring the form to the office."
    ),
    "field.encoding": (
        "We could not read the letters in one box ({field}). Type the answer again in that box "
        "and save the form, or bring the form to the office."
    ),
    "field.xfa_unreadable": (
        "Part of this form could not be read. Open it in Adobe Acrobat Reader, save it again and "
        "upload it, or bring a printed copy to the office."
    ),
    "file.damaged": (
        "This file is damaged and we could not open it. Download the form again, fill it in and "
        "upload the new copy, or bring a printed copy to the office."
    ),
    "file.empty": (
        "This file is empty. It may not have finished saving. Save it again and upload the new copy."
    ),
    "file.encrypted": (
        "This file is locked with a password, so we cannot read it. Save a copy without the password "
        "(print it to a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.no_fields": (
        "This PDF has no boxes to fill in, so we can only read its printed text. If it is a form, "
        "download the fillable version and fill it in, or bring a printed copy to the office."
    ),
    "file.not_pdf": (
        "This file is not a PDF, so we cannot read it. Upload the form as a PDF file, or bring a "
        "printed copy to the office."
    ),
    "file.repaired": (
        "This file was slightly damaged. We repaired it and read it, but some answers may be missing. "
        "Check the result, and if something looks wrong, save the form again and upload it."
    ),
    "file.scanned": (
        "This file is a scan or a photo, so we cannot read the answers in it. That is fine for a "
        "supporting document. For a form, fill in the fillable PDF instead, or bring the paper form "
        "to the office."
    ),
    "file.too_complex": (
        "This file is too complex for us to check safely. Save it again as a simple PDF (print it to "
        "a new PDF) and upload that copy, or bring a printed copy to the office."
    ),
    "file.too_large": (
        "This file is too big to upload ({size_mb} MB; the limit is {limit_mb} MB). Upload a smaller "
        "copy, for example a scan at a lower resolution, or bring it to the office."
    ),
    "file.too_many_pages": (
        "This file has too many pages ({pages}; the limit is {limit}). Upload only the pages we ask "
        "for, or bring the full document to the office."
    ),
    "file.unsafe": (
        "This file contains active content, such as scripts or links to other programs. We did not "
        "run it, and a clerk will look at it. You do not need to do anything."
    ),
    "file.wrong_type": (
        "This file is a {kind} picture, but we need a PDF here. Upload the form as a PDF file, or bring "
        "a printed copy to the office."
    ),
    "file.xfa_only": (
        "This form only works in Adobe Acrobat Reader. Open it there to fill it in and save it, then "
        "upload it again, or bring a printed copy to the office."
    ),
}


class _Blank(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of crashing on a missing parameter."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=_LOCALE_DIR, languages=[lang], fallback=True)


def text(code: str, lang: str = "en") -> str:
    """The template for ``code`` in ``lang``; English when the language is unknown."""
    try:
        msgid = TEXTS[code]
    except KeyError:
        raise KeyError(f"no message for problem code {code!r}") from None
    if lang == "en":
        return msgid
    return _translations(lang).gettext(msgid)


def render(code: str, lang: str = "en", **params: Any) -> str:
    """The message for ``code`` with its placeholders filled in."""
    return string.Formatter().vformat(text(code, lang), (), _Blank(_display(params)))


def _display(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in params.items()}


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses, so tests can compare English and Spanish."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
