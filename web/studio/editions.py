"""The studio's inputs for a form's other editions (``forms › editions``): older or different
forms people upload by mistake, each named, with the revision printed on it, whether it is
outdated or another form, and how it is recognised (``identify``: names of its boxes, or words
printed on it, one per line).

Written back into the draft's keys in place, as the rest of the edit form is: a list of names
that did not change keeps its quotes, layout and comments; new names are written in quotes,
as the service files write them. An ``identify`` written as something other than a set of
keys is never written over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from web.studio.versions import flow, place, put, rows_into, words_into
from web.studio.visits import words

STATUSES = ("outdated", "wrong")
IDENTIFY = ("fields_any", "fields_all", "text_any")
"""The keys of ``identify``, in the order authors write them (``intake._servicefile.IdentifySchema``)."""
INPUTS = ("id", "title", "revision", "status", "identify", *IDENTIFY)
"""The keys with inputs in an edition's row; a message about any other key is shown for the row."""
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
    fields_any: str = ""
    """``identify``'s lists, one name or phrase a line, as the inputs show them."""
    fields_all: str = ""
    text_any: str = ""
    problems: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"e-{self.form}-{self.index}"


def view(fi: int, spec: Mapping[str, Any]) -> list[EditionRow]:
    found = spec.get("editions")
    rows = [EditionRow(fi, ei, str(e.get("id") or ""), words(e.get("title"), "en"), words(e.get("title"), "es"),
                       "" if e.get("revision") is None else str(e.get("revision")),
                       str(e.get("status") or "outdated"), *_lines_of(e.get("identify")))
            for ei, e in enumerate(found if isinstance(found, list) else []) if isinstance(e, Mapping)]
    return [*rows, EditionRow(fi, "new", "", "", "", "", "outdated")]


def _lines_of(identify: Any) -> tuple[str, str, str]:
    """``identify``'s lists (in ``IDENTIFY`` order) as the text of their inputs: a single name
    written without a list is its one line; an ``identify`` that is not a set of keys shows
    nothing (and is kept as written)."""
    out = []
    for part in IDENTIFY:
        value = identify.get(part) if isinstance(identify, Mapping) else None
        items = value if isinstance(value, list) else [] if value is None else [value]
        out.append("\n".join(str(item) for item in items if item is not None))
    return out[0], out[1], out[2]


def apply(fi: int, spec: Any, answers: Mapping[str, str]) -> None:
    """Write one form's edition inputs into ``spec`` (a round-trip mapping)."""
    rows_into(spec, "editions", answers, f"e-{fi}", ("id", "title_en", "title_es", "revision", *IDENTIFY),
              _edition, lambda: flow({}), ("identify", "fields", "rules"))


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
    _identify(edition, answers, key)
    status = answers.get(f"{key}-status", "")
    if status == "wrong":
        put(edition, "status", "wrong")
    elif status in STATUSES:
        edition.pop("status", None)


def _identify(edition: Any, answers: Mapping[str, str], key: str) -> None:
    """The edition's ``identify`` from its three inputs (one name a line); all three emptied
    removes it. Only a list whose lines changed is written, in place, and a name kept from it
    keeps the quotes it was written with."""
    if not any(f"{key}-{part}" in answers for part in IDENTIFY):
        return
    found = edition.get("identify")
    if found is not None and not isinstance(found, dict):
        return
    wanted = {part: _lines(answers.get(f"{key}-{part}") or "") for part in IDENTIFY}
    if not any(wanted.values()):
        edition.pop("identify", None)
        return
    if found is None:
        found = flow({})
        place(edition, "identify", found, ("status",))
    for i, part in enumerate(IDENTIFY):
        old = found.get(part)
        if not wanted[part]:
            found.pop(part, None)
        elif isinstance(old, list):
            if [str(item) for item in old] != wanted[part]:
                kept = {str(item): item for item in old}
                old[:] = [kept.get(line, _quoted(line)) for line in wanted[part]]
        elif part in found:
            if [str(old)] != wanted[part]:
                found[part] = _flow_list([_quoted(line) for line in wanted[part]])
        else:
            place(found, part, _flow_list([_quoted(line) for line in wanted[part]]), IDENTIFY[i + 1:])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _quoted(text: str) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def _flow_list(items: list[Any]) -> Any:
    """A new list written on one line, ``["A", "B"]``, as the service files write names."""
    from ruamel.yaml.comments import CommentedSeq

    out = CommentedSeq(items)
    out.fa.set_flow_style()
    return out
