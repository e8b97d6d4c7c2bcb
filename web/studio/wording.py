"""The service schema's messages about the keys the studio edits in a form of its own (how
people hand their papers in, the offices, other editions), said in plain words in the admin's
language, beside the input they are about.

The schema (``intake``) writes for authors of YAML, in English, naming keys. An admin using the
studio never sees a key, so a message this module knows is said again for the input; one it
does not know is shown as the schema wrote it, so no mistake is ever hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

_BOTH = "give this text in English and Spanish"


def _missing(text: str) -> str | None:
    if text.startswith("the en text is missing"):
        return _("Write this in English too.")
    if text.startswith("the es text is missing"):
        return _("Write this in Spanish too.")
    if text.startswith(_BOTH) or text == "this key is required":
        return _("Write this in English and in Spanish.")
    return None


def _office(key: str, text: str) -> str | None:
    if key == "name":
        return _("Write the office's name, as people see it on the sign.")
    if key == "appointments":
        return _("Write the office's full web address, starting with https://.")
    if key == "hours":
        return _missing(text)
    return None


def _edition(key: str, text: str) -> str | None:
    if key == "":
        if text.startswith("say how to recognise this edition"):
            return _("Write the revision printed on this edition, like 08-2011, so we can tell it apart.")
        return None
    if key == "id":
        return _("Use small letters, digits and _ only, starting with a letter, like edition_2011.")
    if key == "revision":
        return _("Write the revision printed on this edition, like 08-2011, so we can tell it apart.")
    if key == "status":
        return _("Choose whether this edition is an older one or a different form.")
    if key == "title":
        return _missing(text)
    return None


def _visit(key: str, text: str) -> str | None:
    if key == "mode":
        return _("Choose how people hand in their papers: at an office or by mail.")
    if key in ("fees", "bring"):
        return _missing(text)
    return None


_SAYINGS: dict[str, Callable[[str, str], str | None]] = {"office": _office, "edition": _edition, "visit": _visit}


def plain(section: str, key: str, text: str) -> str:
    """``text`` (the schema's message about ``key`` of an office, an edition or the visit) in
    the admin's words, or as it was when this module does not know it."""
    if text.startswith("the Spanish text is missing or the same as the English"):
        return _("Write this in Spanish too: now it is missing or the same as the English.")
    if "speaks of a visit" in text:
        return _("This service is sent by mail, but these words speak of a visit. Say what to send instead.")
    said = _SAYINGS[section](key, text) if section in _SAYINGS else None
    return said or text
