"""Draft a service file from a blank fillable form, so agency staff start from the real fields.

The draft is YAML in the format of ``schemas/README.md``: one entry per fillable field,
with a readable id taken from the tooltip, a guessed type and ``required`` from the field's
own flag. It is a starting point: every guess carries a comment for a person to check.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from intake import identity
from intake.fields import FieldKind, FormField
from intake.files import Limits, Source, Upload
from intake.pdf import PdfForm, PrintedWord, read_form

# Order matters: the first pattern that matches the tooltip (or the name) wins.
_TYPE_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("ssn", r"social security|\bssn\b|seguro social"),
        ("ein", r"employer identification|\bein\b"),
        ("email", r"e-?mail|correo electr"),
        ("phone", r"phone|telephone|\btel\b|mobile|cell|tel[eé]fono"),
        ("zip", r"\bzip\b|zip ?code|postal code|c[oó]digo postal"),
        ("date", r"\bdate\b|\bdob\b|birth ?date|mm/dd|fecha|\bday\b.*\byear\b"),
        ("state", r"\bstate\b(?! of)(?!ment)"),
        # How many of something to order comes before money: "the quantity of copies (fee $30)".
        ("number", r"\bquantity\b|\bhow many\b|\bnumber of copies\b|\benter 1 if\b"),
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
# A free-text line that only mentions a state or a zip code is still free text.
_FREE_TEXT = re.compile(r"address|street|county|city|country|line|town|place|previous|mailing|residence",
                        re.IGNORECASE)
# Boxes whose answer must be masked like an SSN: what a thief would want from a form.
_SECRET = re.compile(r"card (number|no\b)|account (number|no\b)|routing number|\bcvv\b|security code", re.IGNORECASE)
# One box for several things ("name, address and telephone no."), or several lines: free text.
_SEVERAL = re.compile(r"\b(name|address)\b.*,.*\b(and|or)\b", re.IGNORECASE)
_LAST_FOUR = re.compile(r"last (4|four)|[uú]ltimos (4|cuatro)", re.IGNORECASE)
# Split boxes: the lengths of the parts, in order, and what the whole is. The first match wins.
_SPLITS: tuple[tuple[tuple[int, ...], str], ...] = (
    ((3, 2, 4), "ssn"), ((2, 7), "ein"), ((3, 3, 4), "phone"), ((3, 7), "phone"), ((5, 4), "zip"),
    ((2, 2, 4), "date"), ((2, 2, 2), "date"), ((4, 2, 2), "date_iso"),
)
_DATE_FORMATS: dict[tuple[int, ...], str] = {(2, 2, 4): "%m/%d/%Y", (2, 2, 2): "%m/%d/%y", (4, 2, 2): "%Y/%m/%d"}
_MEANINGLESS = re.compile(r"^(?:choice|option|radio|button|item|group|value|opt|ch)?[ _-]?\d+$|^[a-z]$", re.I)


@dataclass(frozen=True)
class _Entry:
    id: str
    spec: dict[str, Any]
    note: str


def scaffold(source: Source | Upload, *, service_id: str | None = None, limits: Limits | None = None) -> str:
    """A draft service file (YAML text) for one blank fillable form, read within ``limits``.

    This reads the file in the caller's process; for a file from someone you do not trust,
    :meth:`intake.sandbox.Sandbox.scaffold` makes the same draft in a capped worker.
    """
    upload = Upload.from_source(source)
    form = read_form(upload, limits=limits)
    stem = Path(upload.name).stem
    service = service_id or _slug(stem, sep="-") or "new-service"
    form_id = _identifier(_slug(stem)) or "form"
    entries = _entries(form.fields, _neighbour_words(form), withheld=form.withheld_pages)
    return _render(form, service, form_id, stem, entries, withheld=form.withheld_pages)


def _entries(fields: Iterable[FormField], words: dict[tuple[str, str], str] | None = None, *,
             withheld: tuple[int, ...] = ()) -> list[_Entry]:
    taken: set[str] = set()
    out: list[_Entry] = []
    usable = [f for f in fields if f.kind is not FieldKind.BUTTON and not f.read_only]
    for group in _groups(usable):
        first = group[0]
        if len(group) > 1:
            field_type, spec = _guess_group(group)
            source: Any = [f.name for f in group]
        else:
            field_type, spec = _guess(first, words or {})
            source = first.name
        base = _readable_id(first)
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        note = f"page {first.page}" if first.page else "no page"
        note += f": {(first.label or _last_part(first.name))[:80]}"
        if len(group) > 1:
            note += f" ({len(group)} boxes joined: check the type)"
        elif "one_of" in spec and any(not isinstance(v, str) for v in spec["one_of"]):
            note += " (check: the words of each answer are guessed from the form)"
        elif "one_of" in spec and any(_MEANINGLESS.match(str(v)) for v in spec["one_of"]) and \
                any(w.page in withheld for w in first.widgets):
            note += " (the words beside these answers were not read: give each answer its words by hand)"
        out.append(_Entry(ident, {"source": source, "type": field_type, **spec}, note))
    return out


def _width(f: FormField) -> float:
    return (f.rect[2] - f.rect[0]) if f.rect else 0.0


def _height(f: FormField) -> float:
    return (f.rect[3] - f.rect[1]) if f.rect else 0.0


def _length(f: FormField) -> int | None:
    """How many characters a box holds: its own limit, or its width in characters of its height."""
    if f.max_length:
        return f.max_length
    height = _height(f)
    return max(1, round(_width(f) / (height * 0.55))) if height > 0 else None


def _beside(a: FormField, b: FormField) -> bool:
    """Two boxes on one line, next to each other, of one height: the parts of one value, perhaps."""
    if not (a.rect and b.rect) or a.page != b.page or a.kind is not FieldKind.TEXT or b.kind is not FieldKind.TEXT:
        return False
    if a.is_signature or b.is_signature or a.multiline or b.multiline:
        return False
    ha, hb = _height(a), _height(b)
    if ha <= 0 or hb <= 0 or abs(ha - hb) > 0.25 * max(ha, hb):
        return False
    if abs((a.rect[1] + a.rect[3]) / 2 - (b.rect[1] + b.rect[3]) / 2) > 0.2 * ha:
        return False
    gap = b.rect[0] - a.rect[2]
    return -1 <= gap <= max(10.0, 0.8 * ha)


def _groups(fields: list[FormField]) -> list[list[FormField]]:
    """Fields in order, with the boxes of one split value (an SSN in three boxes, a date in three) together.

    A run of adjacent small boxes on one line is one value when their lengths make a known
    split (3-2-4 is an SSN, 2-2-4 a date) or when each box holds one character (a comb).
    """
    def middle(f: FormField) -> float:
        rect = f.rect or (0.0, 0.0, 0.0, 0.0)
        return (rect[1] + rect[3]) / 2

    boxes = sorted((f for f in fields if f.kind is FieldKind.TEXT and f.rect), key=lambda f: (f.page or 0, -middle(f)))
    lines: list[list[FormField]] = []
    for f in boxes:
        if lines and lines[-1][0].page == f.page and abs(middle(lines[-1][0]) - middle(f)) <= 0.3 * _height(f):
            lines[-1].append(f)
        else:
            lines.append([f])
    spatial = [f for line in lines for f in sorted(line, key=lambda f: (f.rect or (0.0,))[0])]
    joined: dict[str, list[FormField]] = {}
    i = 0
    while i < len(spatial):
        run = [spatial[i]]
        while i + len(run) < len(spatial) and len(run) < 12 and _beside(run[-1], spatial[i + len(run)]):
            run.append(spatial[i + len(run)])
        size = _split_size(run)
        if size > 1:
            for member in run[:size]:
                joined[member.name] = run[:size]
        i += size
    out: list[list[FormField]] = []
    done: set[str] = set()
    for f in fields:
        if f.name in done:
            continue
        group = joined.get(f.name, [f])
        done.update(m.name for m in group)
        out.append(group)
    return out


_PART = re.compile(r"^(.*?)[ _-]*(\d|[dmy]|month|day|year|mm|dd|yyyy|yy)$", re.IGNORECASE)


def _stem(f: FormField) -> tuple[str, str] | None:
    match = _PART.match(_last_part(f.name))
    return (match.group(1).lower(), match.group(2).lower()) if match and match.group(1) else None


def _split_size(run: list[FormField]) -> int:
    stems = [_stem(f) for f in run]
    same = 1
    first = stems[0]
    while (same < min(len(run), 4) and first and (stems[same] or ("", ""))[0] == first[0]
           and _width(run[same]) < 6 * _height(run[same])):
        same += 1
    if same > 1 and _width(run[0]) < 6 * _height(run[0]):
        return same
    lengths = tuple(f.max_length or 0 for f in run)  # widths only guess lengths; a split needs real ones
    for parts, _kind in _SPLITS:
        if lengths[: len(parts)] == parts:
            return len(parts)
    singles = 0
    while singles < len(run) and lengths[singles] == 1:
        singles += 1
    return singles if singles >= 4 else 1


def _guess_group(group: list[FormField]) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {"required": True} if any(f.required for f in group) else {}
    lengths = tuple(f.max_length or 0 for f in group)
    label = " ".join(dict.fromkeys(f"{f.label or ''} {(_stem(f) or (_last_part(f.name), ''))[0]}" for f in group))
    kind = next((k for parts, k in _SPLITS if lengths == parts), None)
    hinted = next((k for k, pattern in _TYPE_HINTS if pattern.search(f"{label} {_last_part(group[0].name)}")), None)
    parts = [(_stem(f) or ("", ""))[1] for f in group]
    if _LAST_FOUR.search(label) and sum(lengths) in (0, 4):
        return "text", {**spec, "pattern": r"\d{4}", "join": ""}
    if kind is None and hinted == "date" and all(p[:1] in ("d", "m", "y") for p in parts):
        order = "/".join({"d": "%d", "m": "%m", "y": "%Y"}[p[:1]] for p in parts)
        return "date", {**spec, "join": "/", "formats": [order]}
    if kind is None and hinted in ("ssn", "phone", "ein", "zip") and all(p.isdigit() for p in parts):
        return hinted, spec
    if kind is None and not all(n == 1 for n in lengths):  # boxes with one name: the parts of one text
        return "text", {**spec, "join": " "}
    if kind is None:  # a comb: one character per box
        count = len(group)
        hinted = next((k for k, pattern in _TYPE_HINTS if pattern.search(label)), "text")
        if _LAST_FOUR.search(label) or (hinted == "ssn" and count == 4):
            return "text", {**spec, "pattern": r"\d{4}", "join": ""}
        if (hinted, count) in (("ssn", 9), ("ein", 9), ("phone", 10), ("zip", 5), ("zip", 9)):
            return hinted, {**spec, "join": ""}
        if hinted == "date" and count in (6, 8):
            return "date", {**spec, "join": "", "formats": ["%m%d%Y" if count == 8 else "%m%d%y"]}
        return "text", {**spec, "join": "", "max_length": count}
    if kind.startswith("date"):
        return "date", {**spec, "join": "/", "formats": [_DATE_FORMATS[lengths]]}
    return kind, spec


def _readable_id(f: FormField) -> str:
    """The field's own name when an author chose a real one (``CourtType``), else its tooltip."""
    name = _last_part(f.name)
    from_name = _identifier(_slug(_CAMEL.sub(" ", name)))
    from_label = _identifier(_slug(" ".join(_words(f.label or ""))))
    if from_name and not _GENERIC_NAME.match(name) and len(name) <= _MAX_ID:
        return from_name
    return from_label or from_name or "field"


