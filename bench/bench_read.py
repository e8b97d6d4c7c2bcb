"""Benchmark: reading a form with intake against bare pypdf, measured in the same run.

For every form of the shared corpus it times ``intake.read_form`` plus every field value
against ``pypdf.PdfReader(...).get_fields()`` on the same bytes, and reports the ratio
(target: median at most 1.2). It counts pdfplumber calls made while reading fields
(target: none) and compares a cold ``intake fields FILE`` process with a bare ``python -c``
that imports pypdf and calls ``get_fields()`` (target: at most 1.3x).
Ratios, not seconds, are the result: both sides run on the same machine, interleaved.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdf  # noqa: E402

import intake  # noqa: E402
from tests import shared_corpus  # noqa: E402

READ_TARGET, COLD_TARGET = 1.2, 1.3


def bare_pypdf(data: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    return len(reader.get_fields() or {})


def with_intake(data: bytes) -> int:
    form = intake.read_form(data)
    return len(form.values())


def best_of(first: Callable[[bytes], Any], second: Callable[[bytes], Any], data: bytes,
            repeat: int) -> tuple[float, float]:
    """The best time of each, run in turns so a machine that slows down or speeds up
    part-way through weighs on both sides alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn(data)
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def count_pdfplumber_calls(files: list[bytes]) -> int:
    """Read every form with a counter on pdfplumber.open; fields must never need it."""
    import pdfplumber

    calls = 0
    original = pdfplumber.open

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    pdfplumber.open = counting
    try:
        for data in files:
            intake.read_form(data).values()
    finally:
        pdfplumber.open = original
    return calls


def cold_start(path: Path, repeat: int) -> tuple[float, float]:
    script = ROOT / ".venv" / "bin" / "intake"
    ours = [str(script)] if script.exists() else [sys.executable, "-m", "intake"]
    ours = [*ours, "fields", str(path)]
    bare = [sys.executable, "-c",
            "import sys, pypdf; r = pypdf.PdfReader(sys.argv[1]);"
            " r.decrypt('') if r.is_encrypted else None; print(len(r.get_fields() or {}))", str(path)]
    ours_times, bare_times = [], []
    for _ in range(repeat):
        for command, bucket in ((bare, bare_times), (ours, ours_times)):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            bucket.append(time.perf_counter() - start)
    return statistics.median(bare_times), statistics.median(ours_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per form (best is kept)")
    parser.add_argument("--cold-repeat", type=int, default=11, help="process starts per side")
    args = parser.parse_args()
    # pypdf's notes on the bare side would otherwise reach stderr through logging's last resort.
    logging.getLogger().addHandler(logging.NullHandler())
    if not shared_corpus.available():
        print(f"skipped: {shared_corpus.MISSING}")
        return 0
    forms = shared_corpus.forms()
    ratios: list[float] = []
    print(f"{'form':48} {'pypdf ms':>9} {'intake ms':>10} {'ratio':>6}")
    for entry in forms:
        data = entry.path.read_bytes()
        with_intake(data), bare_pypdf(data)  # warm caches and imports for both sides
        bare, ours = best_of(bare_pypdf, with_intake, data, args.repeat)
        ratios.append(ours / bare)
        print(f"{entry.file:48} {bare * 1000:9.1f} {ours * 1000:10.1f} {ours / bare:6.2f}")
    median = statistics.median(ratios)
    calls = count_pdfplumber_calls([e.path.read_bytes() for e in forms])
    sample = shared_corpus.path("forms/dos_ds11_passport_application.pdf")
    cold_bare, cold_ours = cold_start(sample, args.cold_repeat)
    cold = cold_ours / cold_bare
    checks = [
        (f"read_form + values vs get_fields, median ratio {median:.2f} (target <= {READ_TARGET})",
         median <= READ_TARGET),
        (f"pdfplumber calls while reading fields of {len(forms)} forms: {calls} (target 0)", calls == 0),
        (f"cold `intake fields {sample.name}` {cold_ours * 1000:.0f} ms vs bare pypdf script "
         f"{cold_bare * 1000:.0f} ms, ratio {cold:.2f} (target <= {COLD_TARGET})", cold <= COLD_TARGET),
    ]
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
