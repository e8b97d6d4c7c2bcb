"""Check a packet of files against a service: identify each file, validate, weigh the checklist.

``check()`` is ``Checker().check()`` with defaults. A check is a pure function of the
service, the files and the date: no network, no database, the same report every time.
A bad file is a problem in the report, never an exception; only a bad call raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from intake import identity, ocr, rules
from intake.errors import FileProblemError, PacketTooLargeError, TooManyFilesError, UsageError
from intake.fieldtypes import STATES, Coded, default_join, form_schema, is_filled, mask
from intake.files import Limits, Source, Upload
from intake.messages import TEXTS, mail_variant, render
from intake.pdf import PdfForm, problem_from_error, read_form
from intake.report import (
    DocumentStatus,
    FormResult,
    Missing,
    Problem,
    Report,
    Severity,
    Unrecognised,
)
from intake.sandbox import Sandbox
from intake.services import (
    Condition,
    DocumentKind,
    DocumentSpec,
    FieldSpec,
    FormSpec,
    Identify,
    Service,
    load_service,
)
from intake.words import Words, in_sentence, join_choices

FileInput = Source | Upload | tuple[str, Source | Upload]


def words(key: str, **params: Any) -> Words:
    """One message in every language, for text that travels inside a report."""
    return Words(en=render(key, "en", **params), es=render(key, "es", **params))


@dataclass
class _File:
    """One uploaded file as the checker sees it, read at most once."""

    upload: Upload
    item: str | None
    form: PdfForm | None = None
    problem: Problem | None = None
    reader: ocr.Reader | None = None
    photos: tuple[_File, ...] = ()
    """Several photos of one document (front and back): read together as its pages."""

    @property
    def name(self) -> str:
        return self.upload.name

    @property
    def is_image(self) -> bool:
        return self.upload.kind in ("jpeg", "png", "heic")

    @property
    def is_scan(self) -> bool:
        """A picture, or a PDF whose pages show images and no text: its words need reading."""
        return self.is_image or (self.form is not None and not any(self.form.text_layer)
                                 and bool(self.form.scanned_pages))

    def reading(self) -> ocr.Reading | None:
        """What the OCR engine read, read on first need (only when a rule needs the text)."""
        if self.photos:
            readings = [p.reading() for p in self.photos]
            pages = tuple(replace(page, number=i) for i, page in
                          enumerate((page for r in readings if r for page in r.pages), 1))
            return ocr.Reading(next((r.engine for r in readings if r), ""), pages) if pages else None
        if self.reader is None or self.problem is not None or not self.is_scan:
            return None
        if self.is_image:
            return self.reader.reading(self.upload)
        assert self.form is not None
        return self.reader.reading(self.upload, self.form.scanned_pages[: self.reader.limits.max_ocr_pages])

    def text(self, page: int | None = None) -> str:
        """The printed text (of one page, or all), read from the picture for photos and scans;
        "" for files we could not open or read."""
        if self.form is not None and any(self.form.text_layer):
            return self.form.text(page)
        reading = self.reading()
        return reading.text(page) if reading is not None else ""

    def quality(self) -> list[Problem]:
        """What is wrong with the pictures themselves, each with the advice to take it again."""
        parts = self.photos or (self,)
        found: list[Problem] = []
        for part in parts:
            reading = part.reading()
            for page in reading.pages if reading else ():
                for code, variant in page.quality:
                    extra: dict[str, Any] = {"variant": variant} if variant else {}
                    found.append(Problem.of(code, file=part.name, page=page.number if part.form else None,
                                            **extra))
        return found

    def ocr_params(self, words: str | None = None) -> dict[str, Any]:
        """``source`` and ``confidence`` for a finding read from a picture; {} for printed text."""
        if self.form is not None and any(self.form.text_layer):
            return {}
        reading = self.reading()
        if reading is None:
            return {}
        sure = reading.confidence_of(words) if words else reading.confidence
        return {"source": "ocr", "confidence": round(sure)}


@dataclass(frozen=True)
class Checker:
    """A configurable checker; ``intake.check`` uses one with the defaults.

    With ``isolate=True`` every upload is parsed in a sandboxed worker process
    (:mod:`intake.sandbox`); pass ``sandbox=`` to share one pre-started worker between
    checks, as the web service does.
    """

    limits: Limits = field(default_factory=Limits)
    isolate: bool = False
    sandbox: Sandbox | None = None
    catalogue: tuple[FormSpec, ...] = ()
    """Forms of other services, so a wrong form can be named ("This is Form W-9")."""
    read_scans: bool = True
    """Read photos and scans with Tesseract when a rule needs their words (when it is installed)."""
    ocr_cache: ocr.Cache | None = None
    """Where readings are kept, so a re-check of the same file never reads it again."""

    def check(self, service: Service | str | Path, files: Iterable[FileInput], *,
              today: dt.date | None = None) -> Report:
        """The report for ``files``; raise a ``PacketError`` when there are too many or they are
        too big together (``Limits.max_packet_files``, ``Limits.max_packet_bytes``)."""
        svc = service if isinstance(service, Service) else load_service(service)
        packet = [self._upload(entry, svc) for entry in files]
        self._refuse_packet(packet)
        if self.isolate and self.sandbox is None:
            with Sandbox(file_limits=self.limits) as sandbox:
                return replace(self, sandbox=sandbox).check(svc, [(i, u) if i else u for i, u in packet], today=today)
        reader = ocr.Reader(self.ocr_cache, self.sandbox, self.limits) if self.read_scans else None
        opened: dict[tuple[str, str, bool], _File] = {}
        return _Run(svc, [self._read(item, upload, svc, reader, opened) for item, upload in packet],
                    today or dt.date.today(), self.catalogue).report()

    def _upload(self, entry: FileInput, service: Service) -> tuple[str | None, Upload]:
        item: str | None = None
        if isinstance(entry, tuple):
            item, entry = entry
            if item not in service.items:
                raise UsageError(f"{item!r} is not an item of {service.id}: use one of {', '.join(service.items)}")
        return item, Upload.from_source(entry)

    def _refuse_packet(self, packet: list[tuple[str | None, Upload]]) -> None:
        if len(packet) > self.limits.max_packet_files:
            raise TooManyFilesError(f"{len(packet)} files at once; the most is {self.limits.max_packet_files}",
                                    files=len(packet), limit=self.limits.max_packet_files)
        size, limit = sum(upload.size for _, upload in packet), self.limits.max_packet_bytes
        if size > limit:
            raise PacketTooLargeError(f"{size} bytes at once; the most is {limit}",
                                      size_mb=round(size / 2**20, 1), limit_mb=round(limit / 2**20, 1))

    def _read(self, item: str | None, upload: Upload, service: Service, reader: ocr.Reader | None,
              opened: dict[tuple[str, str, bool], _File]) -> _File:
        """One upload, parsed once per check: the same bytes under the same name again (one
        certificate given for two items) share what the first parse read, text included."""
        read = _File(upload, item, reader=reader)
        if read.is_image:
            return read
        isolated = self.isolate and self.sandbox is not None
        all_text = isolated and item in service_documents(service)  # a sealed copy holds only the text it read
        same = opened.get((upload.sha256, upload.name, all_text))
        if same is not None:
            read.form, read.problem = same.form, same.problem
            return read
        opened[(upload.sha256, upload.name, all_text)] = read
        try:
            if isolated:
                assert self.sandbox is not None
                read.form = self.sandbox.read(upload, all_text=all_text)
            else:
                read.form = read_form(upload, limits=self.limits)
        except FileProblemError as exc:
            read.problem = problem_from_error(exc, upload.name)
        if read.form is not None and read.form.refusal is not None:
            read.problem, read.form = read.form.refusal, None  # read, flagged, and still refused
        return read


def check(service: Service | str | Path, files: Iterable[FileInput], *, today: dt.date | None = None,
          limits: Limits | None = None, isolate: bool = False,
          catalogue: Iterable[Service] | Mapping[str, Service] | None = None) -> Report:
    """Check ``files`` (paths, bytes, file objects, or ``(item_id, file)`` pairs) for ``service``.

    ``catalogue`` (say ``intake.catalogue()``) lends the forms of other services, so a file
    that is another known form is named as such; the check stays a function of its inputs.
    """
    return Checker(limits=limits or Limits(), isolate=isolate,
                   catalogue=catalogue_forms(catalogue)).check(service, files, today=today)


def catalogue_forms(services: Iterable[Service] | Mapping[str, Service] | None) -> tuple[FormSpec, ...]:
    """Every form of these services, for ``Checker(catalogue=...)``."""
    if services is None:
        return ()
    found = services.values() if isinstance(services, Mapping) else services
    return tuple(spec for svc in found for spec in svc.forms)


def service_documents(service: Service) -> set[str]:
    return {d.id for d in service.documents}


class _Run:
    """The work of one check; lives only as long as the call."""

    def __init__(self, service: Service, files: list[_File], today: dt.date,
                 catalogue: tuple[FormSpec, ...] = ()) -> None:
        self.service = service
        self.files = files
        self.today = today
        self.catalogue = tuple(spec for spec in catalogue if spec not in service.forms)
        self.forms: dict[str, list[_File]] = {f.id: [] for f in service.forms}
        self.documents: dict[str, list[_File]] = {d.id: [] for d in service.documents}
        self.rejected: dict[str, list[tuple[_File, Problem]]] = {f.id: [] for f in service.forms}
        self.unrecognised: list[Unrecognised] = []
        self.raw: dict[str, dict[str, Any]] = {}
        self.clean: dict[str, dict[str, Any]] = {}
        self.missing: list[Missing] = []

    def report(self) -> Report:
        under_item: dict[tuple[str, str | None], _File] = {}
        anywhere: dict[str, _File] = {}
        for file in self.files:
            # The same bytes again under the same item (or with no item): used once, said once.
            # One certificate given as proof of age and of citizenship is two uses, not a repeat.
            sha = file.upload.sha256
            first = under_item.get((sha, file.item)) or (anywhere.get(sha) if file.item is None else None)
            under_item.setdefault((sha, file.item), file)
            anywhere.setdefault(sha, file)
            if first is not None:
                self.unrecognised.append(Unrecognised(file.name, Problem.of(
                    "file.same_file", file=file.name, other=first.name)))
                continue
            self._place(file)
        for spec in self.service.forms:
            self.raw[spec.id] = self._raw_values(spec)
        form_results = [r for spec in self.service.forms for r in self._form(spec)]
        documents = [self._document(spec) for spec in self.service.documents]
        self._points(documents)
        unrecognised = self.unrecognised
        if self.service.visit.by_mail:
            form_results = [replace(r, problems=_by_mail(r.problems)) for r in form_results]
            documents = [replace(d, problems=_by_mail(d.problems)) for d in documents]
            unrecognised = [replace(u, problem=_by_mail((u.problem,))[0]) for u in unrecognised]
        return Report(
            service=self.service.id, service_version=self.service.version, checked_at=self.today,
            forms=tuple(form_results), documents=tuple(documents), missing=tuple(self.missing),
            unrecognised_files=tuple(unrecognised), bring_in_person=self._bring(documents),
        )

    def _place(self, file: _File) -> None:
        """Sort a file to its checklist item: its label, its fields, or its printed text."""
        if file.item in self.forms:
            self._take_form(file.item, file)
            return
        if file.item in self.documents:
            self.documents[file.item].append(file)
            return
        if file.problem is not None:
            self.unrecognised.append(Unrecognised(file.name, file.problem))
            return
        form_id = self._identify_form(file)
        if form_id:
            self._take_form(form_id, file)
            return
        other = self._other_form(file) or (_FORM_WORDS if _application_scan(file) else None)
        if other is not None:  # a form of its own, even when its words mention some document
            wanted = _short_titles(self.service.forms)
            self.unrecognised.append(Unrecognised(file.name, Problem.of(
                "form.wrong", file=file.name, given=other, wanted=wanted,
                variant="not_here" if self.service.forms else "no_forms")))
            return
        document = self._identify_document(file)
        if document:
            self.documents[document].append(file)
            return
        extra: dict[str, Any] = {"variant": "picture" if file.text().strip() else "unreadable"} if file.is_scan else {}
        self.unrecognised.append(Unrecognised(file.name, Problem.of("file.unrecognised", file=file.name, **extra)))
        self.unrecognised += [Unrecognised(file.name, p) for p in file.quality()]

    def _take_form(self, form_id: str, file: _File) -> None:
        """A file given as this form: refused, another form or edition, or a copy to check."""
        spec = self.service.form(form_id)
        if file.problem is None and file.form is None and file.is_image:
            self.rejected[form_id].append((file, self._scanned_form(spec, file)))
            return
        if file.problem is not None or file.form is None:
            problem = file.problem or Problem.of("file.wrong_type", file=file.name, kind=file.upload.kind.upper())
            self.rejected[form_id].append((file, _for_form(problem)))
            return
        verdict = self._verdict(spec, file)
        if verdict is not None:
            self.rejected[form_id].append((file, verdict))
        else:
            self.forms[form_id].append(file)

    def _verdict(self, spec: FormSpec, file: _File) -> Problem | None:
        """None when the file is this form's current edition; else what it is instead.

        The field fingerprint decides alone when it matches in full, so most checks read no
        text for this; page 1 is read only when names are missing or foreign.
        """
        assert file.form is not None
        names = {f.name for f in file.form.fields}
        for edition in spec.editions:
            if edition.identify is not None and self._matches(edition.identify, file):
                return self._edition_problem(spec, file, edition.title if edition.status == "wrong" or not
                                             edition.revision else edition.revision, edition.status)
        score = identity.fingerprint_score(spec, names)
        if score >= 1.0:
            return self._same_boxes_other_revision(spec, file)
        if not names and not any(file.form.text_layer):
            return self._scanned_form(spec, file)
        text = file.form.text(1) if any(file.form.text_layer) else ""
        printed = identity.identity_of(spec, text)
        if printed is not None and printed.revision and spec.revision \
                and not identity.same_revision(printed.revision, spec.revision):
            return self._revision_problem(spec, file, printed.revision)
        if score >= identity.MATCH or printed is not None:
            if score >= identity.MATCH or not names:
                return None  # this form (a few boxes renamed, or printed flat without boxes)
            return self._edition_problem(spec, file, None, "outdated")
        if spec.number is None and self._matches(spec.identify, file):
            return None
        given = self._other_form(file, text)
        return Problem.of("form.wrong", file=file.name, form=spec.id, given=given, wanted=_short_title(spec),
                          variant=None if given else "unknown")

    def _scanned_form(self, spec: FormSpec, file: _File) -> Problem:
        """A photo or scan given as a form: which form its printed words say it is, never its answers.

        Nothing is said about the boxes of a picture (that would be a confident wrong answer);
        what it is decides the advice: this form (bring it, or fill in the fillable one), an
        older edition, another form, or a scan we could not read.
        """
        text = file.text(1)
        wanted = _short_title(spec)
        if not text.strip():
            return Problem.of("form.scanned", file=file.name, form=spec.id, wanted=wanted, variant="unread")
        printed = identity.identity_of(spec, text)
        if printed is not None and printed.revision and spec.revision \
                and not identity.same_revision(printed.revision, spec.revision):
            return self._revision_problem(spec, file, printed.revision)
        if printed is None and not self._text_hits(spec.identify, file):
            given = self._other_form(file, text)
            if given is not None:
                return Problem.of("form.wrong", file=file.name, form=spec.id, given=given, wanted=wanted)
            read = file.ocr_params()
            if read and read["confidence"] >= ocr.LOW_CONFIDENCE and not identity.looks_like_application(text):
                # Read well, and no form at all (a card, a bill): not this form, whatever it is.
                return Problem.of("form.wrong", file=file.name, form=spec.id, wanted=wanted, variant="unknown",
                                  **read)
            return Problem.of("form.scanned", file=file.name, form=spec.id, wanted=wanted, variant="unread")
        return Problem.of("form.scanned", file=file.name, form=spec.id, wanted=wanted, url=spec.url or "",
                          variant=None if spec.url else "no_url")

    def _same_boxes_other_revision(self, spec: FormSpec, file: _File) -> Problem | None:
        """An older edition can keep every box name; its printed revision still tells it apart.

        Page 1's literal strings are looked at, which costs nothing like a text extraction; a
        copy from the sandbox brings page 1's text instead. What neither shows is taken for
        the current edition, as its boxes say.
        """
        assert file.form is not None
        if not spec.revision:
            return None
        literal = file.form.literal_text(1, near=spec.number) if spec.number else file.form.literal_text(1)
        if literal is None:  # a sealed copy from the sandbox: page 1's text came with it
            text = file.form.text(1) if any(file.form.text_layer) else ""
        elif identity.revision_core(spec.revision) in " ".join(literal.split()):
            return None
        else:
            text = literal
        printed = identity.identity_of(spec, text)
        if printed is None or printed.revision is None or identity.same_revision(printed.revision, spec.revision):
            return None
        return self._revision_problem(spec, file, printed.revision)

    def _revision_problem(self, spec: FormSpec, file: _File, revision: str) -> Problem:
        """Another printed revision: named by the edition the service file lists for it, if any."""
        listed = next((e for e in spec.editions if e.revision and identity.same_revision(e.revision, revision)), None)
        return self._edition_problem(spec, file, listed.title if listed else revision,
                                     listed.status if listed else "outdated")

    def _edition_problem(self, spec: FormSpec, file: _File, given: str | Words | None, status: str) -> Problem:
        if status == "wrong":
            return Problem.of("form.wrong", file=file.name, form=spec.id, given=given, wanted=_short_title(spec))
        return Problem.of("form.outdated", file=file.name, form=spec.id, given=given, wanted=_short_title(spec),
                          current=spec.revision or "", url=spec.url or "",
                          variant=None if given else "fingerprint")

    def _other_form(self, file: _File, text: str | None = None) -> Words | None:
        """What another form this file is, by the catalogue's fingerprints or its printed number."""
        if file.form is None and not file.is_image:
            return None
        known = identity.best_match(self.catalogue, (f.name for f in file.form.fields)) if file.form else None
        if known is not None:
            return _short_title(known[0])
        if text is None:
            text = file.text(1)
        printed = identity.printed_forms(text)
        own = {identity.own_number(spec) for spec in self.service.forms}
        for found in printed:
            if found.number not in own:
                titled = next((spec for spec in self.catalogue if identity.own_number(spec) == found.number), None)
                return _short_title(titled) if titled else identity.form_words(found)
        return None

    def _identify_form(self, file: _File) -> str | None:
        """Fingerprints first; the first page's printed number, then the identify text, only after."""
        if file.form is None and not file.is_image:
            return None
        names = {f.name for f in file.form.fields} if file.form is not None else set()
        best = identity.best_match(self.service.forms, names)
        if best is not None:
            return best[0].id
        candidates = [(spec.id, identify) for spec in self.service.forms
                      for identify in (spec.identify, *(e.identify for e in spec.editions if e.identify))]
        fields = max(((self._field_score(identify, file), -i, form_id) for i, (form_id, identify)
                      in enumerate(candidates)), default=(0, 0, None))
        if fields[0] > 0:
            return fields[2]
        text = file.text(1)
        if not text.strip():
            return None
        for spec in self.service.forms:
            if identity.identity_of(spec, text) is not None:
                return spec.id
        hits = max(((self._text_hits(identify, file), -i, form_id) for i, (form_id, identify)
                    in enumerate(candidates)), default=(0, 0, None))
        return hits[2] if hits[0] > 0 else None

    def _field_score(self, identify: Identify, file: _File) -> int:
        """Ten points a matching field name; nothing when a required name is absent."""
        if file.form is None:
            return 0
        names = {f.name for f in file.form.fields}
        if identify.fields_all and not all(n in names for n in identify.fields_all):
            return 0
        return 10 * len(identify.fields_all) + 10 * sum(n in names for n in identify.fields_any)

    def _text_hits(self, identify: Identify, file: _File) -> int:
        if not identify.text_any:
            return 0
        first_page = rules.fold(file.text(1))
        return sum(rules.fold(t) in first_page for t in identify.text_any)

    def _matches(self, identify: Identify, file: _File) -> bool:
        """Every criterion the identify block gives holds (used for editions, which share names)."""
        assert file.form is not None
        names = {f.name for f in file.form.fields}
        return (all(n in names for n in identify.fields_all)
                and (not identify.fields_any or any(n in names for n in identify.fields_any))
                and (not identify.text_any or self._text_hits(identify, file) > 0))

    def _identify_document(self, file: _File) -> str | None:
        text = rules.fold(file.text())
        if not text:
            return None
        for spec in self.service.documents:
            if self._matching_kind(spec, text) is not None or (spec.text_any and _any_in(spec.text_any, text)):
                return spec.id
        return None

    def _matching_kind(self, spec: DocumentSpec, folded: str) -> DocumentKind | None:
        for kind_id in spec.any_of:
            kind = self.service.kinds[kind_id]
            if _is_kind(kind, folded):
                return kind
        return None

    def _chosen(self, spec: FormSpec) -> _File | None:
        """The copy of a form that is checked: the newest one given (within one upload, the last)."""
        files = self.forms[spec.id]
        return files[-1] if files else None

    def _raw_values(self, spec: FormSpec) -> dict[str, Any]:
        file = self._chosen(spec)
        if file is None or file.form is None:
            return {}
        by_name = file.form.values()
        return {fid: _combine(fspec, [by_name.get(s) for s in fspec.sources]) for fid, fspec in spec.fields.items()}

    def _form(self, spec: FormSpec) -> list[FormResult]:
        results = [FormResult(spec.id, spec.title, file.name, file.upload.sha256, {},
                              _with_file_problems(problem, file)) for file, problem in self.rejected[spec.id]]
        file = self._chosen(spec)
        needed = spec.required if spec.required_when is None else self._holds(spec.required_when, None)
        if file is None:
            if needed and not results:
                self.missing.append(Missing("form", spec.id, spec.title))
            return results
        for older in self.forms[spec.id][:-1]:
            self.unrecognised.append(Unrecognised(older.name, Problem.of(
                "file.duplicate", file=older.name, item=spec.title, used=file.name)))
        assert file.form is not None
        problems = list(self._validate(spec, file))
        problems += [p for p in file.form.problems if p.severity is not Severity.BLOCKS or p.code != "file.no_fields"]
        values = {fid: mask(fspec, self.clean[spec.id].get(fid, self.raw[spec.id].get(fid)))
                  for fid, fspec in spec.fields.items()}
        return [*results, FormResult(spec.id, spec.title, file.name, file.upload.sha256, values, tuple(problems),
                                     _answer_words(spec, values))]

    def _validate(self, spec: FormSpec, file: _File) -> list[Problem]:
        assert file.form is not None
        raw = self.raw[spec.id]
        pdf_fields = {f.name: f for f in file.form.fields}
        problems: list[Problem] = []

        def place(field_id: str) -> dict[str, Any]:
            fspec = spec.fields[field_id]
            first = pdf_fields.get(fspec.sources[0])
            label: str | Words = fspec.label or (first.label if first and first.label else rules.humanise(field_id))
            return {"file": file.name, "form": spec.id, "field": field_id, "label": label,
                    "page": first.page if first else None}

        filled = {fid: value for fid, value in raw.items() if is_filled(value)}
        try:
            self.clean[spec.id] = form_schema(spec.fields, self.today).load(filled)
        except ValidationError as exc:
            self.clean[spec.id] = dict(exc.valid_data or {})
            for field_id, found in sorted(_field_errors(exc.messages_dict).items()):
                for coded in found:
                    problems.append(Problem.of(coded.code, **place(field_id), **coded.params))
        for field_id, fspec in spec.fields.items():
            if is_filled(raw.get(field_id)):
                continue
            reason = None
            if fspec.required_when is not None:
                if not self._holds(fspec.required_when, spec.id):
                    continue
                reason = self._reason(fspec.required_when, spec.id)
            elif not fspec.required:
                continue
            problems.append(self._required(spec, field_id, fspec, place(field_id), reason))
        for rule in spec.rules:
            for field_id, params in rules.broken_rules(rule, raw, self.clean[spec.id]):
                if params["variant"] == "require":
                    reason = self._reason(rule.when, spec.id) if rule.when else None
                    problems.append(self._required(spec, field_id, spec.fields[field_id], place(field_id), reason))
                    continue
                if "other" in params:  # the message quotes the one other label itself
                    label = place(params["other"])["label"]
                    params["other"] = Words(_label_text(label, "en"), _label_text(label, "es"))
                if "others" in params:  # alternatives read alike: each label in quotes, "“A”, “B” or “C”"
                    labels = [place(n)["label"] for n in params["others"]]
                    params["others"] = Words(*(join_choices([f"“{_label_text(x, lang)}”" for x in labels], lang)
                                               for lang in ("en", "es")))
                problems.append(Problem.of("field.rule", **place(field_id), **params))
        return problems

    def _required(self, spec: FormSpec, field_id: str, fspec: FieldSpec, where: dict[str, Any],
                  reason: Words | None) -> Problem:
        code = "form.unsigned" if fspec.type == "signature" else "field.required"
        label = where["label"]
        self.missing.append(Missing("field", f"{spec.id}.{field_id}",
                                    label if isinstance(label, Words) else Words(label, label), reason))
        extra: dict[str, Any] = {"reason": reason, "variant": "because"} if reason else {}
        return Problem.of(code, **where, **extra)

    def _holds(self, condition: Condition, default_form: str | None) -> bool:
        form_id = condition.form or default_form
        return form_id is not None and rules.holds(condition, self.raw.get(form_id, {}))

    def _reason(self, condition: Condition, default_form: str | None) -> Words:
        return rules.reason(self.service, condition, default_form)

    def _document(self, spec: DocumentSpec) -> DocumentStatus:
        if spec.required_when is not None:
            needed = self._holds(spec.required_when, None)
            reason = self._reason(spec.required_when, None) if needed else None
        else:
            needed, reason = spec.required, None
        files = self.documents[spec.id]
        if not files:
            if needed:
                self.missing.append(Missing("document", spec.id, spec.title, reason))
            return DocumentStatus(spec.id, spec.title, "missing" if needed else "not_needed", reason=reason)
        names = tuple(f.name for f in files)
        photos = tuple(f for f in files if f.is_image and f.problem is None)
        if len(photos) > 1 and not spec.pages_of_one:  # front and back, or the pages of a statement
            files = [f for f in files if f not in photos] + [_File(photos[0].upload, spec.id, photos=photos)]
        if spec.pages_of_one:
            found, kind = self._document_pages(spec, files)
            blocked = any(p.severity is Severity.BLOCKS for p in found)
            return DocumentStatus(spec.id, spec.title, "invalid" if blocked else "provided", files=names,
                                  kind=kind, reason=reason, problems=tuple(found))
        weighed = [(file, *self._document_file(spec, file)) for file in files]
        fitting = [(i, row) for i, row in enumerate(weighed) if not any(p.severity is Severity.BLOCKS for p in row[1])]
        if not fitting:
            problems = [p for _, found, _ in weighed for p in found]
            return DocumentStatus(spec.id, spec.title, "invalid", files=names, reason=reason,
                                  kind=next((k for _, _, k in weighed if k), None), problems=tuple(problems))
        # Alternatives: the one that fits best (then the newest) counts; the others are only noted.
        _, (used, used_problems, kind) = min(fitting, key=lambda row: (_weight(row[1][1]), -row[0]))
        problems = list(used_problems)
        for file, found, _ in weighed:
            if file is not used:
                problems += [_not_used(p, used.name) for p in found]
        return DocumentStatus(spec.id, spec.title, "provided", files=names, kind=kind, reason=reason,
                              problems=tuple(problems), used=used.name)

    def _document_pages(self, spec: DocumentSpec, files: list[_File]) -> tuple[list[Problem], str | None]:
        """Files that are pages of one document (front and back): the pages count together."""
        problems: list[Problem] = []
        kind_found: str | None = None
        pages = sum(f.form.page_count if f.form is not None else 1 for f in files if f.problem is None)
        for file in files:
            found, kind = self._document_file(spec, file, pages_checked=True)
            problems += found
            kind_found = kind_found or kind
        if spec.min_pages and pages < spec.min_pages and not any(p.severity is Severity.BLOCKS for p in problems):
            problems.append(Problem.of("document.pages", pages=pages, need=spec.min_pages, file=files[-1].name,
                                       item=spec.title))
        return problems, kind_found

    def _document_file(self, spec: DocumentSpec, file: _File, *,
                       pages_checked: bool = False) -> tuple[list[Problem], str | None]:
        where: dict[str, Any] = {"file": file.name, "item": spec.title}
        if file.problem is not None:
            return [_for_document(file.problem)], None
        if file.upload.kind not in spec.accept and not (file.upload.kind == "heic" and "jpeg" in spec.accept):
            return [Problem.of("file.wrong_type", kind=file.upload.kind.upper(), **where)], None
        if not pages_checked and file.form is not None and spec.min_pages and file.form.page_count < spec.min_pages:
            return [Problem.of("document.pages", pages=file.form.page_count, need=spec.min_pages, **where)], None
        text = rules.fold(file.text())
        quality = file.quality()
        if not text:
            return [Problem.of("document.unreadable", **where), *quality], None
        form = self._other_form(file) or (_FORM_WORDS if _fillable(file) or _application_scan(file) else None)
        if form is not None:  # an application form that names the document is not that document
            return [Problem.of("document.content", expected=self._expected(spec), given=form, variant="form",
                               **where)], None
        kind = self._matching_kind(spec, text)
        if (spec.any_of and kind is None) or (spec.text_any and not _any_in(spec.text_any, text)):
            read = file.ocr_params()
            if read and (read["confidence"] < ocr.LOW_CONFIDENCE or not self._some_kind(text)):
                # A photo read poorly, or read without showing what else it is (a card prints few
                # words): not a wrong document, only one we cannot vouch for. The office looks.
                return [Problem.of("document.unreadable", **where, **read), *quality], None
            return [Problem.of("document.content", expected=self._expected(spec), **where, **read), *quality], None
        problems: list[Problem] = list(quality)
        max_age = kind.max_age_days if kind is not None and kind.overrides_age else spec.max_age_days
        if max_age:
            dated = rules.newest_dated(file.text(), self.today)
            if dated is None:
                problems.append(Problem.of("document.undated", days=max_age, **where, **file.ocr_params()))
            elif (self.today - dated[0]).days > max_age:
                newest, read = dated[0], file.ocr_params(dated[1])
                unsure = bool(read) and read["confidence"] < ocr.LOW_CONFIDENCE
                problems.append(Problem.of("document.too_old", days=max_age, date=newest.isoformat(),
                                           shown=newest.strftime(self.service.date_format),
                                           age=(self.today - newest).days, **where, **read,
                                           **({"variant": "ocr"} if unsure else {}),
                                           severity=Severity.WARNING if unsure else None))
        if spec.name_matches is not None:
            name = self._applicant_name(spec.name_matches)
            if name and not rules.name_in_text(name, file.text(), misread=bool(file.ocr_params())):
                shown = rules.printed_name(file.text())
                problems.append(Problem.of("document.name_mismatch", name=name, shown=shown or "",
                                           variant="shown" if shown else None, **where,
                                           **file.ocr_params(rules.fold(shown) if shown else None)))
        problems += self._place_problems(spec, file, where)
        return problems, kind.id if kind else None

    def _some_kind(self, folded: str) -> bool:
        """Does the text show it is some known kind of document (a bill, a certificate...)?"""
        return any(kind.text_any and _any_in(kind.text_any, folded) and _prints(kind, folded)
                   for kind in self.service.kinds.values())

    def _expected(self, spec: DocumentSpec) -> Words:
        """What the item takes, as it reads in a sentence: "a utility bill, a bank statement or a lease"."""
        titles = [self.service.kinds[k].title for k in spec.any_of] or [spec.title]
        return Words(join_choices([in_sentence(t.en) for t in titles], "en"),
                     join_choices([in_sentence(t.es) for t in titles], "es"))

    def _place_problems(self, spec: DocumentSpec, file: _File, where: dict[str, Any]) -> list[Problem]:
        """Where the document says the person lives, against where the service needs them to."""
        if spec.address_in is None and spec.address_matches is None:
            return []
        addresses = rules.printed_addresses(file.text())
        if not addresses:
            return []  # no address we can read: the clerk sees the original
        found = addresses[0]
        read = file.ocr_params(rules.fold(str(found)))
        unsure = Severity.WARNING if read and read["confidence"] < ocr.LOW_CONFIDENCE else None
        if spec.address_in is not None and not rules.address_in_state(addresses, spec.address_in):
            state = STATES.get(spec.address_in, spec.address_in)
            return [Problem.of("document.address_mismatch", found=str(found), wanted=state,
                               state=spec.address_in, **where, **read, severity=unsure)]
        if spec.address_matches is not None:
            wanted = self._applicant_name(spec.address_matches)
            if wanted and not any(rules.same_address(a, wanted) for a in addresses):
                return [Problem.of("document.address_mismatch", found=str(found), wanted=wanted, variant="form",
                                   **where, **read, severity=unsure)]
        return []

    def _applicant_name(self, condition: Condition) -> str:
        values = self.raw.get(condition.form or "", {})
        return " ".join(str(values[f]) for f in condition.field.split() if is_filled(values.get(f)))

    def _points(self, documents: list[DocumentStatus]) -> None:
        provided = {d.id for d in documents if d.status == "provided"} | {
            d.kind for d in documents if d.status == "provided" and d.kind}
        for rule in self.service.points:
            have = sum(points for item, points in rule.documents.items() if item in provided)
            if have < rule.need:
                self.missing.append(Missing("points", rule.id, rule.title,
                                            words("points.short", have=have, need=rule.need)))

    def _bring(self, documents: list[DocumentStatus]) -> tuple[Words, ...]:
        out = list(self.service.visit.bring)
        for status in documents:
            spec = self.service.document(status.id)
            unreadable = any(p.severity is Severity.BRING_ORIGINAL and (status.used is None or p.file == status.used)
                             for p in status.problems)
            if status.status == "provided" and (spec.bring_original or unreadable):
                out.append(Words(render("bring.original", "en", item=spec.title.en),
                                 render("bring.original", "es", item=spec.title.es)))
        return tuple(dict.fromkeys(out))


