"""Uploaded files in S3-compatible object storage (``INTAKE_STORAGE=s3://bucket[/prefix]``),
against a real server: moto's server mode in a subprocess (tests/s3server.py), over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests import pdfs, s3server
from tests.web.clerks import sign_in, staff_fixture  # noqa: F401  (the staff fixture)
from tests.web.conftest import post_files, upload_data
from web import storage
from web.config import ConfigError
from web.models import Submission, SubmissionFile, db, utcnow

SHA_OF_NOTHING = hashlib.sha256(b"").hexdigest()


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """The address of a moto server for this module's tests, with boto3's environment set for it."""
    reason = s3server.available()
    if reason:
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as env:
        for name in s3server.IGNORED:
            env.delenv(name, raising=False)
        for name, value in s3server.ENVIRONMENT.items():
            env.setenv(name, value)
        env.setenv("AWS_CONFIG_FILE", os.devnull)
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        with s3server.running() as server:
            yield server.url
        storage._s3.cache_clear()


@pytest.fixture
def bucket(s3_server: str) -> str:
    """A new, empty bucket on the server (the server lives for the whole module)."""
    import boto3

    name = f"intake-{uuid.uuid4().hex[:20]}"
    boto3.client("s3", endpoint_url=s3_server).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3(s3_server: str) -> Any:
    """A plain boto3 client on the server, to look at the bucket from outside the app."""
    import boto3

    return boto3.client("s3", endpoint_url=s3_server)


def _keys(s3: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                  for o in page.get("Contents", ()))


def test_a_blob_goes_in_and_comes_back_by_its_sha256(s3_server: str, bucket: str, s3: Any) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    before = utcnow() - dt.timedelta(seconds=5)
    sha = blobs.put(b"%PDF-1.7 a bill")
    assert sha == hashlib.sha256(b"%PDF-1.7 a bill").hexdigest()
    assert _keys(s3, bucket) == [f"{sha[:2]}/{sha}"]  # the local folder's layout
    assert blobs.exists(sha) and blobs.get(sha) == b"%PDF-1.7 a bill"
    [(found, when)] = list(blobs.stored())
    assert found == sha and when.tzinfo is None and before <= when <= utcnow() + dt.timedelta(seconds=5)
    blobs.delete(sha)
    assert not blobs.exists(sha) and list(blobs.stored()) == [] and _keys(s3, bucket) == []
    blobs.delete(sha)  # a second time is no error


def test_what_was_read_off_a_blob_lives_beside_it_and_goes_with_it(s3_server: str, bucket: str, s3: Any) -> None:
    blobs = storage.from_config(f"s3://{bucket}/files", {"S3_ENDPOINT_URL": s3_server})
    sha = blobs.put(b"a photo of a bill")
    cache = storage.ReadingCache(blobs)
    assert cache.get(f"{sha}/ocr-1.all.json") is None
    cache.put(f"{sha}/ocr-1.all.json", b'{"pages": []}')
    assert cache.get(f"{sha}/ocr-1.all.json") == b'{"pages": []}'
    assert _keys(s3, bucket) == sorted([f"files/{sha[:2]}/{sha}", f"files/derived/{sha}/ocr-1.all.json"])
    assert [found for found, _when in blobs.stored()] == [sha], "derived data is not a blob of its own"
    blobs.delete(sha)
    assert _keys(s3, bucket) == [] and cache.get(f"{sha}/ocr-1.all.json") is None
    assert cache.get("not-a-sha/ocr.json") is None


def test_storing_the_same_content_twice_writes_it_once(s3_server: str, bucket: str, s3: Any) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    sha = blobs.put(b"same")
    written = s3.head_object(Bucket=bucket, Key=f"{sha[:2]}/{sha}")["LastModified"]
    calls: list[str] = []
    blobs.client.meta.events.register("before-call.s3", lambda model, **_kw: calls.append(model.name))
    assert blobs.put(b"same") == sha
    assert calls == ["PutObject"]  # one conditional write, which the server refused
    assert s3.head_object(Bucket=bucket, Key=f"{sha[:2]}/{sha}")["LastModified"] == written
    assert blobs.put(b"") == SHA_OF_NOTHING and blobs.get(SHA_OF_NOTHING) == b""


def test_adding_a_blob_is_one_request_that_says_whether_it_wrote(s3_server: str, bucket: str, s3: Any) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    calls: list[str] = []
    blobs.client.meta.events.register("before-call.s3", lambda model, **_kw: calls.append(model.name))
    new = b"a new bill"
    sha = hashlib.sha256(new).hexdigest()
    assert blobs.add(new, sha) is True
    assert calls == ["PutObject"], "no look before the write"
    assert blobs.get(sha) == new
    calls.clear()
    assert blobs.add(new, sha) is False and calls == ["PutObject"], "a second add writes nothing"
    assert blobs.get(sha) == new


def test_an_add_that_meets_another_write_of_the_same_key_is_sent_again_once(
        s3_server: str, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    real, tries = blobs.client.put_object, []

    def conflicting(**kwargs: Any) -> Any:
        tries.append(kwargs["IfNoneMatch"])
        if len(tries) == 1:
            raise ClientError({"Error": {"Code": "ConditionalRequestConflict"}}, "PutObject")
        return real(**kwargs)

    monkeypatch.setattr(blobs.client, "put_object", conflicting)
    data = b"two uploads of one file at once"
    sha = hashlib.sha256(data).hexdigest()
    assert blobs.add(data, sha) is True and tries == ["*", "*"]
    assert blobs.get(sha) == data
    tries.clear()

    def always_conflicting(**kwargs: Any) -> Any:
        tries.append(kwargs["IfNoneMatch"])
        raise ClientError({"Error": {"Code": "ConditionalRequestConflict"}}, "PutObject")

    monkeypatch.setattr(blobs.client, "put_object", always_conflicting)
    with pytest.raises(ClientError):
        blobs.add(b"other", hashlib.sha256(b"other").hexdigest())
    assert tries == ["*", "*"], "sent again once, not without end"


def test_a_server_that_does_not_take_conditional_writes_is_asked_first_then_written_to(
        s3_server: str, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    real, sent = blobs.client.put_object, []

    def unconditional_only(**kwargs: Any) -> Any:
        sent.append("IfNoneMatch" in kwargs)
        if "IfNoneMatch" in kwargs:
            raise ClientError({"Error": {"Code": "NotImplemented"}}, "PutObject")
        return real(**kwargs)

    monkeypatch.setattr(blobs.client, "put_object", unconditional_only)
    data = b"a bill for an older server"
    sha = hashlib.sha256(data).hexdigest()
    assert blobs.add(data, sha) is True and blobs.get(sha) == data
    assert blobs.add(data, sha) is False, "asked first: the content is there, nothing written"
    assert sent == [True, False], "one refused conditional write, then plain writes only when missing"


def test_a_prefix_keeps_the_blobs_under_it_and_sees_only_them(s3_server: str, bucket: str, s3: Any) -> None:
    outside = storage.S3Storage(bucket, endpoint_url=s3_server)
    inside = storage.from_config(f"s3://{bucket}/intake/files/", {"S3_ENDPOINT_URL": s3_server})
    assert isinstance(inside, storage.S3Storage) and inside.prefix == "intake/files"
    mine, theirs = inside.put(b"inside"), outside.put(b"outside")
    assert _keys(s3, bucket) == sorted([f"intake/files/{mine[:2]}/{mine}", f"{theirs[:2]}/{theirs}"])
    assert [sha for sha, _when in inside.stored()] == [mine]
    assert not inside.exists(theirs) and inside.exists(mine)
    # Without a prefix, a blob under another prefix is not laid out as one of ours: skipped too.
    assert [sha for sha, _when in outside.stored()] == [theirs]


def test_a_missing_blob_is_a_file_not_found_error_as_for_a_folder(s3_server: str, bucket: str,
                                                                  tmp_path: Any) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    assert not blobs.exists(SHA_OF_NOTHING)
    with pytest.raises(FileNotFoundError, match=SHA_OF_NOTHING):
        blobs.get(SHA_OF_NOTHING)
    with pytest.raises(FileNotFoundError):
        storage.LocalStorage(tmp_path).get(SHA_OF_NOTHING)


def test_a_name_that_is_not_a_sha256_is_refused_before_any_request(s3_server: str, bucket: str) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server)
    for bad in ("../" + "a" * 61, "A" * 64, "a" * 63, "ab/" + "c" * 61):
        for call in (blobs.get, blobs.exists, blobs.delete):
            with pytest.raises(ValueError, match="sha256"):
                call(bad)


def test_listing_pages_through_every_blob_and_skips_other_keys(s3_server: str, bucket: str, s3: Any) -> None:
    blobs = storage.S3Storage(bucket, endpoint_url=s3_server, page_size=3)
    shas = {blobs.put(f"file {n}".encode()) for n in range(10)}
    some = next(iter(shas))
    for stray in ("README", f"{some[:2]}/{some}.part", f"zz/{some}", f"{some[:2]}/{some}/x", f"{some}",
                  f"page-cache/{some[:2]}/{some}", f"{some[:2]}/{some.upper()}"):
        s3.put_object(Bucket=bucket, Key=stray, Body=b"not a blob")
    requests: list[str] = []
    blobs.client.meta.events.register("before-call.s3.ListObjectsV2", lambda **_kw: requests.append("list"))
    found = list(blobs.stored())
    assert sorted(sha for sha, _when in found) == sorted(shas)
    assert len(requests) >= 4  # 17 keys, 3 a page


def test_from_config_reads_the_endpoint_from_the_app_and_keeps_one_client(s3_server: str, bucket: str,
                                                                         tmp_path: Any) -> None:
    app = Flask(__name__)
    app.config.update(S3_ENDPOINT_URL=s3_server, S3_REGION="eu-west-1")
    with app.app_context():
        first = storage.from_config(f"s3://{bucket}")
        assert first is storage.from_config(f"s3://{bucket}")
    assert isinstance(first, storage.S3Storage)
    assert first.client.meta.endpoint_url == s3_server and first.client.meta.region_name == "eu-west-1"
    assert first.exists(first.put(b"through the app's settings"))
    assert isinstance(storage.from_config(str(tmp_path)), storage.LocalStorage)


@pytest.mark.parametrize(("location", "words"), [
    ("s3://", "names no bucket"),
    ("s3:///prefix", "names no bucket"),
    ("s3://a", "not a bucket name"),
    ("s3://bad bucket", "not a bucket name"),
    ("s3://bucket/a//b", "prefix"),
    ("s3://bucket/../up", "prefix"),
    ("s3://bucket?region=x", "query"),
])
def test_an_s3_location_without_a_usable_bucket_stops_the_app_at_start(
        another_app: Callable[..., Flask], location: str, words: str) -> None:
    with pytest.raises(ConfigError, match=f"INTAKE_STORAGE.*{words}"):
        another_app(STORAGE=location)


def test_an_endpoint_that_is_not_an_http_address_stops_the_app_at_start(another_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="INTAKE_S3_ENDPOINT_URL"):
        another_app(STORAGE="s3://bucket", S3_ENDPOINT_URL="localhost:9000")


def test_the_s3_settings_come_from_the_environment(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app

    monkeypatch.setenv("INTAKE_STORAGE", "s3://uploads/intake")
    monkeypatch.setenv("INTAKE_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("INTAKE_S3_REGION", "eu-central-1")
    from web import jobs

    made = create_app({"DATABASE_URL": app.config["DATABASE_URL"]})
    try:
        assert made.config["STORAGE"] == "s3://uploads/intake"
        assert made.config["S3_ENDPOINT_URL"] == "http://127.0.0.1:9000"
        assert made.config["S3_REGION"] == "eu-central-1"
    finally:
        jobs.shutdown(made)
        with made.app_context():
            db.engine.dispose()


def test_page_pictures_are_cached_in_the_instance_folder_with_object_storage(another_app: Callable[..., Flask]) -> None:
    from pathlib import Path

    from web.clerk import images

    made = another_app(STORAGE="s3://bucket/uploads")
    with made.app_context():
        assert images._cache().root == Path(made.instance_path) / "page-cache"
        images.forget(SHA_OF_NOTHING, made.config["STORAGE"])  # nothing there: no error


@pytest.fixture
def s3_app(another_app: Callable[..., Flask], s3_server: str, bucket: str) -> Flask:
    """The app on the test's database, storing uploads in the bucket under a prefix."""
    return another_app(STORAGE=f"s3://{bucket}/uploads", S3_ENDPOINT_URL=s3_server)


