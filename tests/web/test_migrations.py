from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.web import stack


def _fresh_app(tmp_path: Path) -> Flask:
    from web import create_app

    return create_app({"TESTING": True, "SECRET_KEY": stack.SECRET_KEY, "STORAGE": str(tmp_path / "files"),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "SERVER_NAME": "localhost"})


@pytest.mark.skipif(stack.ENABLED, reason="runs on SQLite; make test-stack builds its database by the migrations")
def test_the_migrations_build_the_tables_the_models_describe(tmp_path: Path) -> None:
    """The web tests start from a copy of a database the migrations built once; this is the
    check that what they build is what the models say, so a model change needs its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    from web.models import db

    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []


@pytest.mark.skipif(stack.ENABLED, reason="runs on SQLite; make test-stack builds its database by the migrations")
def test_every_migration_can_be_undone_and_done_again(tmp_path: Path) -> None:
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from web.models import db

    app = _fresh_app(tmp_path)
    folder = str(Path(app.root_path) / "migrations")
    with app.app_context():
        upgrade(directory=folder)
        built = set(inspect(db.engine).get_table_names())
        downgrade(directory=folder, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=folder)
        assert set(inspect(db.engine).get_table_names()) == built
        db.engine.dispose()
