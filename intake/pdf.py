"""Read a PDF form: its fields (AcroForm and XFA), its text layer, and what is wrong with it.

The only public door to pypdf and pdfplumber (its private helpers ``_acroform``, ``_xfa``
and ``_hazards`` do the walking). Fields come from pypdf alone, under tight pypdf limits
taken from :class:`Limits`; every page's boxes, content, images and fonts are checked
(``_hazards``) before anything else reads them, and pdfplumber is imported and run only
when someone asks for page text, so it never sees a file that failed those checks.

Every exception a parser raises, including the ``RecursionError``, ``OverflowError`` and
``NotImplementedError`` that escape pypdf's own classes, stops at this boundary and
becomes an :class:`intake.IntakeError` or a problem.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

import pypdf
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from intake import _acroform, _hazards, _xfa
from intake.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileProblemError,
    NotPdfError,
    TooComplexError,
    TooLargeError,
    TooManyPagesError,
    WrongTypeError,
)
from intake.fields import FormField, Value
from intake.files import Limits, Source, Upload
from intake.report import Problem, Severity

XfaKind = Literal["none", "static", "dynamic"]

_log = logging.getLogger(__name__)
# Actions that reach outside the document. Scripts and submit buttons are everywhere in
# government forms, so they are flagged in ``actions`` for clerks but not shown to citizens.
# Attachments, media and links to a file on a disk or a network share ("remote_file": a
# GoToR, URI... to file:, \\host\share, C:\) are shown as a warning; a Launch (run a
# program) refuses the file, wherever it sits: a field, a link, a bookmark, an open action.
_UNSAFE = frozenset({"launch", "embedded_file", "rich_media", "remote_file"})
_REFUSED_ACTIONS = frozenset({"launch"})
_MB = 1024 * 1024
_CONTENT_SCAN_BYTES = 8 * _MB
# pypdf notes many harmless quirks; these mean it had to rebuild the file's structure.
_SERIOUS_REPAIR = re.compile(r"startxref|xref|header|EOF|trailer|Object \d+ \d+ found|rebuil", re.IGNORECASE)
# Tj, TJ, ' and " show text; a font declared in /Resources alone proves nothing.
_TEXT_OPERATOR = re.compile(rb"(?:\)|>|\])\s*(?:Tj|TJ|'|\")")
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s+/")
# Direction overrides and isolates, zero-width characters, word joiners, a byte-order mark.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# One word with Latin letters and Greek or Cyrillic ones ("Jоhn" with a Cyrillic "о").
_MIXED = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0370-\u03ff\u0400-\u04ff])\w+")


@dataclass(frozen=True)
class PrintedWord:
    """A printed word and the box it stands in, in page space (points from the bottom left),
    as a widget's rectangle is."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PdfForm:
    """What one PDF holds. Text is extracted on first use and cached, never up front."""

    name: str
    sha256: str
    page_count: int
    fields: tuple[FormField, ...]
    xfa: XfaKind
    encrypted: bool
    actions: frozenset[str]
    repaired: bool
    problems: tuple[Problem, ...]
    _data: bytes = field(repr=False, compare=False)
    _limits: Limits = field(repr=False, compare=False, default=Limits())
    _layers: tuple[tuple[bool, ...], tuple[bool, ...]] | None = field(default=None, repr=False, compare=False)
    _texts: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _sealed: bool = field(default=False, repr=False, compare=False)
    _vetted: set[int] = field(default_factory=set, repr=False, compare=False)
    _withheld: set[int] = field(default_factory=set, repr=False, compare=False)
    # The reader that read the fields, reused for what is worked out later (layers, page
    # checks) instead of parsing the file again; never pickled, never copied to a sealed form.
    _reader: PdfReader | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_lock", None)
        state.pop("_reader", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_lock", threading.Lock())

    def sealed(self, text_pages: Iterable[int]) -> PdfForm:
        """A copy that carries its layers and the text of ``text_pages`` and never parses again.

        The sandbox hands these back to the parent process: everything a check needs was
        read in the worker, so nothing untrusted is parsed outside it.
        """
        pages = [p for p in text_pages if 1 <= p <= self.page_count]
        with self._lock:
            self._vet(pages, strict=True)
        if pages:
            self.text(pages[0]) if len(pages) == 1 else self.text()
        layers = self._page_layers()
        return replace(self, _data=b"", _layers=layers, _texts=dict(self._texts), _sealed=True,
                       _lock=threading.Lock(), _reader=None)

    @property
    def text_layer(self) -> tuple[bool, ...]:
        """Per page: does it show any text. Worked out on first use for fillable forms."""
        return self._page_layers()[0]

    @property
    def image_pages(self) -> tuple[bool, ...]:
        return self._page_layers()[1]

    def _page_layers(self) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
        with self._lock:
            if self._layers is None and self._sealed:
                object.__setattr__(self, "_layers", ((False,) * self.page_count, (False,) * self.page_count))
            if self._layers is None:
                with _parsing(self._limits):
                    object.__setattr__(self, "_layers", _layers(self._opened(), self._limits))
            assert self._layers is not None
            return self._layers

    @property
    def refusal(self) -> Problem | None:
        """The problem that refuses this file even though it could be read (a Launch action)."""
        return next((p for p in self.problems if p.severity is Severity.BLOCKS and p.code.startswith("file.")), None)

    @property
    def is_xfa(self) -> bool:
        return self.xfa != "none"

    @property
    def has_javascript(self) -> bool:
        return "javascript" in self.actions

    @property
    def has_launch(self) -> bool:
        return "launch" in self.actions

    @property
    def has_embedded_files(self) -> bool:
        return "embedded_file" in self.actions

    @property
    def scanned_pages(self) -> tuple[int, ...]:
        """1-based pages that show an image and have no text layer."""
        return tuple(i for i, (text, image) in enumerate(zip(self.text_layer, self.image_pages, strict=True), 1)
                     if image and not text)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def values(self) -> dict[str, Value]:
        """Name -> normalised value; with duplicate names the first filled one wins."""
        out: dict[str, Value] = {}
        for f in self.fields:
            if f.name not in out or out[f.name] in (None, False):
                out[f.name] = f.value
        return out

    def text(self, page: int | None = None) -> str:
        """Text of one 1-based page, or of the whole file, extracted once and cached."""
        wanted = list(range(1, self.page_count + 1)) if page is None else [page]
        if any(p < 1 or p > self.page_count for p in wanted):
            raise IndexError(f"page {page} is not in this {self.page_count}-page file")
        with self._lock:
            missing = [p for p in wanted if p not in self._texts]
            if missing and self._sealed:
                return "\n".join(self._texts.get(p, "") for p in wanted)
            if missing and self._layers is not None:  # a page that shows no text has none to extract
                self._texts.update({p: "" for p in missing if not self._layers[0][p - 1]})
                missing = [p for p in missing if p not in self._texts]
            if missing:
                unsafe = self._vet(missing, strict=False)
                self._texts.update({p: "" for p in unsafe})
                missing = [p for p in missing if p not in unsafe]
            if missing:
                self._texts.update(_extract_text(self._data, missing, self._limits))
        return "\n".join(self._texts[p] for p in wanted)

    def literal_text(self, page: int = 1, *, near: str | None = None) -> str | None:
        """The literal strings a page's content (and its form XObjects) draws, joined in order.

        A quick look that extracts no text: enough to find a form's printed number and
        revision on most forms for almost nothing, where a text extraction of a dense first
        page costs more than reading every field. It misses text drawn in a font's own codes,
        so it can confirm but not rule out. With ``near``, only the strings around where those
        characters stand in the stream are read (a form number, say), which keeps the look
        cheap on dense pages. None for a sealed copy (its text is there instead) or a page
        that is not in the file.
        """
        if self._sealed or not 1 <= page <= self.page_count:
            return None
        with self._lock, _parsing(self._limits):
            try:
                target = self._opened().pages[page - 1]
                streams = [_hazards.page_content(target, self._limits, _CONTENT_SCAN_BYTES)]
                xobjects = _resolve(_resolve(target.get("/Resources") or DictionaryObject()).get("/XObject"))
                if isinstance(xobjects, DictionaryObject):
                    for ref in list(xobjects.values())[:16]:
                        xobject = _resolve(ref)
                        if isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Form":
                            streams.append(_hazards.stream_data(xobject, self._limits)[:_CONTENT_SCAN_BYTES])
            except Exception as exc:  # any parser failure or refused stream just means "cannot tell"
                _log.info("no quick look at page %d of %s: %s", page, self.sha256[:12], exc)
                return None
        if near is not None:
            needle = near.encode("latin-1", "replace")
            streams = [data[max(0, at - 600):at + 600] for data in streams for at in _positions(data, needle)]
        return " ".join("".join(_unescape(m.group(1)) for m in _LITERAL.finditer(data)) for data in streams)

    def words(self, page: int) -> tuple[PrintedWord, ...]:
        """The printed words of one 1-based page with their boxes, to read what stands beside a
        box (the answer a radio button gives). The page is vetted under the file's limits first,
        as ``text()`` vets it: a page that would hurt the extractor gives no words, never an
        error. None on a sealed copy or a page that is not in the file."""
        if self._sealed or not 1 <= page <= self.page_count:
            return ()
        with self._lock:
            if self._layers is not None and not self._layers[0][page - 1]:
                return ()  # a page that shows no text has no words
            if self._vet([page], strict=False):
                self._withheld.add(page)
                return ()
        return _extract_words(self._data, page)

    @property
    def withheld_pages(self) -> tuple[int, ...]:
        """The pages :meth:`words` was asked for and gave none because their content is past the
        file's limits (not because they print nothing), so a draft can say what it could not read."""
        return tuple(sorted(self._withheld))

    def vet(self, pages: Iterable[int]) -> None:
        """Raise the ``FileProblemError`` a page deserves before its text is extracted.

        The sandbox calls this to refuse a file up front. ``text()`` vets too, but leniently:
        a page that would hurt the extractor gives no text (the check then says what it could
        not find) instead of an error in the middle of a check.
        """
        with self._lock:
            self._vet([p for p in pages if 1 <= p <= self.page_count], strict=True)

    def _vet(self, pages: list[int], *, strict: bool) -> set[int]:
        """The pages that failed (only when not ``strict``; strict raises the first failure)."""
        fresh = [p for p in pages if p not in self._vetted]
        unsafe: set[int] = set()
        if not fresh or self._sealed:
            return unsafe
        checked: set[int] = set()
        with _parsing(self._limits):
            reader = self._opened()
            for page in fresh:
                try:
                    _hazards.check_for_text(reader, self._limits, [page], checked)
                except FileProblemError as exc:
                    if strict:
                        raise
                    _log.info("no text taken from page %d of %s: %s", page, self.sha256[:12], exc)
                    unsafe.add(page)
        self._vetted.update(p for p in fresh if p not in unsafe)
        return unsafe

    def _opened(self) -> PdfReader:
        """The reader of this file (call under ``_parsing`` and the lock)."""
        if self._reader is None:
            object.__setattr__(self, "_reader", _open(Upload(self.name, self._data), self._limits)[0])
        assert self._reader is not None
        return self._reader

    def text_pages(self, all_text: bool) -> list[int]:
        """The pages a check reads text from: all of a document (or of a form with no fields,
        to recognise it), the first page of a fillable form."""
        return list(range(1, self.page_count + 1)) if (all_text or not self.fields) else [1]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "pages": self.page_count,
            "xfa": self.xfa,
            "encrypted": self.encrypted,
            "repaired": self.repaired,
            "actions": sorted(self.actions),
            "text_layer": list(self.text_layer),
            "fields": [f.to_dict() for f in self.fields],
            "problems": [p.to_dict(lang) for p in self.problems],
        }


