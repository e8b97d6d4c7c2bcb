"""Services as plain data: what forms and documents a service needs, loaded from YAML files.

A service file is written by agency staff (see ``schemas/README.md``); this module turns a
validated file into frozen dataclasses and finds services by id in a folder. Validation
itself, with the file, key path and line of each mistake, lives in ``_servicefile``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from intake.errors import IntakeError
from intake.words import Words

FIELD_TYPES = ("text", "number", "money", "date", "checkbox", "choice", "email", "phone", "ssn", "ein",
               "zip", "state", "signature")
FILE_TYPES = ("pdf", "jpeg", "png", "heic")
DECISIONS = ("rejected", "needs_documents")
"""The clerks' decisions that are sent to the citizen with a reason, so a file may give canned ones."""
SENSITIVE_TYPES = frozenset({"ssn", "ein"})


class ServiceError(IntakeError):
    """A service file has mistakes; ``problems`` lists each with its file, key path and line."""

    code = "service.invalid"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class UnknownServiceError(IntakeError):
    code = "service.unknown"


@dataclass(frozen=True)
class Condition:
    """``{form, field, is | is_not | in | filled}``: when a field's answer makes something needed."""

    field: str
    form: str | None = None
    op: Literal["is", "is_not", "in", "filled"] = "is"
    value: Any = True


@dataclass(frozen=True)
class FieldSpec:
    id: str
    sources: tuple[str, ...]
    type: str
    label: Words | None = None
    required: bool = False
    required_when: Condition | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    not_before: str | None = None
    not_after: str | None = None
    one_of: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%m-%d-%Y")
    join: str | None = None
    sensitive: bool = False
    choice_words: tuple[tuple[str, Words], ...] = ()
    """Words for export values that say nothing to a citizen (``Choice2``), from ``one_of``."""

    def words_for(self, value: object) -> Words | None:
        """The words a citizen reads for one of this field's values, when the author gave them."""
        return next((w for v, w in self.choice_words if v == str(value)), None)

    def choices_text(self) -> Words:
        """The allowed answers as a citizen reads them, in each language."""
        shown = [self.words_for(v) or Words(v, v) for v in self.one_of]
        return Words(", ".join(w.en for w in shown), ", ".join(w.es for w in shown))


@dataclass(frozen=True)
class Rule:
    """A check across fields of one form."""

    kind: Literal["require", "at_least_one_of", "exactly_one_of", "date_order", "equal"]
    fields: tuple[str, ...]
    when: Condition | None = None


@dataclass(frozen=True)
class Identify:
    """How a file is recognised: by its field names, its printed text, or both."""

    fields_any: tuple[str, ...] = ()
    fields_all: tuple[str, ...] = ()
    text_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edition:
    """An older (``outdated``) or different (``wrong``) form that people upload by mistake.

    Editions nobody listed are still caught from the printed revision line and the field
    fingerprint; listing one names it better ("the 2011 edition") and catches it for sure.
    """

    id: str
    title: Words
    identify: Identify | None = None
    status: Literal["outdated", "wrong"] = "outdated"
    revision: str | None = None


@dataclass(frozen=True)
class FormSpec:
    id: str
    title: Words
    identify: Identify
    fields: Mapping[str, FieldSpec]
    rules: tuple[Rule, ...] = ()
    editions: tuple[Edition, ...] = ()
    url: str | None = None
    required: bool = True
    required_when: Condition | None = None
    number: str | None = None
    """The form number printed on it ("DS-11", "W-9"), which tells it from other forms."""
    revision: str | None = None
    """The current edition's printed revision ("Rev. March 2024", "10-2021")."""

    @property
    def fingerprint(self) -> frozenset[str]:
        """The PDF field names of the current edition, as the service file's sources name them."""
        return frozenset(source for spec in self.fields.values() for source in spec.sources)


@dataclass(frozen=True)
class DocumentKind:
    id: str
    title: Words
    text_any: tuple[str, ...] = ()
    text_all: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    """Values it must print in full (names from ``intake.rules.PRINTED_VALUES``: ``ssn``)."""
    max_age_days: int | None = None
    overrides_age: bool = False


@dataclass(frozen=True)
class DocumentSpec:
    id: str
    title: Words
    description: Words | None = None
    required: bool = True
    required_when: Condition | None = None
    any_of: tuple[str, ...] = ()
    max_age_days: int | None = None
    min_pages: int | None = None
    accept: tuple[str, ...] = FILE_TYPES
    text_any: tuple[str, ...] = ()
    name_matches: Condition | None = None
    bring_original: bool = False
    points: Mapping[str, int] = field(default_factory=dict)
    address_in: str | None = None
    """A two-letter state the printed address must be in (proof that one lives there)."""
    address_matches: Condition | None = None
    """Form fields holding an address the document's address must match."""

    @property
    def pages_of_one(self) -> bool:
        """The files are pages of one document (front and back), not alternatives."""
        return bool(self.min_pages and self.min_pages > 1)


