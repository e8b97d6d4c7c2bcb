"""The ``intake`` command through its entry point, on real corpus forms."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml

import intake
from intake import FieldKind
from tests import shared_corpus
from tests.pdfs import FormBuilder

CONTRACT = {"name", "kind", "value", "label", "page", "rect", "options", "required", "max_length", "source"}
PACKET = ("forms/dos_ds11_passport_application.pdf", "citizenship=forms/irs_fw9_2024.pdf")


@pytest.fixture
def cli() -> Callable[..., int]:
    """The function the installed ``intake`` script calls."""
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "intake"]
    main: Callable[..., int] = script.load()
    return main


def _forms() -> list[Any]:
    forms = shared_corpus.forms()
    if not forms:
        return [pytest.param(None, marks=pytest.mark.skip(reason=shared_corpus.MISSING))]
    return [pytest.param(e, id=e.file) for e in forms]


@pytest.mark.parametrize("entry", _forms())
def test_fields_json_lists_every_field_with_the_contract_keys(cli: Callable[..., int], entry: Any,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["fields", str(entry.path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["fields"]
    assert [f["name"] for f in listed] == [f.name for f in intake.read_form(entry.path).fields]
    assert all(set(f) >= CONTRACT for f in listed)


@pytest.mark.parametrize("entry", _forms())
def test_scaffold_drafts_a_yaml_service_with_one_entry_per_fillable_field(
        cli: Callable[..., int], entry: Any, tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    assert cli(["scaffold", str(entry.path), "-o", str(out)]) == 0
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    form = intake.read_form(entry.path)
    fillable = [f for f in form.fields if f.kind is not FieldKind.BUTTON and not f.read_only]
    (spec,) = draft["forms"]
    # Split boxes (an SSN in three) are one entry listing its boxes; every box appears exactly once.
    listed = [name for f in spec["fields"].values()
              for name in (f["source"] if isinstance(f["source"], list) else [f["source"]])]
    assert sorted(listed) == sorted(f.name for f in fillable)
    assert all(key.isidentifier() and key == key.lower() for key in spec["fields"])
    assert set(spec["identify"]["fields_any"]) <= {f.name for f in fillable}


def test_fields_table_shows_pages_kinds_values_and_a_summary(cli: Callable[..., int], corpus: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["fields", str(corpus / "forms/irs_f1040_2010_prefilled.pdf")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["PAGE", "KIND", "NAME", "VALUE", "LABEL"]
    assert "foobar" in out
    assert "fields on 2 pages" in out


def test_scaffold_guesses_types_from_tooltips(cli: Callable[..., int], corpus: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["scaffold", str(corpus / "forms/dos_ds11_passport_application.pdf")]) == 0
    fields = yaml.safe_load(capsys.readouterr().out)["forms"][0]["fields"]
    types = {spec["source"] if isinstance(spec["source"], str) else tuple(spec["source"]): spec["type"]
             for spec in fields.values()}
    assert types[("Applicant SSN 1", "Applicant SSN 2", "Applicant SSN 3")] == "ssn"
    assert types[("Applicant DOB M", "Applicant DOB D", "Applicant DOB Y")] == "date"
    assert types["Emergency Contact Zip Code"] == "zip"
    assert types["Emergency Contact Phone"] == "phone"
    assert types["Travel Return Date"] == "date"
    assert types["Applicant Last Name"] == "text"
    choices = [spec for spec in fields.values() if spec["type"] == "choice"]
    assert choices and all(spec["one_of"] for spec in choices)


def test_an_unreadable_file_exits_1_with_a_plain_message(cli: Callable[..., int], corpus: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["fields", str(corpus / "malformed/encrypted_user_pw_openpassword.pdf")]) == 1
    assert "password" in capsys.readouterr().err
    assert cli(["fields", str(corpus / "malformed/empty_zero_bytes.pdf"), "--lang", "es"]) == 1
    assert "vacío" in capsys.readouterr().err


def test_usage_mistakes_exit_2(cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli([]) == 2
    assert cli(["fields", str(tmp_path / "nowhere.pdf")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli(["fields"])
    assert exit_info.value.code == 2


def test_version_prints_the_installed_version_and_is_looked_up_only_when_asked(
        cli: Callable[..., int], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        cli(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"intake {version('intake')}\n"
    import intake.cli

    def not_now() -> str:
        raise AssertionError("the version was looked up for a command that did not ask for it")

    monkeypatch.setattr(intake.cli, "_version", not_now)
    form = tmp_path / "form.pdf"
    form.write_bytes(FormBuilder().add_text("Name", "Jane").build())
    assert cli(["fields", "--json", str(form)]) == 0
    assert json.loads(capsys.readouterr().out)["fields"][0]["value"] == "Jane"


def test_the_installed_script_runs_in_a_fresh_process(corpus: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "intake", "fields", "--json",
                           str(corpus / "forms/irs_f1040sc_2011_filled_fieldids.pdf")],
                          capture_output=True, text=True, check=True)
    values = {f["value"] for f in json.loads(done.stdout)["fields"]}
    assert "F0" in values or any(str(v).startswith("F") for v in values if v)


@pytest.mark.parametrize("entry", _forms())
def test_a_scaffolded_draft_passes_lint(cli: Callable[..., int], entry: Any, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft-service.yaml"
    assert cli(["scaffold", str(entry.path), "--id", "draft-service", "-o", str(draft)]) == 0
    assert cli(["lint", str(draft)]) == 0, capsys.readouterr().out


def test_fields_shows_terminal_controls_in_names_and_values_as_visible_escapes(
        cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.pdfs import FormBuilder

    form = tmp_path / "controls.pdf"
    form.write_bytes(FormBuilder().add_text("Name\x1b]0;owned\x07", "Jane\x1b[2J\x9b31m").build())
    assert cli(["fields", str(form)]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\\x1b[2J" in shown


# --- parsing in the sandbox ----------------------------------------------------------------------


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every sandbox worker process a command starts, replacements included, in order."""
    from intake import sandbox

    started: list[subprocess.Popen[bytes]] = []

    class Recorded(sandbox.Sandbox):
        def _start(self) -> None:
            super()._start()
            assert self._process is not None
            started.append(self._process)

    monkeypatch.setattr(sandbox, "Sandbox", Recorded)
    return started


