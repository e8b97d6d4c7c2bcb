"""Flask-Login for staff: each signed-in browser is a row of ``staff_sessions``, so signing
out ends that session on the server (a copied cookie is then useless); sessions also end
when idle, and all of a person's at once on "sign out everywhere"."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, session
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import update

from web.models import StaffSession, StaffUser, db, utcnow

login_manager = LoginManager()
login_manager.login_view = "clerk.sign_in"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load(user_id: str) -> StaffUser | None:
    key, _, version = user_id.partition(":")
    if not key.isdigit():
        return None
    user = db.session.get(StaffUser, int(key))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    live = db.session.get(StaffSession, _hash(session.get("sid", "")))
    if live is None or live.user_id != user.id or live.ended_at is not None:
        return None
    return user


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def begin(user: StaffUser) -> None:
    """Sign ``user`` in, in a new server-side session (the caller commits)."""
    sid = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id_hash=_hash(sid), user_id=user.id))
    session["sid"] = sid
    login_user(user)


def end(user: StaffUser, *, everywhere: bool) -> None:
    """End this session, or every session of ``user`` (the caller commits)."""
    ending = update(StaffSession).where(StaffSession.ended_at.is_(None)).values(ended_at=utcnow())
    if everywhere:
        user.session_version += 1
        db.session.execute(ending.where(StaffSession.user_id == user.id))
    else:
        db.session.execute(ending.where(StaffSession.id_hash == _hash(session.get("sid", ""))))
    logout_user()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None

    @app.before_request
    def _idle_timeout() -> None:
        if not current_user.is_authenticated:
            return
        now = dt.datetime.now(dt.UTC).timestamp()
        last = session.get("seen", now)
        if now - last > int(app.config["IDLE_MINUTES"]) * 60:
            logout_user()
            session.clear()
            return
        session["seen"] = now
