"""Security headers on every response (no inline script, no framing, no sniffing, no referrer;
HSTS outside development), a refusal of state-changing requests another site's page sends, and a
deadline for reading request bodies, whatever server runs the app."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, abort, request
from werkzeug.exceptions import RequestTimeout

_PRIVATE_PATHS = ("/clerk", "/r/", "/api/")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class UploadRequest(Request):
    """A request that closes every temporary file its form parsing opened, even when parsing
    stopped half-way (too many parts, too many bytes, a body too slow): Werkzeug only closes
    the files of a form it finished, and the others would linger until garbage collection."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> Any:
        stream = super()._get_file_stream(total_content_length, content_type, filename, content_length)
        self.__dict__.setdefault("_opened", []).append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self.__dict__.pop("_opened", []):
            stream.close()


def init_app(app: Flask) -> None:
    app.request_class = UploadRequest
    served_over_https = app.config["ENV"] != "development"
    app.wsgi_app = BodyDeadline(app.wsgi_app, float(app.config["BODY_SECONDS"]),  # type: ignore[method-assign]
                                float(app.config["SOCKET_SECONDS"]))

    @app.before_request
    def _same_origin() -> None:
        """Browsers name the page's site in ``Origin`` on every POST: refuse other sites (403),
        on top of the CSRF token and SameSite cookies. Requests without it (API clients) pass, and so
        does "null": our own no-referrer policy makes Chromium send that for our own forms."""
        if request.method in SAFE_METHODS:
            return
        origin = request.headers.get("Origin")
        if origin not in (None, "null") and urlsplit(origin).netloc != request.host:
            abort(403)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith(_PRIVATE_PATHS):
            # Clerk pages, downloads and exports, a citizen's own results and every API answer
            # hold personal data: no browser or proxy keeps a copy for the next person.
            response.headers["Cache-Control"] = "private, no-store"
        if served_over_https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response


class BodyDeadline:
    """WSGI middleware: the request body must arrive within ``seconds`` of the request start.

    Reads are checked against the deadline between calls. Under gunicorn one read can wait
    for many small packets (a body trickled at 1 KB/s), so a timer also shuts the socket's
    reading side at the deadline: the blocked read returns at once and the request ends with
    408. No single packet may take longer than ``socket_seconds`` either.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], seconds: float, socket_seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.socket_seconds = socket_seconds

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        has_body = environ.get("CONTENT_LENGTH", "0") not in ("", "0") or \
            environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
        environ["wsgi.input"] = _DeadlineStream(environ["wsgi.input"], time.monotonic() + self.seconds)
        if sock is None or not has_body:
            return self.app(environ, start_response)
        sock.settimeout(self.socket_seconds)
        timer = threading.Timer(self.seconds, _stop_reading, (sock,))
        timer.daemon = True
        timer.start()
        try:
            return self.app(environ, start_response)
        finally:
            timer.cancel()


def _stop_reading(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)


class _DeadlineStream:
    """A request body that refuses to be read past its deadline, or after a stalled read."""

    def __init__(self, stream: Any, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _check(self) -> None:
        if time.monotonic() > self._deadline:
            raise RequestTimeout()

    def _call(self, method: str, *args: Any) -> Any:
        self._check()
        try:
            data = getattr(self._stream, method)(*args)
        except TimeoutError:
            raise RequestTimeout() from None
        except Exception:
            self._check()
            raise
        self._check()
        return data

    def read(self, *args: Any) -> bytes:
        data: bytes = self._call("read", *args)
        return data

    def readinto(self, buffer: Any) -> int:
        if hasattr(self._stream, "readinto"):
            count: int = self._call("readinto", buffer)
            return count
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, *args: Any) -> bytes:
        data: bytes = self._call("readline", *args)
        return data

    def readlines(self, *args: Any) -> list[bytes]:
        data: list[bytes] = self._call("readlines", *args)
        return data

    def __iter__(self) -> _DeadlineStream:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
