"""Service files: loading, and a lint that names the file, line and key of every mistake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import intake
from intake import cli
from intake.services import ServiceError, Words

VALID = """\
id: demo
version: "2026-11"
title: {en: Demo service, es: Trámite de prueba}
forms:
  - id: main
    title: {en: Main form, es: Formulario principal}
    identify: {fields_any: [Name]}
    fields:
      name: {source: Name, type: text, required: true}
      married: {source: Married, type: checkbox}
      spouse: {source: Spouse, type: text}
      answer: {source: Answer, type: choice, one_of: ["Yes", "No"]}
    rules:
      - {when: {field: married, is: true}, require: [spouse]}
documents:
  - id: proof
    title: {en: Proof of address, es: Comprobante de domicilio}
    any_of: [bill]
document_kinds:
  bill:
    title: {en: A bill, es: Una factura}
    text_any: [amount due]
"""


@pytest.fixture
def service_file(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "demo.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def _mistakes(path: Path) -> list[str]:
    with pytest.raises(ServiceError) as caught:
        intake.load_service(path)
    return caught.value.problems


def test_a_valid_file_loads_into_plain_dataclasses(service_file: Callable[[str], Path]) -> None:
    service = intake.load_service(service_file(VALID))
    assert (service.id, service.version) == ("demo", "2026-11")
    assert service.title == Words("Demo service", "Trámite de prueba")
    (form,) = service.forms
    assert form.fields["name"].required and form.fields["spouse"].sources == ("Spouse",)
    assert form.rules[0].kind == "require" and form.rules[0].when is not None
    assert service.kinds["bill"].text_any == ("amount due",)
    assert service.items == ("main", "proof")


def test_a_wrong_field_type_names_file_line_path_and_the_choices(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.replace("type: text, required: true", "type: dat, required: true")))
    assert mistake.startswith("demo.yaml, line 9, forms › [1] › fields › name › type: 'dat' is not a field type")
    assert "date" in mistake and "signature" in mistake


def test_a_kind_may_ask_for_a_whole_number_it_prints_and_only_one_we_know(
        service_file: Callable[[str], Path]) -> None:
    card = VALID.replace("text_any: [amount due]", "text_any: [social security]\n    shows: [ssn]")
    assert intake.load_service(service_file(card)).kinds["bill"].shows == ("ssn",)
    (mistake,) = _mistakes(service_file(card.replace("shows: [ssn]", "shows: [phone]")))
    assert "document_kinds › bill › shows" in mistake and "name a value it prints: ssn" in mistake


def test_an_unknown_key_is_refused_with_a_spelling_hint(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.replace("required: true}", "requird: true}")))
    assert "line 9" in mistake and "'requird' is not a key we know here; did you mean required?" in mistake


def test_an_unquoted_no_is_caught_as_the_yaml_boolean_trap(service_file: Callable[[str], Path]) -> None:
    yes, no = _mistakes(service_file(VALID.replace('one_of: ["Yes", "No"]', "one_of: [Yes, No]")))
    assert yes.endswith("line 12, forms › [1] › fields › answer › one_of › [1]: "
                        "YAML reads Yes without quotes as True; write it in quotes: 'Yes'")
    assert "one_of › [2]" in no and "'No'" in no


def test_an_unquoted_date_or_number_version_gets_its_own_hint(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.replace('version: "2026-11"', "version: 2026-11-01")))
    assert mistake.startswith("demo.yaml, line 2, version: YAML reads 2026-11-01 without quotes as a date")
    (zero,) = _mistakes(service_file(VALID.replace('version: "2026-11"', "version: 012")))
    assert "drops the leading zero" in zero


def test_a_rule_naming_a_missing_field_is_refused_where_it_is_written(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.replace("require: [spouse]", "require: [partner]")))
    assert mistake.startswith("demo.yaml, line 14, forms › [1] › rules › [1] › require")
    assert "no field 'partner'" in mistake


def test_missing_keys_spanish_text_and_unknown_kinds_are_all_reported_at_once(
        service_file: Callable[[str], Path]) -> None:
    broken = (VALID.replace("title: {en: Demo service, es: Trámite de prueba}", "title: {en: Demo service}")
              .replace("any_of: [bill]", "any_of: [invoice]")
              .replace("    identify: {fields_any: [Name]}\n", ""))
    mistakes = _mistakes(service_file(broken))
    assert any("title: the es text is missing" in m for m in mistakes)
    assert any("identify: this key is required" in m for m in mistakes)
    broken_kind = _mistakes(service_file(VALID.replace("any_of: [bill]", "any_of: [invoice]")))
    assert any("no document kind 'invoice'" in m for m in broken_kind)


def test_the_id_must_match_the_file_name(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID, name="other.yaml"))
    assert "line 1, id: the id must match the file name: other" in mistake


def test_broken_yaml_is_reported_with_its_line(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.replace("forms:\n", "forms: [\n")))
    assert mistake.startswith("demo.yaml, line ") and "not valid YAML" in mistake


def test_a_service_is_found_by_id_in_a_folder(service_file: Callable[[str], Path]) -> None:
    path = service_file(VALID)
    assert intake.load_service("demo", schemas=path.parent).id == "demo"
    assert set(intake.catalogue(path.parent)) == {"demo"}
    with pytest.raises(intake.UnknownServiceError):
        intake.load_service("nope", schemas=path.parent)


def test_lint_exits_2_and_prints_every_mistake(service_file: Callable[[str], Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    good = service_file(VALID)
    assert cli.main(["lint", str(good)]) == 0
    bad = service_file(VALID.replace("id: demo", "id: bad").replace("type: text,", "type: txt,"), name="bad.yaml")
    assert cli.main(["lint", str(good.parent)]) == 2
    out = capsys.readouterr().out
    assert "ok    demo.yaml" in out and "bad.yaml, line 9" in out
    assert bad.exists()


def test_the_shipped_service_files_all_pass_lint(capsys: pytest.CaptureFixture[str]) -> None:
    schemas = Path(__file__).resolve().parents[2] / "schemas"
    assert cli.main(["lint", str(schemas)]) == 0, capsys.readouterr().out


def test_a_reason_names_the_answer_in_the_words_its_author_gave_not_the_export_value() -> None:
    from intake import rules
    from intake.services import Condition
    from intake.words import Words

    def words(value: object) -> Words | None:
        return Words("Married", "Casado o casada") if value == "Choice2" else None

    condition = Condition(field="marital", form="f", op="is", value="Choice2")
    assert "“Married”" in rules.describe(condition, "Marital status", "en", words)
    assert "Casado o casada" in rules.describe(condition, "Estado civil", "es", words)
    assert "Choice2" in rules.describe(condition, "Marital status", "en")
