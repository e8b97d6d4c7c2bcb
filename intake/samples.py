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


class SampleMistake(Exception):
    """The sample is written wrong, so it cannot run: ``where`` is the key path inside the sample."""

    def __init__(self, message: str, where: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.where = where


def locate(service: Service, index: int, mistake: SampleMistake) -> str:
    """The mistake as ``file, line N, samples › [i] › ...: message``, as lint reports mistakes."""
    from intake import _servicefile

    where = ("samples", index, *mistake.where)
    if service.path is None:
        return f"samples › [{index + 1}]: {mistake}"
    return _servicefile.locate(service.path, where, str(mistake))


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
    root = corpus or corpus_root(service)
    files: list[tuple[str, Upload] | Upload] = []
    for file_index, entry in enumerate(sample.files):
        path = _resolve(service, entry, root)
        upload = Upload.from_source(path)
        if entry.values:
            upload = Upload(upload.name, _filled(service, entry, upload, ("files", file_index, "values")))
        files.append((entry.item, upload) if entry.item else upload)
    return files


def _filled(service: Service, entry: SampleFile, upload: Upload, where: tuple[object, ...]) -> bytes:
    from intake._fill import fill_form
    from intake.errors import IntakeError
    from intake.pdf import read_form

    form = service.form(entry.item or "")
    try:
        boxes = {f.name: f for f in read_form(upload).fields}
    except IntakeError as exc:
        raise SampleMistake(f"{entry.path} cannot be read as a form ({exc})", ("files",)) from None
    pdf_values: dict[str, object] = {}
    for field_id, value in (entry.values or {}).items():
        spec = form.fields.get(field_id)
        if spec is None:
            raise SampleMistake(f"the form {form.id} has no field {field_id!r}", (*where, field_id))
        parts = value if isinstance(value, list) else [value]
        if len(parts) != len(spec.sources):
            raise SampleMistake(f"{field_id} has {len(spec.sources)} boxes, so give {len(spec.sources)} values",
                                (*where, field_id))
        for box, part in zip(spec.sources, parts, strict=True):
            if box not in boxes:
                raise SampleMistake(f"{field_id} names the box {box!r} in its source, and {entry.path} has no "
                                    "box by that name; copy the name from intake fields FILE", (*where, field_id))
            offered = [*(w.on_state for w in boxes[box].widgets if w.on_state), *boxes[box].exports]
            if offered and part not in (True, False, None, "") and str(part) not in offered:
                raise SampleMistake(f"{part!r} is not an answer the box {box!r} offers; use true, false or one "
                                    f"of {', '.join(dict.fromkeys(offered))}", (*where, field_id))
            pdf_values[box] = part
    try:
        return fill_form(upload, pdf_values)
    except (KeyError, ValueError, TypeError, IntakeError) as exc:
        cause = exc.__cause__ if isinstance(exc, IntakeError) and exc.__cause__ else exc
        raise SampleMistake(f"cannot fill these values into {entry.path}: {cause}", where) from None


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


def resolve(service: Service, entry: SampleFile, corpus: Path | None = None) -> Path:
    """Where a sample's file is on this machine; SampleFileMissing when it is not."""
    return _resolve(service, entry, corpus or corpus_root(service))


def _resolve(service: Service, entry: SampleFile, corpus: Path) -> Path:
    if entry.path.startswith(CORPUS_PREFIX):
        path = corpus / entry.path[len(CORPUS_PREFIX):]
    else:
        base = service.path.parent if service.path else Path.cwd()
        path = base / entry.path
    if not path.is_file():
        raise SampleFileMissing(f"{entry.path} is not at {path}")
    return path