@dataclass(frozen=True)
class PointsRule:
    """Documents adding up to ``need`` points (as New York counts proofs of identity)."""

    id: str
    title: Words
    need: int
    documents: Mapping[str, int]


@dataclass(frozen=True)
class Office:
    name: str
    address: str = ""
    hours: Words | None = None
    appointments: str | None = None


VISIT_MODES = ("in_person", "mail")
"""How the citizen hands the papers in: at an office, or by sending them (``visit.mode``)."""


@dataclass(frozen=True)
class Visit:
    bring: tuple[Words, ...] = ()
    offices: tuple[Office, ...] = ()
    mode: str = "in_person"
    """One of ``VISIT_MODES``: ``mail`` services are sent in, so their pages never speak of a visit."""
    fees: Words | None = None
    """What it costs, on its own line: a fee is not a thing to bring (or "the card is free")."""

    @property
    def by_mail(self) -> bool:
        return self.mode == "mail"


@dataclass(frozen=True)
class SampleFile:
    """One file of a sample packet: a corpus form filled with values, or a file as it is."""

    path: str
    item: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    name: str
    files: tuple[SampleFile, ...]
    status: str
    codes: tuple[str, ...] = ()
    today: dt.date | None = None


@dataclass(frozen=True)
class Reason:
    """A canned reason a clerk picks for a decision instead of writing one from scratch.

    The citizen reads its text in the message about the decision, so it is written in both
    languages like every other text of the file; ``id`` lets the queue record which one was
    picked without storing the words.
    """

    id: str
    text: Words


@dataclass(frozen=True)
class SearchWords:
    """Words people search for a service by beyond its title, in each language: form numbers,
    common names, other spellings and plurals ("W9", "daycare", "licence", "guardería")."""

    en: tuple[str, ...] = ()
    es: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True)
class Service:
    id: str
    version: str
    title: Words
    forms: tuple[FormSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    kinds: Mapping[str, DocumentKind] = field(default_factory=dict)
    points: tuple[PointsRule, ...] = ()
    summary: Words | None = None
    visit: Visit = Visit()
    samples: tuple[Sample, ...] = ()
    retention_days: int = 30
    locale: str = "US"
    """How dates read in messages: US (12/01/2026), ISO (2026-12-01), or another region (01/12/2026)."""
    review_days: int | None = None
    """The office's target in days from a submission's arrival to a clerk's decision; the clerks'
    queue warns about submissions older than it. None: no target, no warnings."""
    reasons: Mapping[str, tuple[Reason, ...]] = field(default_factory=dict)
    """Canned reasons by decision (one of ``DECISIONS``); a decision the file leaves out has none."""
    search: SearchWords = SearchWords()
    """Words the service is also found by on the home page and in the API (``intake.search``)."""
    path: Path | None = None

    @property
    def date_format(self) -> str:
        return {"US": "%m/%d/%Y", "ISO": "%Y-%m-%d"}.get(self.locale, "%d/%m/%Y")

    def form(self, form_id: str) -> FormSpec:
        return next(f for f in self.forms if f.id == form_id)

    def document(self, document_id: str) -> DocumentSpec:
        return next(d for d in self.documents if d.id == document_id)

    @property
    def items(self) -> tuple[str, ...]:
        """Checklist item ids a file may be labelled with."""
        return tuple(f.id for f in self.forms) + tuple(d.id for d in self.documents)


def load_service(source: str | Path, *, schemas: str | Path | None = None) -> Service:
    """A service from a YAML file path, or by id from a folder of service files."""
    from intake import _servicefile

    path = Path(source)
    if path.suffix not in (".yaml", ".yml") and not path.exists():
        folder = Path(schemas) if schemas else default_schemas()
        path = folder / f"{source}.yaml"
        if not path.is_file():
            raise UnknownServiceError(f"there is no service {source!r} in {folder}", service=str(source))
    return _servicefile.load(path)


def catalogue(folder: str | Path | None = None) -> dict[str, Service]:
    """Every service in a folder, by id; a broken file raises with all its mistakes."""
    return {s.id: s for s in iter_services(folder)}


def iter_services(folder: str | Path | None = None) -> Iterator[Service]:
    from intake import _servicefile

    root = Path(folder) if folder else default_schemas()
    for path in sorted(root.glob("*.yaml")):
        if path.name != _servicefile.SHARED_KINDS:
            yield _servicefile.load(path)


def default_schemas() -> Path:
    """``INTAKE_SCHEMAS``, else the ``schemas`` folder of a source checkout, else the installed copy.

    An install maps the top-level ``schemas/`` folder to ``intake/schemas/`` (see setup.cfg).
    """
    import os

    configured = os.environ.get("INTAKE_SCHEMAS")
    if configured:
        return Path(configured)
    here = Path(__file__).resolve().parent
    checkout = here.parent / "schemas"
    return checkout if (checkout / "kinds.yaml").is_file() else here / "schemas"
