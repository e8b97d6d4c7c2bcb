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


ON_THE_PDF = """\
id: demo
version: "2026-11"
title: {en: Demo service, es: Trámite de prueba}
forms:
  - id: petition
    title: {en: Petition, es: Petición}
    identify: {fields_any: [PetitionerName]}
    fields:
      name: {source: PetitionerName, type: text}
      sealing: {source: SealingRequest, type: text}
      court: {source: CourtType, type: text}
      reasons: {source: ReasonsForNameChangeRequest-specify, type: text}
    rules:
      - {when: {field: sealing, is: "Yes"}, require: [reasons]}
      - {when: {field: court, in: [Supreme, County]}, require: [name]}
samples:
  - name: a blank petition
    files: [{path: "corpus:forms/ny_ucs_nc1_adult_name_change_petition.pdf", item: petition}]
    expect: {status: complete, codes: []}
"""


@pytest.mark.corpus
def test_a_condition_on_an_answer_the_real_form_does_not_offer_is_a_dead_rule(
        tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_CORPUS", str(corpus))
    assert _lint(tmp_path, ON_THE_PDF) == []
    radio, listed = _lint(tmp_path, ON_THE_PDF.replace('is: "Yes"', 'is: "Sí"').replace("[Supreme, County]",
                                                                                          "[Supreme, Family]"))
    assert radio.code == listed.code == "lint.dead_condition" and radio.blocking and listed.blocking
    assert radio.text.startswith("demo.yaml, line 14, forms › [1] › rules › [1] › when")
    assert "'Sí' is not an answer the box 'SealingRequest' of ny_ucs_nc1_adult_name_change_petition.pdf offers" \
        in radio.text and "(Yes, No)" in radio.text
    assert "'Family' is not an answer the box 'CourtType'" in listed.text and "'Supreme'" not in listed.text


def test_without_the_real_form_a_condition_is_judged_by_the_service_file_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_CORPUS", str(tmp_path / "no-corpus-here"))
    assert _lint(tmp_path, ON_THE_PDF.replace('is: "Yes"', 'is: "Sí"')) == []


def _court_form(path: Path, *, editable: bool) -> None:
    """A form whose Court list offers Supreme and County; an editable one takes typed answers too."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    from tests.pdfs import FormBuilder

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(
        FormBuilder().add_text("Name").add_choice("Court", ["Supreme", "County"]).build())))
    for annot in writer.pages[0]["/Annots"]:
        field = annot.get_object()
        if field.get("/T") == "Court" and editable:
            field[NameObject("/Ff")] = NumberObject(int(field.get("/Ff", 0)) | 1 << 18)
    with open(path, "wb") as handle:
        writer.write(handle)


COURT = """\
id: demo
version: "2026-11"
title: {en: Demo service, es: Trámite de prueba}
forms:
  - id: main
    title: {en: Main form, es: Formulario principal}
    identify: {fields_any: [Name]}
    fields:
      name: {source: Name, type: text}
      court: {source: Court, type: text}
    rules:
      - {when: {field: court, is: Family}, require: [name]}
samples:
  - name: a blank form
    files: [{path: court.pdf, item: main}]
    expect: {status: complete, codes: []}
"""


def test_a_condition_on_an_answer_a_fixed_list_lacks_is_dead_but_an_editable_list_takes_any(tmp_path: Path) -> None:
    _court_form(tmp_path / "court.pdf", editable=False)
    (found,) = _lint(tmp_path, COURT)
    assert found.code == "lint.dead_condition"
    assert "'Family' is not an answer the box 'Court' of court.pdf offers (Supreme, County)" in found.text
    _court_form(tmp_path / "court.pdf", editable=True)
    assert _lint(tmp_path, COURT) == []


def test_a_title_in_title_case_is_pointed_out_with_its_sentence_case(tmp_path: Path) -> None:
    (found,) = _lint(tmp_path, VALID.replace("{en: Proof of address,", "{en: Proof Of Address,"))
    assert found.code == "lint.sentence_case" and not found.blocking
    assert "documents › [1] › title › en" in found.text
    assert "'Proof of address'" in found.text


def test_names_in_a_title_are_not_title_case(tmp_path: Path) -> None:
    for title in ("Social Security card", "New York State ID", "Form DS-11", "U.S. passport (4 points)",
                  "Tarjeta de Seguro Social (1 punto)"):
        text = VALID.replace("{en: Proof of address, es: Comprobante de domicilio}",
                             f'{{en: "{title}", es: Comprobante de domicilio}}')
        assert _lint(tmp_path, text) == [], title


def test_a_british_spelling_in_a_us_service_is_pointed_out(tmp_path: Path) -> None:
    text = VALID.replace("{en: A bill, es: Una factura}", "{en: A driver licence from the centre, es: Una licencia}")
    found = [w for w in _lint(tmp_path, text) if w.code == "lint.british_spelling"]
    assert len(found) == 2 and not any(w.blocking for w in found)
    assert "'licence'" in found[0].text and "'license'" in found[0].text
    assert "'centre'" in found[1].text and "'center'" in found[1].text
    assert "document_kinds › bill › title › en" in found[0].text


def test_british_spelling_is_right_outside_the_us_and_in_search_words(tmp_path: Path) -> None:
    british = VALID.replace("{en: A bill, es: Una factura}", "{en: A driver licence, es: Una licencia}")
    assert _lint(tmp_path, british.replace("version:", "locale: GB\nversion:", 1)) == []
    searched = VALID.replace("forms:", 'search: {en: ["licence", "organisation"], es: [licencia]}\nforms:', 1)
    assert _lint(tmp_path, searched) == []


def test_the_shipped_services_have_no_british_spelling_or_title_case() -> None:
    root = Path(__file__).resolve().parents[2] / "schemas"
    for path in sorted(root.glob("*.yaml")):
        if path.name == _servicefile.SHARED_KINDS:
            continue
        codes = _codes(_servicefile.lint(path)[1])
        assert not codes & {"lint.british_spelling", "lint.sentence_case"}, path.name


def test_search_words_are_lists_of_words_in_either_language(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(VALID.replace("forms:", "search: {en: [W-9, daycare]}\nforms:", 1), encoding="utf-8")
    service = intake.load_service(path)
    assert service.search.en == ("W-9", "daycare") and service.search.es == ()
    for wrong, said in (("search: W-9", "search"), ("search: {en: [], es: [x]}", "list at least one word"),
                        ("search: {fr: [x]}", "fr"), ("search: {}", "list the words people search for")):
        path.write_text(VALID.replace("forms:", f"{wrong}\nforms:", 1), encoding="utf-8")
        with pytest.raises(ServiceError) as caught:
            intake.load_service(path)
        assert said in " ".join(caught.value.problems), wrong
