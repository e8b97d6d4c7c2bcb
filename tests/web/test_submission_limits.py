"""A submission grows over several uploads; its own limits hold across them, with a plain
answer and an audit entry, never a server error or a half-added file."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests import pdfs
from tests.web.api import files, finished, problem, send
from tests.web.conftest import post_files, upload_data
from web.models import AuditEntry, Submission, SubmissionFile, db

SERVICE = "passport-first-time"
ITEM = "item-proof_of_address"


def _bill(text: str) -> bytes:
    return pdfs.text_pdf([f"Billing date 11/01/2026 service address {text}"])


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        refused = db.session.query(AuditEntry).filter_by(action="upload_refused").count()
        return int(db.session.query(SubmissionFile).count()), int(refused)


def test_a_later_upload_that_would_take_the_submission_past_its_file_limit_is_refused_plainly(
        another_app: Callable[..., Flask]) -> None:
    app = another_app(MAX_SUBMISSION_FILES=2)
    client = app.test_client()
    first = post_files(client, f"/s/{SERVICE}", upload_data(**{ITEM: [(_bill("a"), "a.pdf"), (_bill("b"), "b.pdf")]}))
    assert first.status_code == 303
    reference = str(first.headers["Location"]).rsplit("/", 1)[-1]
    before = _counts(app)
    more = post_files(client, f"/r/{reference}/files", upload_data(**{ITEM: [(_bill("c"), "c.pdf")]}))
    assert more.status_code == 422
    assert "can have up to 2" in more.get_data(as_text=True)
    stored, refused = _counts(app)
    assert stored == before[0] and refused == before[1] + 1
    replaced = post_files(client, f"/r/{reference}/files",
                          upload_data(**{ITEM: [(_bill("c"), "c.pdf")]}) | {"replace-proof_of_address": "1"})
    assert replaced.status_code == 303, "replacing files keeps the submission within its limit"


def test_the_api_refuses_files_past_the_submission_limit_with_a_problem(another_app: Callable[..., Flask]) -> None:
    app = another_app(MAX_SUBMISSION_FILES=1)
    client = app.test_client()
    body = finished(client, send(client, "/submissions", files(service=SERVICE, **{ITEM: (_bill("a"), "a.pdf")})), 201)
    added = send(client, f"/submissions/{body['reference']}/files", files(**{ITEM: (_bill("b"), "b.pdf")}),
                 {"Submission-Secret": body["secret"]})
    found = problem(added, added.status_code, "packet.too_many_files")
    assert added.status_code in (413, 422) and found["errors"][0]["code"] == "packet.too_many_files"
    with app.app_context():
        assert db.session.query(Submission).one().files[0].name == "a.pdf"
        assert len(db.session.query(Submission).one().files) == 1
