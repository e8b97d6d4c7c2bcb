"""Configuration: safe defaults, then ``INTAKE_*`` environment variables, then the caller's dict.

Nothing here needs to be set for ``make run``: the database is a SQLite file and uploads
a folder, both in the instance folder. Production refuses to start with the default
secret key; an optional variable that is unset never stops the app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Config, Flask

from web import storage

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
    # Object storage (STORAGE=s3://bucket[/prefix]): another S3-compatible server than Amazon's,
    # and the region when boto3's own settings (AWS_REGION, a profile) do not give it.
    "S3_ENDPOINT_URL": None,
    "S3_REGION": None,
    "SCHEMAS": None,
    # How often each process looks for a service version published in the studio (seconds).
    "CATALOGUE_SECONDS": 2,
    "MAX_FILE_MB": 20,
    "MAX_PACKET_MB": 60,
    "MAX_FILES": 20,
    "MAX_SUBMISSION_FILES": 40,
    "MAX_SUBMISSION_MB": 120,
    "MAX_PAGES": 200,
    "MAX_FORM_PARTS": 200,
    "ISOLATE": True,
    # Sandbox workers per web or check-worker process; a check holds one for all its files.
    "SANDBOX_WORKERS": 2,
    # Database connections per process: gunicorn's threads (INTAKE_THREADS) each may hold one.
    "DB_POOL_SIZE": int(os.environ.get("INTAKE_THREADS", "16")),
    "DB_MAX_OVERFLOW": 8,
    # Checks off the request path: a Celery broker (redis://... or amqp://...); unset, every
    # check runs in the request, in-process. The rest only matter with a broker.
    "BROKER_URL": None,
    "CHECK_QUEUE": "intake.checks",
    "CHECK_SECONDS": 300,
    "CHECK_FAIR_SHARE": 1,
    "CHECK_WORKER_MEMORY_MB": 1024,
    # How much a check worker's processes step back (Unix niceness) for a web host on the same
    # machine: a citizen's page answers first, the checks use what is left. No effect on a
    # host that runs only workers.
    "CHECK_WORKER_NICE": 10,
    "SWEEP_SECONDS": 60,
    "PARSE_SECONDS": 20,
    "BODY_SECONDS": 60,
    "SOCKET_SECONDS": 10,
    "PARSE_MEMORY_MB": 768,
    "LANGUAGES": ("en", "es"),
    # Messages to citizens who left an address: smtp://[user:pass@]host:port (STARTTLS when the
    # server offers it), smtps://... for TLS from the first byte; unset, no email is sent.
    "SMTP_URL": None,
    "MAIL_FROM": "",
    "SMTP_SECONDS": 10,
    # A PEM file of the authorities that sign the SMTP server's certificate, instead of the system's.
    "SMTP_CA_FILE": None,
    # Text messages through a GOV.UK Notify-shaped API (off unless SMS_PROVIDER=notify).
    "SMS_PROVIDER": "",
    "NOTIFY_API_KEY": "",
    "NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk",
    "NOTIFY_SMS_TEMPLATE_ID": "",
    # Days before a visit date the citizen gave that the reminder goes out; how often the
    # periodic job (Celery beat) sends reminders and retries; the site's address for links.
    "REMINDER_DAYS": 2,
    "MESSAGES_SECONDS": 900,
    "PUBLIC_URL": None,
    # Who runs this site, as citizens read it in the title, the footer and the trust pages;
    # an unset contact line is left out. OFFICIAL_BANNER shows "An official website of ...".
    "AGENCY_NAME": "",
    "AGENCY_CONTACT_EMAIL": "",
    "AGENCY_CONTACT_PHONE": "",
    "AGENCY_CONTACT_URL": "",
    "OFFICIAL_BANNER": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Every count (limits and sign-in back-off) is kept under this prefix: deployments that
    # share one Redis each set their own.
    "RATELIMIT_KEY_PREFIX": "intake",
    # While a shared (Redis) store is away, limits count in each process's memory instead of
    # answering 500: a Redis restart never takes the service down.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_LOOKUP": "10 per minute",
    # A program polling a submission's check (which needs its secret, so guesses gain nothing).
    "RATELIMIT_POLL": "120 per minute",
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


def _check_storage(cfg: Config) -> None:
    """A local folder, or object storage named well enough to reach (the bucket is only
    reached on the first upload, so an app can start while the storage is down)."""
    endpoint = cfg["S3_ENDPOINT_URL"]
    parts = urlsplit(str(endpoint or ""))
    if endpoint and (parts.scheme not in {"http", "https"} or not parts.netloc):
        raise ConfigError(f"INTAKE_S3_ENDPOINT_URL must be an http:// or https:// address, not {endpoint!r}")
    if not storage.is_s3(str(cfg["STORAGE"])):
        return
    try:
        storage.parse_s3(str(cfg["STORAGE"]))
    except ValueError as exc:
        raise ConfigError(f"INTAKE_STORAGE: {exc}") from exc


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("INTAKE")
    if overrides:
        app.config.update(overrides)
    cfg = app.config
    instance = Path(app.instance_path)
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"] or f"sqlite:///{instance / 'intake.db'}"
    # One connection per thread that may want one at once (gunicorn's threads, or a worker's
    # single check), a few more for bursts; a dropped server connection is noticed before use.
    in_memory = cfg["SQLALCHEMY_DATABASE_URI"] in ("sqlite://", "sqlite:///:memory:")
    if not in_memory:
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": int(cfg["DB_POOL_SIZE"]), "max_overflow": int(cfg["DB_MAX_OVERFLOW"]),
            "pool_timeout": 15, "pool_pre_ping": True, "pool_recycle": 1800}
    cfg["STORAGE"] = cfg["STORAGE"] or str(instance / "files")
    cfg["MAX_PACKET_BYTES"] = int(cfg["MAX_PACKET_MB"]) * MB
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_PACKET_BYTES"] + MULTIPART_ALLOWANCE
    cfg["MAX_FILE_BYTES"] = int(cfg["MAX_FILE_MB"]) * MB
    if isinstance(cfg["OFFICIAL_BANNER"], str):
        cfg["OFFICIAL_BANNER"] = cfg["OFFICIAL_BANNER"].strip().lower() in {"1", "true", "yes", "on"}
    production = cfg["ENV"] == "production"
    cfg["SESSION_COOKIE_SECURE"] = production
    # In production the __Host- prefix makes browsers refuse the cookie unless it is Secure, for
    # this host only and for every path, so no sibling domain can plant or read a session.
    if production and cfg["SESSION_COOKIE_NAME"] == "session":
        cfg["SESSION_COOKIE_NAME"] = "__Host-session"
    _check_storage(cfg)
    if production and cfg["SECRET_KEY"] == DEFAULT_SECRET:
        raise ConfigError("set INTAKE_SECRET_KEY to a long random value before running in production")
