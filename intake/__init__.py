"""intake: check paperwork (PDF forms and supporting documents) against a service's rules.

This package is the library. It never imports Flask, a database driver or anything that
talks to the network: the web service and other apps call it, never the other way round.
Only the names in ``__all__`` are public.
"""

from intake.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    FileProblemError,
    IntakeError,
    NotPdfError,
    SourceError,
    TooComplexError,
    TooLargeError,
    TooManyPagesError,
    UsageError,
    WrongTypeError,
)
from intake.fields import FieldKind, FieldSource, FormField, Option, Widget
from intake.files import Limits, Upload, sniff
from intake.pdf import PdfForm, read_form, triage
from intake.report import Problem, Severity

__all__ = [
    "DamagedFileError",
    "EmptyFileError",
    "EncryptedFileError",
    "FieldKind",
    "FieldSource",
    "FileProblemError",
    "FormField",
    "IntakeError",
    "Limits",
    "NotPdfError",
    "Option",
    "PdfForm",
    "Problem",
    "Severity",
    "SourceError",
    "TooComplexError",
    "TooLargeError",
    "TooManyPagesError",
    "Upload",
    "UsageError",
    "Widget",
    "WrongTypeError",
    "read_form",
    "sniff",
    "triage",
]
