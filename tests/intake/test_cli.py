"""The ``intake`` command through its entry point, on real corpus forms."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml

import intake
from intake import FieldKind
from tests import shared_corpus

CONTRACT = {"name", "kind", "value", "label", "page", "rect", "options", "required", "max_length", "source"}


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
    listed = json.loads(capsys.readouterr().out)
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
    assert len(spec["fields"]) == len(fillable)
    assert [f["source"] for f in spec["fields"].values()] == [f.name for f in fillable]
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
    types = {spec["source"]: spec["type"] for spec in fields.values()}
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


def test_the_installed_script_runs_in_a_fresh_process(corpus: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "intake", "fields", "--json",
                           str(corpus / "forms/irs_f1040sc_2011_filled_fieldids.pdf")],
                          capture_output=True, text=True, check=True)
    values = {f["value"] for f in json.loads(done.stdout)}
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
