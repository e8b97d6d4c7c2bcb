"""The intake web service: ``create_app()`` is what ``flask --app web`` and gunicorn serve.

The web layer only routes, renders and stores; every check goes through ``web.jobs`` to the
``intake`` library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from web import backoff, errors, i18n, security
from web import config as settings
from web.limits import limiter
from web.models import db

csrf = CSRFProtect()
migrate = Migrate()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app: safe defaults, then INTAKE_* environment variables, then ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    settings.load(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).with_name("migrations")))
    csrf.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing or app.config.get("RATELIMIT_ENABLED", True))
    limiter.init_app(app)
    backoff.init_app(app)

    from web import commands, jobs, logins, logs
    from web.citizen import bp as citizen
    from web.clerk import bp as clerk

    jobs.init_app(app)
    from web import tasks

    tasks.init_app(app)
    logs.init_app(app)
    logins.init_app(app)
    commands.init_app(app)
    app.register_blueprint(citizen)
    app.register_blueprint(clerk)
    from web.studio import bp as studio

    app.register_blueprint(studio)
    from web import api

    api.init_app(app)
    return app
