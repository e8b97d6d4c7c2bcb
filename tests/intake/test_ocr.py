"""Photos and scans are read: placed, dated and name-checked like printed text, never guessed at.

Each test reads few, small pictures, and every reading goes through one cache shared by the
module, so the engine reads each picture once however many tests use it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import intake
from intake import ocr
from intake.files import Limits, Upload
from intake.report import Severity
from tests import shared_corpus
from tests.intake.test_verdicts import JOSE
from tests.pdfs import text_pdf

TODAY = dt.date(2026, 11, 22)
SYNTHETIC = shared_corpus.ROOT / "supporting" / "synthetic"

pytestmark = [
    pytest.mark.skipif(not shared_corpus.available(), reason=shared_corpus.MISSING),
    pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs tesseract-ocr)"),
]


def photo_of(path: Path | bytes, *, page: int = 1, dpi: int = 150, fmt: str = "JPEG", turn: int = 0) -> bytes:
    """A page of a PDF as a phone would send it: a picture, with no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        image = document[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    if turn:
        image = image.rotate(turn, expand=True)
    out = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image.save(out, format=fmt, quality=88)
    return out.getvalue()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> ocr.FolderCache:
    return ocr.FolderCache(tmp_path_factory.mktemp("readings"))


@pytest.fixture(scope="module")
def pictures() -> dict[str, bytes]:
    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    return {
        "fresh_bill.jpg": photo_of(SYNTHETIC / "utility_bill_1.pdf"),
        "stale_bill.jpg": photo_of(SYNTHETIC / "utility_bill_2.pdf"),
        "other_name.jpg": photo_of(SYNTHETIC / "phone_bill_other_name.pdf"),
        "bill_upside_down.jpg": photo_of(SYNTHETIC / "utility_bill_1.pdf", turn=180),
        "bill.heic": photo_of(SYNTHETIC / "utility_bill_1.pdf", fmt="HEIF"),
    }


def check(service: str, files: list[Any], cache: ocr.Cache, **kwargs: Any) -> intake.Report:
    checker = intake.Checker(catalogue=intake.checks.catalogue_forms(intake.catalogue()), ocr_cache=cache, **kwargs)
    return checker.check(service, files, today=TODAY)


def document(report: intake.Report, item: str) -> Any:
    return next(d for d in report.documents if d.id == item)


def codes(problems: Any) -> list[str]:
    return [p.code for p in problems]


def test_a_photo_of_a_fresh_bill_is_proof_of_address(pictures: dict[str, bytes], cache: ocr.Cache) -> None:
    report = check("passport-first-time", [("proof_of_address", Upload("fresh_bill.jpg", pictures["fresh_bill.jpg"]))],
                   cache)
    status = document(report, "proof_of_address")
    assert status.status == "provided"
    assert not [p for p in status.problems if p.severity is Severity.BLOCKS]
    assert "document.unreadable" not in codes(status.problems)


def test_a_photo_of_a_stale_bill_is_too_old_and_says_it_was_read_from_a_photo(
        pictures: dict[str, bytes], cache: ocr.Cache) -> None:
    report = check("passport-first-time", [("proof_of_address", Upload("stale_bill.jpg", pictures["stale_bill.jpg"]))],
                   cache)
    old = next(p for p in document(report, "proof_of_address").problems if p.code == "document.too_old")
    printed = check("passport-first-time", [("proof_of_address", SYNTHETIC / "utility_bill_2.pdf")], cache)
    same = next(p for p in document(printed, "proof_of_address").problems if p.code == "document.too_old")
    assert old.params["date"] == same.params["date"] < "2026-08-22"
    assert old.params["source"] == "ocr" and 0 < old.params["confidence"] <= 100
    assert "source" not in same.params


def test_a_photo_of_a_bill_in_another_name_names_the_person_it_shows(
        pictures: dict[str, bytes], cache: ocr.Cache, filled: Callable[..., bytes]) -> None:
    form = filled("forms/dos_ds11_passport_application.pdf", **JOSE)
    report = check("passport-first-time", [("ds11", Upload("ds11.pdf", form)),
                                           ("proof_of_address", Upload("other_name.jpg", pictures["other_name.jpg"]))],
                   cache)
    mismatch = next(p for p in document(report, "proof_of_address").problems if p.code == "document.name_mismatch")
    assert mismatch.params["source"] == "ocr"
    assert "Pérez" in mismatch.params["name"]


def test_photos_and_scans_are_sorted_when_everything_is_uploaded_at_once(
        pictures: dict[str, bytes], cache: ocr.Cache) -> None:
    report = check("passport-first-time", [
        Upload("fresh_bill.jpg", pictures["fresh_bill.jpg"]),
        SYNTHETIC / "birth_certificate_scan.pdf",
        SYNTHETIC / "state_id_front_photo.jpg",
    ], cache)
    assert document(report, "proof_of_address").files == ("fresh_bill.jpg",)
    assert document(report, "citizenship").files == ("birth_certificate_scan.pdf",)
    assert document(report, "photo_id").files == ("state_id_front_photo.jpg",)
    assert not report.unrecognised_files


def test_an_upside_down_photo_is_turned_before_it_is_read(pictures: dict[str, bytes], cache: ocr.Cache) -> None:
    reading = ocr.Reader(cache).reading(Upload("bill_upside_down.jpg", pictures["bill_upside_down.jpg"]))
    assert reading is not None and reading.pages[0].rotated == 180
    assert "prairie state electric" in reading.text().casefold()


def test_an_id_card_photographed_on_its_side_is_read_and_placed(cache: ocr.Cache) -> None:
    """A card has too few letters for orientation detection; it is read both ways instead."""
    from PIL import Image

    card = Image.open(SYNTHETIC / "state_id_front_photo.jpg").convert("RGB").rotate(90, expand=True)
    out = io.BytesIO()
    card.save(out, format="JPEG", quality=88)
    upload = Upload("id_sideways.jpg", out.getvalue())
    reading = ocr.Reader(cache).reading(upload)
    assert reading is not None and reading.pages[0].rotated in (90, 270)
    assert "PEREZ" in reading.text().upper()
    report = check("passport-first-time", [upload], cache)
    assert "id_sideways.jpg" in document(report, "photo_id").files


def test_a_picture_of_a_social_security_card_is_placed_under_its_item(cache: ocr.Cache) -> None:
    """The card prints few words: "Social Security", the whole number and the name are enough."""
    report = check("ny-driver-licence", [SYNTHETIC / "ssn_card.png"], cache)
    card = document(report, "id_ssn_card")
    assert card.files == ("ssn_card.png",) and card.status == "provided"
    assert "document.unreadable" not in codes(card.problems) and not report.unrecognised_files


def test_an_iphone_photo_in_heic_is_read_like_a_jpeg(pictures: dict[str, bytes], cache: ocr.Cache) -> None:
    upload = Upload("bill.heic", pictures["bill.heic"])
    assert upload.kind == "heic"
    report = check("passport-first-time", [("proof_of_address", upload)], cache)
    assert document(report, "proof_of_address").status == "provided"
    assert "file.wrong_type" not in codes(document(report, "proof_of_address").problems)


def test_a_scan_of_another_form_under_a_forms_item_is_not_told_to_fill_in_boxes(cache: ocr.Cache) -> None:
    scan = shared_corpus.ROOT / "flat" / "scanned_ak_vs405_name_change_application.pdf"
    report = check("passport-first-time", [("ds11", scan)], cache)
    problems = [p for form in report.forms for p in form.problems]
    assert "field.required" not in codes(problems)
    assert codes(problems) and set(codes(problems)) <= {"form.scanned", "form.wrong"}


def test_a_photo_of_the_right_form_is_routed_to_the_fillable_one(cache: ocr.Cache) -> None:
    picture = photo_of(shared_corpus.ROOT / "forms" / "irs_fw9_2024.pdf", dpi=170)
    report = check("w9-vendor", [(intake.load_service("w9-vendor").forms[0].id, Upload("w9.jpg", picture))], cache)
    problem = next(p for form in report.forms for p in form.problems)
    assert problem.code == "form.scanned" and problem.severity is Severity.BRING_ORIGINAL
    assert "fillable" in problem.message("en")


def test_a_recheck_reads_nothing_again(pictures: dict[str, bytes], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = ocr.FolderCache(tmp_path)
    files = [("proof_of_address", Upload("fresh_bill.jpg", pictures["fresh_bill.jpg"]))]
    first = check("passport-first-time", files, folder)

    def no_engine(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the engine ran on a re-check")

    monkeypatch.setattr(ocr, "_tesseract", no_engine)
    again = check("passport-first-time", files, folder)
    assert again.to_dict() == first.to_dict()


def test_a_photo_is_read_the_same_in_the_sandbox(pictures: dict[str, bytes], cache: ocr.Cache,
                                                 tmp_path: Path) -> None:
    files = [("proof_of_address", Upload("stale_bill.jpg", pictures["stale_bill.jpg"]))]
    isolated = check("passport-first-time", files, ocr.FolderCache(tmp_path), isolate=True)
    assert codes(document(isolated, "proof_of_address").problems) == codes(
        document(check("passport-first-time", files, cache), "proof_of_address").problems)


def test_a_page_past_its_time_budget_is_left_unread_without_holding_up_the_check(
        pictures: dict[str, bytes], tmp_path: Path) -> None:
    files = [("proof_of_address", Upload("fresh_bill.jpg", pictures["fresh_bill.jpg"]))]
    report = check("passport-first-time", files, ocr.FolderCache(tmp_path), limits=Limits(max_ocr_page_seconds=0.01))
    status = document(report, "proof_of_address")
    assert codes(status.problems) == ["document.unreadable"]
    assert not list(tmp_path.rglob("*.json")), "a reading cut short is not kept"


def test_without_tesseract_photos_are_left_to_the_office_as_before(
        pictures: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise intake.errors.OcrUnavailableError("not installed")

    monkeypatch.setattr(ocr, "engine", missing)
    report = check("passport-first-time", [("proof_of_address", Upload("fresh_bill.jpg", pictures["fresh_bill.jpg"]))],
                   None)  # type: ignore[arg-type]
    assert codes(document(report, "proof_of_address").problems) == ["document.unreadable"]


def test_the_engine_is_asked_its_version_once_and_again_only_after_it_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    import pytesseract

    program = tmp_path / "tesseract"
    program.write_text(f'#!/bin/sh\nexec {shutil.which("tesseract")} "$@"\n')
    program.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(program))
    asked: list[int] = []
    real = pytesseract.get_tesseract_version

    def counted() -> Any:
        asked.append(1)
        return real()

    monkeypatch.setattr(pytesseract, "get_tesseract_version", counted)
    first = ocr.engine()
    assert ocr.engine() == first and len(asked) == 1
    later = program.stat().st_mtime_ns + 5_000_000_000
    os.utime(program, ns=(later, later))  # the program was upgraded in place
    assert ocr.engine() == first and len(asked) == 2
    program.unlink()
    with pytest.raises(intake.errors.OcrUnavailableError):
        ocr.engine()


def test_a_date_read_with_low_confidence_is_a_warning_to_check_not_a_blocking_error(
        pictures: dict[str, bytes], cache: ocr.Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    upload = Upload("stale_bill.jpg", pictures["stale_bill.jpg"])
    sure = ocr.Reader(cache).reading(upload)
    assert sure is not None
    unsure = ocr.Reading(sure.engine, tuple(
        ocr.Page(p.number, p.text, 41.0, tuple((w, 41.0) for w, _ in p.words)) for p in sure.pages))
    monkeypatch.setattr(ocr.Reader, "reading", lambda self, upload, pages=None: unsure)
    report = check("passport-first-time", [("proof_of_address", upload)], cache)
    old = next(p for p in document(report, "proof_of_address").problems if p.code == "document.too_old")
    assert old.severity is Severity.WARNING
    assert old.params["confidence"] == 41 and old.params["variant"] == "ocr"
    assert document(report, "proof_of_address").status == "provided"
    assert "may have misread" in old.message("en")


def test_front_and_back_photos_under_one_item_are_read_as_one_document(cache: ocr.Cache) -> None:
    files = [("photo_id", SYNTHETIC / "state_id_front_photo.jpg"), ("photo_id", SYNTHETIC / "state_id_back.png")]
    status = document(check("passport-first-time", files, cache), "photo_id")
    assert status.status == "provided"
    assert status.files == ("state_id_front_photo.jpg", "state_id_back.png")
    assert "document.content" not in codes(status.problems)


SPANISH_BILL = """Compañía de Energía del Sur
José Ángel Pérez
418 Maple Avenue, Apt 3B
Springfield, IL 62704
Fecha de factura: 17 de octubre de 2026
Consumo de este periodo: 412 kWh
Total a pagar: $98.33"""


def test_a_photo_of_a_bill_printed_in_spanish_is_placed_and_dated(cache: ocr.Cache) -> None:
    bill = Upload("factura.jpg", photo_of(text_pdf([SPANISH_BILL]), dpi=200))
    report = check("passport-first-time", [bill], cache)
    status = document(report, "proof_of_address")
    assert status.files == ("factura.jpg",) and status.status == "provided"
    late = intake.Checker(ocr_cache=cache).check("passport-first-time", [bill], today=dt.date(2027, 3, 1))
    old = next(p for p in document(late, "proof_of_address").problems if p.code == "document.too_old")
    assert old.params["date"] == "2026-10-17"


def test_the_cli_keeps_what_it_read_in_its_cache_folder(pictures: dict[str, bytes], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from intake import cli

    photo = tmp_path / "bill.jpg"
    photo.write_bytes(pictures["stale_bill.jpg"])
    args = ["check", "--service", "passport-first-time", "--today", "2026-11-22", "--json",
            "--cache", str(tmp_path / "cache"), f"proof_of_address={photo}"]
    assert cli.main(args) == 1
    first = capsys.readouterr().out
    assert list((tmp_path / "cache").rglob("*.json")), "the reading was kept"
    assert '"source": "ocr"' in first and "document.too_old" in first
    assert cli.main(args) == 1
    assert capsys.readouterr().out == first
