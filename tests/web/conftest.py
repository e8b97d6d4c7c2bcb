from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.pages import Pages

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


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database built by the migrations: SQLite, and also the server database
    (PostgreSQL in CI) named by INTAKE_TEST_DATABASE_URL when it is set."""
    from flask_migrate import upgrade

    from web import create_app
    from web.models import db

    url = _server_database() if request.param == "server" else f"sqlite:///{tmp_path / 'test.db'}"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url, "STORAGE": str(tmp_path / "files"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost",
    })
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    yield app
    from web import jobs

    jobs.shutdown(app)
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def another_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """More apps on the test's database with other settings; their connections close afterwards."""
    from web import create_app, jobs
    from web.models import db

    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        made.append(create_app({**app.config, **overrides}))
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
