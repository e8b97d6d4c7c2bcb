"""Parse untrusted files in a separate, pre-started worker process under resource limits.

pdfminer (under pdfplumber) has almost no limits of its own: a tiny file can loop forever
or eat gigabytes. So with ``Checker(isolate=True)`` every parse of an upload (pypdf's
structure and fields, then pdfplumber's text, only after pypdf passed) runs in a worker
process with caps on CPU time, wall time and memory. A file that trips a cap becomes a
``file.too_complex`` problem and the worker is replaced; the caller waits a bounded time.
The parent never parses: it gets back a sealed :class:`PdfForm` carrying the fields,
layers and the text the checker needs.

The worker is ``python -m intake.sandbox`` talking over its standard pipes, so it needs
nothing from the caller's ``__main__``; what it sends back is unpickled with a whitelist of
the library's own result classes, so even a subverted worker cannot run code here.

The same worker draws pictures of pages for clerks (:meth:`Sandbox.render`, a request
tagged ``"render"``), so pdfium never reads an upload in the caller's process either, and
drafts a service file from a blank form someone uploaded (:meth:`Sandbox.scaffold`).
"""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import IO, Any, TypeVar

from intake.errors import FileProblemError, IntakeError, TooComplexError, UsageError
from intake.fields import Rect
from intake.files import Limits, Upload

_HEADER = struct.Struct(">Q")
_MAX_REPLY = 256 * 1024 * 1024
_ALLOWED = {
    ("intake.pdf", "PdfForm"), ("intake.fields", "FormField"), ("intake.fields", "Widget"),
    ("intake.fields", "Option"), ("intake.fields", "FieldKind"), ("intake.fields", "FieldSource"),
    ("intake.report", "Problem"), ("intake.report", "Severity"), ("intake.files", "Limits"),
    ("intake.ocr", "Reading"), ("intake.ocr", "Page"),
    ("builtins", "frozenset"), ("builtins", "set"), ("copyreg", "_reconstructor"), ("builtins", "object"),
}


@dataclass(frozen=True)
class SandboxLimits:
    """What one parse may use; past any of these the file is ``file.too_complex``.

    A parse also never gets more wall or CPU time than the file limits'
    ``max_parse_seconds``, the one setting callers of the library configure.
    """

    cpu_seconds: int = 10
    wall_seconds: float = 15.0
    memory_mb: int = 768
    tasks_per_worker: int = 50


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"the worker sent a {module}.{name}, which is not a result")
        return super().find_class(module, name)