def read_form(source: Source | Upload, *, limits: Limits | None = None, name: str | None = None) -> PdfForm:
    """Read every field and the structure of a PDF; raise a ``FileProblemError`` if unusable.

    The source may be a path, bytes or a binary file object. Problems that still let us
    read the file (repaired, scanned, no fields, active content...) are in ``.problems``.
    """
    limits = limits or Limits()
    upload = Upload.from_source(source, name)
    _refuse_unusable(upload, limits)
    with _parsing(limits) as repairs:
        reader, encrypted = _open(upload, limits)
        page_count = _count_pages(reader, limits)
        _hazards.check_pages(reader, limits)
        walk = _acroform.walk(reader, limits)
        fields, xfa, xfa_problem = _with_xfa(reader, walk.fields, limits)
        layers = None if fields else _layers(reader, limits)
    serious = sorted(m for m in repairs if _SERIOUS_REPAIR.search(m))
    repaired = bool(serious) or upload.pdf_offset > 0
    if repairs:
        _log.info("pypdf repaired %s: %s", upload.sha256[:12], "; ".join(sorted(repairs)[:5]))
    form = PdfForm(
        name=upload.name, sha256=upload.sha256, page_count=page_count, fields=tuple(sorted(fields, key=_reading_order)),
        xfa=xfa, encrypted=encrypted, actions=frozenset(walk.actions | walk.field_actions),
        repaired=repaired, problems=(), _data=upload.data, _limits=limits, _layers=layers, _reader=reader,
    )
    problems = _triage(form, walk, xfa_problem)
    return _replace_problems(form, problems)


