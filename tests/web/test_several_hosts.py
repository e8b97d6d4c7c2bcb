"""State that must hold across web hosts: rate limits and sign-in back-off in Redis, the
database's connection pool sized for the threads, and no connection held while a check runs.
Two apps on one database and one Redis stand for two hosts; skipped, with the reason, where no
Redis server answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import pytest
from flask import Flask

REDIS_URL = os.environ.get("INTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # no server here: say so and skip
        pytest.skip(f"no Redis server answers at {REDIS_URL} ({type(exc).__name__}); .ci/run uses the machine's")
    return REDIS_URL


def test_lookups_limited_on_one_host_are_limited_on_the_other(another_app: Callable[..., Flask],
                                                              redis_url: str) -> None:
    from web import references

    # An address and a reference of this test's own, so parallel and earlier runs, which count
    # in the same Redis, never share counts with it.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    form = {"reference": references.new_reference(), "zip": "00000"}
    shared = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url}
    first, second = another_app(**shared), another_app(**shared)
    with first.test_client() as one, second.test_client() as other:
        codes = [one.post("/r", data=form, environ_base={"REMOTE_ADDR": address}).status_code for _ in range(10)]
        assert codes == [400] * 10
        assert other.post("/r", data=form, environ_base={"REMOTE_ADDR": address}).status_code == 429


def test_the_connection_pool_fits_the_threads_and_a_check_holds_no_connection(
        another_app: Callable[..., Flask], filled: Callable[..., bytes]) -> None:
    from tests import shared_corpus
    from web import jobs
    from web.models import db

    app = another_app(DB_POOL_SIZE=3, DB_MAX_OVERFLOW=0, ISOLATE=False)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == 3
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))
        pool = db.engine.pool
        assert pool.checkedout() == 1
        import intake

        upload = intake.Upload("ds11.pdf", filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
        service = jobs.services()["passport-first-time"]
        seen: list[int] = []
        real = intake.Checker.check

        def watched(self: intake.Checker, *args: object, **kwargs: object) -> intake.Report:
            seen.append(pool.checkedout())
            return real(self, *args, **kwargs)  # type: ignore[arg-type]

        intake.Checker.check = watched  # type: ignore[method-assign]
        try:
            jobs.run_check(service, [("ds11", upload)])
        finally:
            intake.Checker.check = real  # type: ignore[method-assign]
        assert seen == [0], "the request's connection went back to the pool before the check ran"


def test_a_shared_store_that_is_away_slows_nothing_down_to_a_500(another_app: Callable[..., Flask]) -> None:
    """Limits and sign-in counts fall back to each process's memory while Redis restarts."""
    away = another_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with away.test_client() as client:
        codes = [client.post("/r", data={"reference": "ACD-EFG-HJK", "zip": "00000"}).status_code
                 for _ in range(12)]
        assert codes[:10] == [400] * 10 and codes[-1] == 429, "still limited, in this process"
        signed = client.post("/clerk/sign-in", data={"email": "ana@county.gov", "password": "not the password"})
        assert signed.status_code < 500
