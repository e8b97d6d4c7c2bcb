"""The clerk side of the API: tokens made, listed and revoked from the command line and kept
only as hashes; scopes (read cannot write, one service cannot see another); the queue, a
submission, status moves, document requests, the export; and every use in the audit trail."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.api import API, bearer, files, finished, problem, send, token
from web.models import ApiToken, AuditEntry, DocumentRequest, WorkItem, db

PASSPORT, NAME_CHANGE = "passport-first-time", "ny-name-change"
PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


@pytest.fixture
def made(client: FlaskClient, ds11: bytes) -> dict[str, str]:
    """A passport submission made through the API: its reference and secret."""
    body = finished(client, send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf")})),
                    201)
    return {"reference": body["reference"], "secret": body["secret"]}


def _audit(app: Flask) -> list[tuple[int | None, str, str | None]]:
    with app.app_context():
        return [(a.token_id, a.action, a.detail) for a in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def _clerk(app: Flask, email: str = "ana@example.gov", service: str = PASSPORT) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", email, "--name", "Ana", "--password", PASSWORD]).exit_code == 0
    assert runner.invoke(args=["users", "grant", email, service]).exit_code == 0


def test_tokens_are_made_listed_and_revoked_and_only_their_hash_is_kept(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()
    secret = token(app, "county portal", "--scope", "write", "--service", PASSPORT, "--service", NAME_CHANGE)
    assert secret.startswith("itk_") and len(secret) == 44
    with app.app_context():
        row = db.session.query(ApiToken).one()
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in row.services_json
        assert row.services == {PASSPORT, NAME_CHANGE} and row.scope == "write" and row.prefix == secret[4:12]
    listed = runner.invoke(args=["tokens", "list"]).output
    assert "county portal\twrite\tny-name-change,passport-first-time\tlast used never\tactive" in listed
    assert secret not in listed
    assert client.get(f"{API}/clerk/submissions", headers=bearer(secret)).status_code == 200
    assert "last used never" not in runner.invoke(args=["tokens", "list"]).output
    assert runner.invoke(args=["tokens", "revoke", secret[:12]]).exit_code == 0
    assert "revoked" in runner.invoke(args=["tokens", "list"]).output
    problem(client.get(f"{API}/clerk/submissions", headers=bearer(secret)), 401, "auth.revoked")
    actions = [action for _t, action, _d in _audit(app)]
    assert actions[-2:] == ["token_revoked", "api_revoked_used"]


def test_a_token_needs_a_name_a_known_service_and_a_known_scope(app: Flask) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["tokens", "create", "kiosk", "--service", "no-such"])
    assert unknown.exit_code != 0 and "unknown: no-such" in unknown.output
    assert runner.invoke(args=["tokens", "create", "kiosk"]).exit_code != 0
    assert runner.invoke(args=["tokens", "create", "kiosk", "--scope", "admin", "--service", PASSPORT]).exit_code != 0
    assert runner.invoke(args=["tokens", "create", " ", "--service", PASSPORT]).exit_code != 0
    assert runner.invoke(args=["tokens", "revoke", "999"]).exit_code != 0
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0


def test_the_clerk_side_needs_a_valid_bearer_token(client: FlaskClient) -> None:
    for headers in ({}, bearer("itk_not-a-real-token"), {"Authorization": "Basic abc"}):
        response = client.get(f"{API}/clerk/submissions", headers=headers)
        problem(response, 401, "auth.required")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_read_token_cannot_write(app: Flask, client: FlaskClient, made: dict[str, str]) -> None:
    reader = token(app, "reader", "--service", PASSPORT)
    reference = made["reference"]
    assert client.get(f"{API}/clerk/submissions/{reference}", headers=bearer(reader)).status_code == 200
    problem(client.post(f"{API}/clerk/submissions/{reference}/status", json={"to": "in_review"},
                        headers=bearer(reader)), 403, "auth.scope")
    problem(client.post(f"{API}/clerk/submissions/{reference}/requests",
                        json={"items": ["citizenship"], "clerk": "ana@example.gov"}, headers=bearer(reader)),
            403, "auth.scope")
    with app.app_context():
        assert db.session.get(WorkItem, 1).status == "new"
    assert [a for _t, a, _d in _audit(app)].count("api_refused") == 2


def test_a_token_for_one_service_cannot_see_another(app: Flask, client: FlaskClient, made: dict[str, str]) -> None:
    other = token(app, "name changes", "--scope", "write", "--service", NAME_CHANGE)
    reference = made["reference"]
    problem(client.get(f"{API}/clerk/submissions/{reference}", headers=bearer(other)), 404, "submission.not_found")
    problem(client.post(f"{API}/clerk/submissions/{reference}/status", json={"to": "in_review"},
                        headers=bearer(other)), 404)
    queue = client.get(f"{API}/clerk/submissions?service={PASSPORT}", headers=bearer(other)).get_json()
    assert queue["items"] == [] and sum(queue["counts"].values()) == 0
    export = client.get(f"{API}/clerk/export.csv", headers=bearer(other)).get_data(as_text=True)
    assert reference not in export.replace("-", "")


def test_the_queue_filters_as_the_web_does(app: Flask, client: FlaskClient, made: dict[str, str]) -> None:
    reader = token(app, "reader", "--service", PASSPORT, "--service", NAME_CHANGE)
    everything = client.get(f"{API}/clerk/submissions", headers=bearer(reader)).get_json()
    assert [row["reference"] for row in everything["items"]] == [made["reference"]]
    row = everything["items"][0]
    assert row["work"]["status"] == "new" and row["check_status"] == "incomplete" and row["claimed"] is False
    assert everything["counts"]["new"] == 1 and everything["more"] is False and everything["page"] == 1
    assert "Proof of U.S. citizenship" in row["missing"]
    by_status = client.get(f"{API}/clerk/submissions?status=ready", headers=bearer(reader)).get_json()
    assert by_status["items"] == [] and by_status["counts"]["new"] == 1
    by_reference = client.get(f"{API}/clerk/submissions?q={made['reference'][:4].lower()}",
                              headers=bearer(reader)).get_json()
    assert len(by_reference["items"]) == 1
    assert client.get(f"{API}/clerk/submissions?status=nonsense", headers=bearer(reader)).get_json()["items"]
    problem(client.get(f"{API}/clerk/submissions?page=0", headers=bearer(reader)), 422, "request.invalid")
    still_missing = client.get(f"{API}/clerk/submissions?missing=citizenship", headers=bearer(reader)).get_json()
    assert len(still_missing["items"]) == 1
    assert client.get(f"{API}/clerk/submissions?missing=ds11", headers=bearer(reader)).get_json()["items"] == []
    later = client.get(f"{API}/clerk/submissions?received_from=2999-01-01&sort=newest", headers=bearer(reader))
    assert later.get_json()["items"] == []
    problem(client.get(f"{API}/clerk/submissions?q=a%00b", headers=bearer(reader)), 422, "request.invalid")
    spanish = client.get(f"{API}/clerk/submissions?lang=es", headers=bearer(reader)).get_json()
    assert "Prueba de ciudadanía estadounidense" in " ".join(spanish["items"][0]["missing"])


def test_a_token_moves_a_submission_as_a_clerk_would(app: Flask, client: FlaskClient,
                                                     made: dict[str, str]) -> None:
    writer = bearer(token(app, "case system", "--scope", "write", "--service", PASSPORT))
    url = f"{API}/clerk/submissions/{made['reference']}/status"
    bad = problem(client.post(url, json={"to": "needs_documents"}, headers=writer), 409, "work.move")
    assert bad["errors"][0] == {"field": "to", "code": "work.move", "message": bad["errors"][0]["message"]}
    moved = client.post(url, json={"to": "in_review"}, headers=writer)
    assert moved.status_code == 200 and moved.get_json()["work"]["status"] == "in_review"
    problem(client.post(url, json={"to": "ready"}, headers=writer), 409, "work.not_complete")
    reason = problem(client.post(url, json={"to": "rejected", "reason": "  "}, headers=writer), 422, "work.reason")
    assert reason["errors"][0]["field"] == "reason"
    problem(client.post(url, json={"to": "nowhere"}, headers=writer), 422, "request.invalid")
    problem(client.post(url, data="to=ready", headers=writer | {"Content-Type": "text/plain"}), 422)
    broken = problem(client.post(url, data="{not json", headers=writer | {"Content-Type": "application/json"}),
                     400, "http.bad_request")
    assert broken["errors"] and broken["errors"][0]["field"].startswith("json")
    rejected = client.post(url, json={"to": "rejected", "reason": "The photo is not yours."}, headers=writer)
    assert rejected.get_json()["work"] == {**rejected.get_json()["work"], "status": "rejected",
                                           "reason": "The photo is not yours."}
    statuses = [json.loads(d or "{}").get("to") for _t, a, d in _audit(app) if a == "api_status"]
    assert statuses == ["in_review", "rejected"]


def test_a_token_cannot_move_a_submission_a_clerk_holds(app: Flask, client: FlaskClient,
                                                        made: dict[str, str]) -> None:
    _clerk(app)
    clerk = app.test_client()
    assert clerk.post("/clerk/sign-in", data={"email": "ana@example.gov", "password": PASSWORD}).status_code == 303
    assert clerk.post(f"/clerk/s/{made['reference']}/claim").status_code == 303
    writer = bearer(token(app, "case system", "--scope", "write", "--service", PASSPORT))
    problem(client.post(f"{API}/clerk/submissions/{made['reference']}/status", json={"to": "in_review"},
                        headers=writer), 409, "work.claimed")


def test_a_document_request_reaches_the_citizen_through_the_api(app: Flask, client: FlaskClient,
                                                                made: dict[str, str]) -> None:
    _clerk(app)
    writer = bearer(token(app, "case system", "--scope", "write", "--service", PASSPORT))
    url = f"{API}/clerk/submissions/{made['reference']}/requests"
    unknown = problem(client.post(url, json={"items": ["citizenship", "nope"], "clerk": "ana@example.gov"},
                                  headers=writer), 422, "request.items")
    assert unknown["errors"][0]["field"] == "items[1]"
    problem(client.post(url, json={"items": ["citizenship"], "clerk": "nobody@example.gov"}, headers=writer), 422,
            "request.clerk")
    problem(client.post(url, json={"items": []}, headers=writer), 422, "request.invalid")
    asked = client.post(url, json={"items": ["citizenship", "photo_id"], "note": "Both sides of the ID, please.",
                                   "clerk": "ana@example.gov"}, headers=writer)
    assert asked.status_code == 201
    request = asked.get_json()["requests"][0]
    assert [i["id"] for i in request["items"]] == ["citizenship", "photo_id"]
    citizen = client.get(f"{API}/submissions/{made['reference']}/requests",
                         headers={"Submission-Secret": made["secret"]}).get_json()
    assert citizen["requests"] == [request] and citizen["requests"][0]["note"] == "Both sides of the ID, please."
    with app.app_context():
        assert db.session.get(WorkItem, 1).status == "needs_documents"
        assert db.session.query(DocumentRequest).one().created_by == 1
    entry = [d for _t, a, d in _audit(app) if a == "api_request_documents"]
    assert json.loads(entry[0])["clerk"] == "ana@example.gov"


def test_the_export_has_the_web_columns_and_every_use_is_audited(app: Flask, client: FlaskClient,
                                                                  made: dict[str, str]) -> None:
    reader = token(app, "reporting", "--service", PASSPORT)
    response = client.get(f"{API}/clerk/export.csv?status=new", headers=bearer(reader))
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["reference", "service", "status", "check", "received", "last_change", "held_by", "missing"]
    assert rows[1][0].replace("-", "") == made["reference"] and rows[1][1:4] == [PASSPORT, "new", "incomplete"]
    client.get(f"{API}/clerk/submissions", headers=bearer(reader))
    client.get(f"{API}/clerk/submissions/{made['reference']}", headers=bearer(reader))
    client.get(f"{API}/clerk/submissions/ACD-EFG-HJK", headers=bearer(reader))
    with app.app_context():
        token_id = db.session.query(ApiToken).one().id
    used = [(t, a) for t, a, _d in _audit(app) if t is not None]
    assert used == [(token_id, "api_export"), (token_id, "api_queue"), (token_id, "api_view"),
                    (token_id, "api_not_found")]
    with app.app_context():
        viewed = db.session.query(AuditEntry).filter_by(action="api_view").one()
        assert viewed.submission_id == 1 and viewed.user_id is None


def test_waivers_apply_to_what_the_api_shows_and_to_ready(app: Flask, client: FlaskClient,
                                                          made: dict[str, str]) -> None:
    from web.models import Waiver

    writer = bearer(token(app, "case system", "--scope", "write", "--service", PASSPORT))
    url = f"{API}/clerk/submissions/{made['reference']}"
    before = client.get(url, headers=writer).get_json()
    assert before["status"] == "incomplete" and before["report"]["missing"]
    with app.app_context():
        for entry in before["report"]["missing"]:
            db.session.add(Waiver(submission_id=1, kind="missing", target=f"{entry['kind']}:{entry['id']}",
                                  reason="The office looks it up itself."))
        db.session.commit()
    after = client.get(url, headers=writer).get_json()
    assert after["status"] == "complete" and after["report"]["missing"] == []
    assert {w["reason"] for w in after["report"]["waived"]} == {"The office looks it up itself."}
    citizen = client.get(f"{API}/submissions/{made['reference']}/report", headers={"Submission-Secret": made["secret"]})
    assert citizen.get_json()["status"] == "complete"
    queue = client.get(f"{API}/clerk/submissions", headers=writer).get_json()
    assert queue["items"][0]["check_status"] == "complete" and queue["items"][0]["missing"] == []
    assert client.post(f"{url}/status", json={"to": "in_review"}, headers=writer).status_code == 200
    ready = client.post(f"{url}/status", json={"to": "ready"}, headers=writer)
    assert ready.status_code == 200 and ready.get_json()["work"]["status"] == "ready"


def test_the_audit_log_and_its_csv_name_the_token_that_acted(app: Flask, client: FlaskClient) -> None:
    from tests.web.clerks import cli

    secret = token(app, "county portal", "--service", PASSPORT)
    assert client.get(f"{API}/clerk/submissions", headers=bearer(secret)).status_code == 200
    assert cli(app, "users", "create", "root@example.gov", "--name", "Root", "--role", "admin",
               "--password", PASSWORD).exit_code == 0
    admin = app.test_client()
    assert admin.post("/clerk/sign-in", data={"email": "root@example.gov", "password": PASSWORD}).status_code == 303
    named = f"token: county portal ({secret[4:12]}…)"
    assert named in admin.get("/clerk/audit").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(admin.get("/clerk/audit.csv").get_data(as_text=True))))
    assert any(row["user"] == named for row in rows) and not any(row["user"] in ("", "None") for row in rows
                                                                 if row["action"].startswith("api"))