def _reading_order(f: FormField) -> tuple[int, float, float]:
    """Page by page, top to bottom, left to right; fields drawn nowhere come last."""
    rect = f.rect
    page = f.page if f.page is not None else 1_000_000
    return (page, -rect[3], rect[0]) if rect else (page, 0.0, 0.0)


def triage(source: Source | Upload, *, limits: Limits | None = None, name: str | None = None) -> tuple[Problem, ...]:
    """Every problem with a file in one call, whether or not it could be read at all."""
    upload = Upload.from_source(source, name)
    try:
        return read_form(upload, limits=limits).problems
    except FileProblemError as exc:
        return (problem_from_error(exc, upload.name),)


def problem_from_error(exc: FileProblemError, file: str | None = None) -> Problem:
    """A refused file blocks, whatever the code's usual weight."""
    return Problem.of(exc.code, file=file, severity=Severity.BLOCKS, **exc.params)


def _replace_problems(form: PdfForm, problems: list[Problem]) -> PdfForm:
    object.__setattr__(form, "problems", tuple(problems))
    return form


def _refuse_unusable(upload: Upload, limits: Limits) -> None:
    if upload.size > limits.max_file_bytes:
        raise TooLargeError("file too large", size_mb=round(upload.size / _MB, 1),
                            limit_mb=round(limits.max_file_bytes / _MB, 1))
    kind = upload.kind
    if kind == "empty":
        raise EmptyFileError("the file is empty")
    if kind in ("jpeg", "png", "heic"):
        raise WrongTypeError(f"a {kind} image, not a PDF", kind=kind.upper())
    if kind != "pdf":
        raise NotPdfError("no PDF header in the first kilobyte")


