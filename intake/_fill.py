"""Fill a fillable PDF with values: used to build sample packets from real blank forms.

Private to the library (``intake.samples`` and the tests call it). Values are written into
the field dictionaries themselves (``/V``, and ``/AS`` on each widget of a checkbox or radio
group) and ``/NeedAppearances`` asks viewers to draw them, which works for fields on no
page and for widgets outside the AcroForm tree alike.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, TextStringObject

from intake.fields import FieldKind, FormField
from intake.files import Limits, Source, Upload
from intake.pdf import _parsing, read_form


def fill_form(source: Source | Upload, values: Mapping[str, Any]) -> bytes:
    """A copy of the form with ``values`` (PDF field name -> value) written into its fields."""
    upload = Upload.from_source(source)
    fields = {f.name: f for f in read_form(upload).fields}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise KeyError(f"{upload.name} has no field(s) {', '.join(unknown)}")
    with _parsing(Limits()):
        reader = PdfReader(io.BytesIO(upload.data))
        if reader.is_encrypted:
            reader.decrypt("")
        writer = PdfWriter(clone_from=reader)
        for name, node in _field_nodes(writer):
            if name in values:
                _write(node, fields[name], values[name])
        acro = _resolve(writer.root_object.get("/AcroForm"))
        if isinstance(acro, DictionaryObject):
            acro[NameObject("/NeedAppearances")] = BooleanObject(True)
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def _field_nodes(writer: PdfWriter) -> Iterator[tuple[str, DictionaryObject]]:
    """Every terminal field dictionary with its full name: the tree first, then page widgets."""
    seen: set[int] = set()
    acro = _resolve(writer.root_object.get("/AcroForm"))
    stack: list[tuple[Any, str | None]] = []
    if isinstance(acro, DictionaryObject):
        stack = [(ref, "") for ref in reversed(_resolve(acro.get("/Fields", ArrayObject())))]
    for page in writer.pages:
        stack[:0] = [(ref, None) for ref in page.get("/Annots", ArrayObject())]
    while stack:
        ref, parent = stack.pop()
        node = ref.get_object()
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if parent is None:
            if node.get("/Subtype") != "/Widget":
                continue
            owner = node if "/T" in node else node.get("/Parent", node).get_object()
            yield _qualified(owner), owner
            continue
        name = f"{parent}.{node['/T']}" if parent and "/T" in node else str(node.get("/T", parent))
        kids = [k for k in node.get("/Kids", ArrayObject()) if "/T" in k.get_object()]
        if kids:
            stack.extend((k, name) for k in reversed(kids))
        else:
            yield name, node


def _resolve(obj: Any) -> Any:
    return obj.get_object() if obj is not None else None


def _qualified(node: DictionaryObject) -> str:
    parts: list[str] = []
    current: Any = node
    while isinstance(current, DictionaryObject) and len(parts) < 32:
        if "/T" in current:
            parts.append(str(current["/T"]))
        parent = current.get("/Parent")
        current = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _write(node: DictionaryObject, field: FormField, value: Any) -> None:
    if field.kind not in (FieldKind.CHECKBOX, FieldKind.RADIO):
        node[NameObject("/V")] = TextStringObject("" if value is None else str(value))
        return
    state = _state(field, value)
    node[NameObject("/V")] = NameObject(f"/{state}")
    widgets = [k.get_object() for k in node.get("/Kids", ArrayObject())] or [node]
    for widget in widgets:
        normal = widget.get("/AP", DictionaryObject()).get_object().get("/N", DictionaryObject()).get_object()
        shown = state if isinstance(normal, DictionaryObject) and f"/{state}" in normal else "Off"
        widget[NameObject("/AS")] = NameObject(f"/{shown}")


def _state(field: FormField, value: Any) -> str:
    if value in (False, None, ""):
        return "Off"
    states = [w.on_state for w in field.widgets if w.on_state]
    if value is True:
        return states[0] if states else "Yes"
    for state, export in zip(states, field.exports, strict=False):
        if str(value) in (state, export):
            return state
    raise ValueError(f"{field.name} has no choice {value!r}; it offers {', '.join(field.exports)}")
