"""What locust runs: citizens' apps sending packets through the API and waiting for the report.

Each iteration sends one packet (``POST /api/v1/submissions``, multipart, with an
``Idempotency-Key``), alternating between the web hosts and going round the packets, then
polls the submission's light status route (its Location + ``/check``) with its secret and
the last answer's ETag until ``state`` is done or failed, asking each host in turn: every
``LOAD_POLL_SECONDS`` while the check runs or is next, less often the more checks
``counts.ahead`` says are queued before it. One line per upload goes to
``LOAD_RECORDS`` (JSON lines); the count of answers by HTTP status goes to ``LOAD_STATUSES``
when locust quits. The benchmark
(``python -m bench.load``) sets these variables and starts locust; it is not run by hand:

- ``LOAD_PACKETS``: the packets' manifest; ``LOAD_SERVICES``: a comma list to send only some;
- ``LOAD_HOSTS``: the web hosts' base addresses, comma-separated (loopback only);
- ``LOAD_PACING``: seconds from the start of one upload of a user to its next (0: at once);
- ``LOAD_MAX_UPLOADS``: stop after this many uploads (0: until the run time ends);
- ``LOAD_POLL_SECONDS``, ``LOAD_POLL_LIMIT``: how often to ask, and for how long at most.

Each packet's multipart body is encoded once, as ``requests`` would encode it, and the same
bytes are sent every time: the load generator shares the cores with what it measures, and
copying megabytes into a new body for every upload would be its own cost counted as theirs.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, constant, constant_pacing, events, task
from urllib3.filepost import encode_multipart_formdata

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load import packets

HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8000").split(",") if h]
for _host in HOSTS:
    if urlsplit(_host).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"the load only runs against loopback addresses, not {_host}")
SERVICES = tuple(s for s in os.environ.get("LOAD_SERVICES", "").split(",") if s) or None
PACKETS = packets.load(Path(os.environ.get("LOAD_PACKETS", "test-output/load/packets/packets.json")), SERVICES)
PACING = float(os.environ.get("LOAD_PACING", "0"))
MAX_UPLOADS = int(os.environ.get("LOAD_MAX_UPLOADS", "0"))
POLL_SECONDS = float(os.environ.get("LOAD_POLL_SECONDS", "0.2"))
POLL_LIMIT = float(os.environ.get("LOAD_POLL_LIMIT", "300"))
RECORDS = open(os.environ.get("LOAD_RECORDS", os.devnull), "a", encoding="utf-8")  # noqa: SIM115
STATUSES: Counter[str] = Counter()
_numbers = itertools.count()
_finished = 0


@events.request.add_listener
def _count(request_type: str, name: str, response: Any = None, exception: BaseException | None = None,
           **_kw: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    STATUSES[str(status) if status else f"no answer ({type(exception).__name__})"] += 1


@events.quitting.add_listener
def _write_statuses(**_kw: Any) -> None:
    RECORDS.flush()
    path = os.environ.get("LOAD_STATUSES")
    if path:
        Path(path).write_text(json.dumps(dict(STATUSES), indent=1, sort_keys=True))


# Each packet as one multipart body with its content type, encoded before any user starts.
_BODIES = {id(p): encode_multipart_formdata([("service", p.service), *p.files()]) for p in PACKETS}


def body_of(packet: packets.Packet) -> tuple[bytes, str]:
    return _BODIES[id(packet)]


def poll_delay(ahead: int) -> float:
    """Soon while the check runs or is next; longer the more checks are queued ahead of it, as a
    considerate app would, so a burst's waiting clients do not keep the web hosts busy."""
    return POLL_SECONDS if ahead <= 0 else min(2.0, max(POLL_SECONDS, 0.25 * ahead))


class Citizen(HttpUser):
    """An app that sends one packet and waits for its report, again and again."""

    host = HOSTS[0]
    wait_time = constant_pacing(PACING) if PACING > 0 else constant(0)

    @task
    def send_and_wait(self) -> None:
        number = next(_numbers)
        if MAX_UPLOADS and number >= MAX_UPLOADS:
            gevent.sleep(1)
            return
        host = HOSTS[number % len(HOSTS)]
        packet = PACKETS[number % len(PACKETS)]
        record: dict[str, Any] = {"n": number, "service": packet.service, "host": host, "sent": time.time()}
        try:
            self._send(host, packet, record)
        finally:
            RECORDS.write(json.dumps(record) + "\n")
            RECORDS.flush()
            self._count_finished()

    def _send(self, host: str, packet: packets.Packet, record: dict[str, Any]) -> None:
        body, content_type = body_of(packet)
        began = time.perf_counter()
        with self.client.post(f"{host}/api/v1/submissions", data=body,
                              headers={"Idempotency-Key": uuid.uuid4().hex, "Content-Type": content_type},
                              name="POST /api/v1/submissions", timeout=120, catch_response=True) as answer:
            record["upload_ms"] = (time.perf_counter() - began) * 1000
            record["status"] = answer.status_code
            if answer.status_code != 202:
                answer.failure(f"{answer.status_code}: {answer.text[:300]}")
                return
            body = answer.json()
            answer.success()
        record["reference"] = body["reference"]
        status_path = f"{answer.headers['Location']}/check"
        secret = body["secret"]
        deadline = time.perf_counter() + POLL_LIMIT
        ahead = int(body.get("check", {}).get("ahead", 0))
        etag = ""
        for turn in itertools.count(1):
            if time.perf_counter() > deadline:
                record["state"] = "gave up"
                return
            gevent.sleep(poll_delay(ahead))
            poll_host = HOSTS[(record["n"] + turn) % len(HOSTS)]
            headers = {"Submission-Secret": secret} | ({"If-None-Match": etag} if etag else {})
            with self.client.get(f"{poll_host}{status_path}", headers=headers,
                                 name="GET /api/v1/submissions/<ref>/check", timeout=60, catch_response=True) as seen:
                if seen.status_code == 304:  # nothing changed since the last answer
                    seen.success()
                    continue
                if seen.status_code != 200:
                    seen.failure(f"{seen.status_code}: {seen.text[:300]}")
                    continue
                status = seen.json()
                state, ahead = status["state"], int(status["counts"]["ahead"])
                etag = seen.headers.get("ETag", "")
                seen.success()
            if state in ("done", "failed"):
                record["state"] = state
                record["report_ms"] = (time.perf_counter() - began) * 1000
                return

    def _count_finished(self) -> None:
        global _finished
        _finished += 1
        if MAX_UPLOADS and _finished >= MAX_UPLOADS and self.environment.runner is not None:
            gevent.spawn_later(0.1, self.environment.runner.quit)
