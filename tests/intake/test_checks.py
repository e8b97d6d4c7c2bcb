"""The checker on real forms filled in code: exact codes, fields and pages in the report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import intake
from intake import cli, ocr

TODAY = dt.date(2026, 11, 22)
DS11 = "forms/dos_ds11_passport_application.pdf"
SYNTHETIC = "supporting/synthetic/"

SERVICE = """\
id: test-packet
version: "t-1"
title: {en: Test packet, es: Paquete de prueba}
visit:
  bring: [{en: Your ID, es: Su identificación}]
forms:
  - id: ds11
    title: {en: Form DS-11, es: Formulario DS-11}
    identify: {fields_any: ["Applicant Last Name", "Applicant SSN 1"]}
    fields:
      last_name: {source: "Applicant Last Name", type: text, required: true, label: {en: Last name, es: Apellido}}
      first_name: {source: "Applicant First Name", type: text, required: true}
      ssn: {source: ["Applicant SSN 1", "Applicant SSN 2", "Applicant SSN 3"], type: ssn, required: true}
      email: {source: "Applicant Email", type: email}
      phone: {source: ["Applicant Phone 1", "Applicant Phone 2", "Applicant Phone 3"], type: phone}
      other_names: {source: "List all other names you have used", type: text}
      employer: {source: "Employer or School", type: text}
      occupation: {source: "Occupation", type: text}
      departure: {source: "Travel Departure Date", type: date}
      back: {source: "Travel Return Date", type: date}
      married: {source: "Ever Married", type: choice, one_of: ["Yes", "No"]}
      spouse: {source: "Full Name of Current Spouse or Most Recent Spouse (Last, first, Middle)", type: text}
      wedding: {source: "Date of Marriage (mm/dd/yyyy)", type: date, required_when: {field: married, is: "Yes"}}
    rules:
      - {at_least_one_of: [email, phone]}
      - {date_order: [departure, back]}
      - {exactly_one_of: [employer, occupation]}
      - {when: {field: married, is: "Yes"}, require: [spouse]}
  - id: tax
    title: {en: Form 1040 (2024), es: Formulario 1040 (2024)}
    required: false
    identify: {text_any: ["U.S. Individual Income Tax Return"]}
    editions:
      - id: f1040_2019
        title: {en: Form 1040 for 2019, es: Formulario 1040 de 2019}
        identify: {text_any: ["(99) 2019"]}
      - id: w4
        title: {en: Form W-4, es: Formulario W-4}
        identify: {text_any: ["Employee’s Withholding Certificate"]}
        status: wrong
    fields: {}
documents:
  - id: proof_of_address
    title: {en: Proof of address, es: Comprobante de domicilio}
    any_of: [utility_bill, bank_statement]
    max_age_days: 90
    name_matches: {form: ds11, field: [first_name, last_name]}
  - id: name_change
    title: {en: Proof of name change, es: Prueba del cambio de nombre}
    required_when: {form: ds11, field: other_names, filled: true}
  - id: pay_stub
    title: {en: Pay stubs, es: Talones de pago}
    required: false
    any_of: [pay_stub]
    min_pages: 1
points:
  - id: identity
    title: {en: Proofs of identity, es: Pruebas de identidad}
    need: 3
    documents: {proof_of_address: 1, pay_stub: 2}
