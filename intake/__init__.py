"""intake: check paperwork (PDF forms and supporting documents) against a service's rules.

This package is the library. It never imports Flask, a database driver or anything that
talks to the network: the web service and other apps call it, never the other way round.
Only the names in ``__all__`` are public. The checker and the scaffold load on first use,
so reading a form does not pay for marshmallow and YAML.
"""

from typing import TYPE_CHECKING, Any

from intake.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileProblemError,
    IntakeError,
    NotPdfError,
    PacketError,
    PacketTooLargeError,
    PageTooLargeError,
    SourceError,
    TooComplexError,
    TooLargeError,
    TooManyFilesError,
    TooManyPagesError,
    UsageError,
    WrongTypeError,
)
from intake.fields import FieldKind, FieldSource, FormField, Option, Widget
from intake.files import Limits, Upload, sniff
from intake.pdf import PdfForm, PrintedWord, read_fields, read_form, triage
from intake.report import DocumentStatus, FormResult, Missing, Problem, Report, Severity, Unrecognised
from intake.words import Words

if TYPE_CHECKING:
    from intake.checks import Checker, check
    from intake.drafts import scaffold
    from intake.services import Service, ServiceError, UnknownServiceError, catalogue, load_service

_LAZY = {
    "Checker": "intake.checks", "check": "intake.checks", "scaffold": "intake.drafts",
    "Service": "intake.services", "ServiceError": "intake.services", "UnknownServiceError": "intake.services",
    "catalogue": "intake.services", "load_service": "intake.services",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'intake' has no attribute {name!r}")


__all__ = [
    "Checker",
    "DamagedFileError",
    "DocumentStatus",
    "EmptyFileError",
    "EncryptedFileError",
    "FieldKind",
    "FieldSource",
    "FileProblemError",
    "FormField",
    "FormResult",
    "IntakeError",
    "Limits",
    "Missing",
    "NotPdfError",
    "Option",
    "PacketError",
    "PacketTooLargeError",
    "PageTooLargeError",
    "PdfForm",
    "PrintedWord",
    "Problem",
    "Report",
    "Service",
    "ServiceError",
    "Severity",
    "SourceError",
    "TooComplexError",
    "TooLargeError",
    "TooManyFilesError",
    "TooManyPagesError",
    "UnknownServiceError",
    "Unrecognised",
    "Upload",
    "UsageError",
    "Widget",
    "Words",
    "WrongTypeError",
    "catalogue",
    "check",
    "load_service",
    "read_fields",
    "read_form",
    "scaffold",
    "sniff",
    "triage",
]
