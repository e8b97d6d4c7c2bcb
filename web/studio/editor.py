"""The studio's edit form: a service file's titles, fields, rules and documents as plain form
inputs, and the answers written back into its YAML, so nobody edits YAML by hand.

Keys the form does not show (a form's identify, samples, patterns...) are kept as they were. How
people hand their papers in is edited in ``web.studio.visits``, other editions of a form in
``web.studio.editions``. Lint messages are placed beside the input they are about, read from
the key path the library writes into each message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from intake.services import FIELD_TYPES, FILE_TYPES
from web.studio import editions, visits, wording
from web.studio.editions import EditionRow
from web.studio.versions import dump, flow, remove, round_trip

RULE_KINDS = ("require", "at_least_one_of", "exactly_one_of", "equal", "date_order")
_MESSAGE = re.compile(r"^[^,]*, line [^,:]+(?:, (?P<trail>[^:]*))?: (?P<text>.*)$", re.DOTALL)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Problem:
    text: str
    where: str
    anchor: str
    blocking: bool
    key: str = ""
    """The input of its row it is about ("appointments"); "" for the row as a whole."""


@dataclass
class FieldRow:
    form: int
    id: str
    label_en: str
    label_es: str
    type: str
    required: bool
    conditional: bool
    hint: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"f-{self.form}-{self.id}"


@dataclass
class RuleRow:
    form: int
    index: int | str
    kind: str
    fields: str
    when: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"r-{self.form}-{self.index}"


@dataclass
class DocumentRow:
    index: int | str
    id: str
    title_en: str
    title_es: str
    required: bool
    conditional: bool
    accept: tuple[str, ...]
    max_age_days: str
    text_any: str
    any_of: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"d-{self.index}"


@dataclass
class FormView:
    index: int
    id: str
    title_en: str
    title_es: str
    fields: list[FieldRow]
    rules: list[RuleRow]
    editions: list[EditionRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Editor:
    """Everything the edit page shows, from the draft's text and its lint."""

    service_id: str
    version: str
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    forms: list[FormView]
    documents: list[DocumentRow]
    visit: visits.VisitView
    problems: list[Problem]
    """Every lint message, in order, each linked to where it shows."""
    general: list[Problem]
    """Messages about keys the form does not show (or the whole file)."""
    top: list[Problem] = field(default_factory=list)

    field_types: tuple[str, ...] = FIELD_TYPES
    file_types: tuple[str, ...] = FILE_TYPES
    rule_kinds: tuple[str, ...] = RULE_KINDS


def _words(value: Any, lang: str) -> str:
    return str(value.get(lang) or "") if isinstance(value, Mapping) else (str(value) if value and lang == "en" else "")


