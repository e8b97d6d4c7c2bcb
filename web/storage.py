"""Blob storage for uploaded files, by sha256: the one seam to local disk or object storage.

A file is written once, whole (a temporary name, then an atomic rename), before any
database record points at it; a crash in between leaves at most an unreferenced blob,
never a record without its file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

_HEX = frozenset("0123456789abcdef")


class Storage(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...
    def stored(self) -> Iterator[tuple[str, dt.datetime]]: ...


class LocalStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not _HEX.issuperset(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def stored(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every finished blob with when it was written (UTC, naive); temporary files are skipped."""
        for path in self.root.glob("??/*"):
            if len(path.name) == 64 and _HEX.issuperset(path.name) and path.is_file():
                yield path.name, dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)


def from_config(location: str) -> Storage:
    """The storage a location names; only local folders exist so far (web.config refuses s3://)."""
    return LocalStorage(location)