def _combine(spec: FieldSpec, parts: list[Any]) -> Any:
    """One value from the boxes a form splits it into (SSN in three parts, date in MM/DD/YYYY).

    A half-filled set keeps its gaps, so "03", "", "1984" becomes "03//1984" and fails as a
    date instead of passing as something the person never wrote.
    """
    if len(parts) == 1:
        return parts[0]
    if spec.type in ("checkbox", "signature"):
        return any(is_filled(p) for p in parts)
    if not any(is_filled(p) for p in parts):
        return None
    return default_join(spec).join(str(p) if is_filled(p) else "" for p in parts)


def _field_errors(messages: Mapping[str, Any]) -> dict[str, list[Coded]]:
    out: dict[str, list[Coded]] = {}
    for field_id, found in messages.items():
        items = found if isinstance(found, list) else [found]
        out[field_id] = [m if isinstance(m, Coded) else Coded("field.format") for m in items]
    return out


def _any_in(needles: Iterable[str], folded_text: str) -> bool:
    return any(rules.fold(n) in folded_text for n in needles)


_FORM_WORDS = Words("a form to fill in", "un formulario para llenar")
# Evidence (a bill, a certificate) has no boxes to fill in; a file with this many is an application.
_FILLABLE_FIELDS = 10


def _is_kind(kind: DocumentKind, folded: str) -> bool:
    """Does this (folded) text show every mark of the kind: one of its words if it lists any, all
    of its words that must be there, and every value it must print?"""
    return bool(kind.text_any or kind.text_all) and (not kind.text_any or _any_in(kind.text_any, folded)) and all(
        rules.fold(t) in folded for t in kind.text_all) and _prints(kind, folded)