def _upload(app: Flask, data: bytes) -> str:
    response = post_files(app.test_client(), "/s/passport-first-time",
                          upload_data(**{"item-proof_of_address": (data, "bill.pdf")})
                          | {"client_key": os.urandom(8).hex()})
    assert response.status_code == 303, response.status_code
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def test_a_citizen_upload_lands_in_the_bucket_and_a_clerk_downloads_it(
        s3_app: Flask, bucket: str, s3: Any, staff: dict[str, str]) -> None:
    data = pdfs.text_pdf(["Billing date 11/01/2026 service address 1 Main St"])
    sha = hashlib.sha256(data).hexdigest()
    reference = _upload(s3_app, data)
    assert _keys(s3, bucket) == [f"uploads/{sha[:2]}/{sha}"]
    assert s3.get_object(Bucket=bucket, Key=f"uploads/{sha[:2]}/{sha}")["Body"].read() == data
    with s3_app.app_context():
        file_id = db.session.query(SubmissionFile.id).join(Submission).filter(
            Submission.reference == reference).scalar()
    download = sign_in(s3_app, "ana@example.gov").get(f"/clerk/s/{reference}/files/{file_id}")
    assert download.status_code == 200 and download.data == data
    assert not os.path.exists("s3:")  # nothing was written to a folder named after the location


