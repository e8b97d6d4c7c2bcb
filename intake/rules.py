"""The named rules: conditions on answers, checks across fields, and what a document's text says.

Pure functions over values and text; the checker decides when to call them and turns what
they find into problems. Text is compared without case and accents ("PEREZ" is "Pérez").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from intake.fieldtypes import STATES, is_filled
from intake.services import Condition, Rule, Service
from intake.words import Words

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january", "enero", "ene"), ("feb", "february", "febrero"), ("mar", "march", "marzo"),
    ("apr", "april", "abril", "abr"), ("may", "mayo"), ("jun", "june", "junio"), ("jul", "july", "julio"),
    ("aug", "august", "agosto", "ago"), ("sep", "sept", "september", "septiembre", "set"),
    ("oct", "october", "octubre"), ("nov", "november", "noviembre"), ("dec", "december", "diciembre", "dic")),
    start=1) for m in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b"), ("m", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?(\d{{4}})\b"), ("d", "m", "y")),
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("m", "d", "y")),
    (re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b"), ("m", "d", "y")),
)
_STATE_BY_NAME = {name.casefold(): code for code, name in STATES.items()}
_NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "van", "von", "jr", "sr", "ii", "iii"}


def fold(text: str) -> str:
    """Lower case without accents, for comparing what people and documents write."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def holds(condition: Condition, values: Mapping[str, Any]) -> bool:
    """Does the answer named in ``condition`` meet it? ``values`` are the raw form values."""
    value = values.get(condition.field)
    if condition.op == "filled":
        return is_filled(value) is bool(condition.value)
    if condition.op == "in":
        return _same_any(value, condition.value)
    matches = _same_any(value, (condition.value,))
    return matches if condition.op == "is" else not matches


_YES = {"yes", "y", "true", "on", "1", "si", "sí"}
_NO = {"no", "n", "false", "off", "0"}


def _same_any(value: Any, wanted: Iterable[Any]) -> bool:
    for target in wanted:
        if isinstance(target, bool):
            if _truth(value) is target:
                return True
        elif value is not None and fold(str(value)) == fold(str(target)):
            return True
    return False


def _truth(value: Any) -> bool:
    """What an answer means as yes or no: "No" and "false" are answers, and they mean no."""
    if isinstance(value, str):
        word = fold(value).strip()
        if word in _NO:
            return False
        if word in _YES:
            return True
    return is_filled(value)


