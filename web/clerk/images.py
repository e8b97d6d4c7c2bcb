"""Pictures of the pages of a submission's PDFs, and which page each form field is on, so the
detail page can show the values the checker read beside the page they came from.

Both come from the sandbox worker (``jobs.sandbox()``): the web process never parses or
draws an upload itself. Both are kept in a cache folder beside the stored files, one folder
per file (named by its sha256, so :func:`forget` removes them with the file), each entry
named by a hash of what it was made from (the page, the marked boxes, the scale), so each
is made once however often clerks look. A picture is only served while its file is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

import intake
from intake.errors import IntakeError, TooComplexError
from intake.rules import humanise
from intake.services import FormSpec, Service
from web import jobs, storage
from web.models import Submission, SubmissionFile

SCALE = 1.5
_DRAWING = "1"  # part of every cached name: change it when the drawing changes, and old pictures go unused


class NoPicture(Exception):
    """There is no such page to draw: not a PDF, a file that cannot be read, or no such page."""


class _Cache:
    """What was made from one stored file, in a folder named by the file's sha256 (so it all goes
    when the file does: :func:`forget`), each entry named by a hex key and written whole
    (temporary name, then rename) so a reader never sees half a picture."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def get(self, sha256: str, key: str) -> bytes | None:
        path = self.folder(sha256) / key
        return path.read_bytes() if path.is_file() else None

    def put(self, sha256: str, key: str, data: bytes) -> None:
        folder = self.folder(sha256)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / key)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _cache(location: str | None = None) -> _Cache:
    """Beside the stored files; with object storage, in the instance folder (a cache each web
    host keeps for itself)."""
    location = location or current_app.config["STORAGE"]
    if storage.is_s3(location):
        return _Cache(Path(current_app.instance_path) / "page-cache")
    return _Cache(Path(location) / "page-cache")


def forget(sha256: str, location: str | None = None) -> None:
    """Delete every picture and layout made from a stored file: call it when the file is deleted,
    so no picture of a page outlives the upload it shows."""
    shutil.rmtree(_cache(location).folder(sha256), ignore_errors=True)


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _blob(stored: SubmissionFile) -> bytes:
    return storage.from_config(current_app.config["STORAGE"]).get(stored.sha256)


@dataclass(frozen=True)
class Layout:
    """A PDF's page count, and where each of its fields is drawn: name -> [(page, rect), ...]."""

    pages: int
    widgets: dict[str, list[tuple[int, list[float]]]]

    def page_of(self, sources: tuple[str, ...]) -> int | None:
        return next((page for name in sources for page, _rect in self.widgets.get(name, [])), None)

    def rects(self, sources: tuple[str, ...], page: int) -> list[list[float]]:
        return [rect for name in sources for where, rect in self.widgets.get(name, []) if where == page]


def layout(stored: SubmissionFile) -> Layout | None:
    """The layout of a stored PDF, read in the sandbox once and then kept; None for anything
    that cannot be drawn."""
    if stored.kind != "pdf":
        return None
    if not storage.from_config(current_app.config["STORAGE"]).exists(stored.sha256):
        forget(stored.sha256)
        return None
    key, cache = _key("layout", _DRAWING), _cache()
    cached = cache.get(stored.sha256, key)
    if cached is not None:
        data = json.loads(cached)
    else:
        try:
            form = jobs.sandbox().read(intake.Upload(stored.name, _blob(stored)))
        except TooComplexError:
            return None  # it may pass when the worker is less busy: nothing is kept
        except IntakeError:
            data = {"pages": 0, "widgets": {}}
        else:
            data = {"pages": form.page_count,
                    "widgets": {f.name: [[w.page, list(w.rect)] for w in f.widgets if w.page and w.rect]
                                for f in form.fields}}
        cache.put(stored.sha256, key, json.dumps(data).encode())
    if not data["pages"]:
        return None
    return Layout(data["pages"], {name: [(page, rect) for page, rect in where]
                                  for name, where in data["widgets"].items()})


def _form_of(submission: Submission, service: Service, stored: SubmissionFile) -> FormSpec | None:
    """The form of the service the latest check found in this file, if it found one."""
    if submission.latest is None:
        return None
    entry = next((f for f in submission.latest.report["en"]["forms"] if f["sha256"] == stored.sha256), None)
    return next((spec for spec in service.forms if entry and spec.id == entry["form"]), None)


