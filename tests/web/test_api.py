"""The JSON API's public side: the catalogue, stateless checks, submissions with their secret,
idempotent retries, problem+json errors, rate limits, and the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.pdfs import text_pdf
from tests.web.api import API, files, finished, problem, send
from tests.web.conftest import stored_blobs
from tests.web.pages import Pages
from web.models import CheckRecord, IdempotencyRecord, Submission, SubmissionFile, db

ROOT = Path(__file__).resolve().parents[2]
PASSPORT = "passport-first-time"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.query(model).count())


def _create(client: FlaskClient, ds11: bytes, headers: dict[str, str] | None = None, **more: Any) -> Any:
    return send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf")}, **more),
                headers)


def test_the_catalogue_lists_every_service_in_the_requested_language(client: FlaskClient) -> None:
    english = client.get(f"{API}/services").get_json()
    assert english["lang"] == "en"
    assert {s["id"] for s in english["services"]} >= {PASSPORT, "ny-name-change", "w9-vendor"}
    spanish = client.get(f"{API}/services", headers={"Accept-Language": "es"}).get_json()
    passport = next(s for s in spanish["services"] if s["id"] == PASSPORT)
    assert spanish["lang"] == "es" and passport["title"] == "Solicitar su primer pasaporte de EE. UU."


def test_the_api_keeps_no_language_cookie_and_reads_none(client: FlaskClient) -> None:
    asked = client.get(f"{API}/services?lang=es")
    assert asked.get_json()["lang"] == "es" and "Set-Cookie" not in asked.headers
    client.set_cookie("intake_lang", "es", domain="localhost")
    assert client.get(f"{API}/services").get_json()["lang"] == "en"
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200


def test_a_checklist_has_forms_fields_documents_conditions_and_limits(client: FlaskClient) -> None:
    service = client.get(f"{API}/services/{PASSPORT}").get_json()
    (ds11,) = [f for f in service["forms"] if f["id"] == "ds11"]
    assert ds11["url"] == "https://eforms.state.gov/Forms/ds11.pdf"
    ssn = next(f for f in ds11["fields"] if f["type"] == "ssn")
    assert ssn["sensitive"] is True and ssn["label"]
    conditional = [d for d in service["documents"] if d["required_when"]]
    assert conditional and all(d["required_when"]["reason"] for d in conditional)
    assert service["limits"] == {"max_file_mb": 20, "max_packet_mb": 60, "max_files": 20,
                                 "accept": ["pdf", "jpeg", "png", "heic"]}
    assert service["visit"]["offices"][0]["name"] == "Springfield Passport Acceptance Facility"
    spanish = client.get(f"{API}/services/{PASSPORT}?lang=es").get_json()
    assert spanish["lang"] == "es" and spanish["title"] == "Solicitar su primer pasaporte de EE. UU."
    reasons = [d["required_when"]["reason"] for d in spanish["documents"] if d["required_when"]]
    assert reasons and reasons != [d["required_when"]["reason"] for d in conditional]


def test_a_checklist_says_whether_the_papers_are_brought_or_sent_and_what_it_costs(client: FlaskClient) -> None:
    passport = client.get(f"{API}/services/{PASSPORT}").get_json()["visit"]
    assert passport["mode"] == "in_person" and passport["fees"] is None
    assert client.get(f"{API}/services/w9-vendor").get_json()["visit"]["mode"] == "mail"
    card = client.get(f"{API}/services/social-security-card?lang=es").get_json()["visit"]
    assert card["mode"] == "in_person" and card["fees"] == "La tarjeta es gratis: no hay que pagar nada"


def test_an_unknown_service_and_a_bad_language_are_problems(client: FlaskClient) -> None:
    missing = problem(client.get(f"{API}/services/no-such-service"), 404, "service.unknown")
    assert missing["errors"][0]["field"] == "service_id" and missing["instance"].endswith("/no-such-service")
    bad = problem(client.get(f"{API}/services?lang=fr"), 422, "request.invalid")
    assert bad["errors"][0]["field"] == "lang" and bad["errors"][0]["code"] == "field.invalid"


def test_unknown_addresses_and_methods_are_problems_while_pages_stay_html(client: FlaskClient) -> None:
    problem(client.get(f"{API}/nothing-here"), 404, "http.not_found")
    not_allowed = client.delete(f"{API}/services")
    problem(not_allowed, 405, "http.method_not_allowed")
    assert "GET" in not_allowed.headers["Allow"]
    assert client.get("/nothing-here").mimetype == "text/html"


def test_a_check_returns_the_report_and_stores_nothing(app: Flask, client: FlaskClient, ds11: bytes) -> None:
    response = send(client, "/checks", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf")}))
    assert response.status_code == 200 and response.mimetype == "application/json"
    report = response.get_json()
    assert report["service"] == PASSPORT and report["status"] == "incomplete"
    assert report["forms"][0]["values"]["ssn"] == "***-**-6789"
    assert {m["id"] for m in report["missing"]} >= {"citizenship", "photo_id"}
    spanish = send(client, "/checks", files(service=PASSPORT, files=[(ds11, "ds11.pdf")]), query="?lang=es")
    assert spanish.get_json()["lang"] == "es" and spanish.headers["Content-Language"] == "es"
    assert _count(app, Submission) == 0
    assert stored_blobs(app) == []


def test_refused_files_are_problems_with_the_report_codes(app: Flask, client: FlaskClient) -> None:
    gif = problem(send(client, "/checks", files(service=PASSPORT, files=[(b"GIF89a...", "photo.gif")])), 415,
                  "file.not_pdf")
    assert gif["errors"] == [{"field": "files", "code": "file.not_pdf", "message": gif["errors"][0]["message"]}]
    assert gif["errors"][0]["message"].startswith("photo.gif is not a PDF")
    empty = problem(send(client, "/checks", files(service=PASSPORT, files=[(b"", "empty.pdf")])), 422, "file.empty")
    assert empty["errors"][0]["message"].startswith("empty.pdf is empty")
    mixed = problem(send(client, "/checks", files(service=PASSPORT, files=[(b"", "a.pdf"), (b"GIF89a", "b.gif")])),
                    422, "request.files")
    assert [e["code"] for e in mixed["errors"]] == ["file.empty", "file.not_pdf"]
    problem(send(client, "/checks", files(service=PASSPORT)), 422, "request.no_files")
    labelled = problem(send(client, "/checks", files(service=PASSPORT, **{"item-nope": (text_pdf(["x"]), "x.pdf")})),
                       422, "file.unrecognised")
    assert labelled["errors"][0]["field"] == "item-nope"
    on_item = problem(send(client, "/checks", files(service=PASSPORT, **{"item-ds11": (b"", "ds11.pdf")})), 422)
    assert on_item["errors"][0]["field"] == "item-ds11"
    problem(send(client, "/checks", files(service="no-such", files=[(text_pdf(["x"]), "x.pdf")])), 404,
            "service.unknown")
    no_service = problem(send(client, "/checks", files(files=[(text_pdf(["x"]), "x.pdf")])), 422, "request.invalid")
    assert no_service["errors"][0]["field"] == "service"
    as_json = client.post(f"{API}/checks", json={"service": PASSPORT})
    assert as_json.status_code in (415, 422) and as_json.mimetype == "application/problem+json"
    spanish = problem(send(client, "/checks", files(service=PASSPORT, files=[(b"", "e.pdf")]), query="?lang=es"),
                      422, "file.empty")
    assert "vacío" in spanish["errors"][0]["message"]


def test_files_over_the_limits_are_413_problems(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_FILE_BYTES"] = 1000
    big = problem(send(client, "/checks", files(service=PASSPORT, files=[(b"%PDF-1.4" + b"0" * 2000, "big.pdf")])),
                  413, "file.too_large")
    assert big["errors"][0]["field"] == "files" and "big.pdf" in big["errors"][0]["message"]
    app.config["MAX_FILES"] = 1
    problem(send(client, "/checks", files(service=PASSPORT, files=[(text_pdf(["a"]), "a.pdf"),
                                                                   (text_pdf(["b"]), "b.pdf")])), 413,
            "packet.too_many_files")
    app.config["MAX_CONTENT_LENGTH"] = 5000
    problem(send(client, "/checks", files(service=PASSPORT, files=[(b"%PDF-1.4" + b"0" * 9000, "x.pdf")])), 413,
            "packet.too_large")


def test_a_submission_is_made_read_and_added_to_with_its_secret(app: Flask, client: FlaskClient, ds11: bytes,
                                                                corpus: Path) -> None:
    made = _create(client, ds11, zip="62704")
    body = finished(client, made, 201)
    reference, secret = body["reference"], body["secret"]
    assert made.headers["Location"].endswith(f"{API}/submissions/{reference}")
    assert body["status"] == "incomplete" and body["work"]["status"] == "new" and body["requests"] == []
    assert [f["item"] for f in body["files"]] == ["ds11"] and body["report"]["service"] == PASSPORT
    with app.app_context():
        stored = db.session.query(Submission).one()
        assert secret not in stored.secret_hash and stored.secret_hash
        blob = stored.files[0].sha256
    assert stored_blobs(app) == [blob]
    headers = {"Submission-Secret": secret}
    read = client.get(f"{API}/submissions/{body['display_reference'].lower()}", headers=headers).get_json()
    assert read["report"] == body["report"] and "secret" not in read
    synthetic = corpus / "supporting" / "synthetic"
    more = files(**{"item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf"),
                    "item-photo_id": ((synthetic / "state_id_front_photo.jpg").read_bytes(), "id.jpg"),
                    "files": [((synthetic / "utility_bill_1.pdf").read_bytes(), "bill.pdf")]})
    added = send(client, f"/submissions/{reference}/files", more, headers)
    assert finished(client, added, 200, secret)["status"] == "complete"
    replaced = finished(client, send(client, f"/submissions/{reference}/files",
                                     files(**{"item-ds11": (ds11, "again.pdf")}, replace="ds11"), headers), 200, secret)
    assert sorted(f["name"] for f in replaced["files"]) == ["again.pdf", "bill.pdf", "birth.pdf", "id.jpg"]
    report = client.get(f"{API}/submissions/{reference}/report?lang=es", headers=headers)
    assert report.get_json()["lang"] == "es" and report.get_json()["status"] == "complete"
    assert client.get(f"{API}/submissions/{reference}/requests", headers=headers).get_json() == {"requests": []}
    assert _count(app, CheckRecord) == 3 and _count(app, SubmissionFile) == 5


def test_a_wrong_or_missing_secret_tells_nothing(app: Flask, client: FlaskClient, ds11: bytes) -> None:
    reference = _create(client, ds11).get_json()["reference"]
    missing = problem(client.get(f"{API}/submissions/{reference}"), 401, "auth.secret_required")
    assert missing["detail"] and client.get(f"{API}/submissions/{reference}").headers["WWW-Authenticate"]
    wrong = problem(client.get(f"{API}/submissions/{reference}/report", headers={"Submission-Secret": "guess"}),
                    404, "submission.not_found")
    unknown = problem(client.get(f"{API}/submissions/ACD-EFG-HJK", headers={"Submission-Secret": "guess"}), 404,
                      "submission.not_found")
    assert wrong["detail"] == unknown["detail"]
    problem(send(client, f"/submissions/{reference}/files", files(files=[(ds11, "x.pdf")]),
                 {"Submission-Secret": "guess"}), 404)
    assert _count(app, SubmissionFile) == 1


def test_a_stored_answer_from_before_a_new_secret_key_is_a_conflict_not_a_second_submission(
        app: Flask, client: FlaskClient, another_app: Callable[..., Flask], ds11: bytes) -> None:
    key = {"Idempotency-Key": "order-rotated"}
    finished(client, _create(client, ds11, key), 201)
    rotated = another_app(SECRET_KEY="a-new-secret-key").test_client()
    problem(_create(rotated, ds11, key), 409, "idempotency.conflict")
    assert _count(app, Submission) == 1


def test_a_retry_with_the_same_key_returns_the_first_answer_and_another_body_conflicts(
        app: Flask, client: FlaskClient, ds11: bytes) -> None:
    key = {"Idempotency-Key": "order-1234"}
    first = _create(client, ds11, key)
    again = _create(client, ds11, key)
    assert first.status_code == again.status_code == (202 if app.config["BROKER_URL"] else 201)
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, Submission) == 1
    with app.app_context():
        stored = db.session.query(IdempotencyRecord).one().response_json
    assert first.get_json()["secret"] not in stored and first.get_json()["reference"] not in stored
    other = send(client, "/submissions", files(service=PASSPORT, files=[(text_pdf(["other"]), "other.pdf")]), key)
    conflict = problem(other, 409, "idempotency.conflict")
    assert conflict["errors"][0]["field"] == "Idempotency-Key"
    assert _count(app, Submission) == 1
    refused = send(client, "/submissions", files(service=PASSPORT, files=[(b"", "e.pdf")]), {"Idempotency-Key": "k2"})
    problem(refused, 422, "file.empty")
    assert _count(app, IdempotencyRecord) == 1
    problem(_create(client, ds11, {"Idempotency-Key": "x" * 151}), 422, "request.invalid")


def test_a_key_still_being_handled_is_a_409(app: Flask, client: FlaskClient, ds11: bytes) -> None:
    from web.api import idempotency
    from web.api.submissions import IDEMPOTENCY_SCOPE

    with app.test_request_context():
        assert idempotency.reserve(IDEMPOTENCY_SCOPE, "busy", "a" * 64) is None  # a first request, still running
    problem(_create(client, ds11, {"Idempotency-Key": "busy"}), 409, "idempotency.in_progress")
    assert _count(app, Submission) == 0


def test_uploads_and_lookups_are_rate_limited_with_problems(another_app: Callable[..., Flask]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="2 per minute", RATELIMIT_LOOKUP="2 per minute")
    with limited.test_client() as client:
        codes = [send(client, "/checks", files(service=PASSPORT, files=[(b"", "e.pdf")])).status_code
                 for _ in range(3)]
        assert codes == [422, 422, 429]
        limited_answer = send(client, "/checks", files(service=PASSPORT))
        problem(limited_answer, 429, "http.too_many_requests")
        assert 1 <= int(limited_answer.headers["Retry-After"]) <= 60
        lookups = [client.get(f"{API}/submissions/ACD-EFG-HJK", headers={"Submission-Secret": "x"}).status_code
                   for _ in range(3)]
        assert lookups == [404, 404, 429]
        assert client.get(f"{API}/services").status_code == 200


def test_the_api_needs_no_csrf_token_and_sets_no_session(app: Flask, ds11: bytes) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_client() as client:
        response = send(client, "/checks", files(service=PASSPORT, files=[(text_pdf(["hello"]), "a.pdf")]))
        assert response.status_code == 200 and "session" not in response.headers.get("Set-Cookie", "")


def test_a_crash_is_a_500_problem_that_keeps_nothing_half_made(app: Flask, client: FlaskClient, ds11: bytes,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from web.citizen import packets

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(packets, "_unused_reference", crash)
    body = problem(_create(client, ds11, {"Idempotency-Key": "crash"}), 500, "http.server_error")
    assert "Nothing you sent was lost" in body["title"]
    assert _count(app, Submission) == 0 and _count(app, IdempotencyRecord) == 0
    assert client.get("/s/no-such").mimetype == "text/html"


def test_the_committed_openapi_document_equals_the_generated_one(client: FlaskClient) -> None:
    generated = client.get(f"{API}/openapi.json").get_json()
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert generated == committed, "run: flask --app web openapi write --format=json docs/openapi.json"
    assert generated["openapi"] == "3.1.0"
    assert {"/api/v1/checks", "/api/v1/submissions", "/api/v1/clerk/submissions"} <= set(generated["paths"])


def test_the_documentation_page_lists_every_operation_and_schema(client: FlaskClient, pages: Pages) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    page = pages.get(f"{API}/docs")
    text = page.get_text(" ")
    for path, methods in spec["paths"].items():
        for method in methods:
            if method != "parameters":
                assert f"{method.upper()} {path}" in text
    for name in spec["components"]["schemas"]:
        assert page.find(id=f"schema-{name}") is not None
    assert page.find("script", src=lambda s: s and s.startswith("http")) is None