def _not_here(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a file was parsed in the calling process")


def _problems(node: Any) -> list[dict[str, Any]]:
    """Every problem anywhere in a JSON report: any object with a code and a file."""
    if isinstance(node, list):
        return [p for child in node for p in _problems(child)]
    if not isinstance(node, dict):
        return []
    here = [node] if "code" in node and "file" in node else []
    return here + [p for child in node.values() for p in _problems(child)]


def _check_args(corpus: Path, *extra: str) -> list[str]:
    files = [f"{item}{sep}{corpus / path}" for item, sep, path in
             (entry.rpartition("=") for entry in PACKET)]
    return ["check", "--service", "passport-first-time", "--today", "2026-11-22", *files, *extra]


def test_check_parses_in_a_sandbox_worker_by_default_and_stops_it_before_returning(
        cli: Callable[..., int], corpus: Path, workers: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("intake.checks.read_form", _not_here)
    assert cli(_check_args(corpus, "--json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["form"] for f in report["forms"]] == ["ds11"]
    assert len(workers) == 1 and workers[0].returncode is not None, "the worker outlived the command"


def test_check_with_no_sandbox_parses_in_this_process_and_starts_no_worker(
        cli: Callable[..., int], corpus: Path, workers: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from intake import checks

    read: list[str] = []
    real = checks.read_form

    def counted(upload: intake.Upload, **kwargs: Any) -> intake.PdfForm:
        read.append(upload.name)
        return real(upload, **kwargs)

    monkeypatch.setattr(checks, "read_form", counted)
    assert cli(_check_args(corpus, "--json", "--no-sandbox")) == 1
    assert json.loads(capsys.readouterr().out)["forms"][0]["form"] == "ds11"
    assert workers == [] and sorted(read) == ["dos_ds11_passport_application.pdf", "irs_fw9_2024.pdf"]


@pytest.mark.parametrize("output", [["--json"], ["--lang", "es"]], ids=["json", "text-es"])
def test_check_prints_the_same_report_and_exit_code_with_or_without_the_sandbox(
        cli: Callable[..., int], corpus: Path, output: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    sandboxed = cli(_check_args(corpus, *output)), capsys.readouterr()
    here = cli(_check_args(corpus, *output, "--no-sandbox")), capsys.readouterr()
    assert sandboxed == here
    assert sandboxed[0] == 1 and sandboxed[1].out and not sandboxed[1].err


def test_fields_parses_in_a_sandbox_worker_when_asked_with_the_same_output(
        cli: Callable[..., int], corpus: Path, workers: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    form = str(corpus / "forms/irs_f1040_2010_prefilled.pdf")
    outputs = []
    for extra in ([], ["--json"]):
        assert cli(["fields", form, *extra]) == 0
        here = capsys.readouterr().out
        with monkeypatch.context() as patched:
            patched.setattr("intake.pdf.read_form", _not_here)
            assert cli(["fields", form, *extra, "--sandbox"]) == 0
        outputs.append((capsys.readouterr().out, here))
    assert all(sandboxed == here for sandboxed, here in outputs)
    assert len(workers) == 2 and all(w.returncode is not None for w in workers)


@pytest.mark.parametrize("starved, variant", [
    ({"memory_mb": 40}, {None, "memory"}),      # the worker is killed, or runs out, as it reads
    ({"wall_seconds": 0.05}, {"time"}),         # the worker does not answer in time
], ids=["memory", "time"])
def test_a_file_that_kills_or_outlasts_the_worker_is_too_complex_not_a_crash(
        cli: Callable[..., int], corpus: Path, workers: list[subprocess.Popen[bytes]],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        starved: dict[str, Any], variant: set[str | None]) -> None:
    from intake import sandbox

    monkeypatch.setattr(sandbox, "SandboxLimits", functools.partial(sandbox.SandboxLimits, **starved))
    assert cli(_check_args(corpus, "--json")) == 1
    shown = capsys.readouterr()
    report = json.loads(shown.out)
    problems = [p for p in _problems(report) if p.get("code", "").startswith("file.")]
    assert {p["file"] for p in problems} == {"dos_ds11_passport_application.pdf", "irs_fw9_2024.pdf"}
    assert all(p["code"] == "file.too_complex" for p in problems)
    assert {p["params"].get("variant") for p in problems if "params" in p} <= variant
    assert report["status"] == "invalid" and not shown.err
    form = corpus / "forms/irs_fw9_2024.pdf"
    assert cli(["fields", str(form), "--sandbox"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{form}: ") and err.count("\n") == 1, err
    assert any(words in err for words in ("too complex", "too long", "more memory")), err
    assert len(workers) >= 2 and all(w.returncode is not None for w in workers)


def test_scaffold_reads_the_form_under_the_upload_limits_in_this_process_or_in_a_sandbox(
        cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.intake.hostile.drawings import radio_beside_fan_out

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(radio_beside_fan_out())
    started = time.monotonic()
    assert cli(["scaffold", str(bomb)]) == 0
    assert time.monotonic() - started < 2, "the page's draws are counted, not made"
    in_process = capsys.readouterr().out
    assert "choice: {source: Choice, type: choice, one_of: ['1', '2']}" in in_process
    assert cli(["scaffold", "--sandbox", str(bomb)]) == 0
    assert capsys.readouterr().out == in_process, "the same draft either way"

    long = tmp_path / "long.pdf"
    long.write_bytes(FormBuilder(pages=intake.Limits().max_pages + 1).add_text("Name").build())
    assert cli(["scaffold", str(long)]) == 1
    assert "pages" in capsys.readouterr().err
