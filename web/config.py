"""Configuration: safe defaults, then ``INTAKE_*`` environment variables, then the caller's dict.

Nothing here needs to be set for ``make run``: the database is a SQLite file and uploads
a folder, both in the instance folder. Production refuses to start with the default
secret key; an optional variable that is unset never stops the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

DEFAULT_SECRET = "development-only-secret-change-me"
MB = 1024 * 1024
# Room for the multipart boundaries, part headers and form fields around the files' bytes,
# so a packet exactly at the limit is not refused for its wrapping.
MULTIPART_ALLOWANCE = 64 * 1024

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": DEFAULT_SECRET,
    "DATABASE_URL": None,
    "STORAGE": None,
    "SCHEMAS": None,
    "MAX_FILE_MB": 20,
    "MAX_PACKET_MB": 60,
    "MAX_FILES": 20,
    "MAX_SUBMISSION_FILES": 40,
    "MAX_SUBMISSION_MB": 120,
    "MAX_PAGES": 200,
    "MAX_FORM_PARTS": 200,
    "ISOLATE": True,
    "PARSE_SECONDS": 20,
    "BODY_SECONDS": 60,
    "SOCKET_SECONDS": 10,
    "PARSE_MEMORY_MB": 768,
    "LANGUAGES": ("en", "es"),
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_LOOKUP": "10 per minute",
    "RATELIMIT_REFERENCE": "10 per 10 minutes",
    "RATELIMIT_UPLOAD": "30 per minute",
    "RATELIMIT_SIGN_IN": "5 per minute",
    "CLAIM_MINUTES": 30,
    "IDLE_MINUTES": 30,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).with_name("translations")),
}


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("INTAKE")
    if overrides:
        app.config.update(overrides)
    cfg = app.config
    instance = Path(app.instance_path)
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"] or f"sqlite:///{instance / 'intake.db'}"
    cfg["STORAGE"] = cfg["STORAGE"] or str(instance / "files")
    cfg["MAX_PACKET_BYTES"] = int(cfg["MAX_PACKET_MB"]) * MB
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_PACKET_BYTES"] + MULTIPART_ALLOWANCE
    cfg["MAX_FILE_BYTES"] = int(cfg["MAX_FILE_MB"]) * MB
    production = cfg["ENV"] == "production"
    cfg["SESSION_COOKIE_SECURE"] = production
    # In production the __Host- prefix makes browsers refuse the cookie unless it is Secure, for
    # this host only and for every path, so no sibling domain can plant or read a session.
    if production and cfg["SESSION_COOKIE_NAME"] == "session":
        cfg["SESSION_COOKIE_NAME"] = "__Host-session"
    if str(cfg["STORAGE"]).startswith("s3://"):
        raise ConfigError("S3-compatible storage is not available yet: set INTAKE_STORAGE to a folder")
    if production and cfg["SECRET_KEY"] == DEFAULT_SECRET:
        raise ConfigError("set INTAKE_SECRET_KEY to a long random value before running in production")
