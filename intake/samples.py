"""Sample packets of a service file: build them from real blank forms and check them.

A sample lists files (``corpus:`` paths point into the shared corpus of real PDFs, other
paths are relative to the service file), the values to fill into a form, and the status and
problem codes the check must give. ``intake test-service`` and the test suite run them, so
every shipped service proves its own rules on real forms.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from intake.checks import check
from intake.files import Upload
from intake.report import Report
from intake.services import Sample, SampleFile, Service

CORPUS_PREFIX = "corpus:"


class SampleFileMissing(Exception):
    """A sample needs a file that is not on this machine (the shared corpus, usually)."""


@dataclass(frozen=True)
class SampleResult:
    sample: Sample
    report: Report
    unknown_sources: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return (self.report.status == self.sample.status and set(self.report.codes) == set(self.sample.codes)
                and not self.unknown_sources)

    def explain(self) -> str:
        if self.passed:
            return f"ok    {self.sample.name}"
        got, want = set(self.report.codes), set(self.sample.codes)
        parts = [f"the form has no field {name!r}" for name in self.unknown_sources]
        if self.report.status != self.sample.status:
            parts.append(f"status {self.report.status}, expected {self.sample.status}")
        if got - want:
            parts.append(f"unexpected {', '.join(sorted(got - want))}")
        if want - got:
            parts.append(f"missing {', '.join(sorted(want - got))}")
        return f"FAIL  {self.sample.name}: {'; '.join(parts)}"


def corpus_root(service: Service) -> Path:
    """``INTAKE_CORPUS``, or ``../shared/corpus`` beside the repository the service file is in."""
    configured = os.environ.get("INTAKE_CORPUS")
    if configured:
        return Path(configured)
    base = service.path.resolve().parent if service.path else Path.cwd()
    return base.parent.parent / "shared" / "corpus"


def packet(service: Service, sample: Sample, corpus: Path | None = None) -> list[tuple[str, Upload] | Upload]:
    """The files of a sample, forms filled in, ready for ``intake.check``."""
    from intake._fill import fill_form

    root = corpus or corpus_root(service)
    files: list[tuple[str, Upload] | Upload] = []
    for entry in sample.files:
        path = _resolve(service, entry, root)
        upload = Upload.from_source(path)
        if entry.values:
            form = service.form(entry.item or "")
            pdf_values: dict[str, object] = {}
            for field_id, value in entry.values.items():
                sources = form.fields[field_id].sources
                parts = value if isinstance(value, list) else [value]
                if len(parts) != len(sources):
                    raise ValueError(f"{sample.name}: {field_id} has {len(sources)} boxes, "
                                     f"so give {len(sources)} values")
                pdf_values.update(zip(sources, parts, strict=True))
            upload = Upload(upload.name, fill_form(upload, pdf_values))
        files.append((entry.item, upload) if entry.item else upload)
    return files


def run(service: Service, corpus: Path | None = None) -> list[SampleResult]:
    return [run_one(service, sample, corpus) for sample in service.samples]


def run_one(service: Service, sample: Sample, corpus: Path | None = None) -> SampleResult:
    """Check one sample, and make sure every ``source`` the service names exists in its forms."""
    from intake.pdf import read_form

    files = packet(service, sample, corpus)
    unknown: list[str] = []
    for entry in files:
        if isinstance(entry, tuple) and entry[0] in {f.id for f in service.forms}:
            names = {f.name for f in read_form(entry[1]).fields}
            spec = service.form(entry[0])
            unknown += [s for f in spec.fields.values() for s in f.sources if s not in names]
    report = check(service, files, today=sample.today or dt.date.today())
    return SampleResult(sample, report, tuple(dict.fromkeys(unknown)))


def _resolve(service: Service, entry: SampleFile, corpus: Path) -> Path:
    if entry.path.startswith(CORPUS_PREFIX):
        path = corpus / entry.path[len(CORPUS_PREFIX):]
    else:
        base = service.path.parent if service.path else Path.cwd()
        path = base / entry.path
    if not path.is_file():
        raise SampleFileMissing(f"{entry.path} is not at {path}")
    return path
