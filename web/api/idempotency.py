"""``Idempotency-Key``: a retry of a request returns the first answer instead of doing it twice.

The key is reserved before the work starts (a row with status 0), so two requests racing
with one key cannot both create a submission: the second is told the first is still
running. A retry with the same key and the same body gets the stored answer; the same key
with another body is a conflict. A reservation whose work failed is removed, so the client
may retry. Answers are kept for ``IDEMPOTENCY_HOURS`` (24 by default); they hold the
submission's secret, which the client needs if the first answer never reached it, so they
are stored encrypted with a key derived from the app's secret key: a copy of the database
alone gives no access to anyone's submission.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from web.api.problems import ApiProblem
from web.models import IdempotencyRecord, db, utcnow

RUNNING = 0


def _expired_before() -> dt.datetime:
    return utcnow() - dt.timedelta(hours=int(current_app.config.get("IDEMPOTENCY_HOURS", 24)))


def _box() -> Fernet:
    key = hashlib.sha256(b"intake idempotency\0" + str(current_app.secret_key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _conflict() -> ApiProblem:
    return ApiProblem(409, "idempotency.conflict", _(
        "This Idempotency-Key was already used for a different request. Use a new key for new files."),
        [{"field": "Idempotency-Key", "code": "idempotency.conflict",
          "message": _("Use a new key for a new request.")}])


def reserve(scope: str, key: str, body_hash: str) -> tuple[int, dict[str, Any]] | None:
    """Reserve ``key``; or the stored answer of an earlier request with it; or a 409 problem."""
    full = f"{scope} {key}"[:200]
    db.session.query(IdempotencyRecord).filter(IdempotencyRecord.created_at < _expired_before()).delete()
    db.session.add(IdempotencyRecord(key=full, body_hash=body_hash, status_code=RUNNING, response_json="{}"))
    try:
        db.session.commit()
        return None
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.get(IdempotencyRecord, full)
    if earlier is None or earlier.status_code == RUNNING:
        raise ApiProblem(409, "idempotency.in_progress", _("A request with this Idempotency-Key is still being "
                                                           "handled. Wait a moment and send it again."))
    if earlier.body_hash != body_hash:
        raise _conflict()
    try:
        answer: dict[str, Any] = json.loads(_box().decrypt(earlier.response_json.encode()))
    except InvalidToken:  # stored under an earlier secret key: the answer cannot be given again
        raise _conflict() from None
    return earlier.status_code, answer


def complete(scope: str, key: str, status: int, answer: dict[str, Any], submission_id: int | None) -> None:
    record = db.session.get(IdempotencyRecord, f"{scope} {key}"[:200])
    if record is not None:
        record.status_code, record.submission_id = status, submission_id
        plain = json.dumps(answer, ensure_ascii=False, sort_keys=True).encode()
        record.response_json = _box().encrypt(plain).decode()
        db.session.commit()


def release(scope: str, key: str) -> None:
    """Forget a reservation whose work failed, so the client may try again with the same key."""
    db.session.rollback()
    db.session.query(IdempotencyRecord).filter_by(key=f"{scope} {key}"[:200], status_code=RUNNING).delete()
    db.session.commit()
