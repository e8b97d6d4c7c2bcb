"""Problems found in files and packets, as plain frozen dataclasses that turn into JSON.

The checker emits a code with parameters; the words live in :mod:`intake.messages`.
Nothing here reads files or knows about the web.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from intake import messages
from intake.words import Words


class Severity(StrEnum):
    """How a problem weighs on the visit: it must be fixed, it is worth a look, or bring paper."""

    BLOCKS = "blocks"
    WARNING = "warning"
    BRING_ORIGINAL = "bring_original"


# Every code the library emits, with the severity it has unless the emitter says otherwise.
CODES: Mapping[str, Severity] = {
    "document.content": Severity.BLOCKS,
    "document.address_mismatch": Severity.BLOCKS,
    "document.missing": Severity.BLOCKS,
    "document.name_mismatch": Severity.WARNING,
    "document.pages": Severity.BLOCKS,
    "document.too_old": Severity.BLOCKS,
    "document.undated": Severity.BRING_ORIGINAL,
    "document.unreadable": Severity.BRING_ORIGINAL,
    "field.ambiguous": Severity.WARNING,
    "field.choice": Severity.BLOCKS,
    "field.encoding": Severity.WARNING,
    "field.format": Severity.BLOCKS,
    "field.max_length": Severity.BLOCKS,
    "field.min_length": Severity.BLOCKS,
    "field.range": Severity.BLOCKS,
    "field.required": Severity.BLOCKS,
    "field.rule": Severity.BLOCKS,
    "field.xfa_repaired": Severity.WARNING,
    "field.xfa_unreadable": Severity.WARNING,
    "file.damaged": Severity.BLOCKS,
    "file.duplicate": Severity.WARNING,
    "file.empty": Severity.BLOCKS,
    "file.encrypted": Severity.BLOCKS,
    "file.no_fields": Severity.WARNING,
    "file.not_pdf": Severity.BLOCKS,
    "file.page_too_large": Severity.BLOCKS,
    "file.repaired": Severity.WARNING,
    "file.same_file": Severity.WARNING,
    "file.scanned": Severity.WARNING,
    "file.too_complex": Severity.BLOCKS,
    "file.too_large": Severity.BLOCKS,
    "file.too_many_pages": Severity.BLOCKS,
    "file.unrecognised": Severity.WARNING,
    "file.unsafe": Severity.WARNING,
    "file.wrong_type": Severity.BLOCKS,
    "file.xfa_only": Severity.WARNING,
    "form.missing": Severity.BLOCKS,
    "form.scanned": Severity.BRING_ORIGINAL,
    "image.blurry": Severity.WARNING,
    "image.cut_off": Severity.WARNING,
    "image.too_dark": Severity.WARNING,
    "image.too_small": Severity.WARNING,
    "form.outdated": Severity.BLOCKS,
    "form.unsigned": Severity.BLOCKS,
    "form.wrong": Severity.BLOCKS,
    "points.short": Severity.BLOCKS,
}


@dataclass(frozen=True)
class Problem:
    """One thing a person has to know about: a stable code plus where it is."""

    code: str
    severity: Severity
    params: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    form: str | None = None
    field: str | None = None
    label: str | Words | None = None
    page: int | None = None

    @classmethod
    def of(cls, code: str, *, severity: Severity | None = None, **where: Any) -> Problem:
        """A problem with the code's usual severity; ``where`` holds location and params."""
        location = {k: where.pop(k) for k in ("file", "form", "field", "label", "page") if k in where}
        return cls(code=code, severity=severity or CODES[code], params=where, **location)

    def label_in(self, lang: str) -> str | None:
        return self.label.get(lang) if isinstance(self.label, Words) else self.label

    def message(self, lang: str = "en") -> str:
        params = {k: (v.get(lang) if isinstance(v, Words) else v) for k, v in self.params.items()}
        params.setdefault("page", self.page)
        params.setdefault("field", self.label_in(lang) or self.field)
        params.setdefault("file", self.file)
        text = messages.render(self.code, lang, **params)
        return f"{messages.render('where.page', lang, page=self.page)}: {text}" if self.page else text

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "severity": self.severity.value}
        for key in ("file", "form", "field", "page"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.label is not None:
            out["label"] = self.label_in(lang)
        if self.params:
            out["params"] = {k: (v.get(lang) if isinstance(v, Words) else _jsonable(v))
                             for k, v in self.params.items()}
        out["message"] = self.message(lang)
        return out


# Codes that mean "something is missing" rather than "something provided is wrong".
MISSING_CODES = frozenset({"field.required", "form.unsigned", "form.missing", "document.missing", "points.short"})
MISSING_RULE_VARIANTS = frozenset({"at_least_one_of", "exactly_one_of_none"})


@dataclass(frozen=True)
class FormResult:
    """One form the citizen gave: which file, its (masked) values, and what is wrong in it."""

    form: str
    title: Words
    file: str
    sha256: str
    values: Mapping[str, Any]
    problems: tuple[Problem, ...] = ()
    words: Mapping[str, Words] = field(default_factory=dict)
    """The words the citizen read for answers the form stores as codes ("Married" for ``Choice2``);
    ``values`` keeps the code itself."""

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"form": self.form, "title": self.title.get(lang), "file": self.file, "sha256": self.sha256,
                "values": {k: _jsonable(v) for k, v in self.values.items()},
                "value_words": {k: w.get(lang) for k, w in self.words.items()},
                "problems": [p.to_dict(lang) for p in self.problems]}


