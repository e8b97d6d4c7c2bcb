"""Phone photos in a real browser: a photo of a bill is read, dated and counted as proof of
address; an iPhone (HEIC) photo of an ID card taken on its side is read and placed; a blurred
photo is told to be taken again — on a phone and a desktop, in English and Spanish, with axe
checking the result page. The clerk then sees every photo beside its verdict."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from intake import ocr
from tests import shared_corpus
from tests.browser.test_journey import WORDS, _accessible

pytestmark = pytest.mark.skipif(not ocr.available(),
                                reason="Tesseract is not installed (.ci/run installs tesseract-ocr)")

DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
SYNTHETIC = shared_corpus.ROOT / "supporting" / "synthetic"
SERVICE = "/s/passport-first-time"
TAKE_AGAIN = {"en": "Take the photo again", "es": "Tome la foto otra vez"}


def _photo_of_page(path: Path) -> Any:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].render(scale=150 / 72).to_pil().convert("RGB")
    finally:
        document.close()


def _save(image: Any, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image.save(out, format=fmt, quality=88)
    return out.getvalue()


@pytest.fixture
def photos(tmp_path: Path, filled: Callable[..., bytes]) -> dict[str, Path]:
    from PIL import Image, ImageFilter

    made = {
        "ds11.pdf": filled(DS11, **PERSON),
        "bill.jpg": _save(_photo_of_page(SYNTHETIC / "utility_bill_1.pdf"), "JPEG"),
        "id_card.heic": _save(Image.open(SYNTHETIC / "state_id_front_photo.jpg").convert("RGB")
                              .rotate(90, expand=True), "HEIF"),
        "birth_certificate.jpg": _save(_photo_of_page(SYNTHETIC / "birth_certificate_scan.pdf")
                                       .filter(ImageFilter.GaussianBlur(6)), "JPEG"),
    }
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in made}


@pytest.mark.parametrize("lang, width", [("en", 1280), ("es", 360)])
def test_phone_photos_are_read_placed_and_judged_in_the_browser(
        browser: Any, live_server: str, photos: dict[str, Path], lang: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(live_server + SERVICE)
    page.locator("#item-ds11").set_input_files(str(photos["ds11.pdf"]))
    page.locator("#item-proof_of_address").set_input_files(str(photos["bill.jpg"]))
    page.locator("#item-photo_id").set_input_files(str(photos["id_card.heic"]))
    page.locator("#item-citizenship").set_input_files(str(photos["birth_certificate.jpg"]))
    page.get_by_role("button", name=WORDS[lang]["check"]).click()
    page.wait_for_url("**/r/*", timeout=120_000)
    page.wait_for_selector(".task-list", timeout=120_000)

    def tag(item: str) -> str:
        return str(page.locator(f"#task-document-{item} .task-head .tag").get_attribute("class"))

    assert tag("proof_of_address") == "tag tag-done"  # read off the photo: fresh, in the applicant's name
    assert tag("photo_id") not in ("tag tag-missing", "tag tag-needs_fixing")
    assert "id_card.heic" in page.locator("#task-document-photo_id").inner_text()
    blurred = page.locator("#task-document-citizenship").inner_text()
    assert TAKE_AGAIN[lang] in blurred
    _accessible(page, f"{lang}-{width}-result-photos")
    context.close()