class _PypdfNotes(logging.Handler):
    """Takes pypdf's notes about what it repaired while *we* parse, instead of logging them.

    A hostile file can make pypdf log thousands of warnings; those would flood the
    application's logs (or stderr). Notes from our own parses are collected per thread
    (a few, for the log line we write ourselves); anything else goes on to the root logger,
    exactly as if pypdf's logger still propagated.
    """

    _MAX_NOTES = 50

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        notes: set[str] | None = getattr(self.local, "notes", None)
        if notes is None:
            logging.getLogger().handle(record)
        elif len(notes) < self._MAX_NOTES and record.levelno >= logging.WARNING:
            notes.add(record.getMessage()[:200])


_NOTES = _PypdfNotes()
_PYPDF_LOGGER = logging.getLogger("pypdf")
_PYPDF_LOGGER.addHandler(_NOTES)
_PYPDF_LOGGER.propagate = False


@contextmanager
def _parsing(limits: Limits) -> Iterator[set[str]]:
    """Tight pypdf limits, pypdf's repair notes captured, and no parser exception escaping."""
    outer = getattr(_NOTES.local, "notes", None)
    notes: set[str] = set() if outer is None else outer
    _NOTES.local.notes = notes
    try:
        with pypdf.apply_configuration(None, **_pypdf_limits(limits)):
            yield notes
    except FileProblemError:
        raise
    except MemoryError as exc:
        raise TooComplexError("the file needs too much memory", variant="memory") from exc
    except Exception as exc:  # the parser boundary: whatever pypdf raises means damaged
        limit = _limit_in(exc)
        if limit is not None or isinstance(exc, RecursionError):
            raise TooComplexError(f"{type(exc).__name__}: {exc}"[:300], **_limit_params(limit, limits)) from exc
        raise DamagedFileError(f"{type(exc).__name__}: {exc}"[:300]) from exc
    finally:
        _NOTES.local.notes = outer


