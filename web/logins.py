"""Flask-Login for staff: sessions end when idle, and on "sign out everywhere"."""

from __future__ import annotations

import datetime as dt

from flask import Flask, session
from flask_login import LoginManager, current_user, logout_user

from web.models import StaffUser, db

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
    return user


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
