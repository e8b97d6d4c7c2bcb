"""What the load benchmark runs, and how each thing is started, watched and stopped.

Every server is a subprocess that leads a process group of its own: stopping one
signals its whole group, so a Celery worker's pool process and its sandboxes go with it.
``Fleet`` remembers everything it started and stops it all, newest first, however the
benchmark ends (``with Fleet(...) as fleet:``). Nothing here listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def wait_until(ready: Callable[[], bool], seconds: float, what: str, alive: Callable[[], bool] = lambda: True,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        if not alive():
            break
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not become ready within {seconds:.0f} s\n{tail}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@dataclass
class Process:
    """One started server: its process group, its log and how long it may take to stop."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    handle: IO[bytes]
    stop_seconds: float = 20.0
    tier: int = 1  # stopped highest first: clients (2), then the app (1), then what it stands on (0)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the whole group: the process and every child die at once, nothing cleans up."""
        self._signal_group(signal.SIGKILL)
        self.popen.wait()
        self.handle.close()

    def stop(self) -> None:
        if self.alive():
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=self.stop_seconds)
        # Whatever the group still holds (a pool process that outlived its parent) goes too.
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self.handle.close()

    def tree(self) -> list[psutil.Process]:
        return tree(self.popen.pid)


def tree(pid: int) -> list[psutil.Process]:
    try:
        top = psutil.Process(pid)
        return [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(processes: list[Process] | list[int]) -> float:
    """CPU time of these processes (or pids) and all their children, living and ended (user + system)."""
    total = 0.0
    for process in processes:
        for member in tree(process if isinstance(process, int) else process.pid):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                times = member.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
    return total


@dataclass
class Fleet:
    """Everything the benchmark started, stopped newest first on leaving, even on Ctrl-C."""

    logs: Path
    env: dict[str, str] = field(default_factory=dict)
    started: list[Process] = field(default_factory=list)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __enter__(self) -> Fleet:
        self.logs.mkdir(parents=True, exist_ok=True)
        previous = signal.getsignal(signal.SIGTERM)

        def interrupted(_signum: int, _frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupted)
        self._stack.callback(signal.signal, signal.SIGTERM, previous)
        return self

    def __exit__(self, *exc: object) -> None:
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        try:
            for process in sorted(reversed(self.started), key=lambda p: -p.tier):
                process.stop()
        finally:
            try:
                self._stack.close()
            finally:
                signal.signal(signal.SIGINT, interrupt)

    def enter(self, context: contextlib.AbstractContextManager[Any]) -> Any:
        """Hold a context manager (moto's server) open until the fleet stops."""
        return self._stack.enter_context(context)

    def start(self, name: str, argv: list[str], *, env: dict[str, str] | None = None,
              stop_seconds: float = 20.0, tier: int = 1) -> Process:
        log = self.logs / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **self.env, **(env or {})},
                                 stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        process = Process(name, popen, log, handle, stop_seconds, tier)
        self.started.append(process)
        return process

    def forget(self, process: Process) -> None:
        if process in self.started:
            self.started.remove(process)

    def run(self, name: str, argv: list[str], seconds: float = 120) -> None:
        """A command that must finish (a migration), its output in the logs."""
        process = self.start(name, argv)
        try:
            code = process.popen.wait(timeout=seconds)
        finally:
            process.stop()
            self.forget(process)
        if code != 0:
            tail = process.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{' '.join(argv[:4])} failed ({code}):\n{tail}")


@dataclass
class Redis:
    """A Redis server of the benchmark's own, without persistence: a restart empties it, as a
    broker that loses its queue would."""

    fleet: Fleet
    port: int
    process: Process | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self.process = self.fleet.start(f"redis-{self.restarts}", [
            "redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
            "--protected-mode", "yes", "--maxclients", "1000"], stop_seconds=10, tier=0)
        wait_until(self.pings, 20, "redis-server", self.process.alive, self.process.log)

    def pings(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def restart(self) -> float:
        """Stop it and start it again on the same port; the seconds it was away."""
        assert self.process is not None
        began = time.monotonic()
        self.process.stop()
        self.fleet.forget(self.process)
        self.restarts += 1
        self.start()
        return time.monotonic() - began


@dataclass
class Database:
    """A database of the benchmark's own on the machine's PostgreSQL server, made afresh each run."""

    server: str
    name: str = "intake_load"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.server}/{self.name}"

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(f"postgresql://{self.server}/postgres", autocommit=True, connect_timeout=10)

    def recreate(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        import psycopg

        with psycopg.connect(f"postgresql://{self.server}/{self.name}", autocommit=True) as conn:
            yield conn


@dataclass
class Workers:
    """Celery check workers, one process each with ``--concurrency 1``."""

    fleet: Fleet
    queue: str
    running: list[Process] = field(default_factory=list)
    count: int = 0

    def start(self) -> Process:
        self.count += 1
        name = f"worker-{self.count}"
        process = self.fleet.start(name, [
            str(VENV_BIN / "celery"), "--app", "web.tasks", "worker", "--concurrency", "1", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", self.queue,
            "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h"], stop_seconds=30)
        self.running.append(process)
        return process

    def wait_ready(self, process: Process, seconds: float = 90) -> None:
        wait_until(lambda: b" ready." in process.log.read_bytes(), seconds, process.name, process.alive, process.log)

    def scale(self, count: int) -> None:
        new = [self.start() for _ in range(count - len(self.running))]
        for process in new:
            self.wait_ready(process)
        while len(self.running) > count:
            process = self.running.pop()
            process.stop()
            self.fleet.forget(process)

    def holding(self, pid: int) -> Process | None:
        """The worker whose process tree has this pid (the pool process running a check)."""
        return next((w for w in self.running if any(p.pid == pid for p in w.tree())), None)

    def kill(self, process: Process) -> None:
        process.kill()
        self.running.remove(process)
        self.fleet.forget(process)
