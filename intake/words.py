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
