"""Benchmark: every family of the project's hostile corpus through the library in-process.

Each crafted file (``tests/intake/hostile``) is read with no sandbox in a fresh child
process (under RLIMIT_AS and RLIMIT_CPU, so a file past its limits kills only the child),
and its CPU seconds and the child's peak resident memory are printed. PASS when every file
gets its expected code within 2 CPU seconds and 512 MB; FAIL (exit status 1) otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.intake import hostile  # noqa: E402

CPU_TARGET, MEMORY_TARGET_MB = 2.0, 512


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these files (default: every family)")
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        paths = hostile.write(Path(folder))
        print(f"{'file':40} {'cpu s':>7} {'peak MB':>8}  outcome")
        for family in hostile.FAMILIES:
            if args.names and family.name not in args.names:
                continue
            result = hostile.run(family.name, paths[family.name], memory_mb=1536, cpu_seconds=30, wall_seconds=60)
            good = (result.ended == "ok" and result.has(family) and result.cpu_seconds <= CPU_TARGET
                    and result.peak_mb <= MEMORY_TARGET_MB)
            failed += not good
            got = ", ".join(sorted({f.code + (f":{f.variant}" if f.variant else "") for f in result.found})) or "read"
            print(f"{family.name:40} {result.cpu_seconds:7.2f} {result.peak_mb:8.1f}  "
                  f"{'ok' if good else 'FAIL'} {result.ended}: {got}{' ' + result.detail if result.detail else ''}")
    print(f"{'PASS' if not failed else 'FAIL'}: every file at most {CPU_TARGET} s of CPU and {MEMORY_TARGET_MB} MB"
          + (f" ({failed} did not)" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
