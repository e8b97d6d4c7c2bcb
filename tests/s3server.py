"""A real S3-compatible server for the object-storage tests: moto's server mode, run as a
subprocess on a free port of 127.0.0.1, so every request goes over HTTP through botocore as it
would to Amazon or any other S3-compatible server. Each test process (each pytest-xdist worker)
starts its own.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

# Credentials the server accepts (moto takes any); set for boto3 while the server runs.
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# Read from the machine's own AWS set-up, they could point boto3 somewhere else.
IGNORED = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
           "AWS_REGION", "AWS_CA_BUNDLE")


def available() -> str | None:
    """Why the server cannot run here, or None when it can."""
    if importlib.util.find_spec("moto") is None:
        return "moto is not installed (pip install -e '.[test]' brings moto[server])"
    if importlib.util.find_spec("moto.server") is None or importlib.util.find_spec("flask_cors") is None:
        return "moto is installed without its server mode (install moto[server])"
    return None


@dataclass
class S3Server:
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, if not with a page
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def running(seconds: float = 60) -> Iterator[S3Server]:
    """A moto server answering on 127.0.0.1, stopped on leaving; a port another process took
    between choosing it and binding it is tried again with another."""
    with tempfile.TemporaryFile() as log:
        for _attempt in range(3):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + seconds
            while process.poll() is None and time.monotonic() < deadline and not _answers(url):
                time.sleep(0.1)
            if process.poll() is None and _answers(url):
                break
            _stop(process)
        else:
            log.seek(0)
            raise RuntimeError(f"moto's server did not start: {log.read()[-2000:].decode(errors='replace')}")
        try:
            yield S3Server(url, process)
        finally:
            _stop(process)
