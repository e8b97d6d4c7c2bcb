"""Text a citizen reads, in every language the product speaks; a module of its own so the
reading side of the library can use it without loading the service-file machinery."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """Text a citizen reads, in every language the product speaks."""

    en: str
    es: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


_LEADING = {"a", "an", "the", "your", "one", "any", "some", "un", "una", "unos", "unas", "el", "la", "los",
            "las", "su", "sus", "cualquier"}
_CAPITALISED = re.compile(r"^[A-ZÁÉÍÓÚÑ][a-záéíóúñü']+[,;:]?$")
# Names that keep their capital inside a sentence though nothing after them is capitalised:
# states of one word ("Illinois residents"), languages, months and days.
_PROPER_LIST = """
    alabama alaska arizona arkansas california colorado connecticut delaware district florida georgia guam
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas
    utah vermont virginia washington wisconsin wyoming america american english spanish mexican
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday medicaid medicare form formulario
"""
_PROPER = frozenset(_PROPER_LIST.split())


def in_sentence(text: str) -> str:
    """A title or reason as it reads inside a sentence: "A utility bill" -> "a utility bill",
    "You have 2 of the 6 points" -> "you have 2 of the 6 points".

    Only a first word that is an ordinary capitalised word is lowered. A name keeps its capitals:
    an acronym or form number ("SSN", "DS-11", "U.S. passport"), a word followed by another
    capitalised one or a number ("New York", "Social Security card", "Schedule 1"), "Form", a
    state, language, month or day ("Form PC 51", "Illinois ID"). An acronym after an ordinary
    word does not make it a name: "Photo ID" -> "photo ID".
    """
    first, _, rest = text.partition(" ")
    if first.casefold() in _LEADING and (first == "A" or not first.isupper()):
        return first[0].lower() + first[1:] + (" " + rest if rest else "")
    following = rest.lstrip("(“\"'").partition(" ")[0]
    named = (following[:1].isupper() and not following.isupper()) or any(c.isdigit() for c in following)
    if _CAPITALISED.match(first) and first.strip(",;:").casefold() not in _PROPER and not named:
        return first[0].lower() + first[1:] + (" " + rest if rest else "")
    return text


def join_choices(items: list[str], lang: str) -> str:
    """ "a, b or c" (Spanish: "a, b o c"), for lists of alternatives inside a sentence."""
    if len(items) <= 1:
        return "".join(items)
    word = " o " if lang == "es" else " or "
    return ", ".join(items[:-1]) + word + items[-1]