def _send(stream: IO[bytes], message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class Sandbox:
    """One pre-started worker process; thread-safe (one parse at a time per sandbox)."""

    def __init__(self, limits: SandboxLimits | None = None, file_limits: Limits | None = None) -> None:
        self.limits = limits or SandboxLimits()
        self.file_limits = file_limits or Limits()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._tasks = 0
        self.replaced = 0
        self.peak_memory_mb = 0.0
        """The most resident memory any worker of this sandbox has used, in MB (Linux only)."""
        self._start()

    @property
    def wall_seconds(self) -> float:
        """The wall time one parse gets: the tighter of the sandbox's and the file limits'."""
        return min(self.limits.wall_seconds, self.file_limits.max_parse_seconds)

    @property
    def cpu_seconds(self) -> int:
        return max(1, math.ceil(min(self.limits.cpu_seconds, self.file_limits.max_parse_seconds)))

    def _start(self) -> None:
        settings = json.dumps({"sandbox": {**asdict(self.limits), "cpu_seconds": self.cpu_seconds},
                               "files": asdict(self.file_limits)})
        self._process = subprocess.Popen([sys.executable, "-m", "intake.sandbox", settings],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._tasks = 0

    def _measure(self) -> None:
        """Note the worker's peak resident memory (VmHWM) while it is still alive."""
        if self._process is None:
            return
        try:
            with open(f"/proc/{self._process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.peak_memory_mb = max(self.peak_memory_mb, int(line.split()[1]) / 1024)
        except (OSError, ValueError):
            return

    def _kill(self) -> None:
        if self._process is not None:
            self._measure()
            self._process.kill()
            self._process.wait(timeout=5)
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None:
                    pipe.close()
        self._process = None

    def read(self, upload: Upload, *, all_text: bool = False) -> Any:
        """A sealed PdfForm, or raise the FileProblemError the file deserves."""
        with self._lock:
            reply, late = self._exchange((upload.name, upload.data, all_text), self.wall_seconds)
            if reply is None:
                if late:
                    raise TooComplexError("the file took too long to read", variant="time",
                                          seconds=round(self.wall_seconds, 1))
                raise TooComplexError("the file took too much memory or time to read")
            self._measure()
            if reply[0] != "ok" and reply[3].get("variant") == "memory":
                self.replaced += 1  # a worker that ran out of memory once is not trusted again
                self._kill()
                self._start()
        return _answer(reply, object)

    def render(self, data: bytes, page: int, *, highlight: Sequence[Rect] = (), scale: float = 1.5,
               mask: Sequence[Rect] = ()) -> bytes:
        """The PNG of one page, drawn by :func:`intake.pages.render_page` in the worker, or raise
        the IntakeError it raised there (``file.too_complex`` when it ran out of time or memory)."""
        message = ("render", (data, page, tuple(tuple(float(v) for v in r) for r in highlight), float(scale),
                              tuple(tuple(float(v) for v in r) for r in mask)))
        with self._lock:
            reply, _late = self._exchange(message, self.limits.wall_seconds)
        if reply is None:
            raise TooComplexError("the page took too long or too much memory to draw",
                                  limit_seconds=self.limits.wall_seconds)
        if reply[0] == "ok" and isinstance(reply[1], bytes):
            return reply[1]
        _, code, text, params = reply
        raise (UsageError if code == UsageError.code else _error_for(code))(text, **params)

    def picture(self, data: bytes, *, longest: int = 1600) -> bytes:
        """A photo (JPEG, PNG, HEIC) as a PNG a browser shows, upright and at most ``longest``
        pixels on its longer side: decoded in the worker, as every upload is."""
        with self._lock:
            reply, _late = self._exchange(("picture", (data, int(longest))), self.limits.wall_seconds)
        if reply is None:
            raise TooComplexError("the picture took too long or too much memory to draw",
                                  limit_seconds=self.limits.wall_seconds)
        return _answer(reply, bytes)

    def ocr(self, upload: Upload, *, pages: Sequence[int] | None = None) -> Any:
        """The :class:`intake.ocr.Reading` of a photo or of a scan's pages, read in the worker,
        where the engine inherits the worker's memory cap; or raise the FileProblemError the file
        deserves. Each page has its own budget, so the wait is bounded by the pages asked for."""
        count = 1 if pages is None else max(1, len(pages))
        # Reading, and for a page that read badly its orientation and a second reading.
        seconds = count * 3 * self.file_limits.max_ocr_page_seconds + self.wall_seconds
        message = ("ocr", (upload.name, upload.data, None if pages is None else tuple(pages)))
        with self._lock:
            reply, _late = self._exchange(message, seconds)
        if reply is None:
            raise TooComplexError("the file took too long or too much memory to read", variant="time",
                                  seconds=round(seconds, 1))
        return _answer(reply, object)

    def scaffold(self, upload: Upload, *, service_id: str | None = None) -> str:
        """The draft service file :func:`intake.scaffold` makes of a blank form, made in the
        worker; or raise the FileProblemError the file deserves (``file.too_complex`` when it
        ran out of time or memory there)."""
        with self._lock:
            reply, late = self._exchange(("scaffold", (upload.name, upload.data, service_id)), self.wall_seconds)
        if reply is None:
            if late:
                raise TooComplexError("the form took too long to read", variant="time",
                                      seconds=round(self.wall_seconds, 1))
            raise TooComplexError("the form took too much memory or time to read")
        return _answer(reply, str)

    def _exchange(self, message: Any, seconds: float) -> tuple[Any, bool]:
        """Send one request and wait ``seconds`` at most for its reply. Returns the reply, or
        None (and a fresh worker) when the worker did not answer, with whether time ran out.
        Call with the lock held."""
        if self._process is None or self._tasks >= self.limits.tasks_per_worker:
            self._kill()
            self._start()
        assert self._process is not None and self._process.stdin and self._process.stdout
        self._tasks += 1
        reply = None
        deadline = time.monotonic() + seconds
        try:
            _send(self._process.stdin, message)
            fd = self._process.stdout.fileno()
            header = _read_exactly(fd, _HEADER.size, deadline)
            if header is not None:
                size = _HEADER.unpack(header)[0]
                payload = _read_exactly(fd, size, deadline) if size <= _MAX_REPLY else None
                reply = _Unpickler(io.BytesIO(payload)).load() if payload is not None else None
        except (OSError, pickle.UnpicklingError, EOFError):
            reply = None
        late = reply is None and time.monotonic() >= deadline
        if reply is None:
            self.replaced += 1
            self._kill()
            self._start()
        return reply, late

    def close(self) -> None:
        with self._lock:
            self._kill()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_Made = TypeVar("_Made")


def _answer(reply: tuple[Any, ...], made: type[_Made]) -> _Made:
    """What the worker made (checked to be a ``made``), or the IntakeError it refused the request
    with, raised here."""
    if reply[0] == "ok" and isinstance(reply[1], made):
        return reply[1]
    _, code, text, params = reply
    raise _error_for(code)(text, **params)


def _error_for(code: str) -> type[FileProblemError]:
    from intake import errors

    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, FileProblemError) and value.code == code:
            return value
    return FileProblemError


def _worker(settings: str) -> None:
    """The worker loop: one parse per message, each under a fresh CPU allowance."""
    import resource

    from intake.pdf import read_form

    config = json.loads(settings)
    limits, file_limits = SandboxLimits(**config["sandbox"]), Limits(**config["files"])
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing a parser prints may corrupt the replies
    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        message = pickle.loads(requests.read(_HEADER.unpack(header)[0]))
        used = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(used.ru_utime + used.ru_stime) + limits.cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (budget, hard_cpu))  # past the soft cap, SIGXCPU ends us
        if len(message) == 2 and message[0] == "render":
            _send(replies, _render(message[1], file_limits))
            continue
        if len(message) == 2 and message[0] == "picture":
            _send(replies, _picture(message[1], file_limits))
            continue
        if len(message) == 2 and message[0] == "scaffold":
            _send(replies, _scaffold(message[1], file_limits))
            continue
        if len(message) == 2 and message[0] == "ocr":
            # Decoding and straightening cost the worker a little per page; the engine's own runs
            # inherit this soft cap as a fresh allowance of their own.
            asked = message[1][2]
            ocr_budget = budget + limits.cpu_seconds * (len(asked) if asked else 1)
            resource.setrlimit(resource.RLIMIT_CPU, (ocr_budget, hard_cpu))
            _send(replies, _ocr(message[1], file_limits))
            continue
        name, data, all_text = message
        try:
            form = read_form(Upload(name, data), limits=file_limits)
            pages = form.text_pages(all_text)
            _send(replies, ("ok", form.sealed(pages)))
        except FileProblemError as exc:
            _send(replies, ("refused", exc.code, str(exc), dict(exc.params)))
        except MemoryError:
            _send(replies, ("refused", TooComplexError.code, "the file needs too much memory", {"variant": "memory"}))


def _render(request: tuple[bytes, int, tuple[Rect, ...], float, tuple[Rect, ...]],
            file_limits: Limits) -> tuple[Any, ...]:
    """One page drawn in the worker: ("ok", png) or ("refused", code, message, params)."""
    from intake.pages import PageLimits, render_page
    from intake.pdf import read_form

    data, page, highlight, scale, mask = request
    try:
        read_form(Upload("page.pdf", data), limits=file_limits).vet([page])  # what would hurt pdfium too
        return ("ok", render_page(data, page, highlight=highlight, scale=scale, mask=mask,
                                  limits=PageLimits(max_pages=file_limits.max_pages)))
    except IntakeError as exc:
        return _refused(exc)
    except MemoryError:
        return ("refused", TooComplexError.code, "the page needs too much memory to draw", {})


def _refused(exc: IntakeError) -> tuple[Any, ...]:
    """The reply that carries a refusal back to the caller, with only the params that pickle plainly."""
    return ("refused", exc.code, str(exc), {k: v for k, v in exc.params.items() if isinstance(v, int | float | str)})


def _made(make: Callable[[], Any], out_of_memory: str) -> tuple[Any, ...]:
    """("ok", what ``make`` made), or the refusal it met: its own, or running out of memory."""
    try:
        return ("ok", make())
    except IntakeError as exc:
        return _refused(exc)
    except MemoryError:
        return ("refused", TooComplexError.code, out_of_memory, {"variant": "memory"})


def _picture(request: tuple[bytes, int], file_limits: Limits) -> tuple[Any, ...]:
    """A photo drawn for a browser in the worker: ("ok", png) or ("refused", ...)."""
    from intake.images import open_picture

    data, longest = request
    try:
        image = open_picture(data, max_pixels=file_limits.max_image_pixels)
        image.thumbnail((longest, longest))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return ("ok", out.getvalue())
    except IntakeError as exc:
        return _refused(exc)
    except MemoryError:
        return ("refused", TooComplexError.code, "the picture needs too much memory to draw", {"variant": "memory"})


def _scaffold(request: tuple[str, bytes, str | None], file_limits: Limits) -> tuple[Any, ...]:
    """A draft service file made in the worker: ("ok", yaml text) or ("refused", ...)."""
    from intake.drafts import scaffold

    name, data, service_id = request
    return _made(lambda: scaffold(Upload(name, data), service_id=service_id, limits=file_limits),
                 "the form needs too much memory to read")


def _ocr(request: tuple[str, bytes, tuple[int, ...] | None], file_limits: Limits) -> tuple[Any, ...]:
    """One file read by the OCR engine in the worker: ("ok", reading) or ("refused", ...)."""
    from intake.ocr import read_upload

    name, data, pages = request
    return _made(lambda: read_upload(Upload(name, data), pages=pages, limits=file_limits),
                 "the picture needs too much memory to read")


if __name__ == "__main__":
    _worker(sys.argv[1])
