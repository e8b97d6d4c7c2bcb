"""The hostile corpus: ``../shared/tools/make_hostile.py`` writes it during the test run.

The files are generated, never committed. A run keeps them in pytest's cache under the
generator's own hash, so a second run (or ``make fuzz``) does not pay the 40 seconds again,
and a changed generator always gives a fresh corpus.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOL = Path(__file__).resolve().parents[1] / ".." / "shared" / "tools" / "make_hostile.py"
MISSING = "the hostile corpus generator (../shared/tools/make_hostile.py beside the repository) is not here"


@dataclass(frozen=True)
class Hostile:
    """One generated corpus: its folder, its file entries and its HTTP-level scenarios."""

    folder: Path
    index: dict[str, Any]

    @property
    def files(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.index["files"]
        return entries

    def path(self, entry: dict[str, Any]) -> Path:
        return self.folder / entry["file"]

    @property
    def scenarios(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads((self.folder / self.index["http"]["scenarios"]).read_text("utf-8"))
        return data

    @property
    def filenames(self) -> list[str]:
        data: list[str] = json.loads((self.folder / self.index["http"]["filenames"]).read_text("utf-8"))
        return data


def available() -> bool:
    return TOOL.is_file()


def generate(cache_root: Path) -> Hostile:
    """The corpus for the generator as it is now, made once and reused while it is unchanged."""
    digest = hashlib.sha256(TOOL.read_bytes()).hexdigest()[:16]
    folder = cache_root / digest
    index = folder / "index.json"
    cache_root.mkdir(parents=True, exist_ok=True)
    with open(cache_root / "lock", "w") as lock:  # parallel test workers make it once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not index.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(TOOL), str(folder)], check=True, capture_output=True, timeout=600)
    return Hostile(folder, json.loads(index.read_text("utf-8")))


def parametrize_entries(metafunc: Any) -> None:
    """One test per corpus file (``entry_name``), named after it; the corpus is made (or
    reused) at collection, and the tests skip with the reason when the generator is absent."""
    import pytest

    if "entry_name" not in metafunc.fixturenames:
        return
    if not available():
        metafunc.parametrize("entry_name", [pytest.param(None, marks=pytest.mark.skip(reason=MISSING))])
        return
    made = generate(metafunc.config.cache.mkdir("hostile"))
    metafunc.parametrize("entry_name", [e["file"] for e in made.files])
