"""Blob storage for uploaded files, by sha256: the one seam to local disk or object storage.

A file is written once, whole, before any database record points at it: on local disk under
a temporary name and then an atomic rename; in object storage by one PUT, which S3 makes
visible only once it is complete. A crash in between leaves at most an unreferenced blob,
never a record without its file. Both lay files out the same way, ``ab/abcd...`` (the first
two hex digits of the sha256, then the whole digest), under the folder or the bucket's prefix.

``INTAKE_STORAGE`` names the place: a folder, or ``s3://bucket`` / ``s3://bucket/prefix`` for
Amazon S3 or any S3-compatible server (``INTAKE_S3_ENDPOINT_URL``).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

_HEX = frozenset("0123456789abcdef")
S3_SCHEME = "s3://"
# Bucket names as S3 allows them (3-63 lower-case letters, digits, dots and hyphens), plus the
# capitals and underscores some S3-compatible servers accept.
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]")


def _check_sha256(sha256: str) -> str:
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


def _is_sha256(name: str) -> bool:
    return len(name) == 64 and _HEX.issuperset(name)


class Storage(Protocol):
    def put(self, data: bytes) -> str: ...
    def add(self, data: bytes, sha256: str) -> bool: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...
    def stored(self) -> Iterator[tuple[str, dt.datetime]]: ...
    def put_derived(self, sha256: str, name: str, data: bytes) -> None: ...
    def get_derived(self, sha256: str, name: str) -> bytes | None: ...


# What was worked out from a blob (the words OCR read off a photo) lives beside it, under
# ``derived/<sha256>/``, and is deleted with it: it holds the same personal data.
_DERIVED = "derived"
_DERIVED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")


def _check_derived(name: str) -> str:
    if not _DERIVED_NAME.fullmatch(name) or ".." in name:
        raise ValueError("not a name for derived data")
    return name


class ReadingCache:
    """The OCR cache of :mod:`intake.ocr` kept in the storage, so every host and worker shares it."""

    def __init__(self, blobs: Storage) -> None:
        self.blobs = blobs

    def get(self, key: str) -> bytes | None:
        sha256, _slash, name = key.partition("/")
        try:
            return self.blobs.get_derived(sha256, name)
        except ValueError:
            return None

    def put(self, key: str, data: bytes) -> None:
        sha256, _slash, name = key.partition("/")
        self.blobs.put_derived(sha256, name, data)


class PendingReadings:
    """Readings of files a request has not stored yet: those of files already stored are read
    from beside them; new ones wait here and are written only once their file is stored
    (:meth:`flush`), so nothing read off a refused or never-stored file outlives the request."""

    def __init__(self, blobs: Storage) -> None:
        self.stored = ReadingCache(blobs)
        self.waiting: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.waiting.get(key) or self.stored.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.waiting[key] = data

    def flush(self, sha256s: set[str]) -> None:
        for key in [k for k in self.waiting if k.partition("/")[0] in sha256s]:
            self.stored.put(key, self.waiting.pop(key))


class LocalStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        _check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        self.add(data, sha256)
        return sha256

    def add(self, data: bytes, sha256: str) -> bool:
        """Store ``data`` under ``sha256`` (its digest, worked out by the caller) unless that
        content is there already: True when this call wrote it."""
        path = self._path(sha256)
        if path.exists():
            return False
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
        return True

    def get(self, sha256: str) -> bytes:
        return self._path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)
        derived = self.root / _DERIVED / sha256
        for path in derived.glob("*"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            derived.rmdir()

    def _derived(self, sha256: str, name: str) -> Path:
        return self.root / _DERIVED / _check_sha256(sha256) / _check_derived(name)

    def put_derived(self, sha256: str, name: str, data: bytes) -> None:
        path = self._derived(sha256, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get_derived(self, sha256: str, name: str) -> bytes | None:
        try:
            return self._derived(sha256, name).read_bytes()
        except FileNotFoundError:
            return None

    def stored(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every finished blob with when it was written (UTC, naive); temporary files are skipped."""
        for path in self.root.glob("??/*"):
            if _is_sha256(path.name) and path.is_file():
                yield path.name, dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)


