"""The meta-schema of a service file: marshmallow schemas that validate it and build a Service.

Service files are YAML written by people, so every mistake is reported with the file, the
line and the key path, in words that say how to fix it ("ds11.yaml, line 42, forms › ds11
› fields › birth_date › type: 'dat' is not a field type; use one of ..."). YAML 1.1 traps
(an unquoted ``no`` that loads as false, ``012`` as a number, ``2026-01-01`` as a date) get
a hint of their own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from intake.fieldtypes import STATES
from intake.rules import PRINTED_VALUES
from intake.services import (
    DECISIONS,
    FIELD_TYPES,
    FILE_TYPES,
    VISIT_MODES,
    Condition,
    DocumentKind,
    DocumentSpec,
    Edition,
    FieldSpec,
    FormSpec,
    Identify,
    Office,
    PointsRule,
    Reason,
    Rule,
    Sample,
    SampleFile,
    SearchWords,
    Service,
    ServiceError,
    Visit,
)
from intake.words import Words

SHARED_KINDS = "kinds.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SERVICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ID_ERROR = "use lower-case letters, digits and _ only, starting with a letter (like proof_of_address)"
_RULE_KINDS = ("require", "at_least_one_of", "exactly_one_of", "date_order", "equal")
_STATUSES = ("complete", "incomplete", "invalid")
_FORM_NUMBER = re.compile(r"^[A-Za-z]{1,6}[- ]?[A-Za-z]{0,3}\d{1,5}[A-Za-z0-9-]{0,6}$")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _bool(**kwargs: Any) -> fields.Boolean:
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def _text(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1, error="must not be empty"), **kwargs)


def _texts(**kwargs: Any) -> fields.List[str]:
    return fields.List(_text(), **kwargs)


def _ident(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(_ID, error=_ID_ERROR), **kwargs)


class WordsField(fields.Field):  # type: ignore[type-arg]
    """``{en: ..., es: ...}``: every text a citizen reads exists in both languages."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Words:
        if isinstance(value, str):
            raise ValidationError(f"give this text in English and Spanish: {{en: {value!r}, es: ...}}")
        if not isinstance(value, Mapping):
            raise ValidationError("give this text in English and Spanish: {en: ..., es: ...}")
        extra = sorted(set(value) - {"en", "es"})
        if extra:
            raise ValidationError(f"only en and es are languages here, not {', '.join(map(str, extra))}")
        for lang in ("en", "es"):
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise ValidationError(f"the {lang} text is missing or not a string")
        return Words(en=value["en"].strip(), es=value["es"].strip())


class DateBound(fields.Field):  # type: ignore[type-arg]
    """``today`` or a date, for not_before/not_after; ``today-18y`` counts back whole years."""

    _RELATIVE = re.compile(r"^today(?:([-+])(\d+)([dy]))?$")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            if self._RELATIVE.match(value):
                return value
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise ValidationError("use today, today-18y, today+30d or a date like 2026-01-31")


