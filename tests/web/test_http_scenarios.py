"""The HTTP-level scenarios of the hostile corpus (``http_scenarios.json``), one test or more each.

Most run through the Flask test client. The two about slow clients (and the oversized
body, once more) run against the production server setting, ``gunicorn.conf.py``, started
on a free local port with short timeouts. A test at the end checks every scenario in the
index has a test here, so a new scenario cannot go untested.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import hostile as corpus
from tests import pdfs
from tests.web.clerks import PASSWORD, sign_in, staff_fixture  # noqa: F401  (the staff fixture)
from tests.web.conftest import post_files, stored_blobs, upload_data
from web.models import AuditEntry, CheckRecord, Event, Submission, SubmissionFile, WorkItem, db

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "passport-first-time"
ITEM = "proof_of_address"
MB = 1024 * 1024

# Each scenario of the index and the tests that cover it (checked by the last test).
COVERED = {
    "oversized_body": ["test_a_200_mb_body_is_refused_before_it_is_read",
                       "test_the_production_server_refuses_a_200_mb_body_without_reading_it"],
    "no_content_length_chunked": ["test_a_chunked_body_without_a_length_stops_at_the_limit"],
    "many_parts": ["test_thousands_of_parts_are_refused_and_nothing_is_written"],
    "many_files_per_packet": ["test_one_file_over_the_per_packet_count_refuses_the_whole_packet"],
    "hostile_filenames": ["test_hostile_file_names_are_stored_by_hash_and_shown_harmless",
                          "test_a_raw_line_break_in_a_file_name_cannot_inject_a_header",
                          "test_a_clerk_downloads_an_original_only_as_an_attachment_under_a_safe_name"],
    "content_type_spoof": ["test_the_type_comes_from_the_bytes_never_the_declared_content_type"],
    "slowloris_headers": ["test_slow_headers_on_200_sockets_do_not_stop_a_normal_upload"],
    "slow_body": ["test_a_body_trickled_slowly_is_cut_off_while_others_are_served"],
    "duplicate_submit_race": ["test_twenty_simultaneous_posts_with_one_key_make_one_submission"],
    "double_click_no_key": ["test_a_double_click_without_a_key_makes_two_whole_submissions"],
    "crash_mid_write": ["test_a_crash_at_any_point_between_storing_and_committing_leaves_nothing"],
    "idor_submission": ["test_a_citizen_cannot_open_another_submission_and_each_try_is_audited",
                        "test_a_clerk_of_another_service_gets_404_and_the_denial_is_audited",
                        "test_references_and_secrets_are_random_and_no_internal_id_is_in_a_citizen_address"],
    "reference_bruteforce": ["test_guessing_secrets_or_zip_codes_is_cut_off_per_address_and_per_reference"],
    "csrf_clerk_action": ["test_clerk_actions_without_the_token_from_another_site_or_by_get_change_nothing",
                          "test_production_session_cookies_are_host_only_secure_httponly_and_lax"],
    "session_fixation": ["test_a_session_cookie_from_before_sign_in_is_useless_after_it"],
    "clerk_claim_race": ["test_two_clerks_claiming_at_the_same_moment_twenty_times_one_wins_each_time"],
}


# Tests with no database behaviour of their own run on SQLite only; the ones about races,
# crashes, access and limits run on every database the suite is given.
SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _pdf(text: str) -> bytes:
    return pdfs.text_pdf([f"Billing date 11/01/2026 service address {text}"])


def _upload(client: FlaskClient, files: list[tuple[bytes, str]], key: str | None = None,
            item: str = f"item-{ITEM}") -> Any:
    data = upload_data(**{item: files})
    if key is not None:
        data["client_key"] = key
    return post_files(client, f"/s/{SERVICE}", data)


def _rows(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {model.__tablename__: db.session.query(model).count()
                for model in (Submission, SubmissionFile, CheckRecord, Event, WorkItem)}


def _refusals(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [json.loads(a.detail) for a in db.session.query(AuditEntry).filter_by(action="upload_refused")]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


class Zeros(io.RawIOBase):
    """A body of ``size`` bytes made as it is read (a prefix, then zeros): nothing held in memory."""

    def __init__(self, size: int, prefix: bytes = b"") -> None:
        self.size, self.prefix, self.served = size, prefix, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.served

    def seek(self, offset: int, whence: int = 0) -> int:
        self.served = {0: offset, 1: self.served + offset, 2: self.size + offset}[whence]
        return self.served

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.size - self.served)
        if count <= 0:
            return 0
        head = self.prefix[self.served:self.served + count]
        buffer[:len(head)] = head
        buffer[len(head):count] = bytes(count - len(head))
        self.served += count
        return count


def _multipart_head(boundary: str = "b0undary") -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"item-{ITEM}\"; filename=\"big.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n").encode()


# --- size and count limits -----------------------------------------------------------------


@SQLITE_ONLY
def test_a_200_mb_body_is_refused_before_it_is_read(app: Flask, client: FlaskClient) -> None:
    body = Zeros(200 * MB, _multipart_head())
    before = _rss_mb()
    response = client.post(f"/s/{SERVICE}", input_stream=body, content_length=200 * MB,
                           content_type="multipart/form-data; boundary=b0undary")
    assert response.status_code == 413
    assert body.served == 0 and _rss_mb() - before < 20
    assert _rows(app)["submissions"] == 0
    assert _refusals(app) == [{"code": "packet.too_large", "service": SERVICE}]


@SQLITE_ONLY
def test_a_chunked_body_without_a_length_stops_at_the_limit(another_app: Callable[..., Flask]) -> None:
    small = another_app(MAX_PACKET_MB=1)
    body = Zeros(200 * MB, _multipart_head())
    before = _rss_mb()
    response = small.test_client().post(
        f"/s/{SERVICE}", input_stream=body, content_type="multipart/form-data; boundary=b0undary",
        environ_overrides={"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"})
    assert response.status_code == 413
    assert body.served <= small.config["MAX_CONTENT_LENGTH"] + 1 * MB
    assert _rss_mb() - before < 20
    assert _rows(small)["submissions"] == 0
    assert _refusals(small) == [{"code": "packet.too_large", "service": SERVICE}]


@SQLITE_ONLY
def test_thousands_of_parts_are_refused_and_nothing_is_written(app: Flask, client: FlaskClient) -> None:
    boundary = "p4rts"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="item-{ITEM}"; filename="f{i}.pdf"\r\n'
             f"Content-Type: application/pdf\r\n\r\n%PDF-1.4 {i}\r\n" for i in range(5000)]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="field{i}"\r\n\r\nx\r\n' for i in range(5000)]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    response = client.post(f"/s/{SERVICE}", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert set(_rows(app).values()) == {0}
    assert _refusals(app) == [{"code": "packet.too_many_files", "service": SERVICE}]


def test_one_file_over_the_per_packet_count_refuses_the_whole_packet(app: Flask, client: FlaskClient) -> None:
    limit = app.config["MAX_FILES"]
    too_many = [(_pdf(f"file {i}"), f"bill{i}.pdf") for i in range(limit + 1)]
    response = _upload(client, too_many, key="k-too-many")
    assert response.status_code == 422
    assert f"You can upload up to {limit} at a time" in response.get_data(as_text=True)
    assert set(_rows(app).values()) == {0}
    assert stored_blobs(app) == []
    assert _refusals(app) == [{"code": "packet.too_many_files", "service": SERVICE}]
    assert _upload(client, too_many[:limit], key="k-just-right").status_code == 303
    assert _rows(app)["submission_files"] == limit


# --- names and types --------------------------------------------------------------------------


def _as_browsers_send(name: str) -> str:
    """A file name as browsers write it into a multipart header (HTML's form encoding):
    line breaks and quotes are percent-escaped, so they can never end the header."""
    return name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def _hostile_names(hostile: corpus.Hostile) -> list[str]:
    return [_as_browsers_send(name) for name in hostile.filenames]


@SQLITE_ONLY
def test_a_raw_line_break_in_a_file_name_cannot_inject_a_header(app: Flask, client: FlaskClient,
                                                                hostile: corpus.Hostile) -> None:
    """Sent raw (no browser does), the name breaks the part's header: the upload fails cleanly."""
    for number, name in enumerate(n for n in hostile.filenames if "\r" in n or "\n" in n or '"' in n):
        response = _upload(client, [(_pdf(f"raw {number}"), name)], key=f"k-raw-{number}")
        assert response.status_code in (303, 400), (name, response.status_code)
        assert "x=y" not in " ".join(response.headers.getlist("Set-Cookie"))


@SQLITE_ONLY
def test_hostile_file_names_are_stored_by_hash_and_shown_harmless(app: Flask, client: FlaskClient,
                                                                  hostile: corpus.Hostile,
                                                                  tmp_path: Path) -> None:
    import unicodedata

    names = _hostile_names(hostile)
    for number, name in enumerate(names):
        response = _upload(client, [(_pdf(f"named {number}"), name)], key=f"k-name-{number}")
        assert response.status_code == 303, (name, response.status_code)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "\u202e" not in page
    with app.app_context():
        shown = [f.name for f in db.session.query(SubmissionFile).order_by(SubmissionFile.id)]
    assert len(shown) == len(names)
    for name in shown:
        assert name and len(name) <= 120 and name == unicodedata.normalize("NFC", name)
        assert not re.search(r"[\x00-\x1f\x7f/\\\u202a-\u202e\u2066-\u2069\u2028\u2029]", name), repr(name)
        assert name not in ("..", ".") and not name.startswith(".")
    stored = [p for p in Path(app.config["STORAGE"]).rglob("*") if p.is_file()]
    assert stored and all(re.fullmatch(r"[0-9a-f]{64}", p.name) and p.parent.name == p.name[:2] for p in stored)
    outside = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert outside <= {"test.db", "files"}, outside


@SQLITE_ONLY
def test_a_clerk_downloads_an_original_only_as_an_attachment_under_a_safe_name(
        app: Flask, client: FlaskClient, staff: dict[str, str], hostile: corpus.Hostile) -> None:
    tricky = [_as_browsers_send(n) for n in ('a\r\nSet-Cookie: x=y.pdf', '"; filename=evil.exe', "ann\u202efdp.exe",
                                             "<script>alert(1)</script>.pdf")]
    for number, name in enumerate(n for n in _hostile_names(hostile) if n in tricky):
        assert _upload(client, [(_pdf(f"download {number}"), name)], key=f"k-dl-{number}").status_code == 303
    clerk = sign_in(app, "ana@example.gov")
    with app.app_context():
        files = [(f.submission.reference, f.id) for f in db.session.query(SubmissionFile)]
    assert files
    for reference, file_id in files:
        response = clerk.get(f"/clerk/s/{reference}/files/{file_id}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
        assert disposition.count('"') == 2 and "x=y" not in " ".join(response.headers.getlist("Set-Cookie"))
        real = unquote(disposition.split("; filename*=UTF-8''", 1)[1])  # RFC 6266: the shown name, whole
        assert real and not re.search(r"[\x00-\x1f\u202a-\u202e/\\]", real), repr(real)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"


@SQLITE_ONLY
def test_the_type_comes_from_the_bytes_never_the_declared_content_type(app: Flask, client: FlaskClient) -> None:
    picture = _png()
    data = {f"item-{ITEM}": [(io.BytesIO(picture), "scan.pdf", "application/pdf"),
                             (io.BytesIO(_pdf("declared png")), "photo.png", "image/png")],
            "client_key": "k-spoof"}
    assert post_files(client, f"/s/{SERVICE}", data).status_code == 303
    with app.app_context():
        kinds = {f.name: f.kind for f in db.session.query(SubmissionFile)}
    assert kinds == {"scan.png": "png", "photo.pdf": "pdf"}  # named for what they are


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- duplicates and crashes --------------------------------------------------------------------


def test_twenty_simultaneous_posts_with_one_key_make_one_submission(app: Flask) -> None:
    packet = [(_pdf("raced"), "bill.pdf")]
    start = threading.Barrier(20)
    answers: list[tuple[int, str]] = []

    def post() -> None:
        client = app.test_client()
        start.wait()
        response = _upload(client, packet, key="one-key-for-all")
        answers.append((response.status_code, response.headers.get("Location", "")))

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 20 and {code for code, _where in answers} == {303}
    assert len({where for _code, where in answers}) == 1
    rows = _rows(app)
    assert rows["submissions"] == 1 and rows["submission_files"] == 1 and rows["events"] == _events_per_upload(app)
    assert stored_blobs(app) == [hashlib.sha256(packet[0][0]).hexdigest()]


def test_a_double_click_without_a_key_makes_two_whole_submissions(app: Flask, client: FlaskClient) -> None:
    packet = [(_pdf("clicked twice"), "bill.pdf")]
    first, second = _upload(client, packet), _upload(client, packet)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] != second.headers["Location"]
    assert _rows(app) == {"submissions": 2, "submission_files": 2, "checks": 2, "events": 2 * _events_per_upload(app),
                          "work_items": 2}
    assert len(stored_blobs(app)) == 1


def _events_per_upload(app: Flask) -> int:
    """"created", and with a broker "checked" once the worker is done."""
    return 2 if app.config["BROKER_URL"] else 1


def _crash_points(monkeypatch: pytest.MonkeyPatch, app: Flask) -> dict[str, Callable[[], None]]:
    """Ways to make the write fail at different points between the first stored byte and the commit."""
    from sqlalchemy.orm import Session

    from web import storage
    from web.citizen import packets

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("power cut")

    with app.app_context():
        kind = type(storage.from_config(app.config["STORAGE"]))  # a local folder or a bucket
    real_add = kind.add
    calls = {"add": 0}

    def add_then_die(self: Any, data: bytes, sha256: str) -> bool:
        calls["add"] += 1
        if calls["add"] == 2:
            real_add(self, data, sha256)
            raise RuntimeError("power cut after the second file was written")
        return real_add(self, data, sha256)

    return {
        "while storing the second file": lambda: monkeypatch.setattr(kind, "add", add_then_die),
        "before the submission row": lambda: monkeypatch.setattr(packets, "_unused_reference", boom),
        "after the submission row was flushed": lambda: monkeypatch.setattr(packets, "WorkItem", boom),
        "at the commit": lambda: monkeypatch.setattr(Session, "commit", boom),
    }


@pytest.mark.parametrize("point", ["while storing the second file", "before the submission row",
                                   "after the submission row was flushed", "at the commit"])
def test_a_crash_at_any_point_between_storing_and_committing_leaves_nothing(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    packet = [(_pdf("first of two"), "one.pdf"), (_pdf("second of two"), "two.pdf")]
    with monkeypatch.context() as patched:
        _crash_points(patched, app)[point]()
        response = _upload(client, packet, key="k-crash")
    assert response.status_code == 500 and b"Nothing you sent was lost" in response.data
    assert set(_rows(app).values()) == {0}
    assert stored_blobs(app) == []
    retry = _upload(client, packet, key="k-crash")
    assert retry.status_code == 303
    assert _rows(app)["submissions"] == 1 and _rows(app)["submission_files"] == 2


def test_a_failed_upload_leaves_a_stored_file_it_did_not_write_where_it_was(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another request may have stored the same bytes and not yet written its record."""
    from sqlalchemy.orm import Session

    from web import storage

    theirs, mine = _pdf("sent by someone else a moment ago"), _pdf("only mine")
    with app.app_context():
        kept = storage.from_config(app.config["STORAGE"]).put(theirs)
    def power_cut(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patched:
        patched.setattr(Session, "commit", power_cut)
        response = _upload(client, [(theirs, "one.pdf"), (mine, "two.pdf")], key="k-shared")
    assert response.status_code == 500
    assert stored_blobs(app) == [kept], "the file this request wrote is gone; the one it found stays"


# --- who may see what --------------------------------------------------------------------------


def _submission_with_secret(client: FlaskClient, text: str) -> tuple[str, str]:
    """A citizen's new submission: its reference and the secret from the link they are shown."""
    from bs4 import BeautifulSoup

    response = post_files(client, f"/s/{SERVICE}", upload_data(**{f"item-{ITEM}": (_pdf(text), "bill.pdf")})
                          | {"client_key": os.urandom(8).hex(), "zip": "62704"})
    page = BeautifulSoup(client.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    link = page.find("a", rel="noreferrer")["href"]
    reference, secret = link.split("/r/", 1)[1].split("/k/")
    return reference, secret


def _denials(app: Flask, action: str = "access_denied") -> list[tuple[int | None, dict[str, Any]]]:
    with app.app_context():
        return [(a.submission_id, json.loads(a.detail)) for a in
                db.session.query(AuditEntry).filter_by(action=action).order_by(AuditEntry.id)]


def test_a_citizen_cannot_open_another_submission_and_each_try_is_audited(app: Flask) -> None:
    alice, bob = app.test_client(), app.test_client()
    _a_ref, a_secret = _submission_with_secret(alice, "alice")
    b_ref, _b_secret = _submission_with_secret(bob, "bob")
    with app.app_context():
        b_id = db.session.query(Submission.id).filter_by(reference=b_ref).scalar()
    tries = [alice.get(f"/r/{b_ref}/k/{a_secret}"), alice.get(f"/r/{b_ref}/bring"),
             alice.get(f"/r/{b_ref}/bring.txt"), alice.post(f"/r/{b_ref}/survey", data={"satisfied": "1"}),
             post_files(alice, f"/r/{b_ref}/files", upload_data(**{f"item-{ITEM}": (_pdf("x"), "x.pdf")}))]
    assert [r.status_code for r in tries] == [404] * 5
    denials = _denials(app)
    assert [d[0] for d in denials] == [b_id] * 5
    assert [d[1]["reason"] for d in denials] == ["secret", "no_access", "no_access", "no_access", "no_access"]
    assert a_secret not in json.dumps(denials)
    assert alice.get(f"/r/{b_ref}").status_code == 303
    for guess in ("1", "2", "00000001", "AAAAAAAAC"):
        assert alice.get(f"/r/{guess}").status_code == 404
    assert len(_denials(app)) == 5 + 4


def test_a_clerk_of_another_service_gets_404_and_the_denial_is_audited(
        app: Flask, client: FlaskClient, staff: dict[str, str]) -> None:
    reference, _secret = _submission_with_secret(client, "for passport clerks")
    outsider = sign_in(app, "cy@example.gov")
    assert outsider.get(f"/clerk/s/{reference}").status_code == 404
    denied = _denials(app, "denied")
    assert denied and denied[-1][1]["reference"] == reference


@SQLITE_ONLY
def test_references_and_secrets_are_random_and_no_internal_id_is_in_a_citizen_address(
        app: Flask, client: FlaskClient) -> None:
    import math

    from web import references

    reference, secret = _submission_with_secret(client, "entropy")
    assert references.normalise(reference) == reference
    assert len(secret) * 6 >= 128
    assert math.log2(len(references.ALPHABET)) * 8 > 35
    made = {references.new_reference() for _ in range(2000)}
    assert len(made) == 2000
    with app.app_context():
        submission_id = db.session.query(Submission.id).filter_by(reference=reference).scalar()
    page = client.get(f"/r/{reference}").get_data(as_text=True)
    addresses = re.findall(r'(?:href|action)="([^"]+)"', page)
    assert addresses and not [a for a in addresses if re.search(rf"/{submission_id}(?:/|$)", a)]


def test_guessing_secrets_or_zip_codes_is_cut_off_per_address_and_per_reference(
        app: Flask, another_app: Callable[..., Flask]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    reference, _secret = _submission_with_secret(limited.test_client(), "bruteforce")
    guesser = limited.test_client()
    codes = [guesser.get(f"/r/{reference}/k/guess{n}").status_code for n in range(1000)]
    assert codes[:10] == [404] * 10 and set(codes[10:]) == {429}
    assert len(_denials(limited)) == 10
    with limited.test_client() as elsewhere:
        spread = [elsewhere.post("/r", data={"reference": reference, "zip": f"{n:05d}"},
                                 environ_base={"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250}"}).status_code
                  for n in range(15)]
    assert spread[:10] == [400] * 10 and set(spread[10:]) == {429}
    with limited.test_client() as typo:
        assert typo.post("/r", data={"reference": "ACD-EFG-HJX", "zip": "62704"},
                         environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 400


# --- clerks: CSRF, sessions, claims -----------------------------------------------------------


def _token(client: FlaskClient, url: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True))
    assert found, url
    return found.group(1)


@SQLITE_ONLY
def test_clerk_actions_without_the_token_from_another_site_or_by_get_change_nothing(
        app: Flask, client: FlaskClient, staff: dict[str, str]) -> None:
    reference, _secret = _submission_with_secret(client, "csrf")
    app.config["WTF_CSRF_ENABLED"] = True
    clerk = app.test_client()
    token = _token(clerk, "/clerk/sign-in")
    assert clerk.post("/clerk/sign-in", data={"email": "ana@example.gov", "password": PASSWORD,
                                              "csrf_token": token}).status_code == 303
    token = _token(clerk, f"/clerk/s/{reference}")
    url = f"/clerk/s/{reference}/claim"
    assert clerk.post(url).status_code == 400
    assert clerk.post(url, headers={"Origin": "null"}).status_code == 400
    assert clerk.post(url, data={"csrf_token": token}, headers={"Origin": "https://attacker.example"}).status_code \
        == 403
    assert clerk.get(url).status_code == 405
    with app.app_context():
        item = db.session.query(WorkItem).one()
        assert item.claimed_by is None and item.status == "new"
    assert clerk.post(url, data={"csrf_token": token}, headers={"Origin": "http://localhost"}).status_code == 303
    with app.app_context():
        assert db.session.query(WorkItem).one().claimed_by is not None


@SQLITE_ONLY
def test_production_session_cookies_are_host_only_secure_httponly_and_lax(
        another_app: Callable[..., Flask], staff: dict[str, str]) -> None:
    production = another_app(ENV="production", SECRET_KEY="a-long-random-production-key")
    response = production.test_client().post("/clerk/sign-in", data={"email": "ana@example.gov",
                                                                     "password": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "; Secure" in cookie and "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Path=/" in cookie and "Domain" not in cookie


@SQLITE_ONLY
def test_every_setting_but_development_sends_hsts_and_originals_are_never_framed(
        another_app: Callable[..., Flask]) -> None:
    staging = another_app(ENV="staging")
    headers = staging.test_client().get("/").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"


@SQLITE_ONLY
def test_a_session_cookie_from_before_sign_in_is_useless_after_it(app: Flask, staff: dict[str, str]) -> None:
    browser = app.test_client()
    browser.get("/?lang=es")
    browser.get("/clerk/sign-in")
    planted = browser.get_cookie("session", domain="localhost")
    assert browser.post("/clerk/sign-in", data={"email": "ana@example.gov", "password": PASSWORD}).status_code == 303
    signed_in = browser.get_cookie("session", domain="localhost")
    assert signed_in is not None and (planted is None or planted.value != signed_in.value)
    assert browser.get("/clerk").status_code == 200
    attacker = app.test_client()
    if planted is not None:
        attacker.set_cookie("session", planted.value, domain="localhost")
    assert attacker.get("/clerk").status_code == 302
    assert browser.post("/clerk/sign-out").status_code == 303  # a plain sign-out ends it on the server
    replay = app.test_client()
    replay.set_cookie("session", signed_in.value, domain="localhost")
    assert replay.get("/clerk").status_code == 302


def test_two_clerks_claiming_at_the_same_moment_twenty_times_one_wins_each_time(
        app: Flask, client: FlaskClient, staff: dict[str, str]) -> None:
    from web.models import StaffUser

    reference, _secret = _submission_with_secret(client, "claims")
    ana, ben = sign_in(app, "ana@example.gov"), sign_in(app, "ben@example.gov")
    with app.app_context():
        ids = {u.email: u.id for u in db.session.query(StaffUser)}
    def claim(clerk: FlaskClient, start: threading.Barrier, codes: list[int]) -> None:
        start.wait()
        codes.append(clerk.post(f"/clerk/s/{reference}/claim").status_code)

    for _trial in range(20):
        barrier, codes = threading.Barrier(2), []
        threads = [threading.Thread(target=claim, args=(c, barrier, codes)) for c in (ana, ben)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(codes) == 2
        with app.app_context():
            holder = db.session.query(WorkItem).one().claimed_by
            claims = db.session.query(AuditEntry).filter_by(action="claim").count()
        assert holder in (ids["ana@example.gov"], ids["ben@example.gov"])
        assert claims == _trial + 1
        winner = ana if holder == ids["ana@example.gov"] else ben
        assert winner.post(f"/clerk/s/{reference}/release").status_code in (302, 303)


# --- the production server ---------------------------------------------------------------------


# The production server's deadlines in these tests. The slow-client tests prove order, not
# speed: a normal upload is answered while slow clients are still connected, and each slow
# client is cut off in the end. Their wall bounds are several deadlines long, so a machine
# busy with other work does not fail them; how fast the answer comes is a benchmark's business.
HEADER_SECONDS = 2
BODY_SECONDS = 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """gunicorn with ``gunicorn.conf.py`` on a free local port: one worker of four threads, and
    short header and body deadlines (``HEADER_SECONDS``, ``BODY_SECONDS``) so the slow-client
    tests stay short."""
    from flask_migrate import upgrade

    from web import create_app, jobs

    root = tmp_path_factory.mktemp("server")
    settings = {"DATABASE_URL": f"sqlite:///{root / 'intake.db'}", "STORAGE": str(root / "files"),
                "SECRET_KEY": "server-test-secret"}
    # Only to build the database; rate limits off, as the extension's switch is shared by apps.
    setup = create_app({**settings, "TESTING": True, "RATELIMIT_ENABLED": False})
    with setup.app_context():
        upgrade(directory=str(Path(setup.root_path) / "migrations"))
        db.engine.dispose()
    jobs.shutdown(setup)
    port = _free_port()
    env = {**os.environ, **{f"INTAKE_{k}": v for k, v in settings.items()},
           "INTAKE_BIND": f"127.0.0.1:{port}", "INTAKE_WORKERS": "1", "INTAKE_THREADS": "4",
           "INTAKE_HEADER_SECONDS": str(HEADER_SECONDS), "INTAKE_BODY_SECONDS": str(BODY_SECONDS),
           "INTAKE_SOCKET_SECONDS": "2",
           "INTAKE_MAX_PACKET_MB": "8"}
    log = (root / "gunicorn.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                                "web:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _headers, _body = _request("127.0.0.1", port, "GET", "/")
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip("gunicorn did not start: " + (root / "gunicorn.log").read_text()[-500:])
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _request(host: str, port: int, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _normal_upload(host: str, port: int) -> tuple[int, float]:
    """A citizen's upload as a browser sends it: the page (for the token and cookie), then the form."""
    started = time.monotonic()
    status, headers, page = _request(host, port, "GET", f"/s/{SERVICE}")
    assert status == 200
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    boundary = "n0rmal"
    fields = {"csrf_token": token.group(1).decode(), "client_key": os.urandom(8).hex()}
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="item-{ITEM}"; filename="bill.pdf"\r\n'
             f"Content-Type: application/pdf\r\n\r\n").encode() + _pdf(os.urandom(4).hex()) + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, _headers, _page = _request(host, port, "POST", f"/s/{SERVICE}", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie,
        "Origin": f"http://{host}:{port}"})
    return status, time.monotonic() - started


def _closed_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sent before closing, or None if it kept the connection open that long."""
    sock.settimeout(0.2)
    got = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return got
        if not chunk:
            return got
        got += chunk
    return None


def test_slow_headers_on_200_sockets_do_not_stop_a_normal_upload(server: tuple[str, int]) -> None:
    host, port = server
    slow = [socket.create_connection((host, port)) for _ in range(200)]
    try:
        for sock in slow:
            sock.sendall(b"P")
        time.sleep(0.5)
        status, seconds = _normal_upload(host, port)
        # Had the slow sockets held the four threads, this upload would wait for about fifty
        # header deadlines (200 sockets, four at a time), or for ever with gunicorn's own worker.
        assert status == 303 and seconds < 5 * HEADER_SECONDS, (status, seconds)
        for sock in slow[:20]:
            sock.sendall(b"O")
        assert all(_closed_within(sock, 5 * HEADER_SECONDS) is not None for sock in slow[:20])
    finally:
        for sock in slow:
            sock.close()


def test_a_body_trickled_slowly_is_cut_off_while_others_are_served(server: tuple[str, int]) -> None:
    host, port = server
    sock = socket.create_connection((host, port))
    try:
        head = (f"POST /s/{SERVICE} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {5 * MB}\r\n"
                f"Content-Type: multipart/form-data; boundary=b0undary\r\n\r\n").encode()
        sock.sendall(head + _multipart_head())
        started = time.monotonic()
        stop = threading.Event()

        def trickle() -> None:  # 1 KB a second, for longer than the bound below
            while not stop.is_set() and time.monotonic() - started < 5 * BODY_SECONDS:
                try:
                    sock.sendall(b"\0" * 1024)
                except OSError:
                    return
                time.sleep(1)

        sender = threading.Thread(target=trickle)
        sender.start()
        status, seconds = _normal_upload(host, port)
        assert status == 303, (status, seconds)
        # Served while the trickled body still held its thread: nothing answered or closed yet.
        assert not select.select([sock], [], [], 0)[0], f"the upload waited for the slow body ({seconds:.1f} s)"
        answer = _closed_within(sock, 4 * BODY_SECONDS)
        stop.set()
        sender.join()
        assert answer is not None, "the server kept a 1 KB/s body open past its deadline"
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
        assert time.monotonic() - started < 4 * BODY_SECONDS
    finally:
        sock.close()


def test_the_production_server_refuses_a_200_mb_body_without_reading_it(server: tuple[str, int]) -> None:
    host, port = server
    sock = socket.create_connection((host, port))
    try:
        sock.sendall((f"POST /s/{SERVICE} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {200 * MB}\r\n"
                      f"Content-Type: multipart/form-data; boundary=b0undary\r\n\r\n").encode() + _multipart_head())
        sent = 0
        sock.settimeout(0.5)
        started = time.monotonic()
        answer = b""
        while time.monotonic() - started < 10 and not answer:
            try:
                sent += sock.send(b"\0" * 65536)
            except (TimeoutError, BlockingIOError):
                pass
            except OSError:
                break
            try:
                answer = sock.recv(65536)
            except (TimeoutError, BlockingIOError):
                continue
        assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
        assert sent < 50 * MB
    finally:
        sock.close()


# --- the index ---------------------------------------------------------------------------------


def test_every_http_scenario_of_the_corpus_has_a_test_here(hostile: corpus.Hostile) -> None:
    named = {s["name"] for s in hostile.scenarios}
    assert named == set(COVERED), named ^ set(COVERED)
    here = {name for name, value in globals().items() if name.startswith("test_") and callable(value)}
    missing = {test for tests in COVERED.values() for test in tests} - here
    assert not missing, missing


@SQLITE_ONLY
@pytest.mark.parametrize("sent, kept", [
    ("statement.pdf\x00.exe", "statement.pdf"),
    ("bill.exe", "bill.exe.pdf"),
    ("bill", "bill.pdf"),
    ("Bill.PDF", "Bill.PDF"),
])
def test_a_stored_name_ends_in_the_extension_of_what_the_bytes_are(app: Flask, client: FlaskClient,
                                                                   sent: str, kept: str) -> None:
    response = _upload(client, [(_pdf(f"typed {sent!r}"), sent)], key=f"k-typed-{kept}")
    assert response.status_code == 303
    with app.app_context():
        assert [f.name for f in db.session.query(SubmissionFile)] == [kept]