def picture(submission: Submission, service: Service, stored: SubmissionFile, page: int,
            fields: list[str], *, show: bool = False) -> bytes:
    """The PNG of one page, with the boxes of the named form fields marked, and the boxes of the
    fields the service marks sensitive (SSN, date of birth) covered unless ``show``. A photo
    has one page: the picture itself, upright and sized for the page."""
    if stored.kind in PICTURES:
        return _photo(stored, page)
    found = layout(stored)
    if found is None or not 1 <= page <= found.pages:
        raise NoPicture(page)
    spec = _form_of(submission, service, stored)
    rects = sorted(rect for fid in fields if spec and fid in spec.fields
                   for rect in found.rects(spec.fields[fid].sources, page))
    masks = [] if show or spec is None else sorted(
        rect for fspec in spec.fields.values() if fspec.sensitive for rect in found.rects(fspec.sources, page))
    key, cache = _key("page", page, rects, masks, SCALE, _DRAWING), _cache()
    cached = cache.get(stored.sha256, key)
    if cached is not None:
        return cached
    try:
        boxes = [(r[0], r[1], r[2], r[3]) for r in rects]
        covered = [(r[0], r[1], r[2], r[3]) for r in masks]
        png = jobs.sandbox().render(_blob(stored), page, highlight=boxes, scale=SCALE, mask=covered)
    except IntakeError as exc:
        raise NoPicture(page) from exc
    cache.put(stored.sha256, key, png)
    return png


PICTURES = ("jpeg", "png", "heic")
_DOCUMENT_PAGES = 4
"""Pages of a document's PDF shown on the detail page; the whole file is a download away."""


def _photo(stored: SubmissionFile, page: int) -> bytes:
    if page != 1 or not storage.from_config(current_app.config["STORAGE"]).exists(stored.sha256):
        raise NoPicture(page)
    key, cache = _key("photo", SCALE, _DRAWING), _cache()
    cached = cache.get(stored.sha256, key)
    if cached is not None:
        return cached
    try:
        png = jobs.sandbox().picture(_blob(stored))
    except IntakeError as exc:
        raise NoPicture(page) from exc
    cache.put(stored.sha256, key, png)
    return png


def page_count(stored: SubmissionFile) -> int:
    """Pages to show of a document's file: one for a photo, the first few of a PDF, none when
    it cannot be drawn."""
    if stored.kind in PICTURES:
        return 1
    found = layout(stored)
    return min(found.pages, _DOCUMENT_PAGES) if found is not None else 0


def document_files(submission: Submission, report: dict[str, Any]) -> dict[str, list[tuple[SubmissionFile, int]]]:
    """For each document of the report, its stored files (the latest of each name) and how many
    of their pages to show, so a clerk sees every photo and scan beside its verdict."""
    by_name = {f.name: f for f in submission.files if f.removed_at is None}
    out: dict[str, list[tuple[SubmissionFile, int]]] = {}
    for document in report.get("documents", ()):
        files = [by_name[name] for name in document.get("files", ()) if name in by_name]
        out[document["id"]] = [(f, page_count(f)) for f in files]
    return out


@dataclass(frozen=True)
class FieldView:
    id: str
    label: str
    value: Any
    problems: tuple[str, ...] = ()
    words: str | None = None
    """The answer as the citizen read it on the form ("Married"), when ``value`` is the code it stores."""


@dataclass(frozen=True)
class PageView:
    """The fields on one page (``page`` None: fields the file does not place), and those to mark."""

    page: int | None
    fields: list[FieldView]

    @property
    def marked(self) -> list[str]:
        return [f.id for f in self.fields if f.problems]


@dataclass(frozen=True)
class FormView:
    entry: dict[str, Any]
    file: SubmissionFile | None
    pages: list[PageView] = field(default_factory=list)
    other_problems: list[dict[str, Any]] = field(default_factory=list)
    has_sensitive: bool = False
    """The form has fields the service marks sensitive, whose boxes the pictures cover."""


def form_views(submission: Submission, service: Service, report: dict[str, Any], lang: str) -> list[FormView]:
    """Each form of the report with its values grouped by the page they are on."""
    files = {f.sha256: f for f in submission.current_files}
    views = []
    for entry in report["forms"]:
        stored = files.get(entry["sha256"])
        spec = next((s for s in service.forms if s.id == entry["form"]), None)
        found = layout(stored) if stored is not None else None
        by_page: dict[int | None, list[FieldView]] = {}
        words = entry.get("value_words") or {}  # reports stored before it was added have none
        for fid, value in entry["values"].items():
            fspec = spec.fields.get(fid) if spec else None
            page = found.page_of(fspec.sources) if found and fspec else None
            label = fspec.label.get(lang) if fspec and fspec.label else humanise(fid)
            problems = tuple(p["message"] for p in entry["problems"] if p.get("field") == fid)
            by_page.setdefault(page, []).append(FieldView(fid, label, value, problems, words.get(fid)))
        pages = [PageView(page, by_page[page]) for page in sorted(p for p in by_page if p is not None)]
        if None in by_page:
            pages.append(PageView(None, by_page[None]))
        known = set(entry["values"])
        views.append(FormView(entry, stored, pages, [p for p in entry["problems"] if p.get("field") not in known],
                              has_sensitive=bool(spec and any(f.sensitive for f in spec.fields.values()))))
    return views
