"""The shared corpus of real PDFs beside the repository, read through its manifests.

Tests reach real files only through here, so a checkout without ``../shared/corpus``
skips them with a reason instead of failing.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("INTAKE_CORPUS", Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"))
MISSING = "the shared corpus (../shared/corpus beside the repository) is not here"


@dataclass(frozen=True)
class Entry:
    file: str
    kind: str
    note: str

    @property
    def path(self) -> Path:
        return ROOT / self.file


def available() -> bool:
    return (ROOT / "MANIFEST.tsv").is_file()


def entries() -> list[Entry]:
    """Every file of the main manifest, then the synthetic supporting documents."""
    if not available():
        return []
    out: list[Entry] = []
    with open(ROOT / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.append(Entry(row["file"], row["kind"], row.get("note", "")))
    synthetic = ROOT / "supporting" / "synthetic" / "MANIFEST.tsv"
    if synthetic.is_file():
        with open(synthetic, encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            out.append(Entry(f"supporting/synthetic/{row['file']}", "synthetic", row.get("notes", "")))
    return out


def forms() -> list[Entry]:
    return [e for e in entries() if e.kind == "form"]


def path(name: str) -> Path:
    return ROOT / name


# The synthetic applicant of supporting/synthetic/MANIFEST.tsv, as the DS-11's boxes hold him.
DS11 = "forms/dos_ds11_passport_application.pdf"
DS11_APPLICANT = {
    "Applicant Last Name": "Pérez", "Applicant First Name": "José", "Applicant DOB M": "03",
    "Applicant DOB D": "09", "Applicant DOB Y": "1984", "Applicant Place of Birth": "Springfield",
    "Applicant SSN 1": "123", "Applicant SSN 2": "45", "Applicant SSN 3": "6789",
    "Applicant Address Street": "418 Maple Avenue", "Applicant Address CIty": "Springfield",
    "Applicant Address State": "IL", "Applicant Address Zip Code": "62704",
}
