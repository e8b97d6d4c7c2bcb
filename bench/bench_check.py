"""Benchmark: a full ``intake.check`` of each shipped service's complete sample packet.

For every service in ``schemas/`` that has a sample expected to be complete, it times the
whole check (reading, identifying, validating, reading the documents' text) against bare
``pypdf.PdfReader(...).get_fields()`` over the same PDF files, measured in the same run and
interleaved, and reports the ratio (target: median at most 1.5) and the checks per second
one core manages. Photos and scans are read once, in the warm-up, and then come from an OCR
cache, as a re-check's do: what reading them costs is ``bench_ocr.py``'s to measure.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdf  # noqa: E402

import intake  # noqa: E402
from intake import ocr, samples  # noqa: E402
from tests import shared_corpus  # noqa: E402

TARGET = 1.5


def bare(files: list[bytes]) -> None:
    for data in files:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        reader.get_fields()


def best_of(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """The best time of each, run in turns so a machine that slows down or speeds up
    part-way through weighs on both sides alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger().addHandler(logging.NullHandler())
    if not shared_corpus.available():
        print(f"skipped: {shared_corpus.MISSING}")
        return 0
    ratios, seconds = [], []
    readings = tempfile.TemporaryDirectory()
    checker = intake.Checker(ocr_cache=ocr.FolderCache(Path(readings.name)))
    print(f"{'service':28} {'files':>5} {'pypdf ms':>9} {'check ms':>9} {'ratio':>6}")
    for service in intake.catalogue(ROOT / "schemas").values():
        sample = next((s for s in service.samples if s.status == "complete"), None)
        if sample is None:
            continue
        packet = samples.packet(service, sample, shared_corpus.ROOT)
        pdfs = [(e[1] if isinstance(e, tuple) else e).data for e in packet]
        pdfs = [d for d in pdfs if intake.sniff(d) == "pdf"]

        def run(service: intake.Service = service, packet: list[Any] = packet, sample: Any = sample) -> None:
            checker.check(service, packet, today=sample.today)

        def baseline(pdfs: list[bytes] = pdfs) -> None:
            bare(pdfs)

        run(), baseline()
        theirs, ours = best_of(baseline, run, args.repeat)
        ratios.append(ours / theirs)
        seconds.append(ours)
        print(f"{service.id:28} {len(packet):5} {theirs * 1000:9.1f} {ours * 1000:9.1f} {ours / theirs:6.2f}")
    if not ratios:
        print("no service has a complete sample packet")
        return 1
    median = statistics.median(ratios)
    per_second = 1 / statistics.median(seconds)
    ok = median <= TARGET
    print()
    print(f"{'PASS' if ok else 'FAIL'}  full check vs get_fields on the same files, median ratio {median:.2f} "
          f"(target <= {TARGET})")
    print(f"INFO  {per_second:.1f} checks per second on one core (median packet)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
