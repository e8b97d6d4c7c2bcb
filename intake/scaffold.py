"""Draft a service file from a blank fillable form, so agency staff start from the real fields.

The draft is YAML in the format of ``schemas/README.md``: one entry per fillable field,
with a readable id taken from the tooltip, a guessed type and ``required`` from the field's
own flag. It is a starting point: every guess carries a comment for a person to check.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from intake.fields import FieldKind, FormField
from intake.files import Source, Upload
from intake.pdf import PdfForm, read_form

# Order matters: the first pattern that matches the tooltip (or the name) wins.
_TYPE_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("ssn", r"social security|\bssn\b|seguro social"),
        ("ein", r"employer identification|\bein\b"),
        ("email", r"e-?mail|correo electr"),
        ("phone", r"phone|telephone|\btel\b|mobile|cell|tel[eé]fono"),
        ("zip", r"\bzip\b|zip ?code|postal code|c[oó]digo postal"),
        ("date", r"\bdate\b|\bdob\b|birth ?date|mm/dd|fecha|\bday\b.*\byear\b"),
        ("state", r"^state\b|\bstate\b(?! of)(?!ment)"),
        ("money", r"amount|dollars|\$|income|wages|salary|\bfee\b|\bpay\b"),
        ("number", r"how many|number of (children|people|persons|members|dependents)|\bage\b"),
    )
)
_STOP_WORDS = {"the", "a", "an", "of", "your", "you", "to", "and", "or", "in", "on", "for", "if", "is",
               "please", "enter", "type", "print", "field", "this", "click", "here", "check", "box"}
_MAX_ID = 40
# Machine-made names that say nothing: f1_01, c1_1, p1-t12, Text12, CheckBox3, Field 7...
_GENERIC_NAME = re.compile(r"^(?:[a-z]{1,2}\d+[-_]\w*|[a-z]?\d+|(?:text|textfield|check ?box|field|radio ?button|"
                           r"button|combo ?box|list ?box|dropdown|untitled|undefined)[ _-]?\d*)$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True)
class _Entry:
    id: str
    spec: dict[str, Any]
    note: str


def scaffold(source: Source | Upload, *, service_id: str | None = None) -> str:
    """A draft service file (YAML text) for one blank fillable form."""
    upload = Upload.from_source(source)
    form = read_form(upload)
    stem = Path(upload.name).stem
    service = service_id or _slug(stem, sep="-") or "new-service"
    form_id = _identifier(_slug(stem)) or "form"
    entries = _entries(form.fields)
    return _render(form, service, form_id, stem, entries)


def _entries(fields: Iterable[FormField]) -> list[_Entry]:
    taken: set[str] = set()
    out: list[_Entry] = []
    for f in fields:
        if f.kind is FieldKind.BUTTON or f.read_only:
            continue
        field_type, spec = _guess(f)
        base = _readable_id(f)
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        note = f"page {f.page}" if f.page else "no page"
        if f.label:
            note += f": {f.label[:80]}"
        out.append(_Entry(ident, {"source": f.name, "type": field_type, **spec}, note))
    return out


def _readable_id(f: FormField) -> str:
    """The field's own name when an author chose a real one (``CourtType``), else its tooltip."""
    name = _last_part(f.name)
    from_name = _identifier(_slug(_CAMEL.sub(" ", name)))
    from_label = _identifier(_slug(" ".join(_words(f.label or ""))))
    if from_name and not _GENERIC_NAME.match(name) and len(name) <= _MAX_ID:
        return from_name
    return from_label or from_name or "field"


def _guess(f: FormField) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {}
    if f.required:
        spec["required"] = True
    if f.is_signature:
        return "signature", spec
    if f.kind is FieldKind.CHECKBOX and len(f.exports) <= 1:
        return "checkbox", spec
    if f.kind in (FieldKind.CHECKBOX, FieldKind.RADIO, FieldKind.CHOICE):
        exports = list(f.exports) if f.kind is not FieldKind.CHOICE else [o.export for o in f.options if o.export]
        if exports:
            return "choice", {**spec, "one_of": exports}
        return "text", spec
    text = f"{f.label or ''} {_last_part(f.name)}"
    field_type = next((kind for kind, pattern in _TYPE_HINTS if pattern.search(text)), "text")
    if field_type == "state" and f.max_length not in (None, 2):
        field_type = "text"
    if field_type == "date":
        spec["formats"] = ["%m/%d/%Y"]
    if field_type == "text" and f.max_length:
        spec["max_length"] = f.max_length
    return field_type, spec


def _render(form: PdfForm, service: str, form_id: str, stem: str, entries: list[_Entry]) -> str:
    title = stem.replace("_", " ").replace("-", " ").strip().capitalize()
    identify = {"fields_any": [e.spec["source"] for e in entries[:3]]} if entries else {"text_any": [title]}
    lines = [
        f"# Draft service file made by `intake scaffold` from {form.name}",
        f"# ({form.page_count} pages, {len(form.fields)} fields). Check every title, type and rule,",
        "# add the documents and the visit, then run `intake lint` on it.",
        f"id: {service}",
        f'version: "{_dt.date.today():%Y-%m}"',
        f"title: {_flow({'en': title, 'es': title})}",
        f"summary: {_flow({'en': 'TODO: one sentence on what this service is for', 'es': 'TODO'})}",
        "visit:",
        "  bring: []",
        "forms:",
        f"  - id: {form_id}",
        f"    title: {_flow({'en': title, 'es': title})}",
        f"    identify: {_flow(identify)}",
        "    fields:" if entries else "    fields: {}",
    ]
    for entry in entries:
        lines.append(f"      {entry.id}: {_flow(entry.spec)}  # {_comment(entry.note)}")
    lines.append("documents: []")
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=10_000).strip()


def _comment(note: str) -> str:
    return " ".join(note.split())


def _words(label: str) -> list[str]:
    words = re.findall(r"[A-Za-z0-9]+", _ascii(label).lower())
    return [w for w in words if w not in _STOP_WORDS][:6]


def _last_part(name: str) -> str:
    return re.sub(r"\[\d+\]", "", name).rsplit(".", 1)[-1]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str, sep: str = "_") -> str:
    return sep.join(re.findall(r"[a-z0-9]+", _ascii(text).lower()))[:_MAX_ID].strip(sep)


def _identifier(slug: str) -> str:
    """A key that YAML 1.1 reads as a string: ``no`` or ``on`` would load as booleans."""
    if slug in _YAML_WORDS:
        return f"{slug}_answer"
    return f"f_{slug}" if slug and slug[0].isdigit() else slug
