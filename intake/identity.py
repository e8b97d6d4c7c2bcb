"""Which form is this file, and which edition: field fingerprints first, the printed form number second.

A citizen who uploads a W-9 where a DS-11 belongs must hear "this is Form W-9, not Form
DS-11", not a box-by-box list of empty answers. The cheapest evidence comes first: the
names of the file's fields against the names a service file's ``source`` keys give (its
fingerprint). Only when the fingerprint is partial or absent is the first page's text read,
for the form number and revision that forms print in a header or footer ("DS-11 04-2022
Page 1 of 4", "Form SS-5 (10-2021)", "(Rev. March 2024)"). Pure functions over names and text.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from intake.services import FormSpec
from intake.words import Words

# A form is taken for the one whose field names it shares at least this much of.
MATCH = 0.5
_NUMBER = r"(?:[A-Z]{1,6}[- ]?[A-Z]{0,3}\d{1,5}(?:-\d{1,4})?[A-Za-z]?)"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_REVISION = (rf"(?:R-?\d{{1,2}}-\d{{2,4}}|\d{{1,2}}[-/]\d{{2,4}}|(?:Rev\.?|Revised|version|ver\.)\s*"
             rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}[-/]\d{{2,4}}))")
# How forms print their own identity, as opposed to mentioning another form in a sentence.
_OWN = (
    re.compile(rf"\bForm\s+(?P<number>{_NUMBER})\s*\(\s*(?P<revision>{_REVISION}|\d{{4}})\s*\)", re.I),
    re.compile(rf"\bForm\s+(?P<number>{_NUMBER}),?\s+(?P<revision>(?:Rev\.?|Revised)\s*(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}[-/]\d{{2,4}}))",
               re.I),
    re.compile(rf"(?<![\w-])(?P<number>{_NUMBER})\s*\(\s*(?P<revision>{_REVISION})\s*\)"),
    re.compile(rf"(?<![\w-])(?P<number>{_NUMBER})\s+(?P<revision>\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}}|\d{{1,2}}[-/]\d{{2,4}})"
               rf"\s+(?:[A-Z]\s+)?(?:\w+\s+)?Page\s+\d", re.I),
    re.compile(rf"(?<![\w-])(?P<number>{_NUMBER})\s+(?:\w+\s+)?Page\s+\d+\s+of\s+\d+"),
)
_REV_ALONE = re.compile(rf"\(\s*(?P<revision>Rev\.?\s*(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}[-/]\d{{2,4}}))\s*\)", re.I)
_FORM_WORD = re.compile(rf"\bForm\s+(?P<number>{_NUMBER})\b")


@dataclass(frozen=True)
class Printed:
    """A form number, and its revision when one is printed beside it, as page 1 shows them."""

    number: str
    revision: str | None = None


def fingerprint_score(spec: FormSpec, names: Iterable[str]) -> float:
    """The share of the form's own field names that the file has (0 when it has none of them)."""
    wanted = spec.fingerprint
    if not wanted:
        return 0.0
    present = set(names)
    return sum(name in present for name in wanted) / len(wanted)


