"""The project's own hostile corpus: crafted files built in code, each with the problem the
library must give it, and a runner that reads one in a child process under resource limits.

The families (``FAMILIES``) cover what multiplies work (XFA nesting and merges, shared
choice lists, annotations, drawings that draw drawings, shared resources), what hides active
content (Launch in triggers, bookmarks, long /Next chains; a GoToR to a network share), what
disguises a file (an MZ header before ``%PDF``, a NUL in its name, #xx escapes in inline
image keys) and values no form expects (an amount of thousands of digits). Files are built
on demand, never committed; ``../shared/tools/make_hostile.py`` (``tests/hostile.py``) is
the other, shared corpus.

:func:`run` reads a file the way the library is used in-process (``read_form``, then the
vetting and text extraction a check does, or ``intake.check`` for a family with a service),
with no sandbox, in a child process (``python -m tests.intake.hostile``) under RLIMIT_AS and
RLIMIT_CPU, and reports what it found, the CPU seconds and peak memory of that child, or
how it died.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.intake.hostile import actions, drawings, files, forms, xfa
from tests.intake.hostile.family import Family

FAMILIES: list[Family] = [*xfa.FAMILIES, *forms.FAMILIES, *drawings.FAMILIES, *actions.FAMILIES, *files.FAMILIES]
BY_NAME = {f.name: f for f in FAMILIES}
ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 11, 22)

__all__ = ["BY_NAME", "FAMILIES", "Family", "Found", "Result", "child", "run", "write"]


@dataclass(frozen=True)
class Found:
    """One problem the library gave the file."""

    code: str
    variant: str | None
    blocks: bool


@dataclass(frozen=True)
class Result:
    """What one child run found, what it cost, and how it ended (``ok``, ``crashed``, ``hung``)."""

    ended: str
    found: tuple[Found, ...] = ()
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0
    wall_seconds: float = 0.0
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def has(self, family: Family) -> bool:
        """The family's expected problem is among those found (no problem at all for ``code=None``)."""
        if family.code is None:
            return not any(f.blocks for f in self.found)
        return any(f.code == family.code and (family.variant is None or f.variant == family.variant)
                   and f.blocks == family.blocks for f in self.found)


def write(folder: Path) -> dict[str, Path]:
    """Every family's file in ``folder`` (built once; an existing file is reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for family in FAMILIES:
        path = folder / family.name
        if not path.is_file():
            partial = path.with_suffix(".part")
            partial.write_bytes(family.build())
            partial.rename(path)
        paths[family.name] = path
    return paths


def run(name: str, path: Path, *, memory_mb: int = 1536, cpu_seconds: int = 20, wall_seconds: float = 30) -> Result:
    """Read ``path`` as family ``name`` in a fresh child under the limits; never raises for the file."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))

    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "tests.intake.hostile", name, str(path)], cwd=ROOT,
                              capture_output=True, timeout=wall_seconds, preexec_fn=limit, check=False)
    except subprocess.TimeoutExpired:
        return Result("hung", wall_seconds=time.monotonic() - started, detail=f"no answer in {wall_seconds} s")
    wall = time.monotonic() - started
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.decode("utf-8", "replace")[-500:]
        return Result("crashed", wall_seconds=wall, detail=f"exit code {done.returncode}: {tail}")
    reply = json.loads(lines[-1])
    return Result("ok" if not reply["detail"] else "crashed", tuple(Found(*f) for f in reply["found"]),
                  reply["cpu_seconds"], reply["peak_mb"], wall, reply["detail"])


def child(name: str, path: str) -> dict[str, Any]:
    """In the child: read the file as the family says, and what that cost this process."""
    import intake

    family = BY_NAME[name]
    upload = intake.Upload(family.sent_as, Path(path).read_bytes())
    before = resource.getrusage(resource.RUSAGE_SELF)
    detail = ""
    try:
        found = _found(family, upload)
    except MemoryError:
        found, detail = [], "MemoryError outside the library's own handling"
    except Exception as exc:  # an escape from the library is a crash
        found, detail = [], f"{type(exc).__name__}: {exc}"[:500]
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"found": [[f.code, f.variant, f.blocks] for f in found], "cpu_seconds": round(cpu, 3),
            "peak_mb": _peak_mb(), "detail": detail}


def _peak_mb() -> float:
    """This process's peak resident memory: VmHWM, since ru_maxrss carries the parent's across exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _found(family: Family, upload: Any) -> list[Found]:
    import intake

    if family.service is not None:
        service = intake.load_service(ROOT / "schemas" / f"{family.service}.yaml")
        report = intake.check(service, [(family.item, upload)], today=TODAY)
        return [_of(p) for p in report.problems]
    try:
        form = intake.read_form(upload)
        pages = form.text_pages(all_text=False)
        form.vet(pages)
        form.text()
    except intake.FileProblemError as exc:
        return [Found(exc.code, exc.params.get("variant"), True)]
    return [_of(p) for p in form.problems]


def _of(problem: Any) -> Found:
    import intake

    return Found(problem.code, problem.params.get("variant"), problem.severity is intake.Severity.BLOCKS)