def _data(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def view(service_id: str, text: str, hints: Mapping[str, str], mistakes: tuple[str, ...] = (),
         warnings: tuple[str, ...] = (), codes: Mapping[str, str] | None = None) -> Editor:
    """The edit page of the draft ``text``, with the lint's messages beside their inputs;
    ``codes`` gives the lint code of each message that has one (a schema mistake has none)."""
    data = _data(text)
    forms = []
    for fi, spec in enumerate(data.get("forms") or []):
        if not isinstance(spec, dict):
            continue
        rows = [FieldRow(fi, str(fid), _words(f.get("label"), "en"), _words(f.get("label"), "es"),
                         str(f.get("type") or "text"), f.get("required") is True, "required_when" in f,
                         hints.get(f"{spec.get('id')}.{fid}", hints.get(str(fid), "")))
                for fid, f in (spec.get("fields") or {}).items() if isinstance(f, dict)]
        rules = [_rule_row(fi, ri, rule) for ri, rule in enumerate(spec.get("rules") or []) if isinstance(rule, dict)]
        rules.append(RuleRow(fi, "new", "", "", ""))
        forms.append(FormView(fi, str(spec.get("id") or ""), _words(spec.get("title"), "en"),
                              _words(spec.get("title"), "es"), rows, rules, editions.view(fi, spec)))
    documents = [_document_row(di, doc) for di, doc in enumerate(data.get("documents") or []) if isinstance(doc, dict)]
    documents.append(DocumentRow("new", "", "", "", True, False, ("pdf", "jpeg", "png"), "", "", ""))
    editor = Editor(service_id, str(data.get("version") or ""), _words(data.get("title"), "en"),
                    _words(data.get("title"), "es"), _words(data.get("summary"), "en"),
                    _words(data.get("summary"), "es"), forms, documents, visits.view(data), [], [])
    for message in mistakes:
        _place(editor, message, True, (codes or {}).get(message, ""))
    for message in warnings:
        _place(editor, message, False, (codes or {}).get(message, ""))
    return editor


def _rule_row(fi: int, ri: int, rule: Mapping[str, Any]) -> RuleRow:
    kind = next((k for k in RULE_KINDS if k in rule), "")
    names = rule.get(kind) or []
    when = rule.get("when")
    return RuleRow(fi, ri, kind, " ".join(map(str, names)) if isinstance(names, list) else str(names),
                   str(when.get("field") or "") if isinstance(when, Mapping) else "")


def _document_row(di: int, doc: Mapping[str, Any]) -> DocumentRow:
    accept = doc.get("accept")
    phrases = doc.get("text_any") or []
    kinds = doc.get("any_of") or []
    return DocumentRow(di, str(doc.get("id") or ""), _words(doc.get("title"), "en"), _words(doc.get("title"), "es"),
                       doc.get("required", True) is not False, "required_when" in doc,
                       tuple(accept) if isinstance(accept, list) else FILE_TYPES,
                       str(doc.get("max_age_days") or ""),
                       "\n".join(map(str, phrases)) if isinstance(phrases, list) else "",
                       " ".join(map(str, kinds)) if isinstance(kinds, list) else "")


def _place(editor: Editor, message: str, blocking: bool, code: str = "") -> None:
    """File the message under the input it is about (or the general list)."""
    found = _MESSAGE.match(message)
    trail = [part.strip() for part in (found.group("trail") or "").split("›")] if found else []
    text = found.group("text") if found else message
    trail = [t for t in trail if t]
    where = " › ".join(trail)
    target: Any = None
    anchor = "general-problems"
    key = ""
    if trail[:1] == ["forms"] and len(trail) >= 2:
        fi = _index(trail[1])
        form = next((f for f in editor.forms if f.index == fi), None)
        if form is not None and len(trail) >= 4 and trail[2] == "fields":
            target = next((r for r in form.fields if r.id == trail[3]), None)
            anchor = f"f-{fi}-{trail[3]}" if target else anchor
        elif form is not None and len(trail) >= 4 and trail[2] == "rules":
            ri = _index(trail[3])
            target = next((r for r in form.rules if r.index == ri), None)
            anchor = f"r-{fi}-{ri}" if target else anchor
        elif form is not None and len(trail) >= 4 and trail[2] == "editions":
            ei = _index(trail[3])
            target = next((e for e in form.editions if e.index == ei), None)
            if target is not None:
                anchor, key = target.key, _edition_key(trail[4:])
                text = wording.plain("edition", key, text, code=code, row=target)
                key = key if key in editions.INPUTS else ""  # a key with no input of its own: the row's
            else:
                target, anchor = form, f"form-{fi}"
        elif form is not None and len(trail) >= 3 and trail[2] in ("title", "editions"):
            target, anchor = form, f"form-{fi}"
    elif trail[:1] == ["documents"] and len(trail) >= 2:
        di = _index(trail[1])
        target = next((d for d in editor.documents if d.index == di), None)
        anchor = f"d-{di}" if target else anchor
    elif trail[:1] == ["visit"]:
        target, anchor, key, text = _place_visit(editor.visit, trail, text, code)
    elif trail[:1] and trail[0] in ("title", "summary", "version"):
        target, anchor = editor.top, "about"
    problem = Problem(text, where, anchor, blocking, key)
    editor.problems.append(problem)
    if isinstance(target, list):
        target.append(problem)
    elif target is not None:
        target.problems.append(problem)
    else:
        editor.general.append(problem)


def _place_visit(visit: visits.VisitView, trail: list[str], text: str, code: str) -> tuple[Any, str, str, str]:
    """Where a message about ``visit`` goes: an office's or a bring line's row, or the visit's
    own inputs (its mode, its fees); said in the admin's words."""
    part = trail[1] if len(trail) > 1 else ""
    if part in ("offices", "bring") and len(trail) > 2:
        i = _index(trail[2])
        rows: list[Any] = visit.offices if part == "offices" else visit.bring
        row = next((r for r in rows if r.index == i), None)
        if row is not None:
            key = trail[3] if part == "offices" and len(trail) > 3 else ""
            section = "office" if part == "offices" else "visit"
            return row, row.key, key, wording.plain(section, key or part, text, code=code, row=row)
    return visit, "visit", part, wording.plain("visit", part, text, code=code, row=visit)


def _edition_key(trail: list[str]) -> str:
    """The key of an edition a message is about, below the edition: its own ("revision"), one
    of ``identify``'s lists ("fields_any"), or a key it has no input for ("identify › text_all")."""
    if trail[:1] == ["identify"] and len(trail) > 1:
        return trail[1] if trail[1] in editions.IDENTIFY else " › ".join(trail[:2])
    return trail[0] if trail else ""


def _index(part: str) -> int | None:
    digits = part.strip("[]")
    return int(digits) - 1 if digits.isdigit() else None


def apply(text: str, answers: Mapping[str, str], lists: Mapping[str, list[str]]) -> str:
    """The draft's text with the edit form's answers written in. ``lists`` holds the inputs that
    may repeat (the accepted file types of each document). Text that is not a set of keys is
    given back as it was: the form never writes over what it could not read."""
    data = round_trip(text)  # edited in place, so the comments of what is kept stay with it
    if not data:
        return text
    _set_words(data, "title", answers, "title")
    _set_words(data, "summary", answers, "summary")
    version = (answers.get("version") or "").strip()
    if version:
        data["version"] = version
    for fi, spec in enumerate(data.get("forms") or []):
        if not isinstance(spec, dict):
            continue
        _set_words(spec, "title", answers, f"form-{fi}-title")
        fields = spec.get("fields") or {}
        for fid in list(fields):
            key = f"f-{fi}-{fid}"
            if f"{key}-type" not in answers:
                continue
            if answers.get(f"{key}-remove"):
                remove(fields, fid)
                continue
            entry = fields[fid]
            _set_words(entry, "label", answers, f"{key}-label", optional=True)
            chosen = answers.get(f"{key}-type", "")
            if chosen in FIELD_TYPES:
                entry["type"] = chosen
            if "required_when" not in entry:
                if answers.get(f"{key}-required"):
                    entry["required"] = True
                else:
                    entry.pop("required", None)
        rules = [r for r in (spec.get("rules") or []) if isinstance(r, dict)]
        kept = []
        for ri, rule in enumerate(rules):
            updated = _rule(rule, answers, f"r-{fi}-{ri}", fields)
            if updated is not None:
                kept.append(updated)
        added = _rule({}, answers, f"r-{fi}-new", fields)
        if added:
            kept.append(added)
        if kept and kept != rules:
            spec["rules"] = kept
        elif not kept:
            spec.pop("rules", None)
        editions.apply(fi, spec, answers)
    documents = [d for d in (data.get("documents") or []) if isinstance(d, dict)]
    kept_docs = []
    for di, doc in enumerate(documents):
        updated = _document(doc, answers, lists, f"d-{di}")
        if updated is not None:
            kept_docs.append(updated)
    added_doc = _document({}, answers, lists, "d-new")
    if added_doc:
        kept_docs.append(added_doc)
    if (kept_docs or "documents" in data) and kept_docs != documents:
        data["documents"] = kept_docs
    visits.apply(data, answers)
    written = dump(data)
    if _data(written) == _data(text):
        return text  # nothing changed: the text stays as written, to the letter
    return written


def _set_words(target: dict[str, Any], key: str, answers: Mapping[str, str], prefix: str,
               optional: bool = False) -> None:
    if f"{prefix}_en" not in answers:
        return
    en, es = (answers.get(f"{prefix}_en") or "").strip(), (answers.get(f"{prefix}_es") or "").strip()
    if optional and not en and not es:
        target.pop(key, None)
        return
    old = target.get(key)
    if isinstance(old, dict):  # in place: its layout, its comments and any other language stay
        old["en"], old["es"] = en, es
    else:
        target[key] = flow({"en": en, "es": es})


def _names(value: str) -> list[str]:
    return [name for name in re.split(r"[\s,]+", value or "") if name]


def _rule(rule: dict[str, Any], answers: Mapping[str, str], key: str,
          fields: Mapping[str, Any]) -> dict[str, Any] | None:
    if f"{key}-kind" not in answers:
        return rule or None
    kind = answers.get(f"{key}-kind", "")
    names = _names(answers.get(f"{key}-fields", ""))
    if answers.get(f"{key}-remove") or not kind or not names:
        return None
    out: dict[str, Any] = {}
    when = (answers.get(f"{key}-when") or "").strip()
    old = rule.get("when")
    if when and isinstance(old, dict) and old.get("field") == when:
        out["when"] = old
    elif when:
        checkbox = isinstance(fields.get(when), dict) and fields[when].get("type") == "checkbox"
        out["when"] = flow({"field": when, "is": True} if checkbox else {"field": when, "filled": True})
    out[kind if kind in RULE_KINDS else "require"] = names
    return rule if out == rule else flow(out)  # an unchanged rule keeps its comments


def _document(doc: dict[str, Any], answers: Mapping[str, str], lists: Mapping[str, list[str]],
              key: str) -> dict[str, Any] | None:
    if f"{key}-title_en" not in answers:
        return doc or None
    title_en = (answers.get(f"{key}-title_en") or "").strip()
    if answers.get(f"{key}-remove") or (not doc and not title_en):
        return None
    out = dict(doc)
    given = (answers.get(f"{key}-id") or "").strip()
    out["id"] = given or str(doc.get("id") or "") or _SLUG.sub("_", title_en.lower()).strip("_")[:40] or "document"
    title = {"en": title_en, "es": (answers.get(f"{key}-title_es") or "").strip()}
    old_title = doc.get("title")
    if isinstance(old_title, dict):
        old_title.update(title)  # in place: its layout, its comments and any other language stay
    else:
        out["title"] = flow(title)
    if "required_when" not in out:
        if answers.get(f"{key}-required"):
            out.pop("required", None)
        else:
            out["required"] = False
    accept = [t for t in lists.get(f"{key}-accept", []) if t in FILE_TYPES]
    if accept and tuple(accept) != FILE_TYPES:
        out["accept"] = accept
    else:
        out.pop("accept", None)
    days = (answers.get(f"{key}-max_age_days") or "").strip()
    if days.isdigit() and int(days) > 0:
        out["max_age_days"] = int(days)
    else:
        out.pop("max_age_days", None)
    phrases = [line.strip() for line in (answers.get(f"{key}-text_any") or "").splitlines() if line.strip()]
    if phrases:
        out["text_any"] = phrases
    else:
        out.pop("text_any", None)
    kinds = _names(answers.get(f"{key}-any_of", ""))
    if kinds:
        out["any_of"] = kinds
    else:
        out.pop("any_of", None)
    order = ["id", "title", "description", "required", "required_when", "any_of", "text_any", "max_age_days"]
    return _into(doc, {k: out[k] for k in [*order, *out] if k in out})


def _into(doc: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """``doc`` made equal to ``wanted`` in place, new keys where ``wanted`` has them, so the
    comments on the keys it keeps stay with them."""
    for gone in [k for k in doc if k not in wanted]:
        del doc[gone]
    for position, (k, value) in enumerate(wanted.items()):
        if k in doc:
            if doc[k] != value:
                doc[k] = value
        elif hasattr(doc, "insert"):
            doc.insert(position, k, value)
        else:
            doc[k] = value
    return doc


def hints_from(draft_text: str) -> dict[str, str]:
    """What the scaffold wrote beside each field ("page 1: Court telephone no"), by field id."""
    out: dict[str, str] = {}
    for line in draft_text.splitlines():
        found = re.match(r"^\s{6,}([A-Za-z_][\w]*): \{.*\}\s+# (.+)$", line)
        if found:
            out[found.group(1)] = found.group(2).strip()
    return out


def service_id_of(text: str) -> str:
    """The ``id`` a draft gives its service ("" when it has none)."""
    return str(_data(text).get("id") or "")
