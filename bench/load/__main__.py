"""``python -m bench.load [--burst]``: start the layout, load it, write the figures, judge them.

The steady plan (``make load``, ``test-output/load.json``):

1. *Alone*: one worker, one packet at a time, each packet of the mix a few times: how long a
   single check takes from upload to finished report, and the workers' CPU for it.
2. For 1 and then 2 workers: *capacity*, locust keeping more packets in flight than there
   are workers, so the queue never empties (checks done per second, CPU per check); then a
   *paced* run of ``LOAD_SECONDS`` at 80 % of that capacity, where the latency is measured.
   In the 2-worker paced run one worker is killed with SIGKILL in the middle of a check (a
   new one is started) and Redis, the broker, is restarted once, losing what it held.
3. A grace period for what the faults held up, then the database says what was lost or
   done twice.

The burst plan (``make load-burst``, ``test-output/load-burst.json``): 50 uploads of the
il-child-care packet at once against 2 workers: the 5xx count, the p95 of the upload's own
answer, and when the last report finished against 50 x one check's CPU time / workers.

Configuration for the load, all through the app's own variables: rate limits in Redis and
raised (every request comes from 127.0.0.1), the fair share per sender off (the load is one
sender), the check time limit at 20 s and the sweeper every 10 s, so a check a killed
worker held is run again within the grace period. ``LOAD_LIMITER_FALLBACK=1`` also keeps the
rate limits in memory while Redis is away (Flask-Limiter's fallback), instead of the 500s a
limited request gets then without it.

Everything shares this machine's cores, where a deployment gives the check workers hosts of
their own. Each worker process steps back as the app's own setting says
(``INTAKE_CHECK_WORKER_NICE``, 10 by default, applied in ``web.tasks``), so the web hosts answer
uploads first, as they would beside a separate worker host; the load changes nothing there.
The same step back makes the checks yield to any other program at normal priority: on a
machine shared with other work, the burst's finish ratio measures that work too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import secrets
import shutil
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load import figures
from bench.load import packets as packet_files
from bench.load.processes import (
    LOOPBACK,
    ROOT,
    VENV_BIN,
    Database,
    Fleet,
    Process,
    Redis,
    Workers,
    answers,
    cpu_seconds,
    free_port,
    wait_until,
)

OUTPUT = ROOT / "test-output"
WORK = OUTPUT / "load"  # the plan's own folder below it: steady/ or burst/
POSTGRES = os.environ.get("LOAD_POSTGRES", f"postgres@{LOOPBACK}:5432")
POLL_SECONDS = 0.2
CHECK_SECONDS = 20
SWEEP_SECONDS = 10
# A check a killed worker held is sent again once its lease (time limit + 60 s) runs out.
GRACE_SECONDS = CHECK_SECONDS + 60 + 3 * SWEEP_SECONDS + 30
BUCKET = "intake-load"
BURST = 50
BURST_SERVICE = "il-child-care"

TARGET_P95_TIMES_ALONE = 3.0
TARGET_CPU_RATIO = 1.1
TARGET_BURST_UPLOAD_P95_MS = 1000.0
TARGET_BURST_FINISH_RATIO = 1.2


@dataclass
class Layout:
    """What runs: the database, the broker, the web hosts, the workers and the sweeper."""

    fleet: Fleet
    database: Database
    redis: Redis
    hosts: list[str]
    workers: Workers
    manifest: Path
    webs: list[Process]
    s3_pid: int
    statuses: Counter[str] = field(default_factory=Counter)
    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    sent_here: int = 0

    def note(self, what: str, **detail: Any) -> None:
        entry = {"at_s": round(time.monotonic() - self.started, 1), "what": what, **detail}
        self.events.append(entry)
        print(f"  [{entry['at_s']:7.1f}s] {what} {json.dumps(detail) if detail else ''}", flush=True)

    def db(self) -> contextlib.AbstractContextManager[Any]:
        return self.database.connect()


def start_layout(fleet: Fleet, manifest: Path) -> Layout:
    from tests import s3server

    reason = s3server.available()
    if reason:
        raise SystemExit(f"the load needs moto's server: {reason}")
    for name in s3server.IGNORED:
        os.environ.pop(name, None)
    os.environ.update(s3server.ENVIRONMENT)

    database = Database(POSTGRES)
    database.recreate()
    redis = Redis(fleet, free_port())
    redis.start()
    s3 = fleet.enter(s3server.running())
    import boto3

    boto3.client("s3", endpoint_url=s3.url).create_bucket(Bucket=BUCKET)
    limit = "1000000 per minute"
    fleet.env.update({
        "INTAKE_ENV": "production", "INTAKE_SECRET_KEY": secrets.token_urlsafe(32),
        "INTAKE_DATABASE_URL": database.url, "INTAKE_STORAGE": f"s3://{BUCKET}", "INTAKE_S3_ENDPOINT_URL": s3.url,
        "INTAKE_BROKER_URL": f"{redis.url}/0", "INTAKE_RATELIMIT_STORAGE_URI": f"{redis.url}/1",
        "INTAKE_RATELIMIT_UPLOAD": limit, "INTAKE_RATELIMIT_LOOKUP": limit, "INTAKE_RATELIMIT_POLL": limit,
        "INTAKE_RATELIMIT_REFERENCE": limit,
        "INTAKE_CHECK_FAIR_SHARE": "0", "INTAKE_CHECK_SECONDS": str(CHECK_SECONDS),
        "INTAKE_SWEEP_SECONDS": str(SWEEP_SECONDS), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
    })
    if os.environ.get("LOAD_LIMITER_FALLBACK"):
        # Rate limits kept in memory while Redis is away, instead of a 500 for every limited request.
        fleet.env.update({"INTAKE_RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": "true",
                          "INTAKE_RATELIMIT_SWALLOW_ERRORS": "true"})
    fleet.run("migrate", [str(VENV_BIN / "flask"), "--app", "web", "db", "upgrade", "-d", "web/migrations"])
    hosts = []
    webs: list[Process] = []
    for index in (1, 2):
        port = free_port()
        webs.append(fleet.start(f"web-{index}", [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py",
                                                 "web:create_app()"], env={"INTAKE_BIND": f"{LOOPBACK}:{port}"}))
        hosts.append(f"http://{LOOPBACK}:{port}")
    for host, web in zip(hosts, webs, strict=True):
        wait_until(lambda h=host: answers(f"{h}/api/v1/openapi.json"), 60, web.name, web.alive, web.log)
    fleet.start("beat", [str(VENV_BIN / "celery"), "--app", "web.tasks", "beat", "--loglevel", "INFO",
                         "--schedule", str(WORK / "beat-schedule")])
    workers = Workers(fleet, "intake.checks")
    return Layout(fleet, database, redis, hosts, workers, manifest, webs, s3.process.pid)


def cpu_by_role(layout: Layout, locust: Process | None = None) -> dict[str, float]:
    """CPU seconds so far of what the benchmark started, by role (PostgreSQL is the machine's own)."""
    roles: dict[str, list[Process] | list[int]] = {
        "workers": layout.workers.running, "web": layout.webs, "s3": [layout.s3_pid],
        "redis": [layout.redis.process] if layout.redis.process else []}
    if locust is not None:
        roles["locust"] = [locust]
    return {role: cpu_seconds(processes) for role, processes in roles.items()}


def used(before: dict[str, float], after: dict[str, float], per: float = 1.0) -> dict[str, float]:
    return {role: round((after[role] - before.get(role, 0.0)) / per, 3) for role in after}


# -- one packet at a time ---------------------------------------------------------------------

def send_and_wait(layout: Layout, host: str, packet: packet_files.Packet) -> dict[str, Any]:
    """What a locust user does, from here: one upload, polled until its check finished."""
    import requests

    record: dict[str, Any] = {"service": packet.service, "host": host, "sent": time.time()}
    layout.sent_here += 1
    began = time.perf_counter()
    answer = requests.post(f"{host}/api/v1/submissions", data={"service": packet.service}, files=packet.files(),
                           timeout=120)
    record["upload_ms"] = (time.perf_counter() - began) * 1000
    layout.statuses[str(answer.status_code)] += 1
    if answer.status_code != 202:
        raise RuntimeError(f"upload answered {answer.status_code}: {answer.text[:500]}")
    body = answer.json()
    record["reference"] = body["reference"]
    while time.perf_counter() - began < 120:
        time.sleep(POLL_SECONDS)
        seen = requests.get(f"{host}{answer.headers['Location']}/check",
                            headers={"Submission-Secret": body["secret"]}, timeout=60)
        layout.statuses[str(seen.status_code)] += 1
        if seen.status_code == 200 and seen.json()["state"] in ("done", "failed"):
            record["state"] = seen.json()["state"]
            record["report_ms"] = (time.perf_counter() - began) * 1000
            return record
    raise RuntimeError(f"the check of {body['reference']} did not finish within 120 s")


def alone(layout: Layout, packets: list[packet_files.Packet], rounds: int) -> dict[str, Any]:
    """Each packet checked with nothing else running: latency and the workers' CPU per check."""
    layout.workers.scale(1)
    for packet in packets:  # the first check of a fresh worker also warms its imports and sandbox
        send_and_wait(layout, layout.hosts[0], packet)
    latency: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for turn in range(rounds):
        for index, packet in enumerate(packets):
            before = cpu_seconds(layout.workers.running)
            record = send_and_wait(layout, layout.hosts[(turn + index) % len(layout.hosts)], packet)
            time.sleep(0.3)  # the worker's last writes after the report is visible
            cpu.setdefault(packet.service, []).append(cpu_seconds(layout.workers.running) - before)
            latency.setdefault(packet.service, []).append(record["report_ms"])
    every = [ms for values in latency.values() for ms in values]
    return {
        "checks": len(every),
        "p50_ms": figures.rounded(figures.percentile(every, 0.5)),
        "p95_ms": figures.rounded(figures.percentile(every, 0.95)),
        "report_ms_by_service": {s: figures.rounded(statistics.median(v)) for s, v in latency.items()},
        "cpu_seconds_by_service": {s: round(statistics.median(v), 3) for s, v in cpu.items()},
        "cpu_seconds_per_check": round(statistics.mean(statistics.median(v) for v in cpu.values()), 3),
    }


# -- locust ------------------------------------------------------------------------------------

@dataclass
class LocustRun:
    name: str
    process: Process
    records: Path
    statuses: Path
    began: float


def start_locust(layout: Layout, name: str, *, users: int, spawn_rate: float, seconds: float,
                 pacing: float = 0.0, max_uploads: int = 0, services: tuple[str, ...] = ()) -> LocustRun:
    records, statuses = WORK / f"{name}.records.jsonl", WORK / f"{name}.statuses.json"
    process = layout.fleet.start(f"locust-{name}", [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", f"{spawn_rate:.3f}", "--run-time", f"{max(1, round(seconds))}s",
        "--stop-timeout", "150", "--only-summary", "--loglevel", "WARNING", "--host", layout.hosts[0],
        "--exit-code-on-error", "0"], env={
        "LOAD_PACKETS": str(layout.manifest), "LOAD_HOSTS": ",".join(layout.hosts), "LOAD_RECORDS": str(records),
        "LOAD_STATUSES": str(statuses), "LOAD_PACING": str(pacing), "LOAD_MAX_UPLOADS": str(max_uploads),
        "LOAD_POLL_SECONDS": str(POLL_SECONDS), "LOAD_SERVICES": ",".join(services)}, stop_seconds=30, tier=2)
    return LocustRun(name, process, records, statuses, time.monotonic())


def finish_locust(layout: Layout, run: LocustRun, seconds: float) -> list[dict[str, Any]]:
    try:
        run.process.popen.wait(timeout=seconds)
    except Exception:
        run.process.stop()
        raise
    finally:
        layout.fleet.forget(run.process)
        run.process.stop()
    if run.process.popen.returncode not in (0, None):
        tail = run.process.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"locust ({run.name}) ended with {run.process.popen.returncode}:\n{tail}")
    records = figures.read_records(run.records)
    for record in records:
        record["phase"] = run.name
    layout.records.extend(records)
    layout.statuses.update(figures.read_statuses(run.statuses))
    return records


