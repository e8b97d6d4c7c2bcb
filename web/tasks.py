"""The check workers: ``celery --app web.tasks worker`` (and ``... beat`` for the sweeper).

Each worker process builds the same app as a web host (``create_app()``, configured from
``INTAKE_*`` variables) and runs checks through the same code path, in the same sandbox.
Celery only carries check ids: the state, the report and every decision about running a
check again live in the database (``web.checkqueue``).

Settings that keep a check from being lost or doubled: a message is acknowledged only after
the check finished (``acks_late``) and goes back to the queue when its worker process dies
(``task_reject_on_worker_lost``); each worker process holds one message at a time; soft and
hard time limits stay below the broker's visibility timeout, so a slow check is never sent
to a second worker while the first still runs; a worker process is replaced once it has
grown past its memory cap.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from flask import Flask

from web import checkqueue, notify

# The step back of the worker processes of this process's app (one app per worker process).
_NICENESS = [0]


@worker_process_init.connect
def _step_back(**_kwargs: Any) -> None:
    """Each worker process (and the sandbox it starts) yields the CPU to a web host on the same
    machine, so a citizen's upload is answered before the checks queued behind it run."""
    if _NICENESS[0] > 0 and hasattr(os, "nice"):
        os.nice(_NICENESS[0])


def init_app(app: Flask) -> Celery:
    """The Celery app for this Flask app; checks and the sweeper run inside its app context."""
    seconds = int(app.config["CHECK_SECONDS"])
    celery = Celery(app.import_name, broker=app.config["BROKER_URL"] or "memory://", set_as_current=False)
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=seconds,
        task_time_limit=seconds + 30,
        broker_transport_options={"visibility_timeout": seconds + 120},
        worker_max_memory_per_child=int(app.config["CHECK_WORKER_MEMORY_MB"]) * 1024,
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        task_default_queue=app.config["CHECK_QUEUE"],
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        beat_schedule={"sweep": {"task": checkqueue.SWEEP_TASK, "schedule": float(app.config["SWEEP_SECONDS"]),
                                 "options": {"queue": app.config["CHECK_QUEUE"]}},
                       "messages": {"task": notify.PERIODIC_TASK, "schedule": float(app.config["MESSAGES_SECONDS"]),
                                    "options": {"queue": app.config["CHECK_QUEUE"]}}},
    )

    class InApp(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = InApp
    _NICENESS[0] = int(app.config["CHECK_WORKER_NICE"])

    @celery.task(name=checkqueue.CHECK_TASK, bind=True, max_retries=None, shared=False)  # type: ignore[untyped-decorator]
    def check(task: Task, check_id: int) -> str:
        worker = checkqueue.worker_name()
        try:
            outcome = checkqueue.run(check_id, worker)
        except SoftTimeLimitExceeded:
            checkqueue.fail(check_id, checkqueue.attempts(check_id),
                            f"the check took longer than {seconds} seconds")
            return "failed"
        except Exception as exc:  # storage or database trouble: one more try, then failed
            from web.models import db

            db.session.rollback()
            attempt = checkqueue.attempts(check_id)
            if attempt < checkqueue.MAX_ATTEMPTS and checkqueue.give_back(check_id, attempt):
                raise task.retry(countdown=5, exc=exc) from exc
            checkqueue.fail(check_id, attempt, f"the check could not run: {type(exc).__name__}: {exc}")
            return "failed"
        if outcome.wait_seconds is not None:
            raise task.retry(countdown=outcome.wait_seconds)
        return outcome.reason or "done"

    @celery.task(name=checkqueue.SWEEP_TASK, shared=False)  # type: ignore[untyped-decorator]
    def sweep() -> int:
        return checkqueue.sweep()

    @celery.task(name=notify.NOTIFY_TASK, shared=False)  # type: ignore[untyped-decorator]
    def send_message(notification_id: int) -> str:
        return notify.deliver(notification_id)

    @celery.task(name=notify.PERIODIC_TASK, shared=False)  # type: ignore[untyped-decorator]
    def send_due_messages() -> dict[str, int]:
        return notify.send_due()

    app.extensions["intake.celery"] = celery
    return celery


def _worker_app() -> Celery:
    from web import create_app

    flask_app = create_app()
    if "INTAKE_SANDBOX_WORKERS" not in os.environ:  # a worker process runs one check at a time
        flask_app.config["SANDBOX_WORKERS"] = 1
    celery: Celery = flask_app.extensions["intake.celery"]
    return celery


def __getattr__(name: str) -> Any:
    """``celery --app web.tasks`` looks for ``web.tasks.celery``: build the app on that first look
    only, so importing this module from a web host builds nothing."""
    if name in ("celery", "app"):
        value = _worker_app()
        globals()["celery"] = globals()["app"] = value
        return value
    raise AttributeError(name)
