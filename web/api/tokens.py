"""API tokens for the clerk side: made once, shown once, kept only as a SHA-256 hash.

A token is ``itk_`` followed by 40 random characters; its first 8 (the prefix) are kept in
clear so a list of tokens can name them. A token is scoped to services and to ``read`` or
``write`` (write can also read). Every use is written to the audit trail with the token's id.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from flask import g, request
from flask_babel import gettext as _

from web.api.problems import ApiProblem
from web.models import ApiToken, AuditEntry, Submission, db, utcnow

MARK = "itk_"
SCOPES = ("read", "write")


class TokenError(Exception):
    """A token cannot be made or found as asked; the message says why."""


@dataclass(frozen=True)
class Made:
    """A new token: the row, and the token itself, which is never stored or shown again."""

    row: ApiToken
    token: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(name: str, scope: str, services: list[str], known: set[str]) -> Made:
    name = name.strip()
    if not name:
        raise TokenError("give the token a name that says who uses it")
    if scope not in SCOPES:
        raise TokenError(f"the scope must be one of {', '.join(SCOPES)}")
    unknown = sorted(set(services) - known)
    if unknown or not services:
        raise TokenError(f"name one or more known services (unknown: {', '.join(unknown) or 'none given'}; "
                         f"known: {', '.join(sorted(known))})")
    body = secrets.token_urlsafe(30)[:40]
    token = MARK + body
    row = ApiToken(name=name[:200], prefix=body[:8], token_hash=digest(token), scope=scope,
                   services_json=json.dumps(sorted(set(services))))
    db.session.add(row)
    db.session.commit()
    return Made(row, token)


def find(token_id_or_prefix: str) -> ApiToken:
    key = token_id_or_prefix.removeprefix(MARK)
    query = db.session.query(ApiToken)
    row = query.filter_by(id=int(key)).one_or_none() if key.isdigit() else None
    if row is None:
        matches = query.filter_by(prefix=key[:8]).all() if len(key) >= 8 else []
        if len(matches) > 1:
            raise TokenError(f"more than one token starts with {key[:8]}; use its id")
        row = matches[0] if matches else None
    if row is None:
        raise TokenError(f"there is no token {token_id_or_prefix!r}")
    return row


def revoke(row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.add(AuditEntry(token_id=row.id, action="token_revoked"))
        db.session.commit()


def current(scope: str) -> ApiToken:
    """The request's token, checked for the scope; a problem response when it is missing or
    not allowed. Refusals of a valid token are audited too."""
    header = request.headers.get("Authorization", "")
    kind, _sep, value = header.partition(" ")
    value = value.strip()
    row = None
    if kind.lower() == "bearer" and value.startswith(MARK):
        row = db.session.query(ApiToken).filter_by(token_hash=digest(value)).one_or_none()
    if row is not None and row.revoked_at is not None:
        audit(row, "api_revoked_used", None, path=request.path, method=request.method)
        db.session.commit()
    if row is None or row.revoked_at is not None:
        detail = (_("This token was revoked. Ask the service's administrator for a new one.")
                  if row is not None else
                  _("Send your API token in the Authorization header, as Bearer followed by the token. Ask the "
                    "service's administrator for a token if you have none."))
        raise ApiProblem(401, "auth.revoked" if row is not None else "auth.required", detail,
                         headers={"WWW-Authenticate": 'Bearer realm="intake"'})
    if scope == "write" and row.scope != "write":
        audit(row, "api_refused", None, scope=scope, path=request.path, method=request.method)
        db.session.commit()
        raise ApiProblem(403, "auth.scope", _("This token can only read. Ask the service's administrator for a "
                                              "token that can write."))
    row.last_used_at = utcnow()
    g.api_token = row
    return row


def audit(row: ApiToken, action: str, submission: Submission | None = None, **detail: Any) -> None:
    """One line in the audit trail for one use of a token; the caller commits."""
    db.session.add(AuditEntry(token_id=row.id, action=action[:40],
                              submission_id=submission.id if submission else None,
                              detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))