"""
GOOD = {
    "Applicant Last Name": "Pérez", "Applicant First Name": "José",
    "Applicant SSN 1": "123", "Applicant SSN 2": "45", "Applicant SSN 3": "6789",
    "Applicant Email": "jose@example.com", "Occupation": "Baker",
}


@pytest.fixture
def service(tmp_path: Path, corpus: Path) -> intake.Service:
    (tmp_path / "test-packet.yaml").write_text(SERVICE, encoding="utf-8")
    (tmp_path / "kinds.yaml").write_text((Path(__file__).parents[2] / "schemas/kinds.yaml").read_text("utf-8"),
                                         encoding="utf-8")
    return intake.load_service(tmp_path / "test-packet.yaml")


def _problems(report: intake.Report) -> list[tuple[str, str | None, int | None]]:
    return [(p.code, p.field, p.page) for p in report.problems]


def test_a_complete_packet_is_ready_for_the_visit(service: intake.Service, corpus: Path,
                                                  filled: Callable[..., bytes]) -> None:
    report = intake.check(service, [filled(DS11, **GOOD), corpus / SYNTHETIC / "utility_bill_1.pdf",
                                    corpus / SYNTHETIC / "pay_stub_1.pdf"], today=TODAY)
    assert (report.status, _problems(report), report.missing) == ("complete", [], ())
    ds11 = report.forms[0]
    assert ds11.values["ssn"] == "***-**-6789" and ds11.values["last_name"] == "Pérez"
    docs = {d.id: d for d in report.documents}
    assert (docs["proof_of_address"].status, docs["proof_of_address"].kind) == ("provided", "utility_bill")
    assert docs["name_change"].status == "not_needed"
    assert [w.en for w in report.bring_in_person] == ["Your ID"]


def test_missing_fields_and_documents_make_it_incomplete_with_pages(service: intake.Service,
                                                                    filled: Callable[..., bytes]) -> None:
    values = {**GOOD, "Applicant Last Name": "", "List all other names you have used": "José García"}
    report = intake.check(service, [filled(DS11, **values)], today=TODAY)
    assert report.status == "incomplete"
    assert _problems(report) == [("field.required", "last_name", 5)]
    assert [(m.kind, m.id) for m in report.missing] == [
        ("field", "ds11.last_name"), ("document", "proof_of_address"), ("document", "name_change"),
        ("points", "identity")]
    name_change = report.missing[2]
    assert name_change.reason is not None
    assert name_change.reason.en == "you filled in “Other names”"
    assert report.missing[3].reason and "0 of the 3 points" in report.missing[3].reason.en


def test_wrong_values_and_broken_rules_make_it_invalid(service: intake.Service,
                                                       filled: Callable[..., bytes]) -> None:
    values = {**GOOD, "Applicant SSN 1": "912", "Applicant Email": "", "Employer or School": "Bakery",
              "Travel Departure Date": "12/20/2026", "Travel Return Date": "12/01/2026", "Ever Married": "Yes"}
    report = intake.check(service, [filled(DS11, **values)], today=TODAY)
    assert report.status == "invalid"
    assert sorted(_problems(report)) == sorted([
        ("field.format", "ssn", 5), ("field.rule", "email", 5), ("field.rule", "back", 6),
        ("field.rule", "occupation", 6), ("field.required", "spouse", 6), ("field.required", "wedding", 6)])
    wedding = next(p for p in report.problems if p.field == "wedding")
    assert wedding.message("en") == ("Page 6: Fill in the “Wedding” box. "
                                     "It is needed because you answered “Yes” to “Married”.")
    assert wedding.message("es").endswith("Se necesita porque usted respondió “Sí” a “Married”.")
    ssn = next(p for p in report.problems if p.field == "ssn")
    assert ssn.params == {"variant": "ssn_issued"}
    assert "912" not in json.dumps(report.to_dict())


def test_a_split_ssn_problem_points_at_the_first_box(service: intake.Service, filled: Callable[..., bytes]) -> None:
    report = intake.check(service, [filled(DS11, **{**GOOD, "Applicant SSN 2": ""})], today=TODAY)
    (problem,) = [p for p in report.problems if p.field == "ssn"]
    assert (problem.code, problem.page, problem.params["variant"]) == ("field.format", 5, "ssn")


def test_documents_are_checked_for_age_content_and_name(service: intake.Service, corpus: Path,
                                                        filled: Callable[..., bytes]) -> None:
    bill = corpus / SYNTHETIC / "utility_bill_2.pdf"
    stale = intake.check(service, [filled(DS11, **GOOD), ("proof_of_address", bill)], today=TODAY)
    (too_old,) = stale.documents[0].problems
    assert (too_old.code, too_old.params["days"], stale.documents[0].status) == ("document.too_old", 90, "invalid")
    other = intake.check(service, [filled(DS11, **GOOD), ("proof_of_address", corpus / SYNTHETIC / "lease.pdf")],
                         today=TODAY)
    assert [p.code for p in other.documents[0].problems] == ["document.content"]
    someone_else = intake.check(service, [filled(DS11, **GOOD), ("proof_of_address",
                                                                  corpus / SYNTHETIC / "bank_statement.pdf")],
                                today=TODAY)
    assert someone_else.documents[0].status == "provided"
    renamed = intake.check(service, [filled(DS11, **{**GOOD, "Applicant Last Name": "García"}),
                                     ("proof_of_address", corpus / SYNTHETIC / "bank_statement.pdf")], today=TODAY)
    (mismatch,) = renamed.documents[0].problems
    assert (mismatch.code, mismatch.severity) == ("document.name_mismatch", intake.Severity.WARNING)


def test_unread_scans_and_photos_are_accepted_but_the_original_must_come(service: intake.Service, corpus: Path,
                                                                        filled: Callable[..., bytes]) -> None:
    report = intake.Checker(read_scans=False).check(service, [
        filled(DS11, **GOOD), ("proof_of_address", corpus / SYNTHETIC / "utility_bill_scan.pdf"),
        ("pay_stub", corpus / SYNTHETIC / "state_id_front_photo.jpg")], today=TODAY)
    assert [d.status for d in report.documents] == ["provided", "not_needed", "provided"]
    assert {p.code for p in report.problems} == {"document.unreadable"}
    assert report.status == "complete"
    assert [w.en for w in report.bring_in_person][1:] == ["The original of: Proof of address",
                                                          "The original of: Pay stubs"]


def test_an_older_edition_is_reported_as_outdated(service: intake.Service, corpus: Path,
                                                  filled: Callable[..., bytes]) -> None:
    report = intake.check(service, [filled(DS11, **GOOD), corpus / "forms/irs_f1040_2019_filled_placeholder.pdf",
                                    corpus / SYNTHETIC / "utility_bill_1.pdf", corpus / SYNTHETIC / "pay_stub_1.pdf"],
                          today=TODAY)
    tax = next(f for f in report.forms if f.form == "tax")
    (problem,) = tax.problems
    assert problem.code == "form.outdated" and "Form 1040 for 2019" in problem.message("en")
    assert report.status == "invalid"
    wrong = intake.check(service, [corpus / "forms/irs_fw4_2025_orphan_widgets.pdf"], today=TODAY)
    assert [p.code for p in wrong.forms[0].problems] == ["form.wrong"]
    assert "This is Form W-4, not Form 1040 (2024)" in wrong.forms[0].problems[0].message("en")
    current = intake.check(service, [filled(DS11, **GOOD), corpus / "forms/irs_f1040_2024_xfa.pdf",
                                     corpus / SYNTHETIC / "utility_bill_1.pdf", corpus / SYNTHETIC / "pay_stub_1.pdf"],
                           today=TODAY)
    assert current.status == "complete" and [f.form for f in current.forms] == ["ds11", "tax"]


@pytest.mark.parametrize("name, code", [
    ("malformed/truncated_no_eof.pdf", "file.damaged"),
    ("malformed/encrypted_user_pw_openpassword.pdf", "file.encrypted"),
    ("malformed/empty_zero_bytes.pdf", "file.empty"),
    ("malformed/not_a_pdf_no_header.pdf", "file.not_pdf"),
    # Read, it is a form to fill in that this service does not use; unread, it cannot be placed.
    ("flat/scanned_nyc_civil_court_fee_waiver.pdf", "form.wrong" if ocr.available() else "file.unrecognised"),
    ("forms/irs_fw9_2024.pdf", "form.wrong"),
])
def test_bad_or_unknown_files_become_problems_in_the_report_never_exceptions(
        service: intake.Service, corpus: Path, name: str, code: str) -> None:
    report = intake.check(service, [corpus / name], today=TODAY)
    assert [(u.file, u.problem.code) for u in report.unrecognised_files] == [(Path(name).name, code)]
    labelled = intake.check(service, [("ds11", corpus / name)], today=TODAY)
    assert labelled.status in ("invalid", "incomplete")
    assert labelled.forms[0].problems[0].code in (code, "file.no_fields", "form.scanned")


def test_a_photo_that_is_not_the_form_is_not_taken_for_it(service: intake.Service,
                                                                     corpus: Path) -> None:
    svc = service
    report = intake.check(svc, [("ds11", corpus / SYNTHETIC / "ssn_card.png")], today=TODAY)
    # Read, a photo of a card is plainly not the form; unread, it is a picture of some form.
    assert [p.code for p in report.forms[0].problems] == ["form.wrong" if ocr.available() else "form.scanned"]


def test_of_two_copies_of_a_form_the_newest_is_checked_and_the_older_noted(service: intake.Service,
                                                                          filled: Callable[..., bytes]) -> None:
    older = intake.Upload("ds11-first.pdf", filled(DS11, **{**GOOD, "Applicant Last Name": "Other"}))
    newer = intake.Upload("ds11-second.pdf", filled(DS11, **GOOD))
    report = intake.check(service, [older, newer], today=TODAY)
    assert report.forms[0].values["last_name"] == "Pérez" and report.forms[0].file == "ds11-second.pdf"
    (noted,) = report.unrecognised_files
    assert (noted.file, noted.problem.code) == ("ds11-first.pdf", "file.duplicate")
    assert "ds11-second.pdf" in noted.problem.message("en")


def test_an_unknown_item_label_is_a_usage_error(service: intake.Service, corpus: Path) -> None:
    with pytest.raises(intake.UsageError):
        intake.check(service, [("passport_photo", corpus / DS11)], today=TODAY)


def test_the_same_packet_and_date_give_the_same_report(service: intake.Service, corpus: Path,
                                                       filled: Callable[..., bytes]) -> None:
    packet = [filled(DS11, **{**GOOD, "Applicant SSN 1": "000"}), corpus / SYNTHETIC / "utility_bill_2.pdf"]
    first, second = (intake.check(service, packet, today=TODAY).to_dict("es") for _ in range(2))
    assert first == second


def test_the_report_json_has_the_design_shape(service: intake.Service, filled: Callable[..., bytes]) -> None:
    data = intake.check(service, [filled(DS11, **GOOD)], today=TODAY).to_dict()
    assert set(data) >= {"service", "service_version", "checked_at", "status", "forms", "documents", "missing",
                         "unrecognised_files", "bring_in_person"}
    assert (data["service_version"], data["checked_at"]) == ("t-1", "2026-11-22")
    assert set(data["forms"][0]) >= {"form", "file", "sha256", "values", "problems"}
    assert set(data["documents"][0]) >= {"id", "status", "file", "problems"}
    assert all(set(m) >= {"kind", "id", "title"} for m in data["missing"])


def test_messages_come_in_spanish_too(service: intake.Service, filled: Callable[..., bytes]) -> None:
    report = intake.check(service, [filled(DS11, **{**GOOD, "Applicant Last Name": ""})], today=TODAY)
    (problem,) = report.problems
    assert problem.message("es") == "Página 5: Llene la casilla “Apellido”. Es obligatoria."
    assert problem.message("en") == "Page 5: Fill in the “Last name” box. It is required."


def test_check_cli_exit_codes_json_and_labels(service: intake.Service, corpus: Path, tmp_path: Path,
                                              filled: Callable[..., bytes], capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "ds11.pdf"
    form.write_bytes(filled(DS11, **GOOD))
    args = ["check", "--service", str(service.path), "--today", "2026-11-22", str(form),
            f"proof_of_address={corpus / SYNTHETIC / 'utility_bill_1.pdf'}", str(corpus / SYNTHETIC / "pay_stub_1.pdf")]
    assert cli.main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "complete"
    assert cli.main([*args[:-2], "--lang", "es"]) == 1
    assert "Faltan algunas cosas" in capsys.readouterr().out
    assert cli.main(["check", "--service", str(service.path.parent / "nope.yaml"), str(form)]) == 2


def test_rules_prints_every_code_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == 0
    table = capsys.readouterr().out
    assert "| field.required | blocks |" in table and "Llene la casilla" in table
    assert cli.main(["rules", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "code,severity,message_en,message_es" and len(rows) > len(intake.report.CODES)


def _shipped() -> list[Any]:
    return sorted((Path(__file__).resolve().parents[2] / "schemas").glob("*.yaml"))


@pytest.mark.parametrize("path", [p for p in _shipped() if p.name != "kinds.yaml"], ids=lambda p: p.stem)
def test_every_shipped_service_passes_its_sample_packets(corpus: Path, path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    if not ocr.available():
        pytest.skip("Tesseract is not installed, and the samples' scans and photos are read by it")
    assert cli.main(["test-service", str(path), "--corpus", str(corpus)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert " 0 failed" in out and "skip" not in out


@pytest.mark.parametrize("answer, yes", [("No", False), ("no", False), ("false", False), ("Yes", True),
                                         ("true", True), (True, True), (False, False), (None, False)])
def test_a_yes_condition_reads_no_and_false_as_no(answer: Any, yes: bool) -> None:
    from intake.rules import holds
    from intake.services import Condition

    assert holds(Condition(field="x", op="is", value=True), {"x": answer}) is yes
    assert holds(Condition(field="x", op="is", value=False), {"x": answer}) is not yes


def test_a_reason_says_yes_and_no_in_words_whatever_the_form_stores() -> None:
    from intake.rules import describe
    from intake.services import Condition

    assert describe(Condition(field="x", value="true"), "In school", "es") == "usted respondió “Sí” a “In school”"


def test_fill_in_one_of_these_left_blank_is_missing_not_wrong(service: intake.Service,
                                                             filled: Callable[..., bytes]) -> None:
    report = intake.check(service, [filled(DS11, **{**GOOD, "Applicant Email": ""})], today=TODAY)
    assert [p.params["variant"] for p in report.problems] == ["at_least_one_of"]
    assert report.status == "incomplete"


def test_the_alternatives_of_a_rule_are_each_in_quotes(service: intake.Service,
                                                       filled: Callable[..., bytes]) -> None:
    values = {**GOOD, "Applicant Email": "", "Employer or School": "Bakery"}
    report = intake.check(service, [filled(DS11, **values)], today=TODAY)
    messages = {p.field: p.message("en") for p in report.problems if p.code == "field.rule"}
    assert messages["occupation"].endswith("Fill in only one of these: “Employer” or “Occupation”. "
                                           "More than one has an answer.")
    assert messages["email"].endswith("Fill in at least one of these: “Email” or “Phone”.")
    spanish = next(p for p in report.problems if p.field == "occupation").message("es")
    assert "“Employer” o “Occupation”" in spanish


def test_one_file_given_for_two_items_is_read_once_and_judged_for_each(service: intake.Service, corpus: Path,
                                                                       filled: Callable[..., bytes],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from intake import checks

    read, real = [], checks.read_form

    def counted(upload: intake.Upload, **options: Any) -> intake.PdfForm:
        read.append(upload.name)
        return real(upload, **options)

    monkeypatch.setattr(checks, "read_form", counted)
    bill = corpus / SYNTHETIC / "utility_bill_1.pdf"
    report = intake.check(service, [filled(DS11, **GOOD), ("proof_of_address", bill), ("pay_stub", bill)],
                          today=TODAY)
    assert len(read) == 2 and read.count("utility_bill_1.pdf") == 1
    docs = {d.id: d for d in report.documents}
    assert (docs["proof_of_address"].status, docs["proof_of_address"].kind) == ("provided", "utility_bill")
    assert docs["pay_stub"].status == "invalid"
    assert [p.code for p in docs["pay_stub"].problems] == ["document.content"]
