"""The services every page, the API and every check worker offer: the service files of
``INTAKE_SCHEMAS`` (the seed), overridden or added to by the versions published in the studio.

A published version is YAML text in ``service_versions``. Each process asks the database for
the newest version's id at most once every ``CATALOGUE_SECONDS`` (one small query on a
connection of its own, outside the request's transaction); when it changed, the process loads
the newest version of each service again, so a publish on one host reaches every host and
worker within seconds. Text from the database is loaded by the library from a file in a
private folder of this process, beside a copy of the seed's shared kinds, so it is validated
exactly as a file in ``INTAKE_SCHEMAS`` is. A stored version that no longer loads (a library
that got stricter) is logged and skipped: the service stays as it was.

This module reads and loads; it never writes a version (``web.studio.versions`` does).
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, inspect, select

import intake
from intake import _servicefile
from intake.services import Service, ServiceError
from web.models import ServiceVersion, db

_log = logging.getLogger(__name__)


class Catalogue:
    """One app's services: the seed, the newest published versions over it, and older versions
    loaded on demand for submissions pinned to them."""

    def __init__(self, app: Flask, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self.seed: dict[str, Service] = dict(sorted(intake.catalogue(folder).items()))
        self.current: dict[str, Service] = dict(self.seed)
        self.newest: int | None = None
        self.checked_at = float("-inf")
        self._lock = threading.Lock()
        self._scratch: Path | None = None
        self._loaded: dict[int, Service] = {}
        self._tables = False

    def services(self) -> dict[str, Service]:
        """The services offered now, after a look at the database when the last one is old enough."""
        seconds = float(self.app.config.get("CATALOGUE_SECONDS", 2))
        if time.monotonic() - self.checked_at >= seconds:
            self.refresh()
        return self.current

    def refresh(self) -> None:
        """Load the newest published versions again if one was published since the last look."""
        with self._lock:
            self.checked_at = time.monotonic()
            if not self._ready():
                return
            with db.engine.connect() as connection:
                newest = connection.execute(select(func.max(ServiceVersion.id))).scalar() or 0
                if newest == self.newest:
                    return
                latest = (select(ServiceVersion.service_id, func.max(ServiceVersion.id).label("id"))
                          .group_by(ServiceVersion.service_id).subquery())
                rows = connection.execute(select(ServiceVersion.id, ServiceVersion.service_id,
                                                 ServiceVersion.yaml_text)
                                          .join(latest, latest.c.id == ServiceVersion.id)).all()
            current = dict(self.seed)
            for row_id, service_id, text in rows:
                service = self._load(row_id, service_id, text)
                if service is not None:
                    current[service_id] = service
            self.current = dict(sorted(current.items()))
            self.app.extensions["intake.services"] = self.current
            from web import logs

            logs.install(self.current.values())  # a new service's sensitive fields are masked too
            self.newest = newest

    def at(self, service_id: str, version: str | None) -> Service | None:
        """The service as it was at ``version`` (the seed's or a published one); None when no
        such version is known."""
        offered = self.services().get(service_id)
        if offered is not None and (version is None or offered.version == version):
            return offered
        seed = self.seed.get(service_id)
        if seed is not None and seed.version == version:
            return seed
        if not self._ready():
            return None
        with db.engine.connect() as connection:
            row = connection.execute(select(ServiceVersion.id, ServiceVersion.yaml_text).where(
                ServiceVersion.service_id == service_id, ServiceVersion.version == version)).first()
        if row is None:
            return None
        with self._lock:
            return self._load(row[0], service_id, row[1])

    def _ready(self) -> bool:
        """The table exists (a database the migrations have not reached yet offers the seed)."""
        if not self._tables:
            self._tables = inspect(db.engine).has_table(ServiceVersion.__tablename__)
        return self._tables

    def _load(self, row_id: int, service_id: str, text: str) -> Service | None:
        if row_id in self._loaded:
            return self._loaded[row_id]
        try:
            service = load_text(text, service_id, self.folder, self._folder(row_id))
        except ServiceError as exc:
            _log.error("published version %d of %s does not load, so it is not offered: %s", row_id, service_id,
                       "; ".join(exc.problems) or exc)
            return None
        self._loaded[row_id] = service
        return service

    def _folder(self, row_id: int) -> Path:
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="intake-services-"))
            atexit.register(shutil.rmtree, self._scratch, ignore_errors=True)
        return self._scratch / str(row_id)


def load_text(text: str, service_id: str, seed: Path, folder: Path) -> Service:
    """The service in ``text``, loaded from ``folder/<service_id>.yaml`` beside the seed's shared
    kinds; raises ServiceError with every mistake, as a file in ``INTAKE_SCHEMAS`` would."""
    path = write(text, service_id, seed, folder)
    return _servicefile.load(path)


def lint_text(text: str, service_id: str, seed: Path) -> tuple[Service, list[_servicefile.LintWarning]]:
    """What ``intake lint`` says of ``text``: the service and its warnings, or ServiceError."""
    with tempfile.TemporaryDirectory(prefix="intake-lint-") as scratch:
        return _servicefile.lint(write(text, service_id, seed, Path(scratch)))


def write(text: str, service_id: str, seed: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    kinds = seed / _servicefile.SHARED_KINDS
    if kinds.is_file():
        shutil.copyfile(kinds, folder / _servicefile.SHARED_KINDS)
    path = folder / f"{service_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
