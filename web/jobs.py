"""The one seam between the web service and the checker: every upload parsed in a sandboxed
worker process (``INTAKE_ISOLATE``, on unless turned off), in this process's request or in a
check worker (``web.tasks``); the studio's drafts of uploaded blank forms too.

Services come from ``web.catalogue``: the configured folder, with the versions published in
the studio over it. Each process keeps a small pool of
sandbox workers (``INTAKE_SANDBOX_WORKERS``, started on first use): a check borrows one for
all its files, so one slow packet holds one worker while the others serve everyone else.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import itertools
import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app

import intake
from intake.sandbox import Sandbox, SandboxLimits
from intake.services import Service
from web import storage

_pools: dict[int, _Pool] = {}
_lock = threading.Lock()


class _Pool:
    """Sandbox workers for one app: borrowed whole by a check, shared (in turns) for pictures."""

    def __init__(self, make: Iterable[Sandbox]) -> None:
        self.members = list(make)
        self._free: queue.Queue[Sandbox] = queue.Queue()
        for member in self.members:
            self._free.put(member)
        self._turns = itertools.cycle(self.members)
        self._turn_lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Sandbox]:
        member = self._free.get()
        try:
            yield member
        finally:
            self._free.put(member)

    def any(self) -> Sandbox:
        with self._turn_lock:
            return next(self._turns)

    def close(self) -> None:
        for member in self.members:
            member.close()


def init_app(app: Flask) -> None:
    from web.catalogue import Catalogue

    folder = app.config["SCHEMAS"] or str(intake.services.default_schemas())
    app.extensions["intake.catalogue"] = Catalogue(app, Path(folder))
    app.extensions["intake.services"] = app.extensions["intake.catalogue"].current


def services() -> dict[str, Service]:
    """The services offered now: the seed files, with the newest published versions over them
    (``web.catalogue``; a publish on any host is seen here within ``CATALOGUE_SECONDS``)."""
    catalogue: dict[str, Service] = current_app.extensions["intake.catalogue"].services()
    return catalogue


def service_at(service_id: str, version: str | None) -> Service | None:
    """The service as it was at ``version``, for a submission pinned to the version it was
    checked against; None when that version is not known here."""
    found: Service | None = current_app.extensions["intake.catalogue"].at(service_id, version)
    return found


def pinned(submission: Any) -> Service:
    """The version a submission's checks use: the one its latest check used, while it is still
    known; otherwise the one offered now. Publishing a version re-checks a submission on it
    only when an admin or a clerk asks (``web.studio``, the clerk's "Check again")."""
    latest = submission.latest or (submission.checks[-1] if submission.checks else None)
    if latest is not None:
        found = service_at(submission.service_id, latest.service_version)
        if found is not None:
            return found
    return services()[submission.service_id]


def _pool(app: Flask) -> _Pool:
    with _lock:
        pool = _pools.get(id(app))
        if pool is None:
            limits = SandboxLimits(wall_seconds=float(app.config["PARSE_SECONDS"]),
                                   cpu_seconds=int(app.config["PARSE_SECONDS"]),
                                   memory_mb=int(app.config["PARSE_MEMORY_MB"]))
            size = max(1, int(app.config["SANDBOX_WORKERS"]))
            pool = _pools[id(app)] = _Pool(Sandbox(limits, _file_limits(app)) for _ in range(size))
            atexit.register(pool.close)
        return pool


def sandbox() -> Sandbox:
    """One of this app's sandbox workers, for other untrusted work than a check (drawing a page)."""
    return _pool(current_app._get_current_object()).any()  # type: ignore[attr-defined]


def shutdown(app: Flask) -> None:
    """Stop this app's sandbox workers (tests and short-lived apps call this)."""
    with _lock:
        pool = _pools.pop(id(app), None)
    if pool is not None:
        pool.close()


def _file_limits(app: Flask) -> intake.Limits:
    """The library's limits from the app's: a packet is a whole submission, which the web lets
    grow to ``MAX_SUBMISSION_*`` over several uploads (``packets.over_total`` holds that line)."""
    config = app.config
    return intake.Limits(max_file_bytes=config["MAX_FILE_BYTES"], max_pages=int(config["MAX_PAGES"]),
                         max_packet_files=int(config["MAX_SUBMISSION_FILES"]),
                         max_packet_bytes=int(config["MAX_SUBMISSION_MB"]) * 2**20,
                         max_parse_seconds=float(config["PARSE_SECONDS"]))


def scaffold(upload: intake.Upload, *, service_id: str | None = None) -> str:
    """The draft service file of a blank form an admin uploaded (``intake.scaffold``), made in
    one of this app's sandbox workers under the parse caps, as every upload is read; raises the
    ``FileProblemError`` the file deserves (``file.too_complex`` past a cap)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["ISOLATE"]:
        return intake.scaffold(upload, service_id=service_id, limits=_file_limits(app))
    with _pool(app).borrow() as sandbox:
        return sandbox.scaffold(upload, service_id=service_id)


def run_check(service: Service, files: Iterable[tuple[str | None, intake.Upload]],
              today: dt.date | None = None, *, readings: Any = None) -> intake.Report:
    """The report for files of a submission. What OCR reads off photos and scans is kept beside
    the stored files (so a re-check, on any host, reads nothing again); ``readings`` is another
    place to keep it, such as :class:`web.storage.PendingReadings` for files not stored yet."""
    with contextlib.closing(run_checks(service, [files], today, readings=readings)) as reports:
        return next(reports)  # closed here, so the worker goes back to the pool at once


def run_checks(service: Service, packets: Iterable[Iterable[tuple[str | None, intake.Upload]]],
               today: dt.date | None = None, *, readings: Any = None) -> Generator[intake.Report, None, None]:
    """The report for each packet in turn, all read in one of this app's sandbox workers borrowed
    for the whole run (as a scaffold is made in one), so a batch such as the studio's re-check
    preview holds one worker and leaves the others to citizens; in this process when isolation
    is off. Each packet is read only when its report is asked for."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # A check takes seconds: end the transaction first, so no database connection waits with it
    # (what the request holds is read again, from a fresh connection, when it is next used).
    from web.models import db

    db.session.commit()
    # Every loaded service lends its forms, so a file that is another known form is named as such.
    known = tuple(spec for svc in services().values() for spec in svc.forms)
    cache = readings if readings is not None else storage.ReadingCache(storage.from_config(app.config["STORAGE"],
                                                                                            app.config))
    with contextlib.ExitStack() as stack:
        sandbox = stack.enter_context(_pool(app).borrow()) if app.config["ISOLATE"] else None
        checker = intake.Checker(limits=_file_limits(app), isolate=sandbox is not None, sandbox=sandbox,
                                 catalogue=known, ocr_cache=cache)
        for files in packets:
            packet = [(item, upload) if item else upload for item, upload in files]
            yield checker.check(service, packet, today=today)
