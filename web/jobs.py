"""The one seam between the web service and the checker: in-process by default.

Services are loaded once from the configured folder and cached; a check is a plain call to
``intake.check`` with the stored bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import Flask, current_app

import intake
from intake.services import Service


def init_app(app: Flask) -> None:
    folder = app.config["SCHEMAS"] or str(intake.services.default_schemas())
    app.extensions["intake.services"] = dict(sorted(intake.catalogue(folder).items()))


def services() -> dict[str, Service]:
    catalogue: dict[str, Service] = current_app.extensions["intake.services"]
    return catalogue


def run_check(service: Service, files: Iterable[tuple[str | None, intake.Upload]],
              today: dt.date | None = None) -> intake.Report:
    packet = [(item, upload) if item else upload for item, upload in files]
    return intake.check(service, packet, today=today)
