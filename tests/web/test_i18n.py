"""Every word of the web service exists in Spanish, and the compiled catalogue is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "es" / "LC_MESSAGES"


def _placeholders(text: str | tuple[str, ...] | list[str]) -> set[str]:
    """The named placeholders of a message, or of every form of a plural one."""
    forms = [text] if isinstance(text, str) else list(text)
    return {name for form in forms for name in re.findall(r"%\((\w+)\)s", form)}


def _plain(value: object) -> object:
    """Plural entries come as lists from a compiled catalogue and as tuples from its source."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_every_web_string_in_the_code_has_a_spanish_translation(tmp_path: Path) -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-o", str(template), "--no-location", str(ROOT)], check=True, cwd=ROOT, capture_output=True)
    with open(template, "rb") as pot, open(CATALOGUE / "messages.po", "rb") as po:
        wanted = {m.id for m in pofile.read_po(pot) if m.id}
        translated = {m.id: m.string for m in pofile.read_po(po) if m.id}
    assert wanted <= set(translated), f"run make messages and translate: {sorted(wanted - set(translated))}"
    for msgid, text in translated.items():
        assert text and all(text if isinstance(text, tuple) else [text]), f"no Spanish for {msgid!r}"
        assert _placeholders(msgid) == _placeholders(text), msgid


def test_the_compiled_catalogue_matches_its_source() -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    mofile = pytest.importorskip("babel.messages.mofile")
    with open(CATALOGUE / "messages.po", "rb") as po, open(CATALOGUE / "messages.mo", "rb") as mo:
        source = {_plain(m.id): _plain(m.string) for m in pofile.read_po(po) if m.id}
        compiled = {_plain(m.id): _plain(m.string) for m in mofile.read_mo(mo) if m.id}
    assert source == compiled, "run: pybabel compile -d web/translations"
