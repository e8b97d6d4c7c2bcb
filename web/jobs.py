"""The one seam between the web service and the checker: in-process by default, every
upload parsed in a sandboxed worker process (``INTAKE_ISOLATE``, on unless turned off).

Services are loaded once from the configured folder; one pre-started sandbox worker is
shared by the requests of this process.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
from collections.abc import Iterable

from flask import Flask, current_app

import intake
from intake.sandbox import Sandbox, SandboxLimits
from intake.services import Service

_sandboxes: dict[int, Sandbox] = {}
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    folder = app.config["SCHEMAS"] or str(intake.services.default_schemas())
    app.extensions["intake.services"] = dict(sorted(intake.catalogue(folder).items()))


def services() -> dict[str, Service]:
    catalogue: dict[str, Service] = current_app.extensions["intake.services"]
    return catalogue


def _sandbox(app: Flask) -> Sandbox:
    with _lock:
        sandbox = _sandboxes.get(id(app))
        if sandbox is None:
            limits = SandboxLimits(wall_seconds=float(app.config["PARSE_SECONDS"]),
                                   cpu_seconds=int(app.config["PARSE_SECONDS"]),
                                   memory_mb=int(app.config["PARSE_MEMORY_MB"]))
            sandbox = _sandboxes[id(app)] = Sandbox(limits, _file_limits(app))
            atexit.register(sandbox.close)
        return sandbox


def sandbox() -> Sandbox:
    """This app's sandbox worker, for other untrusted work than a check (drawing a page)."""
    return _sandbox(current_app._get_current_object())  # type: ignore[attr-defined]


def shutdown(app: Flask) -> None:
    """Stop this app's sandbox worker (tests and short-lived apps call this)."""
    with _lock:
        sandbox = _sandboxes.pop(id(app), None)
    if sandbox is not None:
        sandbox.close()


def _file_limits(app: Flask) -> intake.Limits:
    """The library's limits from the app's: a packet is a whole submission, which the web lets
    grow to ``MAX_SUBMISSION_*`` over several uploads (``packets.over_total`` holds that line)."""
    config = app.config
    return intake.Limits(max_file_bytes=config["MAX_FILE_BYTES"], max_pages=int(config["MAX_PAGES"]),
                         max_packet_files=int(config["MAX_SUBMISSION_FILES"]),
                         max_packet_bytes=int(config["MAX_SUBMISSION_MB"]) * 2**20,
                         max_parse_seconds=float(config["PARSE_SECONDS"]))


def run_check(service: Service, files: Iterable[tuple[str | None, intake.Upload]],
              today: dt.date | None = None) -> intake.Report:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    packet = [(item, upload) if item else upload for item, upload in files]
    isolate = bool(app.config["ISOLATE"])
    # Every loaded service lends its forms, so a file that is another known form is named as such.
    known = tuple(spec for svc in app.extensions["intake.services"].values() for spec in svc.forms)
    checker = intake.Checker(limits=_file_limits(app), isolate=isolate, sandbox=_sandbox(app) if isolate else None,
                             catalogue=known)
    return checker.check(service, packet, today=today)