def test_the_purge_command_deletes_expired_files_and_orphans_from_the_bucket(
        s3_app: Flask, bucket: str, s3: Any) -> None:
    from web import retention

    old, kept = (pdfs.text_pdf([f"Billing date 11/01/2026 service address {n} Main St"]) for n in (1, 2))
    old_reference, _kept_reference = _upload(s3_app, old), _upload(s3_app, kept)
    orphan = storage.from_config(s3_app.config["STORAGE"], s3_app.config).put(b"left by a process that died")
    when = utcnow() - dt.timedelta(days=31)
    with s3_app.app_context():
        db.session.execute(Submission.__table__.update().where(Submission.reference == old_reference)
                           .values(created_at=when, updated_at=when))
        db.session.commit()
        # An orphan younger than the grace period stays: it may be an upload still committing.
        assert retention.orphans(s3_app.config["STORAGE"]) == []
        assert retention.orphans(s3_app.config["STORAGE"], utcnow() + dt.timedelta(hours=2)) == [orphan]
    result = s3_app.test_cli_runner().invoke(args=["submissions", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 submission(s) and 1 stored file(s)" in result.output
    sha_kept = hashlib.sha256(kept).hexdigest()
    assert _keys(s3, bucket) == sorted([f"uploads/{sha_kept[:2]}/{sha_kept}", f"uploads/{orphan[:2]}/{orphan}"])