def _guess(f: FormField, words: dict[tuple[str, str], str]) -> tuple[str, dict[str, Any]]:
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
            return "choice", {**spec, "one_of": _worded(f, exports, words)}
        return "text", spec
    text = f"{f.label or ''} {_last_part(f.name)}"
    field_type = next((kind for kind, pattern in _TYPE_HINTS if pattern.search(text)), "text")
    if _SECRET.search(text):
        spec["sensitive"] = True
    if field_type != "text" and (f.multiline or _SEVERAL.search(text)):
        field_type = "text"
    if field_type == "ssn" and (_LAST_FOUR.search(text) or f.max_length == 4):
        return "text", {**spec, "pattern": r"\d{4}"}
    length = _length(f)
    if field_type in ("state", "zip") and _FREE_TEXT.search(text) and (
            length is None or length > (3 if field_type == "state" else 10)):
        field_type = "text"
    if field_type == "state" and (f.max_length not in (None, 2) or (length is not None and length > 8)):
        field_type = "text"
    if field_type == "zip" and ((f.max_length or 0) > 10 or (length is not None and length > 16)):
        field_type = "text"
    if field_type == "date":
        spec["formats"] = ["%m/%d/%Y"]
    if field_type == "text" and f.max_length:
        spec["max_length"] = f.max_length
    return field_type, spec


