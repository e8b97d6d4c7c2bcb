"""What the partial-upload tests of the citizen pages and the API share: files that are
refused, and a look at what was kept and audited (the fixtures ``site`` and ``bill`` are in
conftest.py)."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from web import checkqueue
from web.models import AuditEntry, CheckRecord, SubmissionFile, db

DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 20
BROKEN = b"%PDF-1.4\n1 0 obj garbage"


def run_queued(app: Flask) -> None:
    """Run every queued check, as a worker would (nothing to do when checks run in the request)."""
    if not checkqueue.enabled(app) or app.config.get("TEST_STACK_QUEUE"):
        return
    with app.app_context():
        queued = [c.id for c in db.session.query(CheckRecord).filter_by(state="queued")]
        for check_id in queued:
            checkqueue.run(check_id, "tester:1")


def refusals(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [json.loads(e.detail) for e in db.session.query(AuditEntry).filter_by(action="upload_refused")]


def kept_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(f.name for f in db.session.query(SubmissionFile).filter(SubmissionFile.removed_at.is_(None)))