def settle(layout: Layout, seconds: float = 60) -> None:
    """Wait (a while at most) for the queue to empty, so one phase's checks do not count in the next."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with layout.db() as conn:
            if figures.open_checks(conn) == 0:
                return
        time.sleep(0.5)


def capacity(layout: Layout, workers: int, seconds: float) -> dict[str, Any]:
    """More packets in flight than workers, so each always has one: checks per second, CPU per check."""
    warm = 5.0
    run = start_locust(layout, f"capacity-{workers}", users=2 * workers + 2, spawn_rate=100,
                       seconds=warm + seconds)
    time.sleep(warm)
    with layout.db() as conn:
        done_before, cpu_before, began = figures.done_checks(conn), cpu_by_role(layout, run.process), \
            time.monotonic()
    time.sleep(seconds)
    with layout.db() as conn:
        done_after, cpu_after, ended = figures.done_checks(conn), cpu_by_role(layout, run.process), \
            time.monotonic()
    finish_locust(layout, run, 300)
    settle(layout)
    checks = done_after - done_before
    per_check = used(cpu_before, cpu_after, checks) if checks else {}
    result = {"workers": workers, "seconds": round(ended - began, 1), "checks": checks,
              "checks_per_second": round(checks / (ended - began), 3),
              "cpu_seconds_per_check": per_check.get("workers"), "cpu_seconds_per_check_by_role": per_check}
    layout.note("capacity measured", **result)
    return result


def paced(layout: Layout, workers: int, rate: float, seconds: float, single_s: float,
          faults: bool) -> dict[str, Any]:
    """Uploads at ``rate`` a second for ``seconds``; the faults, if asked, a third and two thirds in."""
    period = max(3.0, 4 * single_s)
    users = max(2, math.ceil(rate * period))
    period = users / rate
    run = start_locust(layout, f"paced-{workers}", users=users, spawn_rate=rate, seconds=seconds, pacing=period)
    faults_at = [seconds / 3, 2 * seconds / 3] if faults else []
    done: list[str] = []
    while run.process.alive() and faults_at:
        elapsed = time.monotonic() - run.began
        if elapsed >= faults_at[0]:
            faults_at.pop(0)
            if not done:
                kill_a_busy_worker(layout)
                done.append("worker")
            else:
                away = layout.redis.restart()
                layout.note("redis restarted (its queue lost)", seconds_away=round(away, 2))
                done.append("redis")
        time.sleep(0.1)
    records = finish_locust(layout, run, seconds + 400)
    settle(layout)
    sent = [r for r in records if "upload_ms" in r]
    span = (max(r["sent"] for r in sent) - min(r["sent"] for r in sent)) if len(sent) > 1 else 0
    return {"target_rate": round(rate, 3), "users": users, "pacing_s": round(period, 2),
            "uploads_per_second": round((len(sent) - 1) / span, 3) if span else None,
            "faults": done, **figures.latencies(records)}


def kill_a_busy_worker(layout: Layout) -> None:
    """SIGKILL the worker that is running a check (waiting a little for one to be running), and start
    another in its place."""
    deadline = time.monotonic() + 10
    held: tuple[int, str] | None = None
    victim = None
    while time.monotonic() < deadline and victim is None:
        with layout.db() as conn:
            row = conn.execute("SELECT id, worker FROM checks WHERE state = 'running' ORDER BY started_at DESC "
                               "LIMIT 1").fetchone()
        if row and row[1] and row[1].rpartition(":")[2].isdigit():
            held = (int(row[0]), row[1])
            victim = layout.workers.holding(int(row[1].rpartition(":")[2]))
        if victim is None:
            time.sleep(0.05)
    victim = victim or layout.workers.running[0]
    layout.workers.kill(victim)
    layout.note("worker killed with SIGKILL", worker=victim.name, check=held[0] if held else None)
    if held:
        layout.events[-1]["killed_check"] = held[0]
    replacement = layout.workers.start()
    layout.workers.wait_ready(replacement)
    layout.note("replacement worker ready", worker=replacement.name)


def grace(layout: Layout) -> float:
    """Wait until every stored upload's check finished, or the grace period is over; seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < GRACE_SECONDS:
        with layout.db() as conn:
            if figures.unfinished_submissions(conn) == 0:
                break
        time.sleep(1)
    return time.monotonic() - began