def _worded(f: FormField, exports: list[str], words: dict[tuple[str, str], str]) -> list[Any]:
    """Export values, each with words for the citizen when the value itself says nothing (``Choice2``).

    The words come from the choice list's display text, the printed words beside the widget,
    or the on-state name; the draft flags them for a person to check and translate.
    """
    shown = {o.export: o.display for o in f.options if o.display and o.display != o.export}
    out: list[Any] = []
    for export in exports:
        said = shown.get(export) or (_by_export(f, words).get(export) if _MEANINGLESS.match(export) else None)
        if not said or said == export:
            out.append(export)
            continue
        out.append({"value": export, "en": said, "es": said})
    return out


def _neighbour_words(form: PdfForm) -> dict[tuple[str, str], str]:
    """The printed words just right of each radio or checkbox-group widget: what the citizen reads there
    (read within the form's limits, as its text is)."""
    wanted = [(f, w) for f in form.fields if f.kind in (FieldKind.RADIO, FieldKind.CHECKBOX) and len(f.exports) > 1
              for w in f.widgets if w.page and w.rect and w.on_state]
    if not wanted:
        return {}
    found: dict[tuple[str, str], str] = {}
    cache: dict[int, tuple[PrintedWord, ...]] = {}
    for f, widget in wanted:
        page_no = widget.page or 1
        if widget.rect is None:
            continue
        if page_no not in cache:  # vetted under the file's limits first: a page that would hurt gives none
            cache[page_no] = form.words(page_no)
        _x0, y0, x1, y1 = widget.rect
        middle = (y0 + y1) / 2
        stop = min((o.rect[0] for _g, o in wanted if o.page == widget.page and o.rect
                    and o.rect[0] > x1 and o.rect[1] <= y1 and o.rect[3] >= y0), default=x1 + 200)
        line = sorted((w for w in cache[page_no] if w.y0 <= middle <= w.y1
                       and x1 - 1 <= w.x0 < stop and any(c.isalnum() for c in w.text)), key=lambda w: w.x0)
        said: list[str] = []
        edge = x1
        for word in line:
            if word.x0 - edge > 12 or len(said) >= 6:
                break
            said.append(word.text)
            edge = word.x1
        if said:
            found[(f.name, widget.on_state or "")] = " ".join(said)
    return found