def _prints(kind: DocumentKind, folded: str) -> bool:
    return all(rules.shows(folded, value) for value in kind.shows)


def _fillable(file: _File) -> bool:
    return file.form is not None and sum(
        f.kind.value not in ("signature", "button") for f in file.form.fields) >= _FILLABLE_FIELDS


def _answer_words(spec: FormSpec, values: Mapping[str, Any]) -> dict[str, Words]:
    """The words of each answer whose field's ``one_of`` gives some, as the citizen read them on the form."""
    found: dict[str, Words] = {}
    for fid, value in values.items():
        fspec = spec.fields[fid]
        if not fspec.choice_words or fspec.sensitive or value is None:
            continue
        chosen = value if isinstance(value, tuple) else (value,)
        words = [fspec.words_for(v) for v in chosen]
        if any(w is not None for w in words):
            shown = [w or Words(str(v), str(v)) for w, v in zip(words, chosen, strict=True)]
            found[fid] = Words(", ".join(w.en for w in shown), ", ".join(w.es for w in shown))
    return found


def _with_file_problems(problem: Problem, file: _File) -> tuple[Problem, ...]:
    """A scan given as a form keeps what its file itself showed (active content, a repair):
    no answers are checked, but the clerk must still know."""
    if problem.code != "form.scanned" or file.form is None:
        return (problem,)
    return (problem, *(p for p in file.form.problems if p.code not in ("file.no_fields", "file.scanned")))


