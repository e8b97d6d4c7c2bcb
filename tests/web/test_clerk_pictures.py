"""Clerks see every photo and scan beside its verdict, and what was read off a photo is marked
for them to check; readings are kept beside the stored file and go when it goes."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask

from intake import ocr
from tests import shared_corpus
from tests.intake.test_ocr import photo_of
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
)
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import storage
from web.models import Submission, db

PNG = b"\x89PNG\r\n\x1a\n"
pytestmark = [
    pytest.mark.skipif(not shared_corpus.available(), reason=shared_corpus.MISSING),
    pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (.ci/run installs tesseract-ocr)"),
]


def _photo_submission(app: Flask, filled: Callable[..., bytes]) -> str:
    form = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    bill = photo_of(shared_corpus.ROOT / "supporting" / "synthetic" / "utility_bill_2.pdf")
    data = upload_data(**{"item-ds11": (form, "form.pdf"), "item-proof_of_address": (bill, "bill.jpg")})
    response = post_files(app.test_client(), "/s/passport-first-time", data | {"client_key": "photo-bill"})
    assert response.status_code == 303
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def test_a_photo_is_shown_to_clerks_upright_as_a_png(app: Flask, staff: dict[str, str],
                                                    filled: Callable[..., bytes]) -> None:
    reference = _photo_submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    page = Pages(ana).get(f"/clerk/s/{reference}")
    shown = [img for img in page.select(".evidence img") if "bill.jpg" in img["alt"]]
    assert len(shown) == 1
    picture = ana.get(urlsplit(shown[0]["src"]).path)
    assert picture.status_code == 200 and picture.mimetype == "image/png" and picture.data.startswith(PNG)


def test_what_was_read_off_a_photo_is_marked_for_the_clerk_to_check(app: Flask, staff: dict[str, str],
                                                                   filled: Callable[..., bytes]) -> None:
    reference = _photo_submission(app, filled)
    page = Pages(sign_in(app, "ana@example.gov")).get(f"/clerk/s/{reference}")
    marked = page.select(".documents .ocr-read")
    assert marked and "Read from a photo; please check" in marked[0].get_text()


def test_readings_live_beside_the_stored_file_and_are_purged_with_it(app: Flask, filled: Callable[..., bytes]) -> None:
    reference = _photo_submission(app, filled)
    with app.app_context():
        stored = db.session.query(Submission).filter_by(reference=reference).one()
        photo = next(f for f in stored.files if f.name == "bill.jpg")
        blobs = storage.from_config(app.config["STORAGE"])
        cache = storage.ReadingCache(blobs)
        key = ocr.cache_key(photo.sha256, None, ocr.engine())
        assert cache.get(key) is not None, "the check kept what it read"
        blobs.delete(photo.sha256)
        assert cache.get(key) is None


def test_a_check_that_stores_nothing_keeps_no_reading(app: Flask) -> None:
    from tests.web.conftest import stored_blobs

    bill = photo_of(shared_corpus.ROOT / "supporting" / "synthetic" / "utility_bill_2.pdf")
    data = upload_data(**{"item-proof_of_address": (bill, "bill.jpg")}) | {"service": "passport-first-time"}
    response = post_files(app.test_client(), "/api/v1/checks", data)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "document.too_old" in response.get_data(as_text=True)
    assert stored_blobs(app) == []
    location = app.config["STORAGE"]
    if not storage.is_s3(location):
        from pathlib import Path

        assert not list(Path(location).rglob("*.json")), "nothing read off the photo was kept"