def _by_export(f: FormField, found: dict[tuple[str, str], str]) -> dict[str, str]:
    states = [w.on_state for w in f.widgets if w.on_state]
    pairs = dict(zip(states, f.exports, strict=False))
    return {pairs.get(state, state): said for (name, state), said in found.items() if name == f.name}


def _printed(form: PdfForm) -> tuple[str, str | None] | None:
    """The form number (as printed, spaces and all) and revision that page 1 shows as its own."""
    try:
        text = " ".join(form.text(1).split())
    except Exception:  # the text layer is a nicety for the draft: the fields still make it
        return None
    found = identity.printed_forms(text)
    if not found:
        return None
    number = found[0].number
    shown = re.search(r"[- ]".join(re.escape(part) for part in number.split("-")), text, re.IGNORECASE)
    return (shown.group(0) if shown else number), found[0].revision


def _render(form: PdfForm, service: str, form_id: str, stem: str, entries: list[_Entry], *,
            withheld: tuple[int, ...] = ()) -> str:
    title = stem.replace("_", " ").replace("-", " ").strip().capitalize()
    printed = _printed(form)
    form_title = {"en": title, "es": title}
    if printed:
        form_title = {"en": f"Form {printed[0]}", "es": f"Formulario {printed[0]}"}
    names = [e.spec["source"] if isinstance(e.spec["source"], str) else e.spec["source"][0] for e in entries[:3]]
    identify = {"fields_any": names} if entries else {"text_any": [title]}
    lines = [
        f"# Draft service file made by `intake scaffold` from {form.name}",
        f"# ({form.page_count} pages, {len(form.fields)} fields). Check every title, type and rule,",
        "# add the documents and the visit, then run `intake lint` on it.",
        *([f"# The printed words of {_pages(withheld)} were not read: the page is too complex to read",
           "# safely. Answers of the radio buttons there keep the form's own values."] if withheld else []),
        f"id: {service}",
        f'version: "{_dt.date.today():%Y-%m}"',
        f"title: {_flow({'en': title, 'es': title})}",
        f"summary: {_flow({'en': 'TODO: one sentence on what this service is for', 'es': 'TODO'})}",
        "visit:",
        "  bring: []",
        "forms:",
        f"  - id: {form_id}",
        f"    title: {_flow(form_title)}",
        f"    identify: {_flow(identify)}",
        *([f"    number: {_quoted(printed[0])}"] if printed else []),
        *([f"    revision: {_quoted(printed[1])}  # as page 1 prints it"] if printed and printed[1] else []),
        "    fields:" if entries else "    fields: {}",
    ]
    for entry in entries:
        lines.append(f"      {entry.id}: {_flow(entry.spec)}  # {_comment(entry.note)}")
    lines.append("documents: []")
    return "\n".join(lines) + "\n"


def _pages(pages: tuple[int, ...]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    return "pages " + ", ".join(str(p) for p in pages[:-1]) + f" and {pages[-1]}"


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=10_000).strip()


def _quoted(text: str) -> str:
    """A scalar in double quotes, so YAML never reads a revision like 5/25 or 2024 as anything but text."""
    return json.dumps(text, ensure_ascii=False)


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