def broken_rules(rule: Rule, raw: Mapping[str, Any], clean: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(field id, params) for every place ``rule`` is broken; empty when it holds."""
    if rule.when is not None and not holds(rule.when, raw):
        return []
    filled = [f for f in rule.fields if is_filled(raw.get(f))]
    if rule.kind == "require":
        return [(f, {"variant": "require"}) for f in rule.fields if f not in filled]
    if rule.kind == "at_least_one_of" and not filled:
        return [(rule.fields[0], {"variant": "at_least_one_of", "others": list(rule.fields[1:])})]
    if rule.kind == "exactly_one_of" and len(filled) != 1:
        variant = "exactly_one_of_none" if not filled else "exactly_one_of_many"
        return [(rule.fields[0] if not filled else filled[1], {"variant": variant, "others": list(rule.fields)})]
    if rule.kind == "date_order":
        earlier, later = (clean.get(f) for f in rule.fields)
        if isinstance(earlier, dt.date) and isinstance(later, dt.date) and earlier > later:
            return [(rule.fields[1], {"variant": "date_order", "other": rule.fields[0]})]
    if rule.kind == "equal" and len(filled) == 2:
        first, second = (clean.get(f, raw.get(f)) for f in rule.fields)
        if fold(str(first)).strip() != fold(str(second)).strip():
            return [(rule.fields[1], {"variant": "equal", "other": rule.fields[0]})]
    return []


PRINTED_VALUES = {
    # A whole Social Security number, as the card prints it (123-45-6789, or spaced); one hidden
    # as XXX-XX-6789 or run into other digits is not one.
    "ssn": re.compile(r"(?<![\d-])\d{3}([-\u2013\u2014 ])\d{2}\1\d{4}(?![\d-])"),
}
"""What a document kind's ``shows`` may name: a value whose printed shape marks the document."""


def shows(text: str, value: str) -> bool:
    """Is a value of this kind (a key of :data:`PRINTED_VALUES`) printed in ``text``?"""
    return PRINTED_VALUES[value].search(text) is not None


def newest_date(text: str, today: dt.date) -> dt.date | None:
    """The most recent plausible date printed in a document (never one after ``today``)."""
    found = newest_dated(text, today)
    return found[0] if found else None


def newest_dated(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The newest plausible date and the words it was printed as (folded), so a reading from a
    photo can say how sure it is of exactly those words."""
    folded = fold(text)
    found: list[tuple[dt.date, str]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            parts = dict(zip(order, match.groups(), strict=True))
            month = _MONTHS.get(parts["m"].rstrip(".")) if not parts["m"].isdigit() else int(parts["m"])
            try:
                found.append((dt.date(int(parts["y"]), month or 0, int(parts["d"])), match.group(0)))
            except ValueError:
                continue
    plausible = [d for d in found if dt.date(1900, 1, 1) <= d[0] <= today]
    return max(plausible, default=None, key=lambda d: d[0])


def name_in_text(name: str, text: str, *, misread: bool = False) -> bool:
    """Is this person named in the text? Family name in full, given name in full or as an initial.

    With ``misread`` (words read off a photo), one wrong, missing or extra letter in a long name
    is forgiven, as is a given name run into the initial after it ("JOSEA" for "JOSE A"): OCR
    makes those slips, and a warning about the wrong person must not come from one.
    """
    words = [w for w in re.findall(r"[a-z0-9]+", fold(name)) if w not in _NAME_PARTICLES]
    if not words:
        return True
    haystack = set(re.findall(r"[a-z0-9]+", fold(text)))
    given, family = words[0], words[-1]
    if misread:
        return _read_as(family, haystack) and (len(words) == 1 or _read_as(given, haystack, glued=True)
                                                or given[0] in haystack)
    if family not in haystack:
        return False
    return len(words) == 1 or given in haystack or given[0] in haystack


def _read_as(word: str, haystack: set[str], *, glued: bool = False) -> bool:
    if word in haystack:
        return True
    if glued and any(len(w) == len(word) + 1 and w.startswith(word) for w in haystack):
        return True
    return len(word) >= 5 and any(abs(len(w) - len(word)) <= 1 and _one_edit(w, word) for w in haystack)


def _one_edit(a: str, b: str) -> bool:
    """At most one letter changed, added or dropped."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def describe(condition: Condition, label: str, lang: str, words: Any = None) -> str:
    """Plain words for why something is needed: "you answered Yes to 'Name change'".

    ``words`` (a field's ``words_for``) gives an answer the words its author chose, so a
    citizen reads "Married", not the form's export value "Choice2".
    """
    from intake import messages

    if condition.op == "filled":
        key = "reason.filled" if condition.value else "reason.empty"
        return messages.render(key, lang, field=label)
    value = condition.value
    if isinstance(value, str) and fold(value).strip() in _YES | _NO:
        value = fold(value).strip() in _YES
    if isinstance(value, bool):
        answer = messages.render("answer.yes" if value else "answer.no", lang)
    elif isinstance(value, tuple):
        answer = " / ".join(_answer(v, lang, words) for v in value)
    else:
        answer = _answer(value, lang, words)
    key = "reason.is_not" if condition.op == "is_not" else "reason.is"
    return messages.render(key, lang, field=label, answer=answer)


def _answer(value: Any, lang: str, words: Any) -> str:
    chosen = words(value) if words is not None else None
    return chosen.get(lang) if chosen is not None else str(value)


def humanise(field_id: str) -> str:
    """A label for a field that has none: its id in words (spouse_name -> Spouse name)."""
    return field_id.replace("_", " ").strip().capitalize()


def reason(service: Service, condition: Condition, default_form: str | None = None) -> Words:
    """Why something is needed, in both languages, with the field's label as the person saw it."""
    form_id = condition.form or default_form or ""
    spec = service.form(form_id)
    field_spec = spec.fields[condition.field]
    fallback = humanise(condition.field)
    label = field_spec.label or Words(fallback, fallback)
    return Words(en=describe(condition, label.en, "en", field_spec.words_for),
                 es=describe(condition, label.es, "es", field_spec.words_for))


# Addresses and names as documents print them: "Portland, ME 04102" or "Bronx, New York 10457",
# and the recipient's name on the line above the street line of the address block.
_STATE_CODES = "|".join(sorted(STATES))
_STATE_WORDS = "|".join(sorted((re.escape(n) for n in STATES.values()), key=len, reverse=True))
_CITY_LINE = re.compile(
    rf"(?P<city>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{{1,40}}),\s*(?P<state>{_STATE_CODES}|{_STATE_WORDS})\.?\s+"
    rf"(?P<zip>\d{{5}})(?:-\d{{4}})?\b")
_STREET_LINE = re.compile(r"^\s*\d{1,6}[A-Za-z]?(?:-\d{1,5})?\s+[A-Za-zÀ-ÿ0-9][\w .,'#-]{2,}")
_LABEL_WORDS = {"invoice", "billing", "bill", "statement", "account", "date", "due", "amount", "customer", "service",
                "period", "plan", "page", "balance", "number", "no", "payment", "total", "employee", "pay",
                "policy", "member", "issued", "issue", "reference", "fecha", "cuenta", "factura"}


@dataclass(frozen=True)
class PrintedAddress:
    """A city line found in a document, with the street line above it when there is one."""

    city: str
    state: str
    zip: str
    street: str = ""

    def __str__(self) -> str:
        place = f"{self.city}, {self.state} {self.zip}"
        return f"{self.street}, {place}" if self.street else place


def printed_addresses(text: str) -> list[PrintedAddress]:
    """Every US address a document prints, the recipient's block (street line above) first."""
    lines = text.splitlines()
    blocks: list[PrintedAddress] = []
    loose: list[PrintedAddress] = []
    for i, line in enumerate(lines):
        for match in _CITY_LINE.finditer(line):
            state = match.group("state")
            code = state.upper() if len(state) == 2 else _STATE_BY_NAME[state.casefold()]
            street = ""
            before = line[:match.start()].strip().rstrip(",")
            if _STREET_LINE.match(before):
                street = before
            elif i and _STREET_LINE.match(lines[i - 1]):
                street = _cut_labels(lines[i - 1], names=False).strip().rstrip(",")
            found = PrintedAddress(" ".join(match.group("city").split()), code, match.group("zip"), street)
            (blocks if street else loose).append(found)
    return blocks + loose


def printed_name(text: str) -> str | None:
    """The name printed above the first address block, as a bill or statement addresses its holder."""
    lines = text.splitlines()
    for i, line in enumerate(lines[1:], 1):
        if not _STREET_LINE.match(line):
            continue
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if not (_CITY_LINE.search(line) or _CITY_LINE.search(below)):
            continue
        words = _cut_labels(lines[i - 1]).split()
        if 2 <= len(words) <= 5 and all(re.fullmatch(r"[^\W\d_][\w'.-]*", w) for w in words):
            return " ".join(words)
    return None


def address_in_state(addresses: list[PrintedAddress], state: str) -> bool:
    return any(a.state == state for a in addresses)


def same_address(found: PrintedAddress, wanted: str) -> bool:
    """Does a printed address match one written on a form? The ZIP code when the form has one,
    else the house number and the first word of the street."""
    zips: list[str] = re.findall(r"\b\d{5}\b", wanted)
    if zips:
        return found.zip == zips[-1]
    number = re.match(r"\s*(\d+)\s+(\w+)", wanted)
    street = re.match(r"\s*(\d+)\s+(\w+)", found.street)
    if number and street:
        return number.group(1) == street.group(1) and fold(number.group(2)) == fold(street.group(2))
    return True


def _cut_labels(line: str, *, names: bool = True) -> str:
    """The part of a line before a label ("Invoice date:"), since layouts put both on one line."""
    kept: list[str] = []
    for word in line.split():
        bare = fold(word).strip(":.,;")
        if kept and (":" in word or bare in _LABEL_WORDS or (names and any(ch.isdigit() for ch in word))):
            break
        kept.append(word)
    return " ".join(kept)
