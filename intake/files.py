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
Kind = Literal["pdf", "jpeg", "png", "empty", "unknown"]

# Readers such as Acrobat accept a PDF header anywhere in the first kilobyte; so do we,
# and we record the offset so a file with junk before it can be flagged as repaired.
_PDF_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class Limits:
    """Safe ceilings for one file: past any of them a file is refused with its own code."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_pages: int = 200
    max_fields: int = 3000
    max_field_nodes: int = 20000
    max_field_depth: int = 32
    max_annotations: int = 20000


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
    """The file type from magic bytes, never from the name."""
    if not data:
        return "empty"
    if data.find(b"%PDF-", 0, _PDF_HEADER_WINDOW) >= 0:
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return "unknown"


def _name_of(stream: object) -> str:
    name = getattr(stream, "name", None)
    return Path(name).name if isinstance(name, str) and name else "upload.pdf"
