"""Files whose bytes or name disguise what they are: a program header before ``%PDF``, and a
name with a NUL in it that reads as a PDF to one program and as a program to another."""

from __future__ import annotations

from tests.intake.hostile.family import Family
from tests.pdfs import FormBuilder, text_pdf


def program_header() -> bytes:
    """A Windows program's MZ header, then a complete PDF within the first kilobyte."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + text_pdf(["Looks like a letter"])


def plain_form() -> bytes:
    return FormBuilder().add_text("name", "Jane").build()


FAMILIES = [
    Family("mz_before_pdf.pdf", program_header, "file.not_pdf",
           why="an MZ/PDF polyglot: opened by its name it would run"),
    Family("nul_in_name.pdf", plain_form, None, upload_name="form.pdf\x00.exe",
           why="a harmless form sent as form.pdf<NUL>.exe: read, and shown as form.pdf"),
]
