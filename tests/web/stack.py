"""The web tests on the servers of a scaled-out deployment (``make test-stack``): PostgreSQL,
objects in an S3-compatible server (moto's server mode, over HTTP), checks sent through Redis
to a real Celery worker, rate limits kept in Redis.

Each test process (each pytest-xdist worker) gets a database, a bucket prefix and a check
queue of its own, and starts one Celery worker on that queue for its whole run. An upload in
a test answers at once with its check queued, as it would in production; the test client
then waits until the worker has finished every check the request queued (see
:class:`WaitingClient`), so the same tests read the same reports on either set-up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

ENABLED = os.environ.get("INTAKE_TEST_STACK", "") not in ("", "0")
REDIS_URL = os.environ.get("INTAKE_TEST_STACK_REDIS_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parents[2]
# A check queued by a test is done within this, or the test fails with the worker's log.
WAIT_SECONDS = 120.0
SECRET_KEY = "test-secret"
_RUNNING: list[Stack] = []


@dataclass
class Stack:
    database_url: str
    storage: str
    s3_endpoint_url: str
    broker_url: str
    queue: str
    limits_prefix: str
    log: Path
    worker: subprocess.Popen[bytes]

    def config(self) -> dict[str, Any]:
        """The app settings that point a test's app at these servers."""
        return {
            "DATABASE_URL": self.database_url, "STORAGE": self.storage, "S3_ENDPOINT_URL": self.s3_endpoint_url,
            "BROKER_URL": self.broker_url, "CHECK_QUEUE": self.queue, "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": self.limits_prefix, "TEST_STACK_QUEUE": self.queue,
        }

    def worker_log(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def missing() -> str | None:
    """Why the stack cannot run here, or None when every server answers."""
    from tests import s3server

    if not os.environ.get("INTAKE_TEST_DATABASE_URL"):
        return "INTAKE_TEST_DATABASE_URL is not set (a PostgreSQL database to run the web tests on)"
    reason = s3server.available()
    if reason:
        return reason
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # no server: the whole run is refused, with the reason
        return f"no Redis server answers at {REDIS_URL} ({type(exc).__name__})"
    return None


def _empty_bucket_prefix(endpoint: str, bucket: str, prefix: str) -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys})


def empty_storage(stack: Stack) -> None:
    """Remove every object and rate-limit count a test left, so the next test of this process
    starts empty. The limits' key prefix is this process's own (one limiter serves every app of
    a process, with the first app's prefix), so no other process's counts are touched."""
    import redis

    from web import storage

    bucket, prefix = storage.parse_s3(stack.storage)
    _empty_bucket_prefix(stack.s3_endpoint_url, bucket, prefix)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"*{stack.limits_prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def worker_env(config: Any, **more: str) -> dict[str, str]:
    """The environment that gives a Celery worker the same database, storage, queue and key as
    an app of the test (and, with ``more``, other INTAKE_* settings by name)."""
    env = {**os.environ, "INTAKE_BROKER_URL": config["BROKER_URL"], "INTAKE_DATABASE_URL": config["DATABASE_URL"],
           "INTAKE_STORAGE": config["STORAGE"], "INTAKE_SECRET_KEY": config["SECRET_KEY"],
           "INTAKE_CHECK_QUEUE": config["CHECK_QUEUE"], "PYTHONPATH": str(ROOT)}
    if config.get("S3_ENDPOINT_URL"):  # the files are in a bucket
        env["INTAKE_S3_ENDPOINT_URL"] = config["S3_ENDPOINT_URL"]
    if config.get("RATELIMIT_STORAGE_URI", "memory://") != "memory://":
        env["INTAKE_RATELIMIT_STORAGE_URI"] = config["RATELIMIT_STORAGE_URI"]
    env.update({f"INTAKE_{name}": value for name, value in more.items()})
    return env


def start_worker(env: dict[str, str], queue: str, log: Any) -> subprocess.Popen[bytes]:
    """A real Celery worker (one process at a time) on ``queue``, in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "web.tasks", "worker", "--concurrency", "1", "--loglevel",
         "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h", "-Q", queue],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """Stop it as a service manager would (SIGTERM), then for good if it does not stop."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def running(database_url: str) -> Iterator[Stack]:
    """An S3 server, a bucket prefix, a queue and a Celery worker for this test process."""
    import boto3

    from tests import s3server

    saved = {name: os.environ.get(name) for name in (*s3server.IGNORED, *s3server.ENVIRONMENT,
                                                     "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")}
    for name in s3server.IGNORED:
        os.environ.pop(name, None)
    os.environ.update(s3server.ENVIRONMENT)
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    name = os.environ.get("PYTEST_XDIST_WORKER", "main")
    queue = f"intake-stack-{name}-{uuid.uuid4().hex[:8]}"
    try:
        with s3server.running() as server, tempfile.TemporaryDirectory() as folder:
            boto3.client("s3", endpoint_url=server.url).create_bucket(Bucket="intake-stack")
            location = f"s3://intake-stack/{name}"
            env = worker_env({"DATABASE_URL": database_url, "STORAGE": location, "S3_ENDPOINT_URL": server.url,
                              "BROKER_URL": REDIS_URL, "CHECK_QUEUE": queue, "SECRET_KEY": SECRET_KEY,
                              "RATELIMIT_STORAGE_URI": REDIS_URL})
            log_path = Path(folder) / "worker.log"
            with log_path.open("wb") as log:
                worker = start_worker(env, queue, log)
                stack = Stack(database_url, location, server.url, REDIS_URL, queue, f"limits-{queue}", log_path,
                              worker)
                _RUNNING.append(stack)
                try:
                    yield stack
                finally:
                    _RUNNING.remove(stack)
                    stop_worker(worker)
    finally:
        from web import storage

        storage._s3.cache_clear()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _waiting_checks(app: Any) -> int:
    from web.models import CheckRecord, db

    with app.app_context():
        try:
            return int(db.session.query(CheckRecord).filter(CheckRecord.state.in_(("queued", "running"))).count())
        finally:
            db.session.remove()


class WaitingClient(FlaskClient):
    """A test client that, after each request, waits for the stack's worker to finish every
    check left queued or running, so a test reads a finished report as it would in-process.

    Only an app whose queue is the one the stack's worker reads waits: a test that sets a
    broker of its own (an in-memory one no worker reads, or its own workers) sees its checks
    exactly as it left them."""

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().open(*args, **kwargs)
        settle(self.application)
        return response


def settle(app: Any) -> None:
    """What the waiting client does after each request, for a test that sent its requests some
    other way: when the app's queue is the one the stack's worker reads, wait for its checks."""
    if app.config.get("TEST_STACK_QUEUE") and app.config.get("CHECK_QUEUE") == app.config["TEST_STACK_QUEUE"]:
        wait_for_checks(app)


def wait_for_checks(app: Any) -> None:
    """Return once no check is queued or running; fail with the worker's log if it stopped or
    took longer than a busy machine ever needs."""
    deadline = time.monotonic() + WAIT_SECONDS
    while _waiting_checks(app):
        stack = _RUNNING[-1] if _RUNNING else None
        if stack is not None and stack.worker.poll() is not None:
            raise AssertionError(f"the stack's check worker stopped:\n{stack.worker_log()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"checks still waiting after {WAIT_SECONDS:.0f} s; the worker said:\n"
                                 f"{stack.worker_log() if stack else ''}")
        time.sleep(0.05)