def printed_forms(text: str) -> list[Printed]:
    """Every form identity page 1 prints as its own, most explicit first, without repeats.

    One page's text is asked about once per form of the service and catalogue, so the answers
    are kept for the last few texts, by a digest of each: form numbers and revisions are kept,
    never the citizen's text itself."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    found = _FOUND.get(digest)
    if found is None:
        found = _printed_forms(text)
        with _FOUND_LOCK:
            _FOUND[digest] = found
            while len(_FOUND) > _KEPT:
                del _FOUND[next(iter(_FOUND))]
    return list(found)


_KEPT = 64
_FOUND: dict[bytes, tuple[Printed, ...]] = {}
_FOUND_LOCK = threading.Lock()


def _printed_forms(text: str) -> tuple[Printed, ...]:
    found: dict[str, Printed] = {}
    flat = " ".join(text.split())
    for pattern in _OWN:
        for match in pattern.finditer(flat):
            number = normal_number(match.group("number"))
            revision = match.groupdict().get("revision")
            if number not in found or (found[number].revision is None and revision):
                found[number] = Printed(number, revision and _clean_revision(revision))
    if not found:
        # "Form W-9" somewhere, with "(Rev. March 2024)" elsewhere on the page (broken layouts).
        revision = _REV_ALONE.search(flat)
        for match in _FORM_WORD.finditer(flat):
            number = normal_number(match.group("number"))
            if revision and number not in found:
                found[number] = Printed(number, _clean_revision(revision.group("revision")))
    return tuple(found.values())


def own_number(spec: FormSpec) -> str | None:
    return normal_number(spec.number) if spec.number else None


def identity_of(spec: FormSpec, text: str) -> Printed | None:
    """What page 1 says of this form's own number: its revision when printed, or None when absent."""
    number = own_number(spec)
    if number is None:
        return None
    for printed in printed_forms(text):
        if printed.number == number:
            return printed
    flat = " ".join(text.split())
    if re.search(rf"\bForm\s+{re.escape(spec.number or '')}\b", flat):
        revision = _REV_ALONE.search(flat)
        return Printed(number, _clean_revision(revision.group("revision")) if revision else None)
    return None


_APPLICATION_TITLE = re.compile(
    r"\b(?:application|petition|request|solicitud|petici[oó]n|formulario)\s+(?:for|to|de|para|of)\b", re.I)
_FILL_IN_CUES = re.compile(
    r"\((?:mm|dd)/(?:dd|mm)/(?:yyyy|yy)\)|\bsignature\b|\bfirma\b|_{4,}|\b(?:first|middle|last)\s*:|"
    r"\bprint(?:ed)? name\b|\bprint your name\b|\(specify\)|\bsworn to before me\b|\bdate signed\b|"
    r"\boffice use only\b", re.I)


def looks_like_application(text: str) -> bool:
    """A form to fill in, seen only as printed words (a scan or photo of one): a title such as
    "Application for ..." near the top and blanks to fill in below. Evidence (a bill, a
    certificate) names itself and has no blanks, even when it mentions an application."""
    lines = [line for line in text.splitlines() if line.strip()]
    top = " ".join(lines[:8])
    return bool(_APPLICATION_TITLE.search(top)) and len(_FILL_IN_CUES.findall(text)) >= 3


def same_revision(a: str | None, b: str | None) -> bool:
    """Revisions compared as their digits and month words: "Rev. 3-2024" is "Rev. March 2024"."""
    if a is None or b is None:
        return True
    return _revision_key(a) == _revision_key(b)


def revision_core(revision: str) -> str:
    """The part of a revision that a form prints as one piece: "Rev. March 2024" -> "March 2024"."""
    return re.sub(r"^(?:Rev\.?|Revised|version|ver\.)\s*", "", revision.strip(" ()"), flags=re.I)


def best_match(specs: Sequence[FormSpec], names: Iterable[str]) -> tuple[FormSpec, float] | None:
    """The form whose fingerprint the file matches best, when it matches well enough."""
    present = set(names)
    scored = [(fingerprint_score(spec, present), -i, spec) for i, spec in enumerate(specs)]
    score, _, spec = max(scored, default=(0.0, 0, None), key=lambda row: (row[0], row[1]))
    return (spec, score) if spec is not None and score >= MATCH else None


def form_words(printed: Printed) -> Words:
    """ "Form W-9" in both languages, for a form we know only by its printed number."""
    return Words(f"Form {printed.number}", f"Formulario {printed.number}")


def normal_number(number: str) -> str:
    return re.sub(r"\s+", "-", number.strip().upper())


def _clean_revision(revision: str) -> str:
    return " ".join(revision.split())


_MONTH_NUMBERS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _revision_key(revision: str) -> tuple[int, int]:
    """(year, month) of a revision, with two-digit years in this century; (0, 0) when unreadable."""
    text = revision.lower()
    month = next((n for name, n in _MONTH_NUMBERS.items() if re.search(rf"\b{name}", text)), 0)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers:
        return (0, month)
    year = numbers[-1]
    if year < 100:
        year += 2000
    if not month and len(numbers) >= 2:
        month = numbers[-2]
    return (year, month)