@dataclass(frozen=True)
class DocumentStatus:
    id: str
    title: Words
    status: str
    files: tuple[str, ...] = ()
    kind: str | None = None
    reason: Words | None = None
    problems: tuple[Problem, ...] = ()
    used: str | None = None
    """Of several files given as alternatives, the one that counts."""

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title.get(lang), "status": self.status,
                               "file": self.used or (self.files[0] if self.files else None),
                               "files": list(self.files),
                               "problems": [p.to_dict(lang) for p in self.problems]}
        if self.kind:
            out["kind"] = self.kind
        if self.reason:
            out["reason"] = self.reason.get(lang)
        return out


@dataclass(frozen=True)
class Missing:
    kind: str
    id: str
    title: Words
    reason: Words | None = None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        out = {"kind": self.kind, "id": self.id, "title": self.title.get(lang)}
        if self.reason:
            out["reason"] = self.reason.get(lang)
        return out


@dataclass(frozen=True)
class Unrecognised:
    file: str
    problem: Problem

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"file": self.file, "code": self.problem.code, "severity": self.problem.severity.value,
                "message": self.problem.message(lang)}


@dataclass(frozen=True)
class Report:
    """The answer to "is my paperwork ready?", as in DESIGN.md section 4."""

    service: str
    service_version: str
    checked_at: dt.date
    forms: tuple[FormResult, ...]
    documents: tuple[DocumentStatus, ...]
    missing: tuple[Missing, ...]
    unrecognised_files: tuple[Unrecognised, ...]
    bring_in_person: tuple[Words, ...]

    @property
    def problems(self) -> tuple[Problem, ...]:
        found = [p for f in self.forms for p in f.problems] + [p for d in self.documents for p in d.problems]
        return tuple(found) + tuple(u.problem for u in self.unrecognised_files)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({p.code for p in self.problems}))

    @property
    def status(self) -> str:
        """invalid: something given is wrong; incomplete: something is missing; else complete."""
        if any(p.severity is Severity.BLOCKS and not _is_missing(p) for p in self.problems):
            return "invalid"
        if self.missing or any(p.severity is Severity.BLOCKS for p in self.problems):
            return "incomplete"
        return "complete"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "service": self.service, "service_version": self.service_version,
            "checked_at": self.checked_at.isoformat(), "status": self.status, "lang": lang,
            "forms": [f.to_dict(lang) for f in self.forms],
            "documents": [d.to_dict(lang) for d in self.documents],
            "missing": [m.to_dict(lang) for m in self.missing],
            "unrecognised_files": [u.to_dict(lang) for u in self.unrecognised_files],
            "bring_in_person": [w.get(lang) for w in self.bring_in_person],
        }


def _is_missing(problem: Problem) -> bool:
    """Empty answers are missing, not wrong: required boxes, and "fill in one of these" left blank."""
    return problem.code in MISSING_CODES or (
        problem.code == "field.rule" and problem.params.get("variant") in MISSING_RULE_VARIANTS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value