class S3Storage:
    """Blobs in an S3 bucket (Amazon's, or any S3-compatible server's at ``endpoint_url``).

    Credentials and, unless ``region`` is given, the region come from boto3's usual places
    (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, an instance role...).
    One client per instance; boto3 clients are safe to share between threads.
    """

    CONNECT_SECONDS = 5
    READ_SECONDS = 60
    ATTEMPTS = 4

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, page_size: int = 1000) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.page_size = page_size
        """Keys asked for in each listing request of :meth:`stored` (S3 returns at most 1000)."""
        config = Config(
            connect_timeout=self.CONNECT_SECONDS, read_timeout=self.READ_SECONDS,
            retries={"mode": "standard", "max_attempts": self.ATTEMPTS},
            # Checksums only where S3 requires them: several S3-compatible servers refuse the
            # newer default ones. Each PUT carries its Content-MD5 instead (see put).
            request_checksum_calculation="when_required", response_checksum_validation="when_required",
        )
        # A session of its own: creating clients from boto3's default session is not thread-safe.
        self.client: Any = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config)
        self._conditional = True
        """Whether the server takes conditional writes (see :meth:`add`)."""

    def __repr__(self) -> str:
        return f"S3Storage({s3_url(self.bucket, self.prefix)!r})"

    def _key(self, sha256: str) -> str:
        _check_sha256(sha256)
        name = f"{sha256[:2]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its sha256, once the object is stored whole; a no-op when
        the same content is already there (see :meth:`add`)."""
        sha256 = hashlib.sha256(data).hexdigest()
        self.add(data, sha256)
        return sha256

    def add(self, data: bytes, sha256: str) -> bool:
        """Store ``data`` under ``sha256`` (its digest, worked out by the caller) unless that
        content is there already: True when this call wrote it.

        One request, not a look and then a write: a conditional PUT (``If-None-Match: *``), which
        S3 refuses with 412 when the object exists. Where two such writes of one key meet, S3 may
        answer 409 to one of them; it is sent again once and then gets its 412. A server that
        ignores the condition writes the same bytes again and this says True: harmless, as the
        content is the key. A server that answers it with 501 is asked first, then written to,
        from then on."""
        _check_sha256(sha256)
        if not self._conditional:
            return not self.exists(sha256) and self._write(data, sha256, conditional=False)
        try:
            return self._write(data, sha256, conditional=True)
        except Exception as exc:
            code = _error_code(exc)
            if code in {"NotImplemented", "501"}:
                self._conditional = False
                return self.add(data, sha256)
            if code not in {"ConditionalRequestConflict", "409"}:
                raise
        return self._write(data, sha256, conditional=True)

    def _write(self, data: bytes, sha256: str, *, conditional: bool) -> bool:
        condition = {"IfNoneMatch": "*"} if conditional else {}
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(sha256), Body=data, **condition,
                ContentMD5=base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode(),
                ContentType="application/octet-stream")
        except Exception as exc:
            if conditional and _error_code(exc) in {"PreconditionFailed", "412"}:
                return False
            raise
        return True

    def get(self, sha256: str) -> bytes:
        """The blob's bytes; FileNotFoundError (as for a local folder) when it is not stored."""
        data = self._object(self._key(sha256))
        if data is None:
            raise FileNotFoundError(f"no stored file {sha256} in {self!r}")
        return data

    def _object(self, key: str) -> bytes | None:
        """An object's bytes, or None when there is no such key."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if _not_found(exc):
                return None
            raise
        body = response["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except Exception as exc:
            if _not_found(exc):
                return False
            raise
        return True

    def delete(self, sha256: str) -> None:
        """Delete the blob and what was derived from it; deleting one that is not there is not an
        error (S3 says the same)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))
        start = self._derived_key(sha256, "")
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for entry in page.get("Contents", ()):
                self.client.delete_object(Bucket=self.bucket, Key=entry["Key"])

    def _derived_key(self, sha256: str, name: str) -> str:
        key = f"{_DERIVED}/{_check_sha256(sha256)}/{_check_derived(name) if name else ''}"
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_derived(self, sha256: str, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._derived_key(sha256, name), Body=data,
                               ContentMD5=base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode(),
                               ContentType="application/json")

    def get_derived(self, sha256: str, name: str) -> bytes | None:
        return self._object(self._derived_key(sha256, name))

    def stored(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every blob with when it was written (UTC, naive); keys not laid out as ``ab/<sha256>``
        under the prefix are skipped. S3 shows an object only once its PUT completed."""
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start, PaginationConfig={"PageSize": self.page_size})
        for page in pages:
            for entry in page.get("Contents", ()):
                folder, _slash, name = str(entry["Key"])[len(start):].partition("/")
                if _is_sha256(name) and folder == name[:2]:
                    yield name, entry["LastModified"].astimezone(dt.UTC).replace(tzinfo=None)


def _error_code(exc: Exception) -> str | None:
    """The code of a botocore error answered by the server (None for anything else)."""
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return None
    return str(exc.response.get("Error", {}).get("Code") or "") or None


def _not_found(exc: Exception) -> bool:
    """Whether a botocore error says the object (not the bucket) is not there."""
    # GET says NoSuchKey; HEAD has no body, so only its status, which botocore gives as the code.
    return _error_code(exc) in {"NoSuchKey", "404", "NotFound"}


def is_s3(location: str) -> bool:
    """Whether a location names object storage rather than a local folder."""
    return str(location).startswith(S3_SCHEME)


def parse_s3(location: str) -> tuple[str, str]:
    """(bucket, prefix) of ``s3://bucket`` or ``s3://bucket/some/prefix``; ValueError, saying
    what is wrong, for anything else."""
    if not is_s3(location):
        raise ValueError(f"{location!r} does not start with {S3_SCHEME}")
    rest = location[len(S3_SCHEME):]
    if "?" in rest or "#" in rest:
        raise ValueError(f"{location!r} has a query or fragment; name only s3://bucket or s3://bucket/prefix")
    bucket, _slash, prefix = rest.partition("/")
    if not bucket:
        raise ValueError(f"{location!r} names no bucket; write s3://bucket or s3://bucket/prefix")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise ValueError(f"{bucket!r} is not a bucket name: 3 to 63 letters, digits, dots, hyphens or underscores")
    prefix = prefix.strip("/")
    if any(not part or part in {".", ".."} for part in prefix.split("/") if prefix):
        raise ValueError(f"{location!r} has an empty, '.' or '..' part in its prefix")
    return bucket, prefix


def s3_url(bucket: str, prefix: str = "") -> str:
    """The ``s3://`` location of a bucket and prefix."""
    return f"{S3_SCHEME}{bucket}/{prefix}" if prefix else f"{S3_SCHEME}{bucket}"


@functools.lru_cache(maxsize=16)
def _s3(location: str, endpoint_url: str | None, region: str | None) -> S3Storage:
    """One S3Storage (so one client, and its connection pool) per place, shared by every request."""
    bucket, prefix = parse_s3(location)
    return S3Storage(bucket, prefix, endpoint_url=endpoint_url, region=region)


def from_config(location: str, config: Mapping[str, Any] | None = None) -> Storage:
    """The storage a location names: a local folder, or ``s3://bucket[/prefix]``.

    For object storage, ``S3_ENDPOINT_URL`` and ``S3_REGION`` come from ``config``, or from the
    current app's configuration when there is one (so every caller passes only the location).
    """
    if not is_s3(location):
        return LocalStorage(location)
    if config is None:
        from flask import current_app, has_app_context

        config = current_app.config if has_app_context() else {}
    return _s3(location, config.get("S3_ENDPOINT_URL") or None, config.get("S3_REGION") or None)
