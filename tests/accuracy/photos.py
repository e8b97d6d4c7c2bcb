"""The pictures section of ``make accuracy``: photos and scans of the synthetic documents.

Each labelled picture (``tests.pictures``: clean, turned, skewed, photographed, blurred, dark,
washed out, cut off, tiny; PNG, JPEG and HEIC) goes through the library's check the way a
citizen sends it, unlabelled ("upload everything") to a service that takes its kind of
document. Per kind of document it reports whether each picture was placed under the right
item, whether the date and the name read off it are right, and whether its quality problems
were flagged (no more, no fewer). A picture labelled unreadable must not be placed by a
guess, and must carry its quality problem.

Two kinds of failure are told apart: a wrong answer (a quality problem flagged on a good
picture or missed on a poor one, a picture placed under the wrong item), which fails the run,
and a miss (a picture left for the office: not placed, no date or name read), which is
counted and listed. The date a photo must give is the one the same checker reads off the
document's own text layer, so the section measures the reading, not the date rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import intake
from intake import ocr, rules
from intake.files import Upload

# Where a citizen would send each kind: a service and the item that takes it.
PLACES = {
    "utility_bill": ("passport-first-time", "proof_of_address"),
    "bank_statement": ("passport-first-time", "proof_of_address"),
    "birth_certificate": ("passport-first-time", "citizenship"),
    "state_id": ("passport-first-time", "photo_id"),
    "pay_stub": ("il-child-care", "proof_of_work"),
    "ssn_card": ("ny-driver-licence", "id_ssn_card"),
}
TODAY = dt.date(2026, 11, 22)


@dataclass
class Row:
    cases: int = 0
    placed: int = 0
    readable: int = 0
    dated: int = 0
    named: int = 0
    quality: int = 0
    wrong: list[str] = field(default_factory=list)


def run(cache: Path) -> tuple[dict[str, Row], list[str], list[str]]:
    """Every picture through the checker; per kind, what came out right, the wrong answers and
    the misses."""
    from tests import pictures

    checker = intake.Checker(ocr_cache=ocr.FolderCache(cache / "readings"),
                             catalogue=intake.checks.catalogue_forms(intake.catalogue()))
    rows: dict[str, Row] = defaultdict(Row)
    failures: list[str] = []
    misses: list[str] = []
    printed: dict[str, str | None] = {}
    for case in pictures.cases():
        service, item = PLACES[case.document_kind]
        row = rows[case.document_kind]
        row.cases += 1
        upload = Upload(case.name, case.data)
        report = checker.check(service, [upload], today=TODAY)
        placed = next((d for d in report.documents if case.name in d.files), None)
        found = {p.code for d in report.documents for p in d.problems if p.file == case.name} | {
            u.problem.code for u in report.unrecognised_files if u.file == case.name}
        flagged = {code for code in found if code.startswith("image.")}
        if flagged == set(case.expected_quality):
            row.quality += 1
        else:
            failures.append(f"{case.name}: quality {sorted(flagged)}, expected {sorted(case.expected_quality)}")
        if not case.readable:
            if placed is not None and placed.id != item:
                failures.append(f"{case.name}: an unreadable picture was placed under {placed.id}")
            continue
        row.readable += 1
        if placed is not None and placed.id == item:
            row.placed += 1
        elif placed is not None:
            failures.append(f"{case.name}: placed under {placed.id}, expected {item}")
        else:
            misses.append(f"{case.name}: not placed, expected {item}")
        reading = ocr.Reader(ocr.FolderCache(cache / "readings")).reading(upload)
        text = reading.text() if reading else ""
        newest = rules.newest_date(text, TODAY)
        if case.document not in printed:
            printed[case.document] = None if Path(case.document).name in _NO_DATE_SHOWN else (
                _printed_date(case) or case.date or None)
        wanted = printed[case.document]
        if wanted is None or (newest is not None and newest.isoformat() == wanted):
            row.dated += 1
        else:
            misses.append(f"{case.name}: date read {newest}, printed {wanted}")
        if rules.name_in_text(case.person_name, text, misread=True):
            row.named += 1
        else:
            misses.append(f"{case.name}: name {case.person_name!r} not read")
    return dict(rows), failures, misses


_NO_DATE_SHOWN = frozenset({"ssn_card.png"})
"""Source pictures whose manifest date is printed nowhere on them (a Social Security card's
front shows no date), so no date can be read off their photos."""


def _printed_date(case: object) -> str | None:
    """The newest date the checker reads off the source document's own text, when it has one."""
    from tests import pictures

    source = pictures.CORPUS / case.document
    if source.suffix != ".pdf" or not source.is_file():
        return None
    text = intake.read_form(source).text()
    newest = rules.newest_date(text, TODAY)
    return newest.isoformat() if newest else None


def table(rows: dict[str, Row]) -> str:
    lines = [f"{'pictures by kind':<20} {'cases':>5} {'readable':>8} {'placed':>6} {'date':>5} {'name':>5} "
             f"{'quality':>7}"]
    for kind, row in sorted(rows.items()):
        lines.append(f"{kind:<20} {row.cases:>5} {row.readable:>8} {row.placed:>6} {row.dated:>5} {row.named:>5} "
                     f"{row.quality:>7}")
    return "\n".join(lines)
