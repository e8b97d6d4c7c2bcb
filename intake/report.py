"""Problems found in files and packets, as plain frozen dataclasses that turn into JSON.

The checker emits a code with parameters; the words live in :mod:`intake.messages`.
Nothing here reads files or knows about the web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from intake import messages


class Severity(StrEnum):
    """How a problem weighs on the visit: it must be fixed, it is worth a look, or bring paper."""

    BLOCKS = "blocks"
    WARNING = "warning"
    BRING_ORIGINAL = "bring_original"


# Every code the library emits, with the severity it has unless the emitter says otherwise.
CODES: Mapping[str, Severity] = {
    "field.ambiguous": Severity.WARNING,
    "field.encoding": Severity.WARNING,
    "field.xfa_unreadable": Severity.WARNING,
    "file.damaged": Severity.BLOCKS,
    "file.empty": Severity.BLOCKS,
    "file.encrypted": Severity.BLOCKS,
    "file.no_fields": Severity.WARNING,
    "file.not_pdf": Severity.BLOCKS,
    "file.repaired": Severity.WARNING,
    "file.scanned": Severity.WARNING,
    "file.too_complex": Severity.BLOCKS,
    "file.too_large": Severity.BLOCKS,
    "file.too_many_pages": Severity.BLOCKS,
    "file.unsafe": Severity.WARNING,
    "file.wrong_type": Severity.BLOCKS,
    "file.xfa_only": Severity.WARNING,
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
    label: str | None = None
    page: int | None = None

    @classmethod
    def of(cls, code: str, *, severity: Severity | None = None, **where: Any) -> Problem:
        """A problem with the code's usual severity; ``where`` holds location and params."""
        location = {k: where.pop(k) for k in ("file", "form", "field", "label", "page") if k in where}
        return cls(code=code, severity=severity or CODES[code], params=where, **location)

    def message(self, lang: str = "en") -> str:
        return messages.render(self.code, lang, **self._message_params())

    def _message_params(self) -> dict[str, Any]:
        params = dict(self.params)
        params.setdefault("page", self.page)
        params.setdefault("field", self.label or self.field)
        params.setdefault("file", self.file)
        return params

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "severity": self.severity.value}
        for key in ("file", "form", "field", "label", "page"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.params:
            out["params"] = dict(self.params)
        out["message"] = self.message(lang)
        return out
