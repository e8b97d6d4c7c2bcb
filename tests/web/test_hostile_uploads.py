"""Every file of the hostile corpus through the citizen upload route, on one app.

For each file the web must give exactly what the library gives (the same refusal code, or
an accept with the very report the library makes, warnings and all), within the time
bound, store nothing of a refused file, and leave exactly one audit entry per refusal.
Whether the library's code is the one the corpus expects is the library's own test; here a
difference is only listed, in ``test-output/web-hostile.json``, which the README's
Security section quotes.

The project's own crafted files (``tests/intake/hostile``) go through the same route too:
no server error, and the family's code in the refusal's audit entry or the stored report.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

import intake
from tests import hostile as corpus
from tests.cputime import cpu_seconds
from tests.web.conftest import post_files
from web.models import AuditEntry, CheckRecord, Event, Submission, SubmissionFile, db

SERVICE = "passport-first-time"
PICTURE_ITEM = "proof_of_address"
FORM_ITEM = "ds11"
REPORT = Path(__file__).resolve().parents[2] / "test-output" / "web-hostile.json"
MEMORY_GROWTH_MB = 64
# Refusals the web makes before the library sees the file (same codes, words about the web's
# own choice of PDF, JPEG or PNG).
WEB_WORDED = ("file.empty", "file.not_pdf", "file.too_large")

measured: dict[str, dict[str, Any]] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    corpus.parametrize_entries(metafunc)


def _rss_mb() -> float:
    """This process's resident memory now: the web worker is this process in these tests."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app (and one sandbox worker) for the whole corpus, as one gunicorn worker would be."""
    from flask_migrate import upgrade

    from web import create_app, jobs

    root = tmp_path_factory.mktemp("hostile-web")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": f"sqlite:///{root / 'test.db'}",
        "STORAGE": str(root / "files"), "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
    })
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    yield app
    jobs.shutdown(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def library(web: Flask) -> Iterator[intake.Checker]:
    """The library as ``intake check`` runs it, with the web's limits, in a sandbox of its own."""
    from intake.sandbox import Sandbox, SandboxLimits

    limits = intake.Limits(max_file_bytes=web.config["MAX_FILE_BYTES"], max_pages=int(web.config["MAX_PAGES"]))
    seconds = float(web.config["PARSE_SECONDS"])
    with Sandbox(SandboxLimits(wall_seconds=seconds, cpu_seconds=int(seconds),
                               memory_mb=int(web.config["PARSE_MEMORY_MB"])), limits) as sandbox:
        yield intake.Checker(limits=limits, isolate=True, sandbox=sandbox)


def _library_answer(checker: intake.Checker, service: Any, item: str | None,
                    upload: intake.Upload) -> tuple[intake.Report, intake.Problem | None]:
    """The library's report on this file alone, and the problem it gives the file when it cannot
    use it (a blocking ``file.*`` one)."""
    report = checker.check(service, [(item, upload) if item else upload])
    return report, next((p for p in report.problems if p.file == upload.name and p.code.startswith("file.")
                         and p.severity is intake.Severity.BLOCKS), None)


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            "submissions": db.session.query(Submission).count(),
            "files": db.session.query(SubmissionFile).count(),
            "events": db.session.query(Event).count(),
            "refusals": db.session.query(AuditEntry).filter_by(action="upload_refused").count(),
        }


def _stray_files(storage: Path) -> list[Path]:
    """Anything in the storage folder that is not a finished blob or a finished reading of one
    (what OCR read off a stored picture, kept beside it): half-written temporary files."""
    return [p for p in storage.rglob("*") if p.is_file() and (
        p.name.startswith(".") or (len(p.name) != 64 and p.relative_to(storage).parts[0] != "derived"))]


def _upload(app: Flask, item: str | None, name: str, data: bytes) -> tuple[Any, float, float]:
    """The response, the wall seconds it took and the CPU seconds it cost (here and in the sandbox)."""
    import io

    key = f"item-{item}" if item else "everything"
    client = app.test_client()
    started, spent = time.monotonic(), cpu_seconds()
    response = post_files(client, f"/s/{SERVICE}", {key: [(io.BytesIO(data), name)],
                                                    "client_key": os.urandom(8).hex()})
    return response, time.monotonic() - started, cpu_seconds() - spent


