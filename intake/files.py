"""What a file is, from its bytes: the upload wrapper, type sniffing and size limits.

No PDF parsing here: this module only decides what kind of bytes we were given, so a
photo named ``form.pdf`` is still a photo and a PDF named ``scan.jpg`` is still a PDF.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Literal, Union

from intake.errors import SourceError

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
Kind = Literal["pdf", "jpeg", "png", "heic", "empty", "unknown"]

# Readers such as Acrobat accept a PDF header anywhere in the first kilobyte; so do we,
# and we record the offset so a file with junk before it can be flagged as repaired.
_PDF_HEADER_WINDOW = 1024


_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Safe ceilings for one file and one packet: past any of them the upload is refused.

    Each ceiling has its own code or its own wording (``file.too_large``,
    ``file.too_many_pages``, ``file.page_too_large``, ``packet.*``, and ``file.too_complex``
    with a ``variant`` naming the limit), so a person is told which one they hit. The
    defaults suit citizen paperwork: the biggest real form we know has about 1,000 fields,
    40 pages and 100,000 objects.
    """

    max_file_bytes: int = 20 * _MB
    max_packet_bytes: int = 60 * _MB
    max_packet_files: int = 20
    max_pages: int = 200
    max_fields: int = 3000
    max_field_nodes: int = 20000
    max_field_depth: int = 32
    max_xfa_nodes: int = 200_000
    """Elements in one XFA packet; the template of the biggest real form has about 25,000."""
    max_xfa_depth: int = 64
    """How deep the elements of one XFA packet nest; real templates nest about 16 deep."""
    max_annotations: int = 20000
    max_options: int = 20_000
    """Choices in all the form's lists together (/Opt entries), a list that several fields
    share counted at each of them; the longest real list (every county of a state, every
    country) has about 3,000."""
    max_drawing_visits: int = 200_000
    """Work to draw the pages read, or to walk their resources: one visit per resource entry
    at each use and per kilobyte of a drawing's instructions at each time it is drawn, and
    16 per draw. Real pages need a few thousand; drawings that draw drawings many times over
    (billions of draws in a few kilobytes) are refused before anything draws them."""
    max_stream_bytes: int = 20 * _MB
    """Decompressed size of any one stream (page content, font, image, XFA)."""
    max_objects: int = 500_000
    """Entries in the cross-reference table: objects the file declares."""
    max_image_pixels: int = 100_000_000
    """Width x height of any one image; a 600 dpi scan of a letter page is 34 million."""
    max_page_inches: float = 50.0
    """Longest side of a page; an architectural E sheet is 44 inches."""
    max_ocr_page_seconds: float = 20.0
    """Wall time to read one photo or scanned page; past it, that page is left unread."""
    max_ocr_pages: int = 10
    """Scanned pages read in one file; a scan's first pages carry its name, date and address."""
    max_parse_seconds: float = 10.0
    """Wall time the sandbox gives one file (``Checker(isolate=True)``)."""


@dataclass(frozen=True)
class Upload:
    """A file as we received it: a display name and its bytes, typed by content."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def from_source(cls, source: Source | Upload, name: str | None = None) -> Upload:
        """Accept a path, bytes or a binary file object; the bytes are read once, here."""
        if isinstance(source, Upload):
            return source if name is None else cls(name, source.data)
        if isinstance(source, (bytes, bytearray, memoryview)):
            return cls(name or "upload.pdf", bytes(source))
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read {path.name}: {exc.strerror}", path=str(path)) from exc
            return cls(name or path.name, data)
        read = getattr(source, "read", None)
        if read is None:
            raise SourceError(f"cannot read a {type(source).__name__}: pass a path, bytes or a binary file")
        data = read()
        if isinstance(data, str):
            raise SourceError("the file object is open in text mode: open it with 'rb'")
        return cls(name or _name_of(source), bytes(data))

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def kind(self) -> Kind:
        return sniff(self.data)

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def pdf_offset(self) -> int:
        """Where ``%PDF-`` starts; -1 when it is not in the first kilobyte."""
        return self.data.find(b"%PDF-", 0, _PDF_HEADER_WINDOW)

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def sniff(data: bytes) -> Kind:
    """The file type from magic bytes, never from the name.

    A PDF header may follow up to a kilobyte of junk, as readers allow, unless the junk is
    markup (a browser shows such a file as a web page: an HTML/PDF polyglot) or the start of
    a program or archive (an MZ/PDF polyglot runs when opened): neither is taken as a PDF.
    """
    if not data:
        return "empty"
    offset = data.find(b"%PDF-", 0, _PDF_HEADER_WINDOW)
    if offset == 0 or (offset > 0 and not _looks_like_markup(data[:offset]) and not data.startswith(_PROGRAMS)):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if is_heif(data):
        return "heic"
    return "unknown"


# A program or an archive that also carries a PDF header inside its first kilobyte is a
# polyglot: opened by its name it runs or unpacks, so it is not taken as a PDF either.
_PROGRAMS = (b"MZ", b"\x7fELF", b"PK\x03\x04", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",
             b"\xce\xfa\xed\xfe", b"\xd0\xcf\x11\xe0")


_HEIF_CODEC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
_HEIF_GENERIC_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def is_heif(data: bytes) -> bool:
    """Whether the bytes are a HEIC/HEIF picture (an iPhone photo), by the brands of its ftyp box.

    ``mif1`` and ``msf1`` are shared with AVIF, so they count only when no AVIF brand is named.
    """
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    end = min(max(size, 16), 256, len(data))
    brands = {data[8:12]} | {data[i:i + 4] for i in range(16, end - 3, 4)}
    if brands & _HEIF_CODEC_BRANDS:
        return True
    return bool(brands & _HEIF_GENERIC_BRANDS) and not brands & _AVIF_BRANDS


def _looks_like_markup(prefix: bytes) -> bool:
    return prefix.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n\f").startswith(b"<")


def _name_of(stream: object) -> str:
    name = getattr(stream, "name", None)
    return Path(name).name if isinstance(name, str) and name else "upload.pdf"