class Sources(fields.Field):  # type: ignore[type-arg]
    """One PDF field name, or a list of the boxes that together hold one value."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            raise ValidationError("give the PDF field's full name, or a list of names (use intake fields FILE)")
        return tuple(items)


class OneOf(fields.Field):  # type: ignore[type-arg]
    """The values a field allows, each optionally with the words a citizen reads for it.

    Three forms: a list of values (``[A, B]``); a list where an item may carry its words
    (``[{value: Choice1, en: Married, es: Casado}]``); a mapping of value to words
    (``{Choice1: {en: Married, es: Casado}}``). Loads as a list of (value, Words or None).
    """

    _WORDS = WordsField()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[tuple[str, Any]]:
        if isinstance(value, Mapping):
            items: list[tuple[Any, Any]] = list(value.items())
        elif isinstance(value, list):
            items = [(i.get("value"), {k: v for k, v in i.items() if k != "value"}) if isinstance(i, Mapping)
                     else (i, None) for i in value]
        else:
            raise ValidationError("list the values the form allows, like [A, B], or give each its words: "
                                  "{A: {en: ..., es: ...}}")
        if not items:
            raise ValidationError("list at least one value")
        out: list[tuple[str, Any]] = []
        errors: dict[Any, list[str]] = {}
        for index, (raw, words) in enumerate(items):
            where = raw if isinstance(value, Mapping) else index
            if raw is None:
                errors[where] = ["each item with words needs its value: {value: Choice1, en: ..., es: ...}"]
            elif not isinstance(raw, str) or not raw:
                errors[where] = ["Not a valid string."]
            else:
                try:
                    out.append((raw, None if words is None else self._WORDS.deserialize(words)))
                except ValidationError as exc:
                    errors[where] = cast(list[str], exc.messages)
        if errors:
            raise ValidationError(cast(Any, errors))
        return out


class ConditionSchema(_Strict):
    form = _ident()
    field = _ident(required=True)
    is_ = fields.Raw(data_key="is")
    is_not = fields.Raw()
    in_ = fields.List(fields.Raw(), data_key="in")
    filled = _bool()

    @validates_schema
    def _one_test(self, data: dict[str, Any], **kwargs: Any) -> None:
        tests = [k for k in ("is_", "is_not", "in_", "filled") if k in data]
        if len(tests) > 1:
            raise ValidationError("use only one of is, is_not, in, filled")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Condition:
        ops: tuple[tuple[str, Literal["is", "is_not", "in", "filled"]], ...] = (
            ("is_not", "is_not"), ("in_", "in"), ("filled", "filled"), ("is_", "is"))
        for key, op in ops:
            if key in data:
                value = tuple(data[key]) if key == "in_" else data[key]
                return Condition(field=data["field"], form=data.get("form"), op=op, value=value)
        return Condition(field=data["field"], form=data.get("form"), op="filled", value=True)


class NameMatchSchema(_Strict):
    form = _ident(required=True)
    field = fields.Raw(required=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Condition:
        names = data["field"] if isinstance(data["field"], list) else [data["field"]]
        if not all(isinstance(n, str) and _ID.match(n) for n in names):
            raise ValidationError({"field": ["name a field id of the form, or a list of them"]})
        return Condition(field=" ".join(names), form=data["form"], op="filled")


class FieldSchema(_Strict):
    source = Sources(required=True)
    type = fields.String(required=True, validate=validate.OneOf(
        FIELD_TYPES, error="{input!r} is not a field type; use one of {choices}"))
    label = WordsField()
    required = _bool()
    required_when = fields.Nested(ConditionSchema)
    pattern = fields.String()
    min_length = fields.Integer(strict=True, validate=validate.Range(min=0))
    max_length = fields.Integer(strict=True, validate=validate.Range(min=1))
    min = fields.Float()
    max = fields.Float()
    not_before = DateBound()
    not_after = DateBound()
    one_of = OneOf()
    formats = fields.List(fields.String(), validate=validate.Length(min=1))
    join = fields.String()
    sensitive = _bool()

    @validates_schema
    def _coherent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "pattern" in data:
            try:
                re.compile(data["pattern"])
            except re.error as exc:
                raise ValidationError(f"this pattern is not a valid regular expression: {exc}", "pattern") from exc
        if data.get("type") == "choice" and "one_of" not in data:
            raise ValidationError("a choice needs one_of: the export values the form allows", "one_of")
        if data.get("required") and "required_when" in data:
            raise ValidationError("use required or required_when, not both", "required_when")


class RuleSchema(_Strict):
    when = fields.Nested(ConditionSchema)
    require = fields.List(_ident(), validate=validate.Length(min=1))
    at_least_one_of = fields.List(_ident(), validate=validate.Length(min=2))
    exactly_one_of = fields.List(_ident(), validate=validate.Length(min=2))
    date_order = fields.List(_ident(), validate=validate.Length(equal=2, error="name two date fields: earlier, later"))
    equal = fields.List(_ident(), validate=validate.Length(equal=2, error="name the two fields that must match"))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Rule:
        kinds = [k for k in _RULE_KINDS if k in data]
        if len(kinds) != 1:
            raise ValidationError(f"a rule has exactly one of {', '.join(_RULE_KINDS)}")
        if kinds[0] == "require" and "when" not in data:
            raise ValidationError({"when": ["require needs a when: say when these fields are needed"]})
        kind = cast(Any, kinds[0])
        return Rule(kind=kind, fields=tuple(data[kinds[0]]), when=data.get("when"))


class IdentifySchema(_Strict):
    fields_any = _texts()
    fields_all = _texts()
    text_any = _texts()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Identify:
        if not any(data.values()):
            raise ValidationError("say how to recognise it: fields_any, fields_all or text_any")
        return Identify(**{k: tuple(v) for k, v in data.items()})


class EditionSchema(_Strict):
    id = _ident(required=True)
    title = WordsField(required=True)
    identify = fields.Nested(IdentifySchema)
    revision = _text()
    status = fields.String(load_default="outdated", validate=validate.OneOf(("outdated", "wrong")))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Edition:
        if "identify" not in data and "revision" not in data:
            raise ValidationError("say how to recognise this edition: its printed revision, or identify")
        return Edition(**data)


class FormSchema(_Strict):
    id = _ident(required=True)
    title = WordsField(required=True)
    url = fields.Url(schemes={"https", "http"})
    required = _bool()
    required_when = fields.Nested(ConditionSchema)
    identify = fields.Nested(IdentifySchema, required=True)
    number = fields.String(validate=validate.Regexp(
        _FORM_NUMBER, error="write the form number as printed, like DS-11, W-9 or SS-5"))
    revision = _text()
    editions = fields.List(fields.Nested(EditionSchema))
    fields_ = fields.Dict(keys=_ident(), values=fields.Nested(FieldSchema), required=True, data_key="fields")
    rules = fields.List(fields.Nested(RuleSchema))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> FormSpec:
        specs = {}
        for field_id, spec in data.pop("fields_").items():
            spec.setdefault("sensitive", spec["type"] in ("ssn", "ein"))
            spec["sources"] = spec.pop("source")
            if "one_of" in spec:
                pairs = spec.pop("one_of")
                spec["one_of"] = tuple(v for v, _ in pairs)
                spec["choice_words"] = tuple((v, w) for v, w in pairs if w is not None)
            if "formats" in spec:
                spec["formats"] = tuple(spec["formats"])
            specs[field_id] = FieldSpec(id=field_id, **spec)
        return FormSpec(fields=specs, rules=tuple(data.pop("rules", ())),
                        editions=tuple(data.pop("editions", ())), **data)


class KindSchema(_Strict):
    title = WordsField(required=True)
    text_any = _texts()
    text_all = _texts()
    shows = fields.List(fields.String(validate=validate.OneOf(
        sorted(PRINTED_VALUES), error="name a value it prints: {choices}")))
    max_age_days = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1))


class DocumentSchema(_Strict):
    id = _ident(required=True)
    title = WordsField(required=True)
    description = WordsField()
    required = _bool()
    required_when = fields.Nested(ConditionSchema)
    any_of = fields.List(_ident(), validate=validate.Length(min=1))
    max_age_days = fields.Integer(strict=True, validate=validate.Range(min=1))
    min_pages = fields.Integer(strict=True, validate=validate.Range(min=1))
    accept = fields.List(fields.String(validate=validate.OneOf(FILE_TYPES)), validate=validate.Length(min=1))
    text_any = _texts()
    name_matches = fields.Nested(NameMatchSchema)
    address_in = fields.String(validate=validate.OneOf(
        STATES, error="give the state's two-letter code, like NY"))
    address_matches = fields.Nested(NameMatchSchema)
    bring_original = _bool()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> DocumentSpec:
        if "required_when" in data:
            data.setdefault("required", False)
        for key in ("any_of", "accept", "text_any"):
            if key in data:
                data[key] = tuple(data[key])
        return DocumentSpec(**data)


class PointsSchema(_Strict):
    id = _ident(required=True)
    title = WordsField(required=True)
    need = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    documents = fields.Dict(keys=_ident(), values=fields.Integer(strict=True, validate=validate.Range(min=1)),
                            required=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> PointsRule:
        return PointsRule(**data)


class OfficeSchema(_Strict):
    name = _text(required=True)
    address = fields.String()
    hours = WordsField()
    appointments = fields.Url(schemes={"https", "http"})

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Office:
        return Office(**data)


class VisitSchema(_Strict):
    bring = fields.List(WordsField())
    offices = fields.List(fields.Nested(OfficeSchema))
    mode = fields.String(validate=validate.OneOf(VISIT_MODES, error=(
        "{input!r} is not a way to hand the papers in; use in_person (the default) or mail")))
    fees = WordsField()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Visit:
        return Visit(bring=tuple(data.get("bring", ())), offices=tuple(data.get("offices", ())),
                     mode=data.get("mode", "in_person"), fees=data.get("fees"))


class SampleFileSchema(_Strict):
    path = _text(required=True)
    item = _ident()
    values = fields.Dict(keys=fields.String())

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> SampleFile:
        return SampleFile(**data)


class ExpectSchema(_Strict):
    status = fields.String(required=True, validate=validate.OneOf(_STATUSES))
    codes = fields.List(fields.String())


class SampleSchema(_Strict):
    name = _text(required=True)
    today = fields.Date()
    files = fields.List(fields.Nested(SampleFileSchema), required=True)
    expect = fields.Nested(ExpectSchema, required=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Sample:
        expect = data.pop("expect")
        return Sample(files=tuple(data.pop("files")), status=expect["status"],
                      codes=tuple(expect.get("codes", ())), **data)


class ReasonSchema(_Strict):
    id = _ident(required=True)
    text = WordsField(required=True)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Reason:
        return Reason(**data)


class SearchSchema(_Strict):
    """``search: {en: [...], es: [...]}``: what else people call the service, one word or phrase an item."""

    en = _texts(validate=validate.Length(min=1, error="list at least one word, or leave en out"))
    es = _texts(validate=validate.Length(min=1, error="list at least one word, or leave es out"))

    @validates_schema
    def _some(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("list the words people search for, like {en: [W9, tax form], es: [formulario W9]}")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> SearchWords:
        return SearchWords(en=tuple(w.strip() for w in data.get("en", ())),
                           es=tuple(w.strip() for w in data.get("es", ())))


def _unique_ids(reasons: list[Reason]) -> None:
    """The queue records which reason a clerk picked by its id, so two with one id would be mixed up.

    The mistake is reported on the second one, where the author has to change it.
    """
    seen: set[str] = set()
    mistakes: dict[int, dict[str, list[str]]] = {}
    for index, reason in enumerate(reasons):
        if reason.id in seen:
            mistakes[index] = {"id": [f"two reasons for this decision are called {reason.id!r}; "
                                      "give each its own id"]}
        seen.add(reason.id)
    if mistakes:
        raise ValidationError(cast(Any, mistakes))


class ServiceSchema(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(
        _SERVICE_ID, error="use lower-case letters, digits and - only (like passport-first-time)"))
    version = fields.String(required=True)
    title = WordsField(required=True)
    summary = WordsField()
    visit = fields.Nested(VisitSchema)
    retention_days = fields.Integer(strict=True, validate=validate.Range(min=1))
    locale = fields.String(validate=validate.Regexp(
        r"^(ISO|[A-Z]{2})$", error="use US (dates like 12/01/2026), ISO (2026-12-01) or a two-letter region"))
    forms = fields.List(fields.Nested(FormSchema))
    documents = fields.List(fields.Nested(DocumentSchema))
    document_kinds = fields.Dict(keys=_ident(), values=fields.Nested(KindSchema))
    points = fields.List(fields.Nested(PointsSchema))
    samples = fields.List(fields.Nested(SampleSchema))
    review_days = fields.Integer(
        strict=True, validate=validate.Range(min=1, error="give at least 1 day"),
        error_messages={"invalid": "give a whole number of days, like 10, without quotes"})
    reasons = fields.Dict(
        keys=fields.String(validate=validate.OneOf(DECISIONS, error=(
            "{input!r} is not a decision clerks give reasons for; use rejected or needs_documents"))),
        values=fields.List(fields.Nested(ReasonSchema), validate=[
            validate.Length(min=1, error="list at least one reason, or leave this decision out"), _unique_ids]))
    search = fields.Nested(SearchSchema)


class KindsFileSchema(_Strict):
    document_kinds = fields.Dict(keys=_ident(), values=fields.Nested(KindSchema), required=True)


def load(path: Path) -> Service:
    """Validate and build the service in ``path``; raise ServiceError listing every mistake."""
    return _load(path)[0]


@dataclass(frozen=True)
class LintWarning:
    """Something ``intake lint`` points out in a file that loads: allowed, but probably not meant.

    ``code`` is stable, so a check or a team can look for one kind of warning; ``text`` names
    the file, line and key path as mistakes do.
    """

    code: str
    text: str
    blocking: bool = False
    """A mistake that loads but cannot be meant (a dead rule, a lost key): lint exits 2 on it."""


REASON_MAX_CHARS = 300
"""A canned reason goes to the citizen inside a message about the decision; longer reads as a letter."""
REVIEW_DAYS_MAX = 90
"""A review target past three months is more likely a typo (or weeks counted as days) than a plan."""


def lint(path: Path) -> tuple[Service, list[LintWarning]]:
    """Load the service in ``path`` as ``load`` does, and say what in it is allowed but doubtful."""
    service, nodes = _load(path)
    data = yaml.load(_read(path), Loader=_LOADER)
    found = [LintWarning(code, _locate(path, where, f"{message} ({code})", nodes), code in BLOCKING)
             for code, where, message in _doubts_more(service, data)]
    found += [LintWarning(code, _locate(path, where, f"{message} ({code})", nodes), code in BLOCKING)
             for code, where, message in _doubts(service)]
    found += [LintWarning(code, f"{path.name}, line {line}, {trail}: {message} ({code})", code in BLOCKING)
              for code, line, trail, message in _node_doubts(nodes)]
    return service, found


BLOCKING = frozenset({"lint.duplicate_key", "lint.dead_condition", "lint.sample_date_unquoted",
                      "lint.unknown_code", "lint.kind_never_matches", "lint.document_unreachable"})
"""Lint codes for what loads but cannot be meant; the others are warnings and leave the exit 0."""


def problem_codes() -> frozenset[str]:
    """The codes a sample may expect: the keys of the message catalogue, without their variants."""
    from intake.messages import TEXTS

    return frozenset(key.split(":")[0] for key in TEXTS)


def _node_doubts(nodes: dict[tuple[Any, ...], yaml.Node]) -> Iterator[tuple[str, int, str, str]]:
    """Mistakes YAML hides once loaded: a key written twice (the first is lost), a date in a sample."""
    for where, node in nodes.items():
        if where and where[-1] == "<key>":
            continue
        trail = " › ".join(str(_name(where, i)) for i in range(len(where))) or "top"
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, _value in node.value:
                if key.value in seen:
                    yield ("lint.duplicate_key", key.start_mark.line + 1, trail,
                           f"{key.value!r} is written twice here, and YAML keeps only the last one; "
                           "give each its own name or delete one")
                seen.add(key.value)
        elif (isinstance(node, yaml.ScalarNode) and not node.style and node.tag.endswith(":timestamp")
              and len(where) > 4 and where[0] == "samples" and where[4] == "values"):
            yield ("lint.sample_date_unquoted", node.start_mark.line + 1, trail,
                   f"YAML reads {node.value} without quotes as a date, not as the text typed into the form; "
                   f"write it in quotes as the form expects it, like '{node.value}'")


def _conditions(service: Service) -> Iterator[tuple[tuple[Any, ...], Condition, str | None]]:
    for fi, form in enumerate(service.forms):
        for field_id, spec in form.fields.items():
            if spec.required_when:
                yield ("forms", fi, "fields", field_id, "required_when"), spec.required_when, form.id
        for ri, rule in enumerate(form.rules):
            if rule.when:
                yield ("forms", fi, "rules", ri, "when"), rule.when, form.id
        if form.required_when:
            yield ("forms", fi, "required_when"), form.required_when, None
    for di, doc in enumerate(service.documents):
        if doc.required_when:
            yield ("documents", di, "required_when"), doc.required_when, None


Offered = dict[str, dict[str, tuple[str, tuple[str, ...]]]]
"""Per form id: each box with a fixed set of answers -> (the blank PDF's name, the answers it offers)."""


def _dead(service: Service, cond: Condition, default_form: str | None, offered: Offered | None = None) -> str | None:
    """Why ``cond`` can never hold: the field's one_of, or the boxes of the form's own PDF, lack its answer."""
    form = next((f for f in service.forms if f.id == (cond.form or default_form)), None)
    spec = form.fields.get(cond.field) if form else None
    if form is None or spec is None or cond.op not in ("is", "is_not", "in"):
        return None
    wanted = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    missing = [v for v in wanted if str(v) not in spec.one_of]
    if spec.one_of and missing:
        return (f"{', '.join(repr(str(v)) for v in missing)} is not one of the answers {cond.field} allows "
                f"({', '.join(spec.one_of)}), so this condition can never be true; use one of them")
    box = (offered or {}).get(form.id, {}).get(spec.sources[0]) if len(spec.sources) == 1 else None
    if box is None:
        return None
    pdf, answers = box
    missing = [v for v in wanted if not isinstance(v, bool) and str(v) not in answers]
    if not missing:
        return None
    return (f"{', '.join(repr(str(v)) for v in missing)} is not an answer the box {spec.sources[0]!r} of {pdf} "
            f"offers ({', '.join(answers)}), so this condition can never be true; use one of them")


def _offered(service: Service) -> Offered:
    """The answers each check box, radio group and list of the service's forms offers, read from the
    blank PDF a sample fills in (the one real copy of the form a service file names)."""
    from intake import samples
    from intake.errors import IntakeError
    from intake.fields import FieldKind
    from intake.pdf import read_form

    found: Offered = {}
    forms = {f.id for f in service.forms}
    for sample in service.samples:
        for entry in sample.files:
            if entry.item not in forms or entry.item in found:
                continue
            try:
                path = samples.resolve(service, entry)
                boxes = read_form(path).fields
            except (samples.SampleFileMissing, IntakeError, OSError):
                continue
            answers: dict[str, tuple[str, tuple[str, ...]]] = {}
            for box in boxes:
                fixed = box.kind is FieldKind.RADIO or (box.kind is FieldKind.CHECKBOX and len(box.exports) > 1) or (
                    box.kind is FieldKind.CHOICE and not box.editable)
                values = [*box.exports, *(w.on_state for w in box.widgets if w.on_state),
                          *(o.export for o in box.options if o.export)]
                if fixed and values:
                    answers[box.name] = (path.name, tuple(dict.fromkeys(values)))
            found[entry.item or ""] = answers
    return found


def _words(data: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, Mapping):
        if set(data) == {"en", "es"} and isinstance(data["en"], str) and isinstance(data["es"], str):
            en, es = data["en"].strip(), data["es"].strip()
            if es.upper().startswith("TODO") or (en == es and len(re.findall(r"[^\W\d_]{3,}", en)) >= 2):
                yield (*where, "es"), en
            return
        for key, value in data.items():
            yield from _words(value, (*where, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _words(item, (*where, i))


_VISIT_WORDS = {"en": re.compile(r"\bvisit(s|ing)?\b", re.IGNORECASE),
                "es": re.compile(r"\bvisitas?\b", re.IGNORECASE)}
"""Words that send a citizen to an office, which a service handled by mail must not use."""


def _texts_of(data: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every English and Spanish text of a service file, with its key path and language."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key in _VISIT_WORDS and isinstance(value, str):
                yield (*where, key), key, value
            else:
                yield from _texts_of(value, (*where, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _texts_of(item, (*where, i))


def _doubts_more(service: Service, data: Any) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    offered = _offered(service)
    for where, cond, default_form in _conditions(service):
        why = _dead(service, cond, default_form, offered)
        if why:
            yield "lint.dead_condition", where, why
    known = problem_codes()
    for si, sample in enumerate(service.samples):
        for ci, code in enumerate(sample.codes):
            if code not in known:
                close = difflib.get_close_matches(code, sorted(known), n=1)
                hint = f"; did you mean {close[0]}?" if close else "; see intake rules for the list"
                yield ("lint.unknown_code", ("samples", si, "expect", "codes", ci),
                       f"{code!r} is not a problem code{hint}")
    used = {k for d in service.documents for k in d.any_of} | {k for p in service.points for k in p.documents}
    own = set(data.get("document_kinds") or {}) if isinstance(data, Mapping) else set()
    for kind_id in sorted(used | own):
        kind = service.kinds.get(kind_id)
        if kind is not None and not kind.text_any and not kind.text_all:
            where = ("document_kinds", kind_id) if kind_id in own else ("documents",)
            yield ("lint.kind_never_matches", where,
                   f"the document kind {kind_id} has no text_any or text_all, so no file can ever be "
                   "recognised as it; list words printed on such a document")
    for di, doc in enumerate(service.documents):
        kinds = [service.kinds[k] for k in doc.any_of if k in service.kinds]
        if kinds and not any(k.text_any or k.text_all for k in kinds):
            yield ("lint.document_unreachable", ("documents", di, "any_of"),
                   f"no file can ever count as {doc.id}: none of its kinds has text to recognise it by; "
                   "give the kinds text_any")
        elif doc.required_when is not None and _dead(service, doc.required_when, None, offered):
            yield ("lint.document_unreachable", ("documents", di, "required_when"),
                   f"{doc.id} is never asked for, because its required_when can never be true")
    if service.visit.by_mail:
        for where, lang, text in _texts_of(data):
            if _VISIT_WORDS[lang].search(text):
                yield ("lint.visit_words", where,
                       "this service is sent by mail (visit: mode: mail), but this text speaks of a visit; "
                       "say what to send instead, like 'Send the original' or 'Mail it to the office'")
    for where, en in _words(data):
        yield ("lint.untranslated", where, f"the Spanish text is missing or the same as the English ({en[:40]!r}); "
               "write it in Spanish")
    yield from _wording(service, data)


_BRITISH = {"licence": "license", "licences": "licenses", "licenced": "licensed", "centre": "center",
            "centres": "centers", "organisation": "organization", "organisations": "organizations",
            "organise": "organize", "authorise": "authorize", "authorised": "authorized", "recognise": "recognize",
            "recognised": "recognized", "colour": "color", "favour": "favor", "honour": "honor",
            "behaviour": "behavior", "labour": "labor", "neighbour": "neighbor", "programme": "program",
            "cheque": "check", "catalogue": "catalog", "enrolment": "enrollment", "enrol": "enroll",
            "defence": "defense", "offence": "offense", "fulfil": "fulfill", "metre": "meter"}
_BRITISH_WORD = re.compile(r"\b(" + "|".join(sorted(_BRITISH, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_STATE_NAME = re.compile("|".join(sorted((re.escape(n) for n in STATES.values()), key=len, reverse=True)))


def _title_case(title: str) -> str | None:
    """``title`` in sentence case when it is written in Title Case ("Birth Certificate"), else None.

    Names keep their capitals: acronyms and form numbers, states ("New York State ID"), and any
    title that also has a long word in lower case ("Social Security card" is a name and a noun).
    """
    words = [w.strip("()[],.;:“”\"'") for w in _STATE_NAME.sub("", title).split()[1:]]
    common = [w for w in words if len(w) >= 4 and w.isalpha()]
    if not common or any(w.islower() for w in common) or not all(w[0].isupper() and not w.isupper() for w in common):
        return None
    first, *rest = title.split(" ")
    kept = _STATE_NAME.findall(title)
    lowered = " ".join(w if w.isupper() or not w.isalpha() or any(w in k for k in kept) else w.lower()
                       for w in rest)
    return f"{first} {lowered}"


def _wording(service: Service, data: Any) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    """Words that read wrong in the sentences the citizen sees: a title in Title Case fitted into
    "Add ...", and in a US service, British spellings ("licence" for "license")."""
    titled: list[tuple[tuple[Any, ...], Any]] = [
        (("documents", i, "title"), d.title) for i, d in enumerate(service.documents)]
    own = data.get("document_kinds") or {} if isinstance(data, Mapping) else {}
    titled += [(("document_kinds", k, "title"), service.kinds[k].title) for k in own if k in service.kinds]
    for where, words in titled:
        for lang in ("en", "es"):
            better = _title_case(words.get(lang))
            if better:
                yield ("lint.sentence_case", (*where, lang),
                       f"{words.get(lang)!r} is in Title Case, so inside a sentence it reads as a name "
                       f"(\"Add {words.get(lang)}.\"); write it in sentence case, with capitals only for "
                       f"names: {better!r}")
    if service.locale != "US":
        return
    for where, lang, text in _texts_of(data):
        if lang != "en" or (where and where[0] == "search"):
            continue
        for found in dict.fromkeys(m.group(0) for m in _BRITISH_WORD.finditer(text)):
            us = _BRITISH[found.casefold()]
            us = us.capitalize() if found[0].isupper() else us
            yield ("lint.british_spelling", where,
                   f"{found!r} is the British spelling; this service is for the US (locale: US), so write {us!r}")
    shared = [k for k in sorted({k for d in service.documents for k in d.any_of}) if k not in own]
    for kind_id in shared:
        kind = service.kinds.get(kind_id)
        for found in dict.fromkeys(m.group(0) for m in _BRITISH_WORD.finditer(kind.title.en if kind else "")):
            yield ("lint.british_spelling", ("documents",),
                   f"the shared kind {kind_id} in {SHARED_KINDS} says {found!r}, the British spelling; "
                   f"write {_BRITISH[found.casefold()]!r} there, since this service is for the US")


def _doubts(service: Service) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    if service.review_days is not None and service.review_days > REVIEW_DAYS_MAX:
        yield ("lint.review_days_high", ("review_days",),
               f"{service.review_days} days is more than {REVIEW_DAYS_MAX} for a clerk's decision, "
               "which is probably a mistake; check the number")
    for decision, reasons in service.reasons.items():
        for index, reason in enumerate(reasons):
            for lang in ("en", "es"):
                size = len(reason.text.get(lang))
                if size > REASON_MAX_CHARS:
                    yield ("lint.reason_too_long", ("reasons", decision, index, "text", lang),
                           f"this reason is {size} characters; the citizen reads it in a message, so keep it "
                           f"to {REASON_MAX_CHARS} and say only what to do next")


def _load(path: Path) -> tuple[Service, dict[tuple[Any, ...], yaml.Node]]:
    kinds_path = path.parent / SHARED_KINDS
    return _built(path, _read(path), _read(kinds_path) if kinds_path.is_file() else None)


@functools.lru_cache(maxsize=128)
def _built(path: Path, text: str, kinds_text: str | None) -> tuple[Service, dict[tuple[Any, ...], yaml.Node]]:
    """The service made from these exact texts. A web app, each test and each worker loads the same
    few files again and again; the result is frozen, so one build serves every later load of the same
    bytes (a changed file is other text, so it is built afresh; a mistake is raised each time)."""
    data, nodes = _parse(path, text)
    try:
        loaded = ServiceSchema().load(data)
    except ValidationError as exc:
        raise _error(path, exc.messages, nodes, data) from None
    shared = _shared_kinds(path.parent / SHARED_KINDS, kinds_text) if kinds_text is not None else {}
    kinds = {**shared, **_kinds(loaded.get("document_kinds", {}))}
    service = Service(
        id=loaded["id"], version=loaded["version"], title=loaded["title"], summary=loaded.get("summary"),
        visit=loaded.get("visit", Visit()), forms=tuple(loaded.get("forms", ())),
        documents=tuple(loaded.get("documents", ())), kinds=kinds, points=tuple(loaded.get("points", ())),
        samples=tuple(loaded.get("samples", ())), retention_days=loaded.get("retention_days", 30),
        locale=loaded.get("locale", "US"), review_days=loaded.get("review_days"),
        reasons={decision: tuple(reasons) for decision, reasons in loaded.get("reasons", {}).items()}, path=path,
        search=loaded.get("search", SearchWords()),
    )
    mistakes = list(_cross_references(service, path))
    if mistakes:
        raise ServiceError(f"{path.name} has {len(mistakes)} mistake(s)",
                           [_locate(path, where, message, nodes) for where, message in mistakes])
    return service, nodes


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ServiceError(f"{path}: there is no such service file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ServiceError(f"{path.name}: cannot read it as UTF-8 text ({exc})") from None


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (the wheels are): the same documents, ten
times faster than the pure-Python one."""


def _parse(path: Path, text: str) -> tuple[Any, dict[tuple[Any, ...], yaml.Node]]:
    try:
        # Two readings: building the data folds merge keys (<<) into the nodes it reads from, and
        # the nodes are kept as written, to find lines and keys given twice.
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ServiceError(f"{path.name}{where}: this is not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise ServiceError(f"{path.name}, line 1: a service file is a set of keys (id, version, title, ...)")
    nodes: dict[tuple[Any, ...], yaml.Node] = {}
    if node is not None:
        _index(node, (), nodes)
    return data, nodes


def _index(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], yaml.Node]) -> None:
    out[path] = node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value, "<key>")] = key
            _index(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), out)


def _flatten(messages: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if key == "_schema" or (key in ("value", "key") and path and not isinstance(value, str)):
                yield from _flatten(value, path)
            else:
                yield from _flatten(value, (*path, key))
    elif isinstance(messages, list):
        for item in messages:
            yield from _flatten(item, path)
    else:
        yield path, str(messages)


def _error(path: Path, messages: Any, nodes: dict[tuple[Any, ...], yaml.Node], data: Any) -> ServiceError:
    problems = [_locate(path, where, _explain(where, message, nodes, data), nodes)
                for where, message in _flatten(messages)]
    return ServiceError(f"{path.name} has {len(problems)} mistake(s)", problems)


_KNOWN_KEYS = sorted({name for schema in (ServiceSchema, FormSchema, FieldSchema, DocumentSchema, KindSchema,
                                          RuleSchema, ConditionSchema, IdentifySchema, VisitSchema, OfficeSchema,
                                          SampleSchema, SampleFileSchema, EditionSchema, PointsSchema, ReasonSchema,
                                          SearchSchema)
                      for name in (f.data_key or n for n, f in schema().fields.items())})


def _explain(where: tuple[Any, ...], message: str, nodes: dict[tuple[Any, ...], yaml.Node], data: Any) -> str:
    node = nodes.get(where)
    if message == "Unknown field.":
        close = difflib.get_close_matches(str(where[-1]), _KNOWN_KEYS, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; check the spelling in schemas/README.md"
        return f"{where[-1]!r} is not a key we know here{hint}"
    if message == "Missing data for required field.":
        return "this key is required"
    if isinstance(node, yaml.ScalarNode) and not node.style:
        raw = node.value
        if node.tag.endswith(":bool") and raw.lower() not in ("true", "false"):
            meaning = raw.lower() in ("yes", "on", "y")
            return f"YAML reads {raw} without quotes as {meaning}; write it in quotes: '{raw}'"
        if node.tag.endswith(":int") and raw.startswith("0") and len(raw) > 1:
            return f"YAML reads {raw} without quotes as a number and drops the leading zero; write '{raw}'"
        if node.tag.endswith(":timestamp"):
            return f"YAML reads {raw} without quotes as a date; write it in quotes: '{raw}'"
        if node.tag.endswith((":int", ":float")) and message.startswith("Not a valid string"):
            return f"YAML reads {raw} without quotes as a number; write it in quotes: '{raw}'"
    return message[:1].lower() + message[1:].rstrip(".")


def locate(path: Path, where: tuple[Any, ...], message: str) -> str:
    """``message`` placed at the line of ``where`` in the service file, for mistakes found after loading."""
    try:
        _data, nodes = _parse(path, _read(path))
    except ServiceError:
        nodes = {}
    return _locate(path, where, message, nodes)


def _locate(path: Path, where: tuple[Any, ...], message: str, nodes: dict[tuple[Any, ...], yaml.Node]) -> str:
    line = None
    for cut in range(len(where), -1, -1):
        node = nodes.get((*where[:cut], "<key>")) if cut == len(where) and where else None
        node = node or nodes.get(where[:cut])
        if node is not None:
            line = node.start_mark.line + 1
            break
    trail = " › ".join(str(_name(where, i)) for i in range(len(where)))
    return f"{path.name}, line {line}{', ' + trail if trail else ''}: {message}"


def _name(where: tuple[Any, ...], i: int) -> Any:
    return f"[{where[i] + 1}]" if isinstance(where[i], int) else where[i]


def _kinds(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, DocumentKind]:
    return {
        kind_id: DocumentKind(id=kind_id, title=spec["title"], text_any=tuple(spec.get("text_any", ())),
                              text_all=tuple(spec.get("text_all", ())), shows=tuple(spec.get("shows", ())),
                              max_age_days=spec.get("max_age_days"),
                              overrides_age="max_age_days" in spec)
        for kind_id, spec in raw.items()
    }


def _shared_kinds(path: Path, text: str) -> dict[str, DocumentKind]:
    data, nodes = _parse(path, text)
    try:
        return _kinds(KindsFileSchema().load(data)["document_kinds"])
    except ValidationError as exc:
        raise _error(path, exc.messages, nodes, data) from None


def _cross_references(service: Service, path: Path) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Names that must point at something that exists, reported where they are written."""
    if service.id != path.stem:
        yield ("id",), (f"the id must match the file name: {path.stem}; "
                        f"rename the file to {service.id}.yaml or set id: {path.stem}")
    forms = {f.id: f for f in service.forms}
    documents = {d.id for d in service.documents}

    def check_condition(where: tuple[Any, ...], cond: Any, default_form: str | None) -> Iterator[Any]:
        form_id = cond.form or default_form
        if form_id not in forms:
            yield (*where, "form"), f"there is no form {form_id!r} in this service"
            return
        for field_id in cond.field.split():
            if field_id not in forms[form_id].fields:
                yield (*where, "field"), f"the form {form_id} has no field {field_id!r}"

    for duplicate in sorted({i for i in service.items if service.items.count(i) > 1}):
        yield ("forms",), f"two checklist items are called {duplicate!r}; give each its own id"
    for fi, form in enumerate(service.forms):
        for field_id, spec in form.fields.items():
            if spec.required_when:
                yield from check_condition(("forms", fi, "fields", field_id, "required_when"), spec.required_when,
                                           form.id)
        for ri, rule in enumerate(form.rules):
            for name in rule.fields:
                if name not in form.fields:
                    yield ("forms", fi, "rules", ri, rule.kind), f"the form {form.id} has no field {name!r}"
            for name in rule.fields if rule.kind == "date_order" else ():
                if name in form.fields and form.fields[name].type != "date":
                    yield ("forms", fi, "rules", ri, rule.kind), f"{name} is not a date field"
            if rule.when:
                yield from check_condition(("forms", fi, "rules", ri, "when"), rule.when, form.id)
        if form.required_when:
            yield from check_condition(("forms", fi, "required_when"), form.required_when, None)
    for di, doc in enumerate(service.documents):
        for kind in doc.any_of:
            if kind not in service.kinds:
                yield ("documents", di, "any_of"), (f"there is no document kind {kind!r} here or in "
                                                    f"{SHARED_KINDS}")
        if doc.required_when:
            yield from check_condition(("documents", di, "required_when"), doc.required_when, None)
        if doc.name_matches:
            yield from check_condition(("documents", di, "name_matches"), doc.name_matches, None)
        if doc.address_matches:
            yield from check_condition(("documents", di, "address_matches"), doc.address_matches, None)
    for pi, points in enumerate(service.points):
        for item in points.documents:
            if item not in documents and item not in service.kinds:
                yield ("points", pi, "documents", item), f"there is no document or kind {item!r}"
    for si, sample in enumerate(service.samples):
        for fi2, sample_file in enumerate(sample.files):
            if sample_file.item and sample_file.item not in service.items:
                yield ("samples", si, "files", fi2, "item"), f"there is no checklist item {sample_file.item!r}"
            if sample_file.values and (sample_file.item not in forms):
                yield ("samples", si, "files", fi2, "values"), "values fill a form: set item to the form's id"
            elif sample_file.values:
                for name in sample_file.values:
                    if name not in forms[sample_file.item or ""].fields:
                        yield ("samples", si, "files", fi2, "values", name), f"the form has no field {name!r}"