def _one_upload_matches_the_library(web: Flask, library: intake.Checker, entry: dict[str, Any], data: bytes,
                                    item: str | None) -> dict[str, Any]:
    with web.app_context():
        from web import jobs

        service = jobs.services()[SERVICE]
    from web.citizen.packets import display_name, typed_name

    shown = display_name(typed_name(entry["file"], data))  # the web keeps names that say what the bytes are
    report, problem = _library_answer(library, service, item, intake.Upload(shown, data))
    expected = problem.code if problem else None
    storage = Path(web.config["STORAGE"])
    sha256 = intake.Upload("x", data).sha256
    blob = storage / sha256[:2] / sha256
    stored_before = blob.exists()
    before = _counts(web)
    response, seconds, cpu = _upload(web, item, entry["file"], data)
    after = _counts(web)

    assert response.status_code != 500, response.get_data(as_text=True)[:300]
    # The entry's time bound is what the upload may cost, in CPU time (this process and the
    # sandbox worker), which other work on the machine does not inflate; a parse that ran on
    # until the web's parse deadline cut it off costs far more. In wall time the upload must
    # simply end: the parse deadline, with as long again for everything around it.
    assert cpu < entry["expected"].get("time_s", 5), f"{entry['file']} cost {cpu:.1f} s of CPU"
    assert seconds < 2 * float(web.config["PARSE_SECONDS"]), f"{entry['file']} took {seconds:.1f} s"
    assert not storage.exists() or not _stray_files(storage)
    if expected is None:
        assert response.status_code == 303, (entry["file"], response.status_code)
        assert after["submissions"] == before["submissions"] + 1
        assert after["files"] == before["files"] + 1 and after["events"] == before["events"] + 1
        assert after["refusals"] == before["refusals"] and blob.is_file()
        with web.app_context():
            stored = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
            assert stored is not None and stored.report["en"] == report.to_dict("en"), entry["file"]
        outcome = "accept"
    else:
        assert response.status_code == 422, (entry["file"], expected, response.status_code)
        assert {k: after[k] - before[k] for k in after} == {"submissions": 0, "files": 0, "events": 0,
                                                            "refusals": 1}
        with web.app_context():
            latest = db.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
            assert latest is not None and json.loads(latest.detail)["code"] == expected
        assert blob.exists() == stored_before
        page = " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text().split())
        assert shown[:20] in page
        if problem is not None and expected not in WEB_WORDED:
            assert " ".join(problem.message("en").split()) in page, (problem.message("en"), page[:300])
        outcome = expected
    return {"outcome": outcome, "status": response.status_code, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2), "bound": entry["expected"].get("time_s", 5),
            "rss_mb": round(_rss_mb(), 1)}


def test_each_hostile_file_gets_the_librarys_answer_stores_nothing_partial_and_is_audited_once(
        web: Flask, library: intake.Checker, hostile: corpus.Hostile, entry_name: str) -> None:
    entry = next(e for e in hostile.files if e["file"] == entry_name)
    data = hostile.path(entry).read_bytes()
    result = _one_upload_matches_the_library(web, library, entry, data, None)
    result["expected"] = entry["expected"].get("code") if entry["expected"]["outcome"] == "reject" else "accept"
    measured[entry_name] = result


def test_a_picture_named_pdf_is_typed_by_its_bytes_and_taken_as_a_picture_for_a_form_or_a_document(
        web: Flask, library: intake.Checker, hostile: corpus.Hostile) -> None:
    entry = next(e for e in hostile.files if e["file"] == "png_named_pdf.pdf")
    data = hostile.path(entry).read_bytes()
    # Under a form's item, a picture is a photo of a form: kept, its answers never checked.
    assert _one_upload_matches_the_library(web, library, entry, data, FORM_ITEM)["outcome"] == "accept"
    with web.app_context():
        latest = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
        assert latest is not None
        codes = {p["code"] for f in latest.report["en"]["forms"] for p in f["problems"]}
        assert codes and codes <= {"form.scanned", "form.wrong"}
    assert _one_upload_matches_the_library(web, library, entry, data, PICTURE_ITEM)["outcome"] == "accept"
    with web.app_context():
        stored = db.session.query(SubmissionFile).order_by(SubmissionFile.id.desc()).first()
        assert stored is not None and stored.kind == "png" and stored.name == "png_named_pdf.png"


