"""Read the words of phone photos and scans with Tesseract, and say how sure the reading is.

Most citizens have their papers as photos or scans, not as PDFs with text, so a bill's date
and name must be read off the picture. Tesseract is a separate program: it is run per page
with its own time budget (one slow page never holds up the rest; that page is simply not
read) and, inside the sandbox worker, under the worker's memory and CPU caps, which the
program inherits. One OpenMP thread per run (``OMP_THREAD_LIMIT=1``): a check worker runs
one check per core already.

Pictures are judged before they are read (:func:`intake.images.judge`): a blurred or tiny
picture is not read at all, and its problem says to take it again. A page that reads badly
upright is turned by Tesseract's orientation detection and read once more; small skew is
straightened first. Readings are plain data (:class:`Reading`) that turn into JSON, so they
are cached by the file's sha256 and the engine's version through any :class:`Cache` (a
folder, or the web service's storage, which every host and worker shares): a re-check never
reads the same file twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from intake.errors import FileProblemError, OcrUnavailableError
from intake.files import Limits, Upload

if TYPE_CHECKING:
    from PIL.Image import Image

LANGUAGES = "eng+spa"
"""English and Spanish documents, read in one pass."""
LOW_CONFIDENCE = 80.0
"""Below this (Tesseract's 0-100 word confidence), what a photo seems to say is only a warning."""
_WEAK_PAGE = 60.0
_FEW_WORDS = 8
_LONG_SIDE = 3000
"""Pixels on a picture's longer side when read: about 300 dpi for a letter page; more only
costs time, and phone photos arrive at 4,000 and over."""
_SCAN_SCALE = 200 / 72
"""pdfium's zoom for a scanned PDF page (200 dpi), enough for print-size text."""
_READING_VERSION = 3
"""Bumped when what a reading holds, or how pages are read, changes, so old cache entries are
not taken for new ones (2: cards read on their side both ways; a quicker straightening; 3: a
JPEG's own brightness read, skew found from strips of the page, straightened bilinearly)."""


@dataclass(frozen=True)
class Page:
    """What one page or photo said, and how it went."""

    number: int
    text: str = ""
    confidence: float = 0.0
    """The mean confidence of the words read (0-100); 0 when nothing was read."""
    words: tuple[tuple[str, float], ...] = ()
    rotated: int = 0
    """Degrees the page was turned before it read well (0, 90, 180, 270)."""
    quality: tuple[tuple[str, str | None], ...] = ()
    """Image problems found before reading: (code, variant), e.g. ("image.blurry", None)."""
    failed: str | None = None
    """Why nothing was read: "time" (past its budget), "quality" (too poor to try), "error"."""

    @property
    def read(self) -> bool:
        return self.failed is None and len(self.words) >= 3


@dataclass(frozen=True)
class Reading:
    """Every page of one file as the engine read it."""

    engine: str
    pages: tuple[Page, ...] = ()

    def text(self, page: int | None = None) -> str:
        chosen = self.pages if page is None else [p for p in self.pages if p.number == page]
        return "\n".join(p.text for p in chosen if p.text)

    @property
    def read(self) -> bool:
        return any(p.read for p in self.pages)

    @property
    def confidence(self) -> float:
        """The mean word confidence over every page that was read."""
        scores = [c for p in self.pages for _, c in p.words]
        return sum(scores) / len(scores) if scores else 0.0

    def confidence_of(self, words: str) -> float:
        """How sure the engine was of these words (folded, as :func:`intake.rules.fold` gives):
        the lowest confidence of the run of words read that spells them, else the page mean."""
        wanted = _tokens(words)
        if not wanted:
            return self.confidence
        best: float | None = None
        for page in self.pages:
            tokens = [(_tokens(w), c) for w, c in page.words]
            flat = [(t, c) for parts, c in tokens for t in parts]
            for start in range(len(flat) - len(wanted) + 1):
                if all(flat[start + i][0] == wanted[i] for i in range(len(wanted))):
                    low = min(c for _, c in flat[start:start + len(wanted)])
                    best = low if best is None else max(best, low)
        return best if best is not None else self.confidence

    def to_json(self) -> bytes:
        return json.dumps({"version": _READING_VERSION, **asdict(self)}, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Reading | None:
        """A cached reading, or None when the entry is damaged or from another version."""
        try:
            raw = json.loads(data)
            if raw.get("version") != _READING_VERSION:
                return None
            pages = tuple(Page(number=p["number"], text=p["text"], confidence=p["confidence"],
                               words=tuple((str(w), float(c)) for w, c in p["words"]), rotated=p["rotated"],
                               quality=tuple((str(q), v) for q, v in p["quality"]), failed=p["failed"])
                          for p in raw["pages"])
            return cls(engine=str(raw["engine"]), pages=pages)
        except (ValueError, KeyError, TypeError):
            return None


class Cache(Protocol):
    """Where readings are kept between checks: bytes under a key, shared by every host."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class FolderCache:
    """Readings kept as files in a folder (the CLI's ``--cache``, a user cache folder by default)."""

    folder: Path

    def get(self, key: str) -> bytes | None:
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self.folder / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(data)
            partial.replace(path)  # readers never see half an entry
        except OSError:
            return  # a cache that cannot be written only costs time


def default_cache_folder() -> Path:
    """The user's cache folder (``XDG_CACHE_HOME``, else ``~/.cache``) for intake's readings."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intake" / "ocr"


def cache_key(sha256: str, pages: Sequence[int] | None, engine: str, languages: str = LANGUAGES) -> str:
    """``<sha256>/<name>``: the same file, pages, engine and languages give the same key on every
    host, and everything read from one file sits under its sha256, to be deleted with it."""
    tag = hashlib.sha256(f"{engine}|{languages}|{_READING_VERSION}".encode()).hexdigest()[:16]
    which = "all" if pages is None else "-".join(str(p) for p in pages)
    return f"{sha256}/ocr-{tag}.{which}.json"


def engine() -> str:
    """The engine and its version ("tesseract 5.3.0"), part of every cache key; raise
    :class:`OcrUnavailableError` when Tesseract is not installed.

    Asking the program its version starts a process that costs more than a cached check, so
    the answer is kept per program file, and asked again only when that file changes (an
    upgrade while a worker runs).
    """
    import pytesseract  # type: ignore[import-untyped]

    command = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    try:
        stamp = os.stat(command).st_mtime_ns if command else None
    except OSError:
        stamp = None
    if command is None or stamp is None:
        raise OcrUnavailableError("Tesseract is not installed, so photos and scans cannot be read")
    return _engine_version(command, stamp)


@cache
def _engine_version(command: str, stamp: int) -> str:
    import pytesseract

    try:
        return f"tesseract {pytesseract.get_tesseract_version()}"
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailableError("Tesseract is not installed, so photos and scans cannot be read") from exc


def available() -> bool:
    try:
        engine()
    except OcrUnavailableError:
        return False
    return True


def is_picture(upload: Upload) -> bool:
    return upload.kind in ("jpeg", "png", "heic")


def read_upload(upload: Upload, *, pages: Sequence[int] | None = None, limits: Limits | None = None,
                languages: str = LANGUAGES) -> Reading:
    """Read a photo (JPEG, PNG, HEIC) or the given 1-based pages of a scanned PDF.

    Call it inside the sandbox worker for untrusted files (:meth:`intake.sandbox.Sandbox.ocr`):
    decoding pictures and drawing PDF pages are the risky parts, and they happen here.
    """
    limits = limits or Limits()
    name = engine()
    if is_picture(upload):
        from intake.images import open_picture

        picture = open_picture(upload.data, max_pixels=limits.max_image_pixels, grey=True)
        images: Iterable[tuple[int, Image]] = [(1, picture)]
    else:
        images = _scanned_pages(upload, pages or [1], limits)
    return Reading(engine=name, pages=tuple(read_image(image, number=number, languages=languages,
                                                       seconds=limits.max_ocr_page_seconds)
                                            for number, image in images))


def read_image(image: Image, *, number: int = 1, languages: str = LANGUAGES, seconds: float = 20.0,
               judge: bool = True) -> Page:
    """One picture read: judged, straightened, read, and turned and read again if it read badly."""
    from PIL import ImageOps

    from intake import images

    working = _working_copy(image)  # every measure is of grey levels: convert once, not per measure
    found = images.judge(working) if judge else ()
    quality = tuple((q.code, q.variant) for q in found)
    if any(code in ("image.blurry", "image.too_small") for code, _ in quality):
        return Page(number, quality=quality, failed="quality")
    if any(code == "image.too_dark" for code, _ in quality):
        working = ImageOps.autocontrast(working, cutoff=1)
    working = images.deskew(working)
    page = _tesseract(working, number, languages, seconds)
    if page.failed is None and (page.confidence < _WEAK_PAGE or len(page.words) < _FEW_WORDS):
        turn = _orientation(working, seconds)
        # Orientation detection needs more letters than a card has: a card photographed on
        # its side is then read both ways, and the way that reads most words well is kept.
        for degrees in [turn] if turn else [90, 270]:
            again = _tesseract(working.rotate(-degrees, expand=True), number, languages, seconds)
            if again.failed is None and _legible(again) > _legible(page):
                page = Page(number, again.text, again.confidence, again.words, degrees % 360)
    return Page(number, page.text, page.confidence, page.words, page.rotated, quality, page.failed)


def _working_copy(image: Image) -> Image:
    grey = image if image.mode == "L" else image.convert("L")  # never changed in place, so not copied
    longest = max(grey.size)
    if longest > _LONG_SIDE:
        ratio = _LONG_SIDE / longest
        grey = grey.resize((max(1, round(grey.width * ratio)), max(1, round(grey.height * ratio))))
    return grey


def _environment() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _tesseract(image: Image, number: int, languages: str, seconds: float) -> Page:
    import pytesseract

    _environment()
    try:
        with _image_file(image) as path:
            data = pytesseract.image_to_data(path, lang=languages, config="--psm 3",
                                             output_type=pytesseract.Output.DICT, timeout=seconds)
    except RuntimeError as exc:  # pytesseract's word for a run past its timeout, which it killed
        return Page(number, failed="time" if "timeout" in str(exc).lower() else "error")
    except (pytesseract.TesseractError, OSError):
        return Page(number, failed="error")
    return _page(number, data)


@contextlib.contextmanager
def _image_file(image: Image) -> Iterator[str]:
    """The picture as an uncompressed file for the engine: writing PNG (pytesseract's own way)
    costs a tenth of the reading itself; a greyscale PGM costs next to nothing."""
    handle, path = tempfile.mkstemp(prefix="intake-ocr-", suffix=".pgm")
    try:
        with os.fdopen(handle, "wb") as out:
            (image if image.mode == "L" else image.convert("L")).save(out, format="PPM")
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _page(number: int, data: dict[str, list[Any]]) -> Page:
    """Tesseract's word table as lines of text and (word, confidence) pairs."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    words: list[tuple[str, float]] = []
    for i, word in enumerate(data["text"]):
        word = str(word).strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        words.append((word, confidence))
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(word)
    text = "\n".join(" ".join(line) for line in lines.values())
    mean = sum(c for _, c in words) / len(words) if words else 0.0
    return Page(number, text, round(mean, 1), tuple(words))


def _legible(page: Page) -> float:
    """How much of a page read well: the confidence summed over words of three letters or
    digits or more read at 50 or better. A page read on its side gives scraps of one or two
    letters, often with fair confidence, so a mean alone would not tell the ways apart."""
    return sum(confidence for word, confidence in page.words
               if confidence >= 50 and sum(ch.isalnum() for ch in word) >= 3)


_ROTATE = re.compile(r"Rotate:\s*(\d+)")


def _orientation(image: Image, seconds: float) -> int:
    """Degrees clockwise to turn the page upright, by Tesseract's orientation detection (0 when
    it cannot tell, say on a page with too few letters)."""
    import pytesseract

    _environment()
    try:
        with _image_file(image) as path:  # not pytesseract's PNG, which costs more to write
            found = _ROTATE.search(pytesseract.image_to_osd(path, config="--psm 0", timeout=seconds))
    except (RuntimeError, pytesseract.TesseractError, OSError):
        return 0
    return int(found.group(1)) % 360 if found else 0


def _scanned_pages(upload: Upload, pages: Sequence[int], limits: Limits) -> Iterator[tuple[int, Image]]:
    """The pages of a scanned PDF drawn at print resolution, each vetted before pdfium sees it."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    from intake.pdf import read_form

    read_form(upload, limits=limits).vet(list(pages))
    document = pdfium.PdfDocument(upload.data)
    try:
        for number in pages:
            if not 1 <= number <= len(document):
                continue
            page = document[number - 1]
            width, height = page.get_size()
            scale = min(_SCAN_SCALE, (limits.max_image_pixels / max(1.0, width * height)) ** 0.5)
            yield number, page.render(scale=scale).to_pil()
    finally:
        document.close()


def _tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", folded)


@dataclass
class Reader:
    """Readings for one check: from the cache when there, else from the engine (through a
    sandbox when one is given), then kept. Holds what it read for the length of the check."""

    cache: Cache | None = None
    sandbox: Any = None
    limits: Limits = field(default_factory=Limits)
    _read: dict[tuple[str, tuple[int, ...] | None], Reading | None] = field(default_factory=dict)
    engine_runs: int = 0
    """Files the engine read (not the cache): a re-check of the same files makes none."""

    def reading(self, upload: Upload, pages: Sequence[int] | None = None) -> Reading | None:
        """The reading of these pages, or None when the engine is missing or the file refused it."""
        which = None if pages is None else tuple(pages)
        memo = (upload.sha256, which)
        if memo not in self._read:
            self._read[memo] = self._reading(upload, which)
        return self._read[memo]

    def _reading(self, upload: Upload, pages: tuple[int, ...] | None) -> Reading | None:
        try:
            name = engine()
        except OcrUnavailableError:
            return None
        key = cache_key(upload.sha256, pages, name)
        if self.cache is not None:
            cached = self.cache.get(key)
            found = Reading.from_json(cached) if cached is not None else None
            if found is not None:
                return found
        try:
            if self.sandbox is not None:
                reading: Reading = self.sandbox.ocr(upload, pages=pages)
            else:
                reading = read_upload(upload, pages=pages, limits=self.limits)
        except FileProblemError:
            return None
        self.engine_runs += 1
        if self.cache is not None and not any(p.failed in ("time", "error") for p in reading.pages):
            self.cache.put(key, reading.to_json())  # a page past its budget may read next time
        return reading
