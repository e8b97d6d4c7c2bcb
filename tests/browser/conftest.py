from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("INTAKE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags this machine's closed network needs, and no browser download of Playwright's own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "browser"
STAFF_PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The real app on a free local port, with its own database and files."""
    with serving(tmp_path) as (address, _app):
        yield address


@contextlib.contextmanager
def serving(tmp_path: Path, staff: tuple[tuple[str, str], ...] = (), **config: Any) -> Iterator[tuple[str, Any]]:
    """The real app on a free local port with its own database and files, and staff accounts
    (email, role) of the passport service; yields the address and the app."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from web import create_app, jobs

    app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
                      "STORAGE": str(tmp_path / "files"), "RATELIMIT_ENABLED": False, **config})
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    runner = app.test_cli_runner()
    for email, role in staff:
        made = runner.invoke(args=["users", "create", email, "--name", email.split("@")[0].title(), "--role", role,
                                   "--password", STAFF_PASSWORD])
        assert made.exit_code == 0, made.output
        assert runner.invoke(args=["users", "grant", email, "passport-first-time"]).exit_code == 0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)
        jobs.shutdown(app)


@pytest.fixture
def staffed_server(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The real app on a free local port, as ``live_server``, with a clerk (ana@example.gov) and
    a supervisor (sup@example.gov) of the passport service; yields the address and the app."""
    with serving(tmp_path, (("ana@example.gov", "clerk"), ("sup@example.gov", "supervisor"))) as running:
        yield running
