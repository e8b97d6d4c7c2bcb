"""The service schema's messages about the keys the studio edits in a form of its own (how
people hand their papers in, the offices, other editions), said in plain words in the admin's
language, beside the input they are about.

The schema (``intake``) writes for authors of YAML, in English, naming keys. An admin using the
studio never sees a key, so a message this module knows is said again for the input; one it
does not know is shown as the schema wrote it, so no mistake is ever hidden.

A message is known by what does not change when the schema's English is reworded: a lint
warning by its stable ``code``; a mistake of the schema by the key path it is about, and, for
words in two languages, by which language the input is missing (read from the draft, not from
the message). So rewording a message never silently loses its plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _


def _by_code(code: str) -> str | None:
    if code == "lint.untranslated":
        return _("Write this in Spanish too: now it is missing or the same as the English.")
    if code == "lint.visit_words":
        return _("This service is sent by mail, but these words speak of a visit. Say what to send instead.")
    return None


def _pair(row: Any, key: str) -> tuple[str, str]:
    """The English and Spanish a row's inputs hold for ``key`` (``hours_en``/``hours_es``; a
    line to bring holds only ``en``/``es``)."""
    en, es = (f"{key}_en", f"{key}_es") if hasattr(row, f"{key}_en") else ("en", "es")
    return str(getattr(row, en, "") or "").strip(), str(getattr(row, es, "") or "").strip()


def _missing(row: Any, key: str) -> str | None:
    """Plain words for text that must be in English and Spanish, from which of the two is
    empty; None when both are written (the schema's own message then says what is wrong)."""
    en, es = _pair(row, key)
    if not en and not es:
        return _("Write this in English and in Spanish.")
    if not en:
        return _("Write this in English too.")
    if not es:
        return _("Write this in Spanish too.")
    return None


def _office(key: str, row: Any) -> str | None:
    if key == "name":
        return _("Write the office's name, as people see it on the sign.")
    if key == "appointments":
        return _("Write the office's full web address, starting with https://.")
    if key == "hours":
        return _missing(row, key)
    return None


def _edition(key: str, row: Any) -> str | None:
    if key == "":
        recognised = any(str(getattr(row, part, "") or "").strip()
                         for part in ("revision", "fields_any", "fields_all", "text_any"))
        if recognised:
            return None
        return _("Write the revision printed on this edition, like 08-2011, or the names of its boxes, "
                 "so we can tell it apart.")
    if key == "id":
        return _("Use small letters, digits and _ only, starting with a letter, like edition_2011.")
    if key == "revision":
        return _("Write the revision printed on this edition, like 08-2011, so we can tell it apart.")
    if key == "status":
        return _("Choose whether this edition is an older one or a different form.")
    if key == "title":
        return _missing(row, key)
    if key == "identify":
        return _("Write the name of at least one box on this edition, or words printed on it, to recognise it by.")
    if key in ("fields_any", "fields_all"):
        return _("Write each box's name as the form names it, one on each line.")
    if key == "text_any":
        return _("Write words printed on its first page, one phrase on each line.")
    return None


def _visit(key: str, row: Any) -> str | None:
    if key == "mode":
        return _("Choose how people hand in their papers: at an office or by mail.")
    if key in ("fees", "bring"):
        return _missing(row, key)
    return None


_SAYINGS: dict[str, Callable[[str, Any], str | None]] = {"office": _office, "edition": _edition, "visit": _visit}
SECTIONS = tuple(_SAYINGS)


def plain(section: str, key: str, text: str, *, code: str = "", row: Any = None) -> str:
    """``text`` (the lint's message about ``key`` of an office, an edition or the visit, shown
    in ``row``) in the admin's words, or as it was when this module does not know it. A lint
    warning (``code`` given) is known by its code alone; a schema mistake by its key."""
    if code:
        return _by_code(code) or text
    said = _SAYINGS[section](key, row) if section in _SAYINGS else None
    return said or text
