"""``python -m tests.accuracy``: every labelled case through the library and the web API.

Prints, per problem code, how many expected findings were found, how many were missed and
how many findings nobody expected, then each case that does not match its labels. Exits 1
when any case does not match (a miss, an unexpected finding, a status, a web difference).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from tests.accuracy import cases, harness
from tests.accuracy.builders import Workshop

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".pytest_cache" / "d" / "accuracy"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.accuracy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", dest="match", default="", help="only the cases whose service or name contains this")
    parser.add_argument("--no-web", action="store_true", help="check with the library only")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where made files are kept (default {CACHE})")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case, passed or not")
    args = parser.parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on broken corpus files are expected
    chosen = [c for c in cases.CASES if args.match in c.service or args.match in c.name]
    print(f"{len(chosen)} labelled cases ({'library only' if args.no_web else 'library and web API'})", flush=True)
    shop = Workshop(args.cache)
    started = time.perf_counter()
    results: list[harness.Result] = []
    if args.no_web:
        results = [_run(c, shop, None, args.verbose) for c in chosen]
    else:
        with harness.web_checker() as web:
            results = [_run(c, shop, web, args.verbose) for c in chosen]
    elapsed = time.perf_counter() - started
    failed = [r for r in results if not r.skipped and not r.passed]
    skipped = [r for r in results if r.skipped]
    print()
    print(harness.Tally.of(results).table())
    print()
    by_service: dict[str, list[harness.Result]] = {}
    for r in results:
        by_service.setdefault(r.case.service, []).append(r)
    for service, found in sorted(by_service.items()):
        print(f"{service:<22} {len(found):>3} cases, {sum(r.passed for r in found):>3} match their labels")
    if failed:
        print(f"\n{len(failed)} case(s) do not match their labels:")
        for r in failed:
            print(r.explain())
    if skipped:
        print(f"\n{len(skipped)} case(s) SKIPPED, not measured:")
        for r in skipped:
            print(r.explain())
    how = "library only" if args.no_web else "library and web API"
    print(f"\n{len(results)} cases ({how}): {len(results) - len(failed) - len(skipped)} match, "
          f"{len(failed)} do not, {len(skipped)} skipped, in {elapsed:.0f} s")
    wrong = _pictures(args.cache) if not args.match else []
    return 1 if failed or wrong else 0


def _pictures(cache: Path) -> list[str]:
    """The pictures section: photos and scans placed, dated, name-checked and judged."""
    from intake import ocr
    from tests import pictures
    from tests.accuracy import photos

    print()
    if not pictures.available() or not ocr.available():
        print("pictures SKIPPED: " + (pictures.MISSING if not pictures.available() else "Tesseract is not installed"))
        return []
    started = time.perf_counter()
    rows, wrong, missed = photos.run(cache)
    print(photos.table(rows))
    for line in missed:
        print(f"  missed  {line}")
    for line in wrong:
        print(f"  WRONG   {line}")
    print(f"\n{sum(r.cases for r in rows.values())} pictures: {len(wrong)} wrong answers, {len(missed)} misses, "
          f"in {time.perf_counter() - started:.0f} s")
    return wrong


def _run(case: cases.Case, shop: Workshop, web: harness.WebChecker | None, verbose: bool) -> harness.Result:
    result = harness.run(case, shop, web)
    if verbose:
        print(result.explain(), flush=True)
    else:
        print("." if result.passed else "s" if result.skipped else "F", end="", flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
