"""The fields a PDF form holds, as plain frozen dataclasses, and how raw values are normalised.

Pure data: no parser import here. :mod:`intake.pdf` fills these from pypdf objects and
the XFA datasets; the checker and the ``intake fields`` command read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

Value = str | bool | tuple[str, ...] | None
Rect = tuple[float, float, float, float]

_PLACEHOLDER_LABELS = {"undefined", "null", "none", "tooltip", "text field", "check box"}
_SIGNATURE_WORDS = re.compile(r"signature|\bsigned\b|\bfirma\b|\bsign\b(?! ?up)", re.IGNORECASE)


class FieldKind(StrEnum):
    TEXT = "text"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    CHOICE = "choice"
    SIGNATURE = "signature"
    BUTTON = "button"


class FieldSource(StrEnum):
    """Where a value was found: the AcroForm tree, the XFA datasets, or a widget the tree misses."""

    ACROFORM = "acroform"
    XFA = "xfa"
    ANNOTATION = "annotation"


@dataclass(frozen=True)
class Widget:
    """One place a field is drawn: 1-based page (None when the file does not say) and rectangle."""

    page: int | None
    rect: Rect | None
    on_state: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "rect": list(self.rect) if self.rect else None, "on_state": self.on_state}


@dataclass(frozen=True)
class Option:
    """A choice entry: what the file stores (export) and what the person saw (display)."""

    export: str
    display: str

    def to_dict(self) -> dict[str, str]:
        return {"export": self.export, "display": self.display}


@dataclass(frozen=True)
class FormField:
    """One terminal field with its value normalised.

    ``value`` is a trimmed string for text (None when blank), True/False for a checkbox with
    one on-value, the chosen export value for radio groups and multi-state checkboxes, a
    string (or a tuple for multi-select) for choices, and True/False for digital signature
    fields. ``signed`` says how a signature box was signed: ``"digital"`` for a signed
    /Sig field, ``"typed"`` for a signature text box with something in it.
    """

    name: str
    kind: FieldKind
    value: Value = None
    label: str | None = None
    widgets: tuple[Widget, ...] = ()
    options: tuple[Option, ...] = ()
    exports: tuple[str, ...] = ()
    required: bool = False
    read_only: bool = False
    multiline: bool = False
    comb: bool = False
    editable: bool = False
    """A combo box the person may type into, so any answer is possible beside its options."""
    max_length: int | None = None
    source: FieldSource = FieldSource.ACROFORM
    signed: Literal["digital", "typed"] | None = None

    @property
    def page(self) -> int | None:
        return next((w.page for w in self.widgets if w.page is not None), None)

    @property
    def rect(self) -> Rect | None:
        return next((w.rect for w in self.widgets if w.rect is not None), None)

    @property
    def is_signature(self) -> bool:
        """A /Sig field, or a text box whose name or tooltip asks for a signature."""
        return self.kind is FieldKind.SIGNATURE or (
            self.kind is FieldKind.TEXT and looks_like_signature(self.name, self.label)
        )

    @property
    def filled(self) -> bool:
        if self.kind is FieldKind.SIGNATURE:
            return self.signed is not None
        return self.value not in (None, False, ())

    def to_dict(self) -> dict[str, Any]:
        """The ``intake fields --json`` contract, plus the details the scaffold needs."""
        value: Any = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "name": self.name,
            "kind": self.kind.value,
            "value": value,
            "label": self.label,
            "page": self.page,
            "rect": list(self.rect) if self.rect else None,
            "options": [o.to_dict() for o in self.options],
            "exports": list(self.exports),
            "required": self.required,
            "read_only": self.read_only,
            "multiline": self.multiline,
            "comb": self.comb,
            "max_length": self.max_length,
            "source": self.source.value,
            "signed": self.signed,
            "widgets": [w.to_dict() for w in self.widgets],
        }


def looks_like_signature(name: str, label: str | None) -> bool:
    return bool(_SIGNATURE_WORDS.search(name) or (label and _SIGNATURE_WORDS.search(label)))


def clean_label(value: str | None) -> str | None:
    """A tooltip worth showing: its first paragraph, and nothing for authoring leftovers."""
    if not value:
        return None
    first = clean_text(value.replace("\r", "\n").split("\n\n")[0].split("\n")[0])
    return None if first is None or first.lower() in _PLACEHOLDER_LABELS else first


def clean_text(value: str) -> str | None:
    """Trim a text value and unify line ends; blank (a lone space, say) means not filled."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    return value or None


def decode_bytes(raw: bytes) -> tuple[str, bool]:
    """Decode a string pypdf could not (it returns bytes); the flag says the result is a guess."""
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        try:
            return raw.decode("utf-16"), False
        except UnicodeDecodeError:
            return raw[2:].decode("utf-16-be" if raw[:2] == b"\xfe\xff" else "utf-16-le", "replace"), True
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True