def _application_scan(file: _File) -> bool:
    """A scan or photo of a form to fill in: no boxes to count, but its printed words show it."""
    return file.is_scan and identity.looks_like_application(file.text(1))


def _weight(problems: list[Problem]) -> tuple[int, int]:
    """How far a fitting file is from perfect: things to bring in person, then warnings."""
    return (sum(p.severity is Severity.BRING_ORIGINAL for p in problems),
            sum(p.severity is Severity.WARNING for p in problems))


def _not_used(problem: Problem, used: str) -> Problem:
    """A problem of a file that another file of the same item made moot: worth knowing, no more."""
    if problem.severity is not Severity.BLOCKS:
        return problem
    params = {**problem.params, "used": used}
    if f"{problem.code}:not_used" in TEXTS:
        params["variant"] = "not_used"
    return replace(problem, severity=Severity.WARNING, params=params)


def _by_mail(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """Advice worded for a service sent by mail (``visit.mode: mail``): "send it with your papers",
    never "bring it to your visit". The wording is a ``variant`` (``mail``, or ``shown_mail`` after
    ``shown``), chosen by :func:`intake.messages.mail_variant`, so the report's codes stay the same."""
    out = []
    for problem in problems:
        variant = problem.params.get("variant")
        mailed = mail_variant(problem.code, variant)
        if mailed != variant:
            problem = replace(problem, params={**problem.params, "variant": mailed})
        out.append(problem)
    return tuple(out)


def _for_form(problem: Problem) -> Problem:
    """File advice worded for a form (download it again) rather than for a proof."""
    if f"{problem.code}:form" in TEXTS and "variant" not in problem.params:
        return replace(problem, params={**problem.params, "variant": "form"})
    return problem


def _for_document(problem: Problem) -> Problem:
    if f"{problem.code}:document" in TEXTS and "variant" not in problem.params:
        return replace(problem, params={**problem.params, "variant": "document"})
    return problem


def _short_title(spec: FormSpec) -> Words:
    """ "Form DS-11" where the form number is known, which reads better in a sentence than the title."""
    if spec.number:
        return Words(f"Form {spec.number}", f"Formulario {spec.number}")
    return spec.title


def _short_titles(specs: Iterable[FormSpec]) -> Words:
    titles = [_short_title(s) for s in specs]
    return Words(join_choices([t.en for t in titles], "en"), join_choices([t.es for t in titles], "es"))


def _label_text(label: str | Words, lang: str) -> str:
    return label.get(lang) if isinstance(label, Words) else label

