"""The studio's inputs for a form's other editions (``forms › editions``): older or different
forms people upload by mistake, each named, with the revision printed on it and whether it is
outdated or another form.

Written back into the draft's keys in place, as the rest of the edit form is. How an edition
is recognised by its field names (``identify``) is kept as written and only shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from web.studio.versions import flow, place, put, rows_into, words_into
from web.studio.visits import words

STATUSES = ("outdated", "wrong")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class EditionRow:
    form: int
    index: int | str
    id: str
    title_en: str
    title_es: str
    revision: str
    status: str
    by_fields: bool
    """Also recognised by its field names (``identify``, set in the service file)."""
    problems: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"e-{self.form}-{self.index}"


def view(fi: int, spec: Mapping[str, Any]) -> list[EditionRow]:
    found = spec.get("editions")
    rows = [EditionRow(fi, ei, str(e.get("id") or ""), words(e.get("title"), "en"), words(e.get("title"), "es"),
                       "" if e.get("revision") is None else str(e.get("revision")),
                       str(e.get("status") or "outdated"), "identify" in e)
            for ei, e in enumerate(found if isinstance(found, list) else []) if isinstance(e, Mapping)]
    return [*rows, EditionRow(fi, "new", "", "", "", "", "outdated", False)]


def apply(fi: int, spec: Any, answers: Mapping[str, str]) -> None:
    """Write one form's edition inputs into ``spec`` (a round-trip mapping)."""
    rows_into(spec, "editions", answers, f"e-{fi}", ("id", "title_en", "title_es", "revision"), _edition,
              lambda: flow({}), ("identify", "fields", "rules"))


def _edition(edition: Any, answers: Mapping[str, str], key: str) -> None:
    """One edition's inputs into its mapping, keys in the order authors write them."""
    title_en = (answers.get(f"{key}-title_en") or "").strip()
    title_es = (answers.get(f"{key}-title_es") or "").strip()
    revision = (answers.get(f"{key}-revision") or "").strip()
    given = (answers.get(f"{key}-id") or "").strip()
    if given:
        put(edition, "id", given)
    elif not edition.get("id"):
        slug = _SLUG.sub("_", (revision or title_en).lower()).strip("_")[:40]
        edition["id"] = slug if slug[:1].isalpha() else f"edition_{slug}".rstrip("_")
    if "revision" in edition or not revision:
        put(edition, "revision", revision)
    else:
        place(edition, "revision", revision, ("title", "identify", "status"))
    if isinstance(edition.get("title"), dict):
        words_into(edition["title"], title_en, title_es)
    elif title_en or title_es:
        place(edition, "title", flow({"en": title_en, "es": title_es}), ("identify", "status"))
    else:
        edition.pop("title", None)
    status = answers.get(f"{key}-status", "")
    if status == "wrong":
        put(edition, "status", "wrong")
    elif status in STATUSES:
        edition.pop("status", None)
