"""Text a citizen reads, in every language the product speaks; a module of its own so the
reading side of the library can use it without loading the service-file machinery."""

from __future__ import annotations

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


def in_sentence(text: str) -> str:
    """A title as it reads inside a sentence: "A utility bill" -> "a utility bill".

    Only a leading article or possessive is lowered, so "Form DS-11" and "U.S. passport" keep
    their capitals.
    """
    first, _, rest = text.partition(" ")
    if first.casefold() in _LEADING and (first == "A" or not first.isupper()):
        return first[0].lower() + first[1:] + (" " + rest if rest else "")
    return text


def join_choices(items: list[str], lang: str) -> str:
    """ "a, b or c" (Spanish: "a, b o c"), for lists of alternatives inside a sentence."""
    if len(items) <= 1:
        return "".join(items)
    word = " o " if lang == "es" else " or "
    return ", ".join(items[:-1]) + word + items[-1]