def _limit_in(exc: BaseException) -> LimitReachedError | None:
    """pypdf wraps some limit errors in a PdfReadError; look down the chain for the limit."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, LimitReachedError):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _limit_params(limit: LimitReachedError | None, limits: Limits) -> dict[str, Any]:
    """Which of our limits a pypdf limit error stands for, so the message can name it."""
    text = str(limit).lower() if limit is not None else ""
    if "decompress" in text or "output length" in text or "stream length" in text:
        return {"variant": "stream", "limit_mb": limits.max_stream_bytes // _MB}
    if "xref" in text or "object" in text:
        return {"variant": "objects", "limit": limits.max_objects}
    return {}


def _pypdf_limits(limits: Limits) -> dict[str, int]:
    stream = limits.max_stream_bytes
    return {
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "array_based_stream_maximum_output_length": stream,
        "maximum_declared_stream_length": stream,
        "image_maximum_buffer_size": stream,
        "form_fields_maximum_entries": limits.max_field_nodes,
        "form_fields_maximum_depth": limits.max_field_depth + 1,
        "page_tree_maximum_entries": limits.max_pages * 4 + 64,
    }


def _open(upload: Upload, limits: Limits) -> tuple[PdfReader, bool]:
    """Open under our limits; a file must name its catalogue and declare a sane number of objects."""
    try:
        reader = PdfReader(upload.stream(), strict=False)
    except (NotImplementedError, ValueError, KeyError) as exc:
        if any(frame.name == "_handle_encryption" for frame in traceback.extract_tb(exc.__traceback__)):
            raise EncryptedFileError(f"locked in a way we cannot open: {exc}"[:300]) from exc
        raise
    except PdfReadError:
        rebuilt = _hazards.with_trailer(upload.data)
        if rebuilt is None:
            raise
        _log.info("no trailer in %s: rebuilt from its objects", upload.sha256[:12])
        reader = PdfReader(io.BytesIO(rebuilt), strict=False)
    _hazards.check_bytes(upload.data)
    if "/Root" not in reader.trailer:
        raise DamagedFileError("the file does not say where its content starts")
    objects = sum(len(section) for section in reader.xref.values()) + len(reader.xref_objStm)
    if objects > limits.max_objects:
        raise TooComplexError("too many objects", variant="objects", limit=limits.max_objects, found=objects)
    if not reader.is_encrypted:
        return reader, False
    try:
        decrypted = reader.decrypt("")
    except (NotImplementedError, ValueError, KeyError, TypeError) as exc:
        raise EncryptedFileError(f"locked in a way we cannot open: {exc}"[:300]) from exc
    if decrypted == pypdf.PasswordType.NOT_DECRYPTED:
        raise EncryptedFileError("a password is needed to open this file")
    return reader, True


def _count_pages(reader: PdfReader, limits: Limits) -> int:
    _hazards.count_pages(reader, limits)
    count = len(reader.pages)
    if count == 0:
        raise DamagedFileError("the file has no pages we can find")
    if count > limits.max_pages:
        raise TooManyPagesError("too many pages", pages=count, limit=limits.max_pages)
    return count


def _with_xfa(reader: PdfReader, fields: list[FormField],
              limits: Limits) -> tuple[list[FormField], XfaKind, str | None]:
    """The fields with the XFA answers in them, the XFA kind, and the problem reading them left.

    Answers fill the AcroForm fields they match. A form is dynamic when the file says so
    (/NeedsRendering) or when its AcroForm takes fewer than half of the answers (a dynamic
    form may carry one signature field, say); then every answer no AcroForm field takes
    becomes an XFA field of its own, so none is lost.
    """
    root = _resolve(reader.trailer.get("/Root"))
    acro = _resolve(root.get("/AcroForm")) if isinstance(root, DictionaryObject) else None
    raw = _resolve(acro.get("/XFA")) if isinstance(acro, DictionaryObject) else None
    if raw is None:
        return fields, "none", None
    needs_rendering = bool(_resolve(root.get("/NeedsRendering")))
    try:
        packets = _xfa_packets(raw, limits)
        datasets = packets.get("datasets")
        values = _xfa.data_values(datasets, limits) if datasets else []
    except _xfa.XfaUnreadable:
        return fields, "dynamic" if needs_rendering or not fields else "static", "field.xfa_unreadable"
    problem = "field.xfa_repaired" if datasets and datasets.repaired else None
    merged, left = _xfa.merge(fields, values)
    if fields and not needs_rendering and 2 * (len(values) - len(left)) >= len(values):
        return merged, "static", problem
    if len(merged) + len(left) > limits.max_fields:
        raise TooComplexError("too many form fields", variant="fields", limit=limits.max_fields)
    return merged + _xfa.data_fields(left, _xfa_labels(packets) if left else {}), "dynamic", problem


def _xfa_labels(packets: _xfa.Packets) -> dict[str, str]:
    """Labels from the template; without them the answers are still read, so damage here is no problem."""
    try:
        template = packets.get("template")
    except _xfa.XfaUnreadable:
        return {}
    return _xfa.template_labels(template) if template else {}


def _xfa_packets(raw: Any, limits: Limits) -> _xfa.Packets:
    if isinstance(raw, StreamObject):
        return _xfa.Packets.from_xdp(raw.get_data(), limits)
    if not isinstance(raw, ArrayObject):
        raise _xfa.XfaUnreadable("the XFA entry is neither a stream nor an array")
    streams: dict[str, bytes] = {}
    for i in range(0, len(raw) - 1, 2):
        stream = _resolve(raw[i + 1])
        if isinstance(stream, StreamObject) and str(raw[i]) in ("datasets", "template"):
            streams[str(raw[i])] = stream.get_data()
    return _xfa.Packets(streams, limits)


def _layers(reader: PdfReader, limits: Limits) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Per page: does it show text (text operators, not just a declared font), does it draw images."""
    _hazards.check_resources(reader, limits)
    text: list[bool] = []
    images: list[bool] = []
    for page in reader.pages:
        content = _hazards.page_content(page, limits, _CONTENT_SCAN_BYTES)
        has_text, has_image = _scan(content, _resolve(page.get("/Resources")), depth=0, limits=limits)
        text.append(has_text)
        images.append(has_image)
    return tuple(text), tuple(images)