# -- the plans ---------------------------------------------------------------------------------

def steady(layout: Layout, seconds: float) -> tuple[dict[str, Any], list[tuple[bool, str]]]:
    packets = packet_files.load(layout.manifest)
    layout.note("measuring one check alone")
    single = alone(layout, packets, rounds=3)
    layout.note("alone", p50_ms=single["p50_ms"], p95_ms=single["p95_ms"],
                cpu_seconds_per_check=single["cpu_seconds_per_check"])
    runs = []
    for workers in (1, 2):
        layout.workers.scale(workers)
        layout.note(f"{workers} worker(s): capacity")
        cap = capacity(layout, workers, max(15.0, seconds / 3))
        rate = 0.8 * cap["checks_per_second"]
        layout.note(f"{workers} worker(s): paced at {rate:.2f} uploads/s for {seconds:.0f} s")
        run = paced(layout, workers, rate, seconds, (single["p95_ms"] or 1000) / 1000, faults=workers == 2)
        layout.note("paced run", p50_ms=run["p50_ms"], p95_ms=run["p95_ms"], p99_ms=run["p99_ms"])
        runs.append({"workers": workers, "checks_per_second": cap["checks_per_second"],
                     "cpu_seconds_per_check": cap["cpu_seconds_per_check"], "capacity": cap, "paced": run})
    waited = grace(layout)
    layout.note("grace over", seconds=round(waited, 1))
    with layout.db() as conn:
        counted = figures.outcome(conn)
    last = runs[-1]["paced"]
    report = {
        "uploads": len([r for r in layout.records if "upload_ms" in r]) + layout.sent_here,
        "stored": counted["stored"], "completed": counted["completed"], "lost": counted["lost"],
        "duplicated": counted["duplicated"], "errors_by_status": figures.errors_only(layout.statuses),
        "p50_ms": last["p50_ms"], "p95_ms": last["p95_ms"], "p99_ms": last["p99_ms"],
        "checks_per_second": runs[-1]["checks_per_second"],
        "runs": runs, "alone": single, "database": counted, "grace_seconds": round(waited, 1),
        "statuses": dict(sorted(layout.statuses.items())), "events": layout.events,
        "settings": {"load_seconds": seconds, "poll_seconds": POLL_SECONDS, "check_seconds": CHECK_SECONDS,
                     "sweep_seconds": SWEEP_SECONDS, "grace_limit_seconds": GRACE_SECONDS,
                     "services": [p.service for p in packets], "web_hosts": len(layout.hosts),
                     "cores": os.cpu_count(), "limiter_fallback": bool(os.environ.get("LOAD_LIMITER_FALLBACK"))},
    }
    p95_limit = TARGET_P95_TIMES_ALONE * (single["p95_ms"] or 0)
    ratio = (runs[1]["cpu_seconds_per_check"] or math.inf) / (runs[0]["cpu_seconds_per_check"] or math.inf)
    report["cpu_ratio_2_to_1"] = round(ratio, 3)
    fives = figures.server_errors(layout.statuses)
    targets = [
        (counted["lost"] == 0, f"lost checks: {counted['lost']} of {counted['stored']} stored (target 0)"),
        (counted["duplicated"] == 0, f"checks done twice: {counted['duplicated']} (target 0)"),
        (fives == 0, f"5xx answers: {fives} (target 0)"),
    ]
    for run in runs:
        p95 = run["paced"]["p95_ms"]
        faults = " (with a worker killed and Redis restarted)" if run["paced"]["faults"] else ""
        targets.append((p95 is not None and p95 <= p95_limit,
                        f"p95 upload to report, {run['workers']} worker(s) at 80% of capacity{faults}: "
                        f"{p95} ms (target <= 3 x {single['p95_ms']} ms alone = {p95_limit:.0f} ms)"))
    targets.append((ratio <= TARGET_CPU_RATIO, f"CPU per check, 2 workers vs 1: {ratio:.2f}x "
                    f"({runs[1]['cpu_seconds_per_check']} s vs {runs[0]['cpu_seconds_per_check']} s; "
                    f"target <= {TARGET_CPU_RATIO}x)"))
    return report, targets