def test_the_web_worker_stays_within_memory_and_time_over_the_whole_corpus(hostile: corpus.Hostile) -> None:
    """Runs last in this module: it reads what the uploads above measured, and writes the figures."""
    done = [measured[e["file"]] for e in hostile.files if e["file"] in measured]
    if len(done) < len(hostile.files):
        pytest.skip("the memory figure needs the whole corpus uploaded first (run the whole module)")
    baseline = done[min(5, len(done) - 1)]["rss_mb"]
    peak = max(r["rss_mb"] for r in done)
    assert peak - baseline < MEMORY_GROWTH_MB, (baseline, peak)
    differ = {name: {"web_and_library": r["outcome"], "corpus_expects": r["expected"]}
              for name, r in measured.items() if r["outcome"] != r["expected"]}
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({
        "inputs": len(done), "crashes": sum(r["status"] >= 500 for r in done),
        "hangs_past_bound": sum(r["cpu_seconds"] >= r["bound"] for r in done),
        "partial_records": 0,  # each upload above asserted it: no row, file or blob of a refused file
        "refused": sum(r["outcome"] != "accept" for r in done), "slowest_seconds": max(r["seconds"] for r in done),
        "slowest_cpu_seconds": max(r["cpu_seconds"] for r in done),
        "worker_rss_mb": {"after_warm_up": baseline, "peak": peak,
                          "peak_maxrss": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
        "differ_from_corpus": differ,
    }, indent=1, sort_keys=True))
    assert json.loads(REPORT.read_text())["inputs"] == len(hostile.files)


# The project's own crafted files (tests/intake/hostile), each through the citizen upload route.


# Sent as the form: a file the service does not recognise is reported as unrecognised, and
# only a file taken for one of its forms shows its own warnings in the report.
OWN_ITEMS = {"gotor_unc_share.pdf": FORM_ITEM}


@pytest.fixture(scope="module")
def own_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.intake import hostile as own

    return own.write(tmp_path_factory.mktemp("own-hostile-web"))


def _own_families() -> list[str]:
    from tests.intake import hostile as own

    return [f.name for f in own.FAMILIES]


@pytest.mark.parametrize("name", _own_families())
def test_each_crafted_file_uploads_without_a_server_error_and_gives_its_code(web: Flask, own_files: dict[str, Path],
                                                                            name: str) -> None:
    import io

    from tests.intake import hostile as own

    family = own.BY_NAME[name]
    service = family.service or SERVICE
    item = family.item or OWN_ITEMS.get(name)
    key = f"item-{item}" if item else "everything"
    data = own_files[name].read_bytes()
    before = _counts(web)
    started = time.monotonic()
    response = post_files(web.test_client(), f"/s/{service}",
                          {key: [(io.BytesIO(data), family.sent_as)], "client_key": os.urandom(8).hex()})
    seconds = time.monotonic() - started
    after = _counts(web)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert seconds < 30, f"{name} took {seconds:.1f} s"
    if family.code is not None and family.blocks and family.code.startswith("file."):
        assert response.status_code == 422, (name, response.status_code)
        assert after["refusals"] == before["refusals"] + 1 and after["submissions"] == before["submissions"]
        with web.app_context():
            latest = db.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
            assert latest is not None and json.loads(latest.detail)["code"] == family.code
        return
    assert response.status_code == 303, (name, response.status_code)
    with web.app_context():
        stored = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
        assert stored is not None
        problems = _problems_in(stored.report["en"])
        kept = db.session.query(SubmissionFile).order_by(SubmissionFile.id.desc()).first()
        assert kept is not None and "\x00" not in kept.name
    if family.code is None:
        assert not [p for p in problems if p["code"].startswith("file.") and p.get("severity") == "blocks"]
        assert kept.name == family.sent_as.split("\x00", 1)[0]
    else:
        assert family.code in {p["code"] for p in problems}, (name, [p["code"] for p in problems])


def _problems_in(report: Any) -> list[dict[str, Any]]:
    """Every problem in a stored report, wherever the report nests it (forms, documents...)."""
    found: list[dict[str, Any]] = []
    pending = [report]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if isinstance(value.get("code"), str):
                found.append(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return found
