"""The detail page shows each form's values beside a picture of the page they are on, drawn in
the sandbox worker, checked and audited like a download, and kept once drawn."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from intake.sandbox import Sandbox
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.pages import Pages
from web.models import AuditEntry, Submission, db

PNG = b"\x89PNG\r\n\x1a\n"


def _file_id(app: Flask, reference: str) -> int:
    with app.app_context():
        return int(db.session.query(Submission).filter_by(reference=reference).one().files[0].id)


def test_each_value_sits_beside_a_picture_of_its_page(app: Flask, staff: dict[str, str],
                                                      filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    page = Pages(sign_in(app, "ana@example.gov")).get(f"/clerk/s/{reference}")
    views = page.find_all("div", class_="page-view")
    assert views, "the DS-11's fields are grouped by page"
    first = next(v for v in views if "Pérez" in v.get_text())
    image = first.find("img")
    assert image is not None and image["alt"].startswith("Page 5 of form.pdf")
    assert urlsplit(image["src"]).path == f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/5.png"
    assert first.find("dl", class_="values") is not None, "the values stay readable without the picture"


def test_the_picture_is_a_png_and_asking_for_it_is_audited(app: Flask, staff: dict[str, str],
                                                           filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    url = f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/5.png"
    plain = ana.get(url)
    assert plain.status_code == 200 and plain.mimetype == "image/png" and plain.data.startswith(PNG)
    assert "no-store" in plain.headers["Cache-Control"]
    marked = ana.get(url + "?field=last_name")
    assert marked.data.startswith(PNG) and marked.data != plain.data
    with app.app_context():
        entries = db.session.query(AuditEntry).filter_by(action="page_image").all()
        assert len(entries) == 2 and '"page": 5' in (entries[0].detail or "")
        assert '"fields": ["last_name"]' in (entries[1].detail or "")


def test_a_picture_once_drawn_is_served_from_the_cache(app: Flask, staff: dict[str, str],
                                                       filled: Callable[..., bytes],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    url = f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/6.png"
    first = ana.get(url).data

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("drawn again")

    monkeypatch.setattr(Sandbox, "render", refuse)
    assert ana.get(url).data == first


def test_pages_that_are_not_there_and_files_of_other_submissions_are_not_found(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    other = submission(app, filled, key="another-upload")
    ana = sign_in(app, "ana@example.gov")
    file_id = _file_id(app, reference)
    assert ana.get(f"/clerk/s/{reference}/files/{file_id}/pages/0.png").status_code == 404
    assert ana.get(f"/clerk/s/{reference}/files/{file_id}/pages/99.png").status_code == 404
    assert ana.get(f"/clerk/s/{other}/files/{file_id}/pages/5.png").status_code == 404


def test_a_clerk_of_another_service_gets_no_picture_and_the_attempt_is_audited(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    url = f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/5.png"
    assert sign_in(app, "cy@example.gov").get(url).status_code == 404
    signed_out = app.test_client().get(url)
    assert signed_out.status_code == 302 and "/clerk/sign-in" in signed_out.headers["Location"]
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="page_image").count() == 0
        denied = db.session.query(AuditEntry).filter_by(action="denied").one()
        assert reference in (denied.detail or "")


def test_a_field_with_a_problem_is_marked_on_its_page(app: Flask, staff: dict[str, str],
                                                      filled: Callable[..., bytes]) -> None:
    from tests import shared_corpus
    from tests.web.conftest import post_files, upload_data

    person = {k: v for k, v in shared_corpus.DS11_APPLICANT.items() if k != "Applicant Place of Birth"}
    form = filled(shared_corpus.DS11, **person)
    response = post_files(app.test_client(), "/s/passport-first-time",
                          upload_data(**{"item-ds11": (form, "ds11.pdf")}) | {"client_key": "no-birthplace"})
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    page = Pages(sign_in(app, "ana@example.gov")).get(f"/clerk/s/{reference}")
    marked = [img for img in page.find_all("img") if "field" in parse_qs(urlsplit(img["src"]).query)]
    assert marked, "the page with the empty box asks for it to be marked"
    assert "problem" in marked[0]["alt"]
    fields = parse_qs(urlsplit(marked[0]["src"]).query)["field"]
    problem_rows = page.find_all("dt", class_="has-problem")
    assert fields and problem_rows


def test_no_picture_outlives_its_file(app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    from web import storage
    from web.clerk import images

    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    url = f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/5.png"
    assert ana.get(url).status_code == 200
    with app.app_context():
        sha256 = db.session.query(Submission).filter_by(reference=reference).one().files[0].sha256
        folder = images._cache().folder(sha256)  # beside the files, or each host's own with a bucket
        assert any(folder.iterdir())
        images.forget(sha256)
        assert not folder.exists()
        assert ana.get(url).status_code == 200 and folder.exists(), "drawn again while the file is stored"
        storage.from_config(app.config["STORAGE"]).delete(sha256)
    assert ana.get(url).status_code == 404
    assert not folder.exists()


def _mask_pixels(png: bytes) -> int:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(count for count, pixel in image.getcolors(maxcolors=2**24) or [] if pixel == (60, 60, 60))


def test_the_picture_covers_the_ssn_and_birth_date_boxes_unless_the_clerk_asks_to_see_them(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    detail = Pages(ana).get(f"/clerk/s/{reference}")
    assert "are covered" in detail.get_text()
    url = f"/clerk/s/{reference}/files/{_file_id(app, reference)}/pages/5.png"
    covered, shown = ana.get(url), ana.get(url + "?show=sensitive")
    assert covered.status_code == shown.status_code == 200
    assert _mask_pixels(covered.data) > 500 and _mask_pixels(shown.data) < _mask_pixels(covered.data) / 10
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="page_image_unmasked").count() == 1
