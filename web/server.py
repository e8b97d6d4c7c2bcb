"""What protects gunicorn's worker threads from slow clients: a worker that buffers request
headers (the deadline for request bodies is ``web.security.BodyDeadline``).

gunicorn's threaded worker hands a connection to a thread as soon as its first byte
arrives, and the thread then waits as long as the client likes for the rest of the headers:
a few hundred sockets sending one byte every ten seconds (slowloris) hold every thread,
and nobody else is served. :class:`HeaderBufferingWorker` reads headers in the worker's
event loop instead, without a thread, and closes a connection whose headers are not complete
within ``INTAKE_HEADER_SECONDS``; only a request whose headers have all arrived gets a thread.

The body is read by the application (Werkzeug, as the form is parsed), so its limit is in
the application: ``web.security.BodyDeadline`` answers 408 once reading a body has taken
longer than ``INTAKE_BODY_SECONDS``, and waits at most ``INTAKE_SOCKET_SECONDS`` for any one
piece of it. A client trickling a large body still holds one thread until then: a
buffering reverse proxy in front (nginx with ``proxy_request_buffering on``) removes even that.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

HEADER_END = b"\r\n\r\n"


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(f"INTAKE_{name}")
    return float(value) if value else default


class HeaderBufferingWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's ``gthread`` worker, but headers are gathered in the event loop, not in a thread.

    Set it in ``gunicorn.conf.py`` (``worker_class = "web.server.HeaderBufferingWorker"``).
    With TLS terminated by gunicorn itself the parent's behaviour is kept unchanged.
    """

    header_seconds = _seconds("HEADER_SECONDS", 10.0)
    header_bytes = 64 * 1024

    def init_process(self) -> None:
        self.reading: dict[Any, tuple[Any, bytearray, float]] = {}
        super().init_process()

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:
            super().accept(listener)
            return
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        self.nr_conns += 1
        self._gather(TConn(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection speaks again: gather its next request's headers the same way."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._gather(conn)

    def _gather(self, conn: Any) -> None:
        conn.sock.setblocking(False)
        self.reading[conn.sock] = (conn, bytearray(), time.monotonic() + self.header_seconds)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_header_bytes, conn))

    def _on_header_bytes(self, conn: Any, client: Any) -> None:
        _conn, buffer, _deadline = self.reading[client]
        try:
            data = client.recv(self.header_bytes)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(conn)
            return
        buffer += data
        if HEADER_END not in buffer and len(buffer) < self.header_bytes:
            return
        self.poller.unregister(client)
        del self.reading[client]
        conn.sock.setblocking(True)
        conn.init()
        conn.data_ready = True
        conn.parser.unreader.unread(bytes(buffer))
        self.enqueue_req(conn)

    def _drop(self, conn: Any) -> None:
        self.reading.pop(conn.sock, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """Also close connections whose headers did not all arrive in time."""
        super().murder_pending()
        now = time.monotonic()
        for conn, _buffer, deadline in list(self.reading.values()):
            if deadline < now:
                self._drop(conn)
