from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web import stack
from tests.web.pages import Pages

# make test: SQLite, local files, checks in-process. make test-stack (INTAKE_TEST_STACK=1):
# PostgreSQL, S3-compatible storage, Redis and a real Celery worker (tests/web/stack.py).
# INTAKE_TEST_DATABASE_URL alone adds a run on that database with everything else embedded.
if stack.ENABLED:
    DATABASES = ["stack"]
else:
    DATABASES = ["sqlite"] + (["server"] if os.environ.get("INTAKE_TEST_DATABASE_URL") else [])


def _server_database() -> str:
    """INTAKE_TEST_DATABASE_URL; with several test workers (pytest -n), a database of its own
    for each, made beside that one on first use, since every test empties the database."""
    url = os.environ["INTAKE_TEST_DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def servers() -> Iterator[stack.Stack]:
    """The stack's servers and check worker for this test process (make test-stack only)."""
    reason = stack.missing()
    if reason:
        pytest.exit(f"make test-stack needs its servers: {reason}", returncode=2)
    with stack.running(_server_database()) as running:
        yield running


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database built by the migrations, once per test process: each test starts from a
    copy of it, as it would from running them (tests/web/test_migrations.py runs them for real)."""
    from flask_migrate import upgrade

    from web import create_app
    from web.models import db

    folder = tmp_path_factory.mktemp("migrated")
    template = folder / "template.db"
    app = create_app({"TESTING": True, "SECRET_KEY": stack.SECRET_KEY, "STORAGE": str(folder / "files"),
                      "DATABASE_URL": f"sqlite:///{template}", "SERVER_NAME": "localhost"})
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
        db.engine.dispose()
    return template


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database built by the migrations: SQLite, and also the server database
    (PostgreSQL in CI) named by INTAKE_TEST_DATABASE_URL when it is set; under make test-stack,
    PostgreSQL with files in S3 and checks done by a Celery worker."""
    from flask_migrate import upgrade

    from web import create_app
    from web.models import db

    config: dict[str, Any] = {
        "TESTING": True, "SECRET_KEY": stack.SECRET_KEY, "STORAGE": str(tmp_path / "files"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost",
        "PASSWORD_HASH": "cheapest",
    }
    running: stack.Stack | None = None
    if request.param == "stack":
        running = request.getfixturevalue("servers")
        config.update(running.config())
    elif request.param == "server":
        config["DATABASE_URL"] = _server_database()
    else:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), tmp_path / "test.db")
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'test.db'}"
    app = create_app(config)
    app.test_client_class = stack.WaitingClient
    if request.param != "sqlite":
        with app.app_context():
            upgrade(directory=str(Path(app.root_path) / "migrations"))
    yield app
    from web import jobs

    jobs.shutdown(app)
    with app.app_context():
        if request.param != "sqlite":
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    if running is not None:
        stack.empty_storage(running)


@pytest.fixture
def another_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """More apps on the test's database with other settings; their connections close afterwards."""
    from web import create_app, jobs
    from web.models import db

    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        made.append(create_app({**app.config, **overrides}))
        made[-1].test_client_class = stack.WaitingClient
        return made[-1]

    yield make
    for other in made:
        jobs.shutdown(other)
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> Pages:
    return Pages(client)


def post_files(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """POST multipart data, closing the request body the test harness spools to a temporary file."""
    from flask.testing import EnvironBuilder

    builder = EnvironBuilder(client.application, path=url, method="POST", data=data,
                             content_type="multipart/form-data")
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def upload_data(**files: Any) -> dict[str, Any]:
    """Form data for an upload: item-<id>=(bytes, name) or everything=[(bytes, name), ...]."""
    import io

    data: dict[str, Any] = {}
    for key, value in files.items():
        entries = value if isinstance(value, list) else [value]
        data[key] = [(io.BytesIO(content), name) for content, name in entries]
    return data


def stored_blobs(app: Flask) -> list[str]:
    """The names (sha256) of every file in the app's storage, local folder or bucket alike."""
    from web import storage

    with app.app_context():
        return sorted(name for name, _when in storage.from_config(app.config["STORAGE"]).stored())


@pytest.fixture
def checks_in_request(app: Flask, another_app: Callable[..., Flask]) -> Flask:
    """The test's app, with checks run in the request: under make test-stack the same database
    and storage without the broker, for tests that pin, inside this process, the day a check
    is made on (a worker in another process keeps the real date)."""
    return another_app(BROKER_URL=None) if app.config.get("BROKER_URL") else app


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on 127.0.0.1 for this test (tests/smtpserver.py), reachable from other
    processes too: ``.url`` for SMTP_URL, ``.messages`` as delivered (EmailMessage), and
    ``.wait_for(count, seconds=30)``; ``.refuse(address, permanent=True)`` answers 550 (451 with
    permanent=False). Skipped, with the reason, when aiosmtpd is not installed."""
    from tests import smtpserver

    reason = smtpserver.available()
    if reason:
        pytest.skip(reason)
    with smtpserver.running() as server:
        yield server


@pytest.fixture(params=["in_process", "queued"])
def site(request: pytest.FixtureRequest, app: Flask, another_app: Callable[..., Flask]) -> Flask:
    """The app with checks in the request, or with a broker no worker reads: the test runs the
    queued checks itself, as a worker would."""
    if request.param == "queued" and not app.config.get("BROKER_URL"):
        return another_app(BROKER_URL="memory://", CHECK_QUEUE=f"test-{uuid.uuid4().hex[:8]}")
    return app


@pytest.fixture
def bill(corpus: Path) -> bytes:
    return (corpus / "supporting" / "synthetic" / "utility_bill_1.pdf").read_bytes()
