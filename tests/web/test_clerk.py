"""Clerks: accounts, sign-in, the queue, claims without races, actions, isolation, the audit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from tests import shared_corpus
from tests.web.clerks import PASSWORD, staff_fixture  # noqa: F401  (the staff fixture)
from tests.web.clerks import cli as _cli
from tests.web.clerks import sign_in as _sign_in
from tests.web.clerks import submission as _submission
from tests.web.conftest import post_files, upload_data
from web.models import AuditEntry, StaffUser, Submission, WorkItem, db


def test_users_are_managed_from_the_command_line(app: Flask, staff: dict[str, str]) -> None:
    listed = _cli(app, "users", "list").output
    assert "ana@example.gov\tclerk\tactive\tpassport-first-time" in listed
    weak = _cli(app, "users", "create", "x@example.gov", "--name", "X", "--password", "password1234")
    assert weak.exit_code != 0 and "too common" in weak.output
    short = _cli(app, "users", "create", "y@example.gov", "--name", "Y", "--password", "short")
    assert short.exit_code != 0 and "at least 12" in short.output
    assert "no service" in _cli(app, "users", "grant", "ana@example.gov", "fishing").output
    assert _cli(app, "users", "set-password", "ana@example.gov", "--password", "another-Long-phrase-7").exit_code == 0
    assert _cli(app, "users", "disable", "ben@example.gov").exit_code == 0
    with app.app_context():
        ana = db.session.query(StaffUser).filter_by(email="ana@example.gov").one()
        assert ana.password_hash.startswith("$argon2") and ana.session_version == 2


def test_sign_in_refuses_wrong_passwords_and_disabled_accounts(app: Flask, staff: dict[str, str]) -> None:
    client = app.test_client()
    wrong = client.post("/clerk/sign-in", data={"email": "ana@example.gov", "password": "nope-nope-nope"})
    assert wrong.status_code == 400 and b"not right" in wrong.data
    _cli(app, "users", "disable", "ben@example.gov")
    assert client.post("/clerk/sign-in", data={"email": "ben@example.gov", "password": PASSWORD}).status_code == 400
    assert _sign_in(app, "ana@example.gov").get("/clerk").status_code == 200


def test_signed_out_visitors_and_citizens_get_nothing_on_clerk_pages(app: Flask, staff: dict[str, str],
                                                                     filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    citizen = app.test_client()
    for url in ("/clerk", f"/clerk/s/{reference}", f"/clerk/s/{reference}/files/1"):
        response = citizen.get(url)
        assert response.status_code == 302 and "/clerk/sign-in" in response.headers["Location"]
    assert citizen.post(f"/clerk/s/{reference}/claim").status_code == 302


def test_a_clerk_of_one_service_can_never_reach_another_services_submissions(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    outsider = _sign_in(app, "cy@example.gov")
    assert reference not in outsider.get("/clerk").get_data(as_text=True)
    assert reference not in outsider.get("/clerk?service=passport-first-time").get_data(as_text=True)
    with app.app_context():
        file_id = db.session.query(Submission).filter_by(reference=reference).one().files[0].id
    for url in (f"/clerk/s/{reference}", f"/clerk/s/{reference}/files/{file_id}"):
        assert outsider.get(url).status_code == 404
    for action in ("claim", "release", "status", "note", "request", "recheck"):
        assert outsider.post(f"/clerk/s/{reference}/{action}", data={"to": "in_review"}).status_code == 404
    with app.app_context():
        assert db.session.get(WorkItem, db.session.query(Submission).filter_by(
            reference=reference).one().id).claimed_by is None


def test_two_clerks_can_never_hold_the_same_submission(app: Flask, staff: dict[str, str],
                                                       filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    ana, ben = _sign_in(app, "ana@example.gov"), _sign_in(app, "ben@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    page = ben.post(f"/clerk/s/{reference}/claim", follow_redirects=True).get_data(as_text=True)
    assert "Someone else is working on this submission." in page
    with app.app_context():
        holder = db.session.get(WorkItem, db.session.query(Submission).filter_by(reference=reference).one().id)
        assert holder.claimed_by == db.session.query(StaffUser).filter_by(email="ana@example.gov").one().id


def test_concurrent_claims_leave_exactly_one_winner(app: Flask, staff: dict[str, str],
                                                    filled: Callable[..., bytes]) -> None:
    from web.clerk import work

    reference = _submission(app, filled)
    with app.app_context():
        clerks = [u.id for u in db.session.query(StaffUser).filter(StaffUser.email.in_(
            ["ana@example.gov", "ben@example.gov", "sup@example.gov"]))]
    winners: list[int] = []
    start = threading.Barrier(len(clerks) * 3)

    def attempt(user_id: int) -> None:
        with app.app_context():
            user = db.session.get(StaffUser, user_id)
            submission = db.session.query(Submission).filter_by(reference=reference).one()
            start.wait()
            try:
                work.claim(user, submission)
                winners.append(user_id)
            except work.Refused:
                pass
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in clerks * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(winners)) == 1


def test_a_clerk_works_a_submission_and_every_step_is_audited(app: Flask, staff: dict[str, str], corpus: Path,
                                                              filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    ana = _sign_in(app, "ana@example.gov")
    ana.get(f"/clerk/s/{reference}")
    ana.post(f"/clerk/s/{reference}/claim")
    assert b"Write the note before you save it." in ana.post(f"/clerk/s/{reference}/note", data={"note": ""},
                                                            follow_redirects=True).data
    refused = ana.post(f"/clerk/s/{reference}/status", data={"to": "ready"}, follow_redirects=True)
    assert b"The latest check is not complete." in refused.data
    ana.post(f"/clerk/s/{reference}/status", data={"to": "in_review"})
    ana.post(f"/clerk/s/{reference}/request", data={"items": ["citizenship", "photo_id", "proof_of_address"],
                                                    "note": "Please add these."})
    ana.post(f"/clerk/s/{reference}/note", data={"note": "Called the applicant."})
    with app.app_context():
        submission = db.session.query(Submission).filter_by(reference=reference).one()
        file_id = submission.files[0].id
    download = ana.get(f"/clerk/s/{reference}/files/{file_id}")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.mimetype == "application/pdf" and download.headers["Cache-Control"] == "private, no-store"
    assert b"must have" not in download.data[:10]
    with app.app_context():
        item = db.session.get(WorkItem, submission.id)
        assert item.status == "needs_documents"
        actions = [a.action for a in db.session.query(AuditEntry).filter_by(submission_id=submission.id)
                   .order_by(AuditEntry.id)]
    assert [a for a in actions if a != "view"] == ["claim", "status", "request_documents", "note", "download"]
    assert actions[0] == "view" and actions.count("view") == 3
    rejected = ana.post(f"/clerk/s/{reference}/status", data={"to": "rejected", "reason": " "},
                        follow_redirects=True)
    assert b"Say why you reject it" in rejected.data


def test_the_citizen_sees_the_request_and_the_clerk_marks_the_packet_ready(
        app: Flask, staff: dict[str, str], corpus: Path, filled: Callable[..., bytes]) -> None:
    citizen = app.test_client()
    form = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    response = post_files(citizen, "/s/passport-first-time",
                          upload_data(**{"item-ds11": (form, "ds11.pdf")}) | {"client_key": "journey"})
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    ana = _sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/status", data={"to": "in_review"})
    ana.post(f"/clerk/s/{reference}/request", data={"items": ["citizenship"], "note": "Your birth certificate."})
    page = citizen.get(f"/r/{reference}").get_data(as_text=True)
    assert "The office asked you for" in page and "Your birth certificate." in page
    synthetic = corpus / "supporting/synthetic"
    more = upload_data(**{"item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "b.pdf"),
                          "item-photo_id": ((synthetic / "state_id_front_photo.jpg").read_bytes(), "id.jpg"),
                          "item-proof_of_address": ((synthetic / "utility_bill_1.pdf").read_bytes(), "bill.pdf")})
    assert post_files(citizen, f"/r/{reference}/files", more).status_code == 303
    ana.post(f"/clerk/s/{reference}/status", data={"to": "ready"})
    with app.app_context():
        submission = db.session.query(Submission).filter_by(reference=reference).one()
        assert submission.status == "complete"
        assert db.session.get(WorkItem, submission.id).status == "ready"
    supervisor = _sign_in(app, "sup@example.gov")
    trail = supervisor.get(f"/clerk/s/{reference}").get_data(as_text=True)
    assert "Audit trail" in trail and "request_documents" in trail
    assert "Audit trail" not in ana.get(f"/clerk/s/{reference}").get_data(as_text=True)


def test_sign_out_everywhere_ends_every_session(app: Flask, staff: dict[str, str]) -> None:
    first, second = _sign_in(app, "ana@example.gov"), _sign_in(app, "ana@example.gov")
    first.post("/clerk/sign-out-everywhere")
    assert second.get("/clerk").status_code == 302


def test_signing_out_ends_this_session_on_the_server_and_leaves_the_others(app: Flask, staff: dict[str, str]) -> None:
    first, second = _sign_in(app, "ana@example.gov"), _sign_in(app, "ana@example.gov")
    copied = first.get_cookie("session", domain="localhost")
    assert copied is not None and first.get("/clerk").status_code == 200
    assert first.post("/clerk/sign-out").status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", copied.value, domain="localhost")
    assert replay.get("/clerk").status_code == 302, "a copy of a signed-out session opens nothing"
    assert second.get("/clerk").status_code == 200


def test_the_queue_filters_counts_and_searches(app: Flask, staff: dict[str, str],
                                               filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    ana = _sign_in(app, "ana@example.gov")
    page = ana.get("/clerk").get_data(as_text=True)
    assert "new: 1" in page and reference[:3] in page
    assert reference[:3] not in ana.get("/clerk?status=ready").get_data(as_text=True).split("<tbody>")[1]
    assert reference[:3] in ana.get(f"/clerk?q={reference[:5]}").get_data(as_text=True)


def _try(app: Flask, email: str, password: str, address: str) -> Any:
    with app.test_client() as client:
        return client.post("/clerk/sign-in", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})


def test_an_office_behind_one_address_can_sign_in_all_day(another_app: Callable[..., Flask],
                                                          staff: dict[str, str]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    codes = [_try(limited, email, PASSWORD, "10.1.0.1").status_code
             for _ in range(6) for email in ("ana@example.gov", "ben@example.gov")]
    assert codes == [303] * 12


def test_wrong_passwords_make_that_address_wait_longer_each_time_with_retry_after(
        another_app: Callable[..., Flask], staff: dict[str, str]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    codes = [_try(limited, "ana@example.gov", "x" * 12, "10.2.0.1").status_code for _ in range(6)]
    assert codes[:6] == [400] * 6
    waiting = _try(limited, "ana@example.gov", PASSWORD, "10.2.0.1")
    assert waiting.status_code == 429 and 1 <= int(waiting.headers["Retry-After"]) <= 15 * 60
    assert "Wait" in waiting.get_data(as_text=True)


def test_wrong_passwords_from_elsewhere_do_not_lock_the_clerk_out(another_app: Callable[..., Flask],
                                                                  staff: dict[str, str]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    for _ in range(12):
        _try(limited, "ana@example.gov", "x" * 12, "10.3.0.66")
    assert _try(limited, "ana@example.gov", PASSWORD, "10.3.0.1").status_code == 303


def test_an_address_that_tries_many_accounts_is_slowed_too(another_app: Callable[..., Flask],
                                                           staff: dict[str, str]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    codes = [_try(limited, f"guess{n}@example.gov", "x" * 12, "10.4.0.9").status_code for n in range(22)]
    assert codes[:21] == [400] * 21 and codes[-1] == 429


def test_every_failed_or_refused_sign_in_is_in_the_audit_log(another_app: Callable[..., Flask],
                                                             staff: dict[str, str]) -> None:
    limited = another_app(RATELIMIT_ENABLED=True)
    for _ in range(7):
        _try(limited, "ana@example.gov", "x" * 12, "10.5.0.1")
    _try(limited, "nobody@example.gov", "x" * 12, "10.5.0.2")
    with limited.app_context():
        failed = db.session.query(AuditEntry).filter_by(action="sign_in_failed").all()
        refused = db.session.query(AuditEntry).filter_by(action="sign_in_refused").count()
    assert len(failed) + refused == 8 and refused >= 1
    assert any(e.user_id is None and "nobody@example.gov" in (e.detail or "") for e in failed)


def test_the_filtered_queue_exports_as_csv_for_that_clerk_only(app: Flask, staff: dict[str, str],
                                                               filled: Callable[..., bytes]) -> None:
    reference = _submission(app, filled)
    export = _sign_in(app, "ana@example.gov").get("/clerk/export.csv?status=new")
    assert export.mimetype == "text/csv" and export.headers["Content-Disposition"].startswith("attachment")
    rows = export.get_data(as_text=True).splitlines()
    assert rows[0].startswith("reference,service,status") and reference[:3] in rows[1]
    assert "Proof of U.S. citizenship" in rows[1]
    other = _sign_in(app, "cy@example.gov").get("/clerk/export.csv").get_data(as_text=True).splitlines()
    assert other == [rows[0]]
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="export").count() == 2


def test_passwords_get_argon2s_full_cost_unless_the_app_is_under_test(app: Flask,
                                                                      another_app: Callable[..., Flask]) -> None:
    from web import accounts

    with another_app(TESTING=False, PASSWORD_HASH="cheapest").app_context():
        standard = accounts.hash_password(PASSWORD)
    with app.app_context():
        cheap = accounts.hash_password(PASSWORD)
    assert "$m=65536,t=3,p=4$" in standard and "$m=8,t=1,p=1$" in cheap
    with app.app_context():
        assert accounts.verify(None, PASSWORD) is False