def _scan(content: bytes, resources: Any, depth: int, limits: Limits) -> tuple[bool, bool]:
    """Text-showing operators and images in a content stream and the form XObjects it uses."""
    has_text = _TEXT_OPERATOR.search(content) is not None
    has_image = _INLINE_IMAGE.search(content) is not None
    if not isinstance(resources, DictionaryObject) or depth > 3:
        return has_text, has_image
    xobjects = _resolve(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return has_text, has_image
    for ref in list(xobjects.values())[:64]:
        if has_text and has_image:
            break
        xobject = _resolve(ref)
        if not isinstance(xobject, StreamObject):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            has_image = True
        elif subtype == "/Form":
            inner_text, inner_image = _scan(_hazards.stream_data(xobject, limits)[:_CONTENT_SCAN_BYTES],
                                            _resolve(xobject.get("/Resources")), depth + 1, limits)
            has_text, has_image = has_text or inner_text, has_image or inner_image
    return has_text, has_image


_LITERAL = re.compile(rb"\(((?:\\.|[^\\)]){0,2000})\)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _positions(data: bytes, needle: bytes, most: int = 8) -> list[int]:
    found: list[int] = []
    at = data.find(needle)
    while at >= 0 and len(found) < most:
        found.append(at)
        at = data.find(needle, at + len(needle))
    return found


def _unescape(literal: bytes) -> str:
    """A PDF literal string's bytes as text (Latin-1, which suits the standard encodings)."""
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, literal).decode("latin-1")


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _triage(form: PdfForm, walk: _acroform.Walk, xfa_problem: str | None) -> list[Problem]:
    file = form.name
    problems: list[Problem] = []
    if form.repaired:
        problems.append(Problem.of("file.repaired", file=file))
    # Answers kept only in XFA are fields drawn nowhere: no reader but Acrobat shows them.
    only_in_xfa = any(f.source.value == "xfa" and not f.widgets for f in form.fields)
    if form.xfa == "dynamic" and (only_in_xfa or not any(f.source.value == "acroform" for f in form.fields)):
        problems.append(Problem.of("file.xfa_only", file=file))
    if xfa_problem:
        problems.append(Problem.of(xfa_problem, file=file))
    if not form.fields and form.xfa == "none":
        scanned = form.scanned_pages
        if scanned and not any(form.text_layer):
            problems.append(Problem.of("file.scanned", file=file, pages=list(scanned)))
        else:
            problems.append(Problem.of("file.no_fields", file=file))
    counts = Counter(f.name for f in form.fields)
    for name, count in sorted(counts.items()):
        if count > 1:
            first = form.field(name)
            problems.append(Problem.of("field.ambiguous", file=file, field=name, count=count,
                                       label=first.label if first else None,
                                       page=first.page if first else None))
    for name in dict.fromkeys(walk.encoding_problems):
        broken = form.field(name)
        problems.append(Problem.of("field.encoding", file=file, field=name,
                                   page=broken.page if broken else None))
    problems += _disguised(form, set(walk.encoding_problems))
    found = walk.actions | walk.field_actions
    unsafe = sorted(found & _UNSAFE)
    if found & _REFUSED_ACTIONS:
        problems.insert(0, Problem.of("file.unsafe", file=file, actions=unsafe, variant="launch",
                                      severity=Severity.BLOCKS))
    elif unsafe:
        problems.append(Problem.of("file.unsafe", file=file, actions=unsafe))
    return problems


def _disguised(form: PdfForm, already: set[str]) -> list[Problem]:
    """Answers that do not show what they hold: hidden direction or zero-width characters, or a
    word mixing look-alike letters of two alphabets. A clerk should look; the person can retype."""
    problems: list[Problem] = []
    for f in form.fields:
        if not isinstance(f.value, str) or f.name in already:
            continue
        variant = "hidden" if _HIDDEN.search(f.value) else "mixed_scripts" if _MIXED.search(f.value) else None
        if variant:
            already.add(f.name)
            problems.append(Problem.of("field.encoding", file=form.name, field=f.name, label=f.label or None,
                                       page=f.page, variant=variant))
    return problems


def _extract_text(data: bytes, pages: list[int], limits: Limits) -> dict[int, str]:
    """pdfplumber first; pypdf's extractor when pdfplumber cannot see pages pypdf repairs."""
    import pdfplumber

    texts: dict[int, str] = {}
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            if len(pdf.pages) >= max(pages):
                for number in pages:
                    texts[number] = _page_text(pdf.pages[number - 1])
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        _log.info("pdfplumber could not read text (%s); using pypdf", type(exc).__name__)
    missing = [p for p in pages if not texts.get(p)]
    if missing:
        texts.update(_pypdf_text(data, missing, limits))
    return texts


def _extract_words(data: bytes, page: int) -> tuple[PrintedWord, ...]:
    """pdfplumber's words of a vetted page, turned into page space."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            if page > len(pdf.pages):
                return ()
            target = pdf.pages[page - 1]
            height = float(target.height)
            return tuple(PrintedWord(str(w["text"]), float(w["x0"]), height - float(w["bottom"]), float(w["x1"]),
                              height - float(w["top"])) for w in target.extract_words())
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        _log.info("pdfplumber could not read the words of page %d (%s)", page, type(exc).__name__)
        return ()


def _page_text(page: Any) -> str:
    """The same text as pdfplumber's ``extract_text()``, from the characters alone.

    pdfplumber builds a layout object for every character, line, curve and rectangle of the
    page (and then a dictionary for each) before it lays the characters out; a document's
    text needs only the characters' boxes. A device of our own takes just those from
    pdfminer's interpreter, with the very arithmetic its characters use, and hands them to
    pdfplumber's own layout: the same text, character for character, for well under half
    the cost.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.utils.text import chars_to_textmap

    device = _character_device()(page.pdf.rsrcmgr)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    height, (left, top_edge) = page.height, page.mediabox[:2]
    doctop = page.initial_doctop
    chars = [{"text": text, "x0": x0 + left, "x1": x1 + left, "top": height - y1 + top_edge,
              "bottom": height - y0 + top_edge, "doctop": doctop + height - y1 + top_edge,
              "upright": upright, "size": size}
             for text, x0, y0, x1, y1, upright, size in device.chars]
    if not chars:
        return ""
    return str(chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width,
                                layout_height=page.height).as_string)


