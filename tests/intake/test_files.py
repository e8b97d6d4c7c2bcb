"""Typing uploads by their bytes: what is a PDF, and what only carries a PDF header."""

from __future__ import annotations

import pytest

import intake

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.parametrize("prefix", [b"MZ\x90\x00\x03" + b"\x00" * 50, b"\x7fELF\x02\x01\x01", b"PK\x03\x04\x14\x00",
                                    b"#!/bin/sh\n", b"<html><body>"])
def test_a_program_archive_or_page_with_a_pdf_header_inside_is_not_a_pdf(prefix: bytes) -> None:
    assert intake.sniff(prefix + PDF) == "unknown"


def test_a_little_harmless_junk_before_the_header_is_still_a_pdf() -> None:
    assert intake.sniff(b"\r\n\x00\x00" + PDF) == "pdf" and intake.sniff(PDF) == "pdf"
