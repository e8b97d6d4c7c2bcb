"""Reference codes a citizen can read aloud and type: no look-alike characters, a check
character that catches any single typo and most swapped neighbours (Luhn mod N)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDEFGHJKMNPRTVWXY34679"
_LENGTH = 8
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def _check_character(body: str) -> str:
    factor, total, n = 2, 0, len(ALPHABET)
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_LENGTH))
    return body + _check_character(body)


def normalise(text: str) -> str | None:
    """The canonical code from what someone typed (any case, spaces, dashes), or None if it is not one."""
    cleaned = re.sub(r"[\s-]", "", text or "").upper()
    if len(cleaned) != _LENGTH + 1 or any(c not in _INDEX for c in cleaned):
        return None
    return cleaned if _check_character(cleaned[:-1]) == cleaned[-1] else None


def display(reference: str) -> str:
    """Grouped for reading: ACD-EFG-HJK."""
    return "-".join(reference[i:i + 3] for i in range(0, len(reference), 3))