@cache
def _character_device() -> type:
    """pdfminer's text device, keeping each character's text and box and drawing nothing else
    (made on first use, so importing intake does not import pdfminer)."""
    from pdfminer.layout import LTChar
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class Characters(PDFTextDevice):
        def __init__(self, rsrcmgr: Any) -> None:
            super().__init__(rsrcmgr)
            self.chars: list[tuple[str, float, float, float, float, bool, float]] = []
            self.fonts: dict[int, tuple[Any, dict[int, tuple[str, float]]]] = {}

        def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                        ncs: Any, graphicstate: Any) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"  # as pdfminer's own layout writes it
            width = font.char_width(cid)
            if font.is_vertical():  # rare: let pdfminer's character work out its box
                char = LTChar(matrix, font, fontsize, scaling, rise, text, width, font.char_disp(cid), ncs,
                              graphicstate)
                self.chars.append((text, *char.bbox, char.upright, char.size))
                return float(char.adv)
            advance = width * fontsize * scaling
            descent = font.get_descent() * fontsize
            x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, descent + rise, advance, descent + rise + fontsize))
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            a, b, c, d = matrix[:4]
            self.chars.append((text, x0, y0, x1, y1, a * d * scaling > 0 and b * c <= 0, y1 - y0))
            return float(advance)

        def render_string_horizontal(self, seq: Any, matrix: Any, pos: Any, font: Any, fontsize: float,
                                     scaling: float, charspace: float, wordspace: float, rise: float,
                                     dxscale: float, ncs: Any, graphicstate: Any) -> Any:
            """pdfminer's loop over a line of text with ``render_char`` worked in: each character's
            box is the same sums pdfminer's ``translate_matrix`` and ``apply_matrix_rect`` do, in
            the same order (so the same floats), without a call, a matrix and a tuple per corner;
            what a code reads as and how wide it is are looked up once per font."""
            glyphs = self._glyphs(font)
            a, b, c, d, e, f = matrix
            upright = a * d * scaling > 0 and b * c <= 0
            low = font.get_descent() * fontsize + rise
            high = low + fontsize
            append = self.chars.append
            x, y = pos
            needcharspace = False
            for obj in seq:
                if isinstance(obj, (int, float)):
                    x -= obj * dxscale
                    needcharspace = True
                elif isinstance(obj, bytes):
                    for cid in font.decode(obj):
                        if needcharspace:
                            x += charspace
                        glyph = glyphs.get(cid)
                        if glyph is None:
                            glyph = glyphs[cid] = self._glyph(font, cid)
                        text, width = glyph
                        advance = width * fontsize * scaling
                        e1 = x * a + y * c + e
                        f1 = x * b + y * d + f
                        left1, bottom1 = a * 0 + c * low + e1, b * 0 + d * low + f1
                        right1, bottom2 = a * advance + c * low + e1, b * advance + d * low + f1
                        right2, top1 = a * advance + c * high + e1, b * advance + d * high + f1
                        left2, top2 = a * 0 + c * high + e1, b * 0 + d * high + f1
                        x0, x1 = min(left1, left2, right1, right2), max(left1, left2, right1, right2)
                        y0, y1 = min(bottom1, bottom2, top1, top2), max(bottom1, bottom2, top1, top2)
                        x0, x1 = min(x0, x1), max(x0, x1)  # as render_char does (it matters for a NaN)
                        y0, y1 = min(y0, y1), max(y0, y1)
                        append((text, x0, y0, x1, y1, upright, y1 - y0))
                        x += float(advance)
                        if cid == 32 and wordspace:
                            x += wordspace
                        needcharspace = True
                else:
                    super().render_string_horizontal([obj], matrix, (x, y), font, fontsize, scaling, charspace,
                                                     wordspace, rise, dxscale, ncs, graphicstate)
            return (x, y)

        def _glyphs(self, font: Any) -> dict[int, tuple[str, float]]:
            """What each code of this font reads as and how wide it is (the font kept with them, so
            its id stays its own for the length of the page)."""
            held = self.fonts.get(id(font))
            if held is None:
                held = self.fonts[id(font)] = (font, {})
            return held[1]

        @staticmethod
        def _glyph(font: Any, cid: int) -> tuple[str, float]:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"  # as pdfminer's own layout writes it
            return text, font.char_width(cid)

    return Characters


def _pypdf_text(data: bytes, pages: list[int], limits: Limits) -> dict[int, str]:
    out = {p: "" for p in pages}
    try:
        with _parsing(limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            for number in pages:
                out[number] = reader.pages[number - 1].extract_text() or ""
    except FileProblemError as exc:
        _log.info("pypdf could not read text either: %s", exc)
    return out



def read_fields(source: Source | Upload, *, limits: Limits | None = None) -> tuple[FormField, ...]:
    """Just the fields of a form, in reading order (``read_form`` has everything else)."""
    return read_form(source, limits=limits).fields
