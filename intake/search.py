"""Finding a service by the words people type: its title, a form number, a common name.

One matching function for every place that searches the services (the home page, the API's
list), so "W9", "w-9" and "W 9" find the same service everywhere. A query matches a service
when each of its words is found in what the service is called, in either language: its
title and summary, its forms' numbers and titles, and the ``search`` words of its service
file (common names, spellings, plurals). Case, accents and the dash or space inside a form
number do not count. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from intake.rules import fold
from intake.services import Service

__all__ = ["haystack", "matches", "normalise", "search"]

# A form number split by a dash, space or dot ("W-9", "ss 5", "DS.11") reads as one word ("w9").
_FORM_NUMBER = re.compile(r"\b([a-z]{1,4})[\s.\-]?(\d{1,5}[a-z]?)\b")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_FILLERS_LIST = """
    a an the to for of my me i how do get in on and or with form forms apply need want
    de del la el los las un una unos unas mi para por y o en con como formulario solicitar quiero necesito
"""
_FILLERS = frozenset(_FILLERS_LIST.split())
"""Words that say nothing about which service is meant ("how do I get a W-9 form"), skipped
unless the query has nothing else."""


def normalise(text: str) -> str:
    """Lower case without accents, with form numbers written as one word: "Form W-9" -> "form w9"."""
    return _FORM_NUMBER.sub(r"\1\2", fold(text))


def _words(query: str) -> list[str]:
    words = _WORD.findall(normalise(query))
    meaningful = [w for w in words if w not in _FILLERS]
    return meaningful or words


def haystack(service: Service) -> str:
    """Everything a service is known by, in both languages, normalised for matching."""
    parts = [service.id.replace("-", " ")]
    for words in (service.title, service.summary):
        if words is not None:
            parts += [words.en, words.es]
    for form in service.forms:
        parts += [form.title.en, form.title.es, form.number or ""]
    parts += [*service.search.en, *service.search.es]
    return " \n ".join(normalise(p) for p in parts if p)


def _found(word: str, text: str) -> bool:
    if word in text:
        return True
    for ending in ("es", "s"):  # "licenses", "guarderías": the singular counts too
        if word.endswith(ending) and len(word) - len(ending) >= 3 and word[: -len(ending)] in text:
            return True
    return False


def matches(service: Service, query: str) -> bool:
    """Does every meaningful word of ``query`` name this service? An empty query matches all."""
    text = haystack(service)
    return all(_found(word, text) for word in _words(query))


def search(services: Iterable[Service], query: str) -> list[Service]:
    """The services ``query`` finds, in the order given."""
    return [s for s in services if matches(s, query)]
