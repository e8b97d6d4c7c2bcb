"""The one exception tree of ``intake``; every class carries a stable ``code``.

Raise when a call cannot do its job at all (a file that is not a PDF, a service file
with a mistake in it); a check that ran reports problems in its report instead. Codes are
public ids that other apps store: never derive them from class names, never rename one.

    IntakeError                      intake.error
    ├── SourceError                  source.unreadable   (a path that cannot be opened...)
    ├── FileProblemError             file.*              (the file itself is unusable)
    │   ├── EmptyFileError           file.empty
    │   ├── NotPdfError              file.not_pdf
    │   ├── WrongTypeError           file.wrong_type
    │   ├── DamagedFileError         file.damaged
    │   ├── EncryptedFileError       file.encrypted
    │   ├── TooLargeError            file.too_large
    │   ├── TooManyPagesError        file.too_many_pages
    │   ├── PageTooLargeError        file.page_too_large
    │   └── TooComplexError          file.too_complex    (params ``variant`` name the limit)
    ├── PacketError                  packet.unusable     (the files of one check, taken together)
    │   ├── TooManyFilesError        packet.too_many_files
    │   └── PacketTooLargeError      packet.too_large
    └── UsageError                   usage.invalid       (a caller passed something we cannot use)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class IntakeError(Exception):
    """Base of every error ``intake`` raises on purpose."""

    code = "intake.error"

    def __init__(self, message: str = "", **params: Any) -> None:
        super().__init__(message or self.code)
        self.params: Mapping[str, Any] = params


class SourceError(IntakeError):
    """The source could not be read at all (missing path, unreadable object)."""

    code = "source.unreadable"


class UsageError(IntakeError):
    """A caller passed arguments that make no sense together."""

    code = "usage.invalid"


class OcrUnavailableError(IntakeError):
    """Tesseract is not installed here: photos and scans are then left to the office, as before."""

    code = "ocr.unavailable"


class FileProblemError(IntakeError):
    """The file itself is unusable; the checker turns this into a problem in the report."""

    code = "file.unusable"


class EmptyFileError(FileProblemError):
    code = "file.empty"


class NotPdfError(FileProblemError):
    code = "file.not_pdf"


class WrongTypeError(FileProblemError):
    """A known file type (a photo, say) where a PDF was needed."""

    code = "file.wrong_type"


class DamagedFileError(FileProblemError):
    code = "file.damaged"


class EncryptedFileError(FileProblemError):
    code = "file.encrypted"


class TooLargeError(FileProblemError):
    code = "file.too_large"


class TooManyPagesError(FileProblemError):
    code = "file.too_many_pages"


class PageTooLargeError(FileProblemError):
    """A page bigger than any paper a person could print it on (a rendering and memory hazard)."""

    code = "file.page_too_large"


class TooComplexError(FileProblemError):
    """Past a structural limit (fields, nesting, objects): refusing is safer than trying.

    ``params["variant"]``, when given, names the limit (``stream``, ``objects``, ``fields``,
    ``image``, ``font``, ``time``, ``memory``, ``actions``, ``drawing``, ``options``) so the message
    can say which one it was.
    """

    code = "file.too_complex"


class PacketError(IntakeError):
    """The files of one check are too many or too big together; no file was read.

    Raised, not reported: the check did not run, and the caller (the web form, the API)
    tells the person to send fewer or smaller files at once.
    """

    code = "packet.unusable"


class TooManyFilesError(PacketError):
    code = "packet.too_many_files"


class PacketTooLargeError(PacketError):
    code = "packet.too_large"
