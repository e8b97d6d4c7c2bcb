"""The citizen journey through the Flask test client, on real corpus forms."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import references, visits
from web.models import CheckRecord, Event, Submission, SubmissionFile, SurveyAnswer, db

SERVICE = "/s/passport-first-time"
DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
SYNTHETIC = "supporting/synthetic/"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(DS11, **PERSON)


def _bytes(corpus: Path, name: str) -> bytes:
    return (corpus / SYNTHETIC / name).read_bytes()


def _submit(client: FlaskClient, client_key: str | None = None, **files: Any) -> Any:
    data = upload_data(**files)
    data["client_key"] = client_key or os.urandom(8).hex()
    return post_files(client, SERVICE, data)


def _only_submission(app: Flask) -> Submission:
    with app.app_context():
        (submission,) = db.session.query(Submission).all()
        db.session.expunge(submission)
        return submission


def test_the_home_page_lists_services_and_searches_them(pages: Pages) -> None:
    home = pages.get("/")
    assert "Apply for your first U.S. passport" in home.get_text()
    found = pages.get("/?q=PASAPORTE&lang=es")
    assert "Solicitar su primer pasaporte" in found.get_text()
    assert "Ningún trámite" in pages.get("/?q=fishing+licence&lang=es").get_text()


def test_the_language_is_chosen_remembered_and_read_from_the_browser(client: FlaskClient, pages: Pages) -> None:
    assert pages.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).html["lang"] == "es"
    switched = client.get("/?lang=es")
    assert "intake_lang=es" in switched.headers["Set-Cookie"]
    assert pages.get("/").html["lang"] == "es"
    assert pages.get("/?lang=en").find("a", hreflang="es") is not None


def test_the_checklist_shows_every_item_conditions_limits_and_the_blank_form(pages: Pages) -> None:
    page = pages.get(SERVICE)
    text = page.get_text(" ")
    assert "Form DS-11" in text and "Proof of U.S. citizenship" in text
    assert "Needed if you filled in “Other names you have used”." in text
    assert "up to 20 MB each" in text and "Dated within the last 90 days." in text
    assert page.find("a", href="https://eforms.state.gov/Forms/ds11.pdf") is not None
    assert page.find("input", attrs={"name": "item-ds11", "type": "file"}) is not None
    assert pages.get("/s/no-such-service", status=404).h1.get_text() == "Page not found"


def test_an_incomplete_packet_gets_a_reference_a_private_link_and_what_is_missing(
        app: Flask, client: FlaskClient, pages: Pages, ds11: bytes, corpus: Path) -> None:
    response = _submit(client, **{"item-ds11": (ds11, "ds11.pdf"),
                                  "everything": [(_bytes(corpus, "utility_bill_1.pdf"), "bill.pdf")]})
    assert response.status_code == 303
    page = pages.follow(response)
    assert page.h1.get_text(strip=True) == "Some things are missing"
    text = page.get_text(" ")
    assert "Proof of U.S. citizenship" in text and "Photo ID" in text
    submission = _only_submission(app)
    assert references.display(submission.reference) in text
    link = page.find("a", rel="noreferrer")
    assert link is not None and f"/r/{submission.reference}/k/" in link["href"]
    assert "6789" not in text.replace("***-**-6789", "")
    with app.app_context():
        assert db.session.query(SubmissionFile).count() == 2
        assert db.session.query(CheckRecord).one().service_version == "2026-11"
        kinds = [e.kind for e in db.session.query(Event).order_by(Event.id)]
        assert kinds == (["created", "checked"] if app.config["BROKER_URL"] else ["created"])


def test_a_wrong_packet_says_what_to_fix_with_links_to_each_problem(client: FlaskClient, pages: Pages,
                                                                    filled: Callable[..., bytes]) -> None:
    bad = filled(DS11, **{**PERSON, "Applicant SSN 1": "912", "Applicant DOB Y": "2031"})
    page = pages.follow(_submit(client, **{"item-ds11": (bad, "ds11.pdf")}))
    assert page.h1.get_text(strip=True) == "Something needs fixing"
    summary = page.find(class_="task-summary")
    links = [a for a in summary.find_all("a") if a["href"].startswith("#fix-")]
    assert len(links) == 2
    for link in links:
        assert page.find(id=link["href"][1:]) is not None
    assert "912" not in page.get_text()


def test_files_that_are_not_pdf_jpeg_or_png_are_refused_in_plain_words(client: FlaskClient, pages: Pages,
                                                                       app: Flask) -> None:
    page = pages.check(_submit(client, everything=[(b"GIF89a...", "photo.gif"), (b"", "empty.pdf")]), 422)
    text = page.get_text(" ")
    assert "photo.gif is not a PDF, JPEG, PNG or HEIC file" in text and "empty.pdf is empty" in text
    assert page.find(class_="error-summary").find("a")["href"] == "#everything"
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_an_empty_upload_asks_for_a_file(client: FlaskClient, pages: Pages) -> None:
    page = pages.check(_submit(client), 400)
    assert "Choose at least one file" in page.get_text()


def test_a_file_over_the_limit_and_a_request_over_the_limit_get_friendly_pages(app: Flask, pages: Pages,
                                                                              client: FlaskClient) -> None:
    app.config["MAX_FILE_BYTES"] = 1000
    page = pages.check(_submit(client, everything=[(b"%PDF-1.4" + b"0" * 2000, "big.pdf")]), 422)
    assert "big.pdf is too big" in page.get_text()
    app.config["MAX_CONTENT_LENGTH"] = 5000
    page = pages.check(_submit(client, everything=[(b"%PDF-1.4" + b"0" * 9000, "bigger.pdf")]), 413)
    assert page.h1.get_text(strip=True) == "Your files are too big"


def test_submitting_twice_makes_one_submission(app: Flask, client: FlaskClient, ds11: bytes) -> None:
    first = _submit(client, "same-key", **{"item-ds11": (ds11, "ds11.pdf")})
    second = _submit(client, "same-key", **{"item-ds11": (ds11, "ds11.pdf")})
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.query(Submission).count() == 1


def test_the_secret_link_opens_the_check_and_leaves_for_a_clean_address(app: Flask, client: FlaskClient,
                                                                         pages: Pages, ds11: bytes) -> None:
    page = pages.follow(_submit(client, **{"item-ds11": (ds11, "ds11.pdf")}))
    link = page.find("a", rel="noreferrer")["href"]
    reference = _only_submission(app).reference
    with app.test_client() as stranger:
        assert stranger.get(f"/r/{reference}").headers["Location"].startswith("/r?reference=")
        opened = stranger.get(link)
        assert opened.status_code == 303 and opened.headers["Location"] == f"/r/{reference}"
        assert opened.headers["Referrer-Policy"] == "no-referrer"
        assert stranger.get(f"/r/{reference}").status_code == 200
    with app.test_client() as guesser:
        assert guesser.get(f"/r/{reference}/k/not-the-secret").status_code == 404


def test_the_reference_and_zip_code_open_the_check_and_typos_are_caught(app: Flask, client: FlaskClient,
                                                                        pages: Pages, ds11: bytes) -> None:
    _submit(client, **{"item-ds11": (ds11, "ds11.pdf")})
    reference = _only_submission(app).reference
    with app.test_client() as other:
        lookup = Pages(other)
        typo = reference[:-2] + ("A" if reference[-2] != "A" else "C") + reference[-1]
        page = lookup.post("/r", data={"reference": typo, "zip": "62704"}, status=400)
        assert "one of them may be mistyped" in page.get_text()
        page = lookup.post("/r", data={"reference": references.display(reference).lower(), "zip": "60601"},
                           status=400)
        assert "could not find a check" in page.get_text()
        done = other.post("/r", data={"reference": references.display(reference).lower(), "zip": "62704"})
        assert done.headers["Location"] == f"/r/{reference}"
        assert lookup.get(done.headers["Location"]).h1 is not None


def test_coming_back_to_add_files_rechecks_and_shows_what_changed(app: Flask, client: FlaskClient, pages: Pages,
                                                                  ds11: bytes, corpus: Path) -> None:
    pages.follow(_submit(client, **{"item-ds11": (ds11, "ds11.pdf")}))
    reference = _only_submission(app).reference
    more = upload_data(**{"item-citizenship": (_bytes(corpus, "birth_certificate_scan.pdf"), "birth.pdf"),
                          "item-photo_id": (_bytes(corpus, "state_id_front_photo.jpg"), "id.jpg"),
                          "everything": [(_bytes(corpus, "utility_bill_1.pdf"), "bill.pdf")]})
    page = pages.follow(post_files(client, f"/r/{reference}/files", more))
    assert page.h1.get_text(strip=True) == "Ready for your visit"
    since = page.find("section", attrs={"aria-labelledby": "changes-title"})
    assert since.find("h3").get_text(strip=True) == "Fixed (3)" and len(since.select("ul.fixed li")) == 3
    replaced = upload_data(**{"item-ds11": (ds11, "ds11-again.pdf")})
    replaced["replace-ds11"] = "on"
    pages.follow(post_files(client, f"/r/{reference}/files", replaced))
    with app.app_context():
        files = db.session.query(SubmissionFile).order_by(SubmissionFile.id).all()
        assert [f.name for f in files if f.removed_at is None] == ["birth.pdf", "id.jpg", "bill.pdf", "ds11-again.pdf"]
        assert len(files) == 5 and db.session.query(CheckRecord).count() == 3


def test_the_bring_page_prints_and_the_text_version_fits_a_phone_screen(app: Flask, client: FlaskClient,
                                                                        pages: Pages, ds11: bytes) -> None:
    pages.follow(_submit(client, **{"item-ds11": (ds11, "ds11.pdf")}))
    reference = _only_submission(app).reference
    page = pages.get(f"/r/{reference}/bring")
    assert "Springfield Passport Acceptance Facility" in page.get_text()
    assert page.find("link", media="print") is not None
    text = client.get(f"/r/{reference}/bring.txt")
    lines = text.get_data(as_text=True).splitlines()
    assert text.mimetype == "text/plain"
    assert all(len(line) <= visits.LINE_WIDTH or " " not in line.strip() for line in lines)
    assert references.display(reference) in text.get_data(as_text=True)


def test_the_survey_answer_is_stored_with_the_submission(app: Flask, client: FlaskClient, pages: Pages,
                                                         ds11: bytes) -> None:
    pages.follow(_submit(client, **{"item-ds11": (ds11, "ds11.pdf")}))
    reference = _only_submission(app).reference
    page = pages.follow(client.post(f"/r/{reference}/survey", data={"satisfied": "4", "trust": "9",
                                                                    "comment": " Clear! "}))
    assert "Thank you" in page.get_text()
    with app.app_context():
        answer = db.session.query(SurveyAnswer).one()
        assert (answer.satisfied, answer.trust, answer.comment) == (4, None, "Clear!")


def test_another_visitor_cannot_read_a_submission_without_the_secret(app: Flask, client: FlaskClient,
                                                                     ds11: bytes) -> None:
    _submit(client, **{"item-ds11": (ds11, "ds11.pdf")})
    reference = _only_submission(app).reference
    with app.test_client() as stranger:
        for url in (f"/r/{reference}/bring", f"/r/{reference}/bring.txt"):
            assert stranger.get(url).status_code == 404
        assert stranger.post(f"/r/{reference}/survey", data={"satisfied": "1"}).status_code == 404
        assert stranger.post(f"/r/{reference}/files", data={}).status_code == 404


def test_bad_addresses_get_a_friendly_404_never_a_500(client: FlaskClient, pages: Pages) -> None:
    for url in ("/r/garbage", "/r/AAAAAAAAC", "/r/%00", "/s/../etc", "/r/AAAAAAAAA/bring"):
        pages.get(url, status=404)
    assert client.get("/r/aaa-aaa-aaa").headers["Location"] == "/r/AAAAAAAAA"
    assert client.get("/r/AAAAAAAAA").headers["Location"] == "/r?reference=AAA-AAA-AAA"


def test_forms_are_protected_against_cross_site_requests(app: Flask, ds11: bytes) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_client() as client:
        page = Pages.check(_submit(client, **{"item-ds11": (ds11, "ds11.pdf")}), 400)
        assert page.h1.get_text(strip=True) == "Please try again"


def test_a_crash_after_storing_files_leaves_no_half_made_submission(app: Flask, client: FlaskClient,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   ds11: bytes) -> None:
    from web.citizen import packets

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(packets, "_unused_reference", crash)
    response = _submit(client, **{"item-ds11": (ds11, "ds11.pdf")})
    assert response.status_code == 500 and b"Nothing you sent was lost" in response.data
    with app.app_context():
        assert db.session.query(Submission).count() == 0 and db.session.query(SubmissionFile).count() == 0


def test_lookups_are_rate_limited_per_address(another_app: Callable[..., Flask]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    with limited.test_client() as client:
        codes = [client.post("/r", data={"reference": "ACD-EFG-HJK", "zip": "00000"}).status_code
                 for _ in range(12)]
    assert codes[:10] == [400] * 10 and codes[-1] == 429


def test_a_newer_bill_uploaded_later_supersedes_a_stale_one_without_replacing_it(
        app: Flask, client: FlaskClient, pages: Pages, ds11: bytes, corpus: Path) -> None:
    stale = (_bytes(corpus, "utility_bill_2.pdf"), "old.pdf")
    first = pages.follow(_submit(client, **{"item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": stale}))
    assert "must be dated within the last 90 days" in first.get_text()
    reference = _only_submission(app).reference
    newer = upload_data(**{"item-proof_of_address": (_bytes(corpus, "utility_bill_1.pdf"), "new.pdf")})
    page = pages.follow(post_files(client, f"/r/{reference}/files", newer))
    text = page.get_text(" ", strip=True)
    assert "old.pdf: This document is older than 90 days" in text and "We used new.pdf instead" in text
    with app.app_context():
        latest = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
        assert latest is not None
        proof = next(d for d in json.loads(latest.report_json)["en"]["documents"] if d["id"] == "proof_of_address")
    assert proof["status"] == "provided" and proof["file"] == "new.pdf" and proof["files"] == ["old.pdf", "new.pdf"]
    assert [p["file"] for p in proof["problems"]] == ["old.pdf"]


def _samples() -> list[Any]:
    import intake
    from tests import shared_corpus

    root = Path(__file__).resolve().parents[2] / "schemas"
    found = [pytest.param(service.id, sample.name, id=f"{service.id}: {sample.name}")
             for service in intake.catalogue(root).values() for sample in service.samples]
    if not shared_corpus.available():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=shared_corpus.MISSING))]
    return found


@pytest.mark.parametrize("service_id, sample_name", _samples())
def test_every_sample_packet_gets_the_verdict_its_service_file_expects_through_the_web_form(
        checks_in_request: Flask, corpus: Path, service_id: str, sample_name: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The status and problem codes each sample expects, as ``intake test-service`` finds them
    in the library (tests/intake/test_checks.py); that the whole report is the library's, word for
    word, is tested on a good and a bad sample of each service in tests/web/test_api_contract.py."""
    import datetime as dt
    import json

    from intake import samples
    from web import jobs

    app, client = checks_in_request, checks_in_request.test_client()
    with app.app_context():
        service = jobs.services()[service_id]
    sample = next(s for s in service.samples if s.name == sample_name)
    packet = samples.packet(service, sample, corpus)
    real_run = jobs.run_check

    def on_sample_day(svc: Any, files: Any, today: dt.date | None = None, **kwargs: Any) -> Any:
        return real_run(svc, files, today=sample.today, **kwargs)

    monkeypatch.setattr(jobs, "run_check", on_sample_day)
    data: dict[str, Any] = {}
    for entry in packet:
        item, upload = entry if isinstance(entry, tuple) else ("everything", entry)
        key = f"item-{item}" if item != "everything" else item
        data.setdefault(key, []).append((upload.data, upload.name))
    response = post_files(client, f"/s/{service_id}", upload_data(**data) | {"client_key": os.urandom(8).hex()})
    assert response.status_code == 303
    with app.app_context():
        stored = json.loads(db.session.query(CheckRecord).one().report_json)["en"]
    problems = [p for part in ("forms", "documents") for entry in stored[part] for p in entry["problems"]]
    codes = {p["code"] for p in problems + stored["unrecognised_files"]}
    assert (stored["status"], codes) == (sample.status, set(sample.codes))


def test_every_page_sends_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers


def test_production_refuses_the_default_secret_and_sends_hsts(another_app: Callable[..., Flask]) -> None:
    from web.config import ConfigError

    with pytest.raises(ConfigError):
        another_app(ENV="production", SECRET_KEY="development-only-secret-change-me")
    production = another_app(ENV="production", SECRET_KEY="long-random")
    assert "max-age" in production.test_client().get("/").headers["Strict-Transport-Security"]
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_a_storage_the_service_cannot_use_stops_it_at_start(another_app: Callable[..., Flask]) -> None:
    from web.config import ConfigError

    with pytest.raises(ConfigError, match="INTAKE_STORAGE"):
        another_app(STORAGE="s3://")
