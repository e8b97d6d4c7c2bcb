"""The API against its own OpenAPI document, and against the other ways in.

schemathesis generates requests for every operation from the app's document and checks
that no answer is a 500 or breaks the document. A sample packet gives the same report
through the library, the CLI, the web form and ``POST /checks``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests import shared_corpus
from tests.web.api import files, send, token
from tests.web.conftest import post_files, upload_data
from web.models import CheckRecord, db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 12


def _operations() -> list[str]:
    """Every operation of the committed document (a test keeps it equal to the generated one)."""
    document = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    return [f"{method.upper()} {path}" for path, methods in document["paths"].items() for method in methods
            if method in ("get", "post", "put", "patch", "delete")]


@pytest.mark.parametrize("label", _operations())
def test_no_answer_is_a_server_error_or_breaks_the_openapi_document(app: Flask, label: str) -> None:
    """Requests generated from the app's own document, valid and invalid ones, called in-process
    with a write token for every service (so the clerk side is reached too); a few examples per
    operation, so the whole run stays under a minute."""
    from web import jobs

    with app.app_context():
        services = list(jobs.services())
    secret = token(app, "contract tests", "--scope", "write", *[a for s in services for a in ("--service", s)])
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).find_operation_by_label(label)
    assert operation is not None, label
    answers: list[int] = []

    @given(case=operation.as_strategy() | operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {secret}"})
        answers.append(response.status_code)
        case.validate_response(response, checks=[checks.not_a_server_error, checks.status_code_conformance,
                                                 checks.content_type_conformance, checks.response_schema_conformance,
                                                 checks.response_headers_conformance])

    call()
    assert answers and all(status < 500 for status in answers)


def _one_per_kind() -> list[Any]:
    """The first and the last sample packet of every shipped service: a good one and a bad one."""
    import intake

    if not shared_corpus.available():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=shared_corpus.MISSING))]
    found = []
    for service in intake.catalogue(ROOT / "schemas").values():
        for sample in {s.name: s for s in (service.samples[0], service.samples[-1])}.values():
            found.append(pytest.param(service.id, sample.name, id=f"{service.id}: {sample.name}"))
    return found


@pytest.mark.parametrize("service_id, sample_name", _one_per_kind())
def test_a_packet_gets_the_same_report_from_the_library_the_cli_the_web_form_and_the_api(
        checks_in_request: Flask, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, service_id: str, sample_name: str) -> None:
    import intake
    from intake import cli, samples
    from web import jobs

    service = intake.load_service(ROOT / "schemas" / f"{service_id}.yaml")
    sample = next(s for s in service.samples if s.name == sample_name)
    packet = samples.packet(service, sample, corpus)
    library = intake.check(service, packet, today=sample.today)

    labelled = [(entry if isinstance(entry, tuple) else (None, entry)) for entry in packet]
    arguments = []
    for number, (item, upload) in enumerate(labelled):
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / upload.name).write_bytes(upload.data)
        path = str(folder / upload.name)
        arguments.append(f"{item}={path}" if item else path)
    today = (sample.today or dt.date.today()).isoformat()
    capsys.readouterr()
    cli.main(["check", "--service", str(service.path), "--json", "--today", today, *arguments])
    from_cli = json.loads(capsys.readouterr().out)

    real_run = jobs.run_check

    def on_sample_day(svc: Any, files_: Any, today: dt.date | None = None, **kwargs: Any) -> Any:
        return real_run(svc, files_, today=sample.today, **kwargs)

    monkeypatch.setattr(jobs, "run_check", on_sample_day)
    app = checks_in_request
    form: dict[str, Any] = {}
    for item, upload in labelled:
        form.setdefault(f"item-{item}" if item else "everything", []).append((upload.data, upload.name))
    client = app.test_client()
    web = post_files(client, f"/s/{service_id}", upload_data(**form) | {"client_key": os.urandom(8).hex()})
    assert web.status_code == 303, web.get_data(as_text=True)[:300]
    with app.app_context():
        from_web = json.loads(db.session.query(CheckRecord).one().report_json)

    api_form = {("files" if key == "everything" else key): value for key, value in form.items()}
    from_api = {lang: send(client, "/checks", files(service=service_id, **api_form), query=f"?lang={lang}")
                for lang in ("en", "es")}
    assert all(r.status_code == 200 for r in from_api.values())

    expected = library.to_dict("en")
    assert from_cli == expected and from_web["en"] == expected and from_api["en"].get_json() == expected
    assert from_api["es"].get_json() == library.to_dict("es") == from_web["es"]
    assert expected["status"] == sample.status


def test_the_document_names_every_route_of_the_api(app: Flask) -> None:
    routes = {str(rule.rule) for rule in app.url_map.iter_rules() if str(rule.rule).startswith("/api/v1/")}
    documented = set(json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))["paths"])
    as_flask = {path.replace("{", "<").replace("}", ">") for path in documented}
    assert routes - as_flask == {"/api/v1/openapi.json", "/api/v1/docs"}