def burst(layout: Layout, workers: int) -> tuple[dict[str, Any], list[tuple[bool, str]]]:
    packet = next(p for p in packet_files.load(layout.manifest) if p.service == BURST_SERVICE)
    layout.note(f"measuring one {BURST_SERVICE} check alone")
    single = alone(layout, [packet], rounds=3)
    layout.workers.scale(workers)
    layout.note(f"{workers} workers warming up")
    # A fresh worker's first check pays for its imports and sandbox: not the burst's to pay.
    run = start_locust(layout, "warm", users=workers, spawn_rate=100, seconds=120, max_uploads=2 * workers,
                       services=(BURST_SERVICE,))
    finish_locust(layout, run, 300)
    settle(layout)
    layout.records.clear()
    layout.note(f"{BURST} uploads at once")
    run = start_locust(layout, "burst", users=BURST, spawn_rate=1000, seconds=600, max_uploads=BURST,
                       services=(BURST_SERVICE,))
    cpu_before = cpu_after = cpu_by_role(layout, run.process)
    while run.process.alive():
        cpu_after = cpu_by_role(layout, run.process)  # the last reading before locust ends
        time.sleep(0.2)
    records = finish_locust(layout, run, 900)
    settle(layout)
    cpu_used = used(cpu_before, cpu_after)
    waited = grace(layout)
    with layout.db() as conn:
        counted = figures.outcome(conn)
    sent = [r for r in records if "upload_ms" in r]
    done = [r for r in sent if r.get("state") == "done"]
    first = min((r["sent"] for r in sent), default=0.0)
    last = max((r["sent"] + r["report_ms"] / 1000 for r in done), default=first)
    ideal = BURST * single["cpu_seconds_per_check"] / workers
    upload_p95 = figures.percentile([r["upload_ms"] for r in sent], 0.95)
    fives = figures.server_errors(layout.statuses)
    finish_ratio = (last - first) / ideal if ideal else math.inf
    report = {
        "uploads": len(sent), "completed": len(done), "workers": workers, "server_errors": fives,
        "errors_by_status": figures.errors_only(layout.statuses),
        "upload_p50_ms": figures.rounded(figures.percentile([r["upload_ms"] for r in sent], 0.5)),
        "upload_p95_ms": figures.rounded(upload_p95), "last_report_s": round(last - first, 2),
        "one_check_cpu_seconds": single["cpu_seconds_per_check"], "ideal_s": round(ideal, 2),
        "finish_ratio": round(finish_ratio, 3),
        "cpu_seconds_per_check": round(cpu_used["workers"] / len(done), 3) if done else None,
        "cpu_seconds_by_role": cpu_used,
        "report_p50_ms": figures.latencies(records)["p50_ms"], "report_p95_ms": figures.latencies(records)["p95_ms"],
        "lost": counted["lost"], "duplicated": counted["duplicated"], "database": counted, "alone": single,
        "grace_seconds": round(waited, 1), "statuses": dict(sorted(layout.statuses.items())), "events": layout.events,
    }
    targets = [
        (fives == 0, f"5xx answers in the burst: {fives} (target 0)"),
        (upload_p95 is not None and upload_p95 <= TARGET_BURST_UPLOAD_P95_MS,
         f"p95 of the upload's answer: {report['upload_p95_ms']} ms (target <= {TARGET_BURST_UPLOAD_P95_MS:.0f} ms)"),
        (len(done) == BURST and finish_ratio <= TARGET_BURST_FINISH_RATIO,
         f"last of {len(done)}/{BURST} reports after {last - first:.1f} s vs {BURST} x "
         f"{single['cpu_seconds_per_check']} s CPU / {workers} workers = {ideal:.1f} s: {finish_ratio:.2f}x "
         f"(target <= {TARGET_BURST_FINISH_RATIO}x)"),
        (counted["lost"] == 0 and counted["duplicated"] == 0,
         f"lost {counted['lost']}, done twice {counted['duplicated']} (target 0 and 0)"),
    ]
    return report, targets


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--burst", action="store_true", help=f"{BURST} uploads at once instead of the steady runs")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", "120")),
                        help="length of each paced run (default: LOAD_SECONDS, else 120)")
    parser.add_argument("--workers", type=int, default=2, help="check workers for the burst (default 2)")
    args = parser.parse_args()
    global WORK
    WORK = WORK / ("burst" if args.burst else "steady")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    out = OUTPUT / ("load-burst.json" if args.burst else "load.json")
    print(f"building packets in {WORK.relative_to(ROOT)}/packets", flush=True)
    manifest = packet_files.build(WORK / "packets")
    with Fleet(WORK / "logs") as fleet:
        layout = start_layout(fleet, manifest)
        layout.note("started", hosts=layout.hosts, redis=layout.redis.url, database=layout.database.name)
        report, targets = burst(layout, args.workers) if args.burst else steady(layout, args.seconds)
    report["targets"] = [{"pass": ok, "what": what} for ok, what in targets]
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")
    for ok, what in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
    return 0 if all(ok for ok, _what in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
