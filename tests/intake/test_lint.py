"""``intake lint``: what loads but cannot be meant, each with its own code, file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

import intake
from intake import _servicefile, cli
from intake.report import Problem
from intake.services import ServiceError

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
      answer: {source: Answer, type: choice, one_of: ["Yes", "No"]}
      spouse: {source: Spouse, type: text, required_when: {field: answer, is: "Yes"}}
documents:
  - id: proof
    title: {en: Proof of address, es: Comprobante de domicilio}
    any_of: [bill]
document_kinds:
  bill:
    title: {en: A bill, es: Una factura}
    text_any: [amount due]
samples:
  - name: a blank form
    files: [{path: blank.pdf, item: main, values: {name: Ana}}]
    expect: {status: incomplete, codes: [document.missing]}
"""


def _lint(tmp_path: Path, text: str, name: str = "demo.yaml") -> list[_servicefile.LintWarning]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return _servicefile.lint(path)[1]


def _codes(found: list[_servicefile.LintWarning]) -> set[str]:
    return {w.code for w in found}


def test_the_valid_file_has_nothing_to_say(tmp_path: Path) -> None:
    assert _lint(tmp_path, VALID) == []


def test_a_condition_on_an_answer_the_field_does_not_allow_is_a_dead_rule(tmp_path: Path) -> None:
    (found,) = _lint(tmp_path, VALID.replace('is: "Yes"', 'is: "Si"'))
    assert found.code == "lint.dead_condition" and found.blocking
    assert found.text.startswith("demo.yaml, line 11, forms › [1] › fields › spouse › required_when")
    assert "'Si'" in found.text and "Yes, No" in found.text


def test_a_field_id_written_twice_is_caught_at_the_second(tmp_path: Path) -> None:
    text = VALID.replace("      answer:", "      name: {source: Other, type: text}\n      answer:")
    (found,) = [w for w in _lint(tmp_path, text) if w.code == "lint.duplicate_key"]
    assert found.blocking and "line 10" in found.text and "'name' is written twice" in found.text


def test_an_unquoted_iso_date_in_a_sample_value_is_caught(tmp_path: Path) -> None:
    (found,) = _lint(tmp_path, VALID.replace("{name: Ana}", "{name: 2026-01-31}"))
    assert found.code == "lint.sample_date_unquoted" and "'2026-01-31'" in found.text and "line 22" in found.text


def test_an_expected_code_that_does_not_exist_is_caught_with_a_suggestion(tmp_path: Path) -> None:
    (found,) = _lint(tmp_path, VALID.replace("[document.missing]", "[document.mising]"))
    assert found.code == "lint.unknown_code" and "did you mean document.missing?" in found.text


def test_every_message_code_is_a_code_a_sample_may_expect() -> None:
    assert "field.choice" in _servicefile.problem_codes()
    assert all(":" not in code for code in _servicefile.problem_codes())
    assert all(Problem.of(code).code == code for code in ("field.required", "document.missing"))


def test_a_kind_with_no_text_can_never_match_and_its_document_is_unreachable(tmp_path: Path) -> None:
    assert _codes(_lint(tmp_path, VALID.replace("    text_any: [amount due]\n", ""))) == {
        "lint.kind_never_matches", "lint.document_unreachable"}


def test_spanish_that_repeats_the_english_is_pointed_out_as_a_warning(tmp_path: Path) -> None:
    (found,) = _lint(tmp_path, VALID.replace("es: Formulario principal", "es: Main form"))
    assert found.code == "lint.untranslated" and not found.blocking and "forms › [1] › title › es" in found.text


def test_an_id_that_is_not_the_file_name_says_both_ways_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(VALID, encoding="utf-8")
    with pytest.raises(ServiceError) as caught:
        intake.load_service(path)
    assert "rename the file to demo.yaml or set id: other" in caught.value.problems[0]


def test_one_of_takes_words_for_each_value_in_both_documented_forms(tmp_path: Path) -> None:
    listed = VALID.replace('one_of: ["Yes", "No"]',
                           'one_of: [{value: "Yes", en: Married, es: Casado}, "No"]')
    mapped = VALID.replace('one_of: ["Yes", "No"]',
                           'one_of: {"Yes": {en: Married, es: Casado}, "No": {en: Single, es: Soltero}}')
    for text in (listed, mapped):
        path = tmp_path / "demo.yaml"
        path.write_text(text, encoding="utf-8")
        spec = intake.load_service(path).forms[0].fields["answer"]
        assert spec.one_of == ("Yes", "No")
        assert spec.words_for("Yes") is not None and spec.words_for("Yes").get("es") == "Casado"  # type: ignore[union-attr]
    assert spec.choices_text().get("es") == "Casado, Soltero"


def test_a_blocking_finding_makes_lint_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(VALID.replace('is: "Yes"', 'is: "Si"'), encoding="utf-8")
    assert cli.main(["lint", str(path)]) == 2
    out = capsys.readouterr().out
    assert "FAIL  demo.yaml" in out and "error demo.yaml, line 11" in out and "(lint.dead_condition)" in out


def test_the_shipped_service_files_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lint", str(Path(__file__).parents[2] / "schemas")]) == 0, capsys.readouterr().out
