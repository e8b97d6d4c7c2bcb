"""Verdicts a citizen can trust: the right form and edition, the right person and place, per file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

import intake
from intake import identity, rules
from tests.editions import older_edition
from tests.pdfs import text_pdf

TODAY = dt.date(2026, 11, 22)
DS11 = "forms/dos_ds11_passport_application.pdf"
W9 = "forms/irs_fw9_2024.pdf"
SYNTHETIC = "supporting/synthetic/"
JOSE = {"Applicant Last Name": "Pérez", "Applicant First Name": "José", "Applicant DOB M": "03",
        "Applicant DOB D": "09", "Applicant DOB Y": "1984", "Applicant Place of Birth": "Springfield, Illinois",
        "Applicant SSN 1": "123", "Applicant SSN 2": "45", "Applicant SSN 3": "6789",
        "Applicant Address Street": "418 Maple Avenue, Apt 3B", "Applicant Address CIty": "Springfield",
        "Applicant Address State": "IL", "Applicant Address Zip Code": "62704"}
W9_NAME = "topmostSubform[0].Page1[0].f1_01[0]"


def _check(service: str, files: list, **kwargs: object) -> intake.Report:
    return intake.check(service, files, today=TODAY, catalogue=intake.catalogue(), **kwargs)  # type: ignore[arg-type]


def _bill(name: str, street: str, city_line: str, date: str = "November 2, 2026") -> bytes:
    return text_pdf([f"Harbor Light Electric\n{name}\n{street}\n{city_line}\nBilling Date: {date}\n"
                     "Usage this period: 512 kWh\nAmount due: $88.10"])


def test_a_w9_under_the_ds11_item_is_named_as_the_wrong_form_with_no_box_problems(
        filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [("ds11", intake.Upload("w9.pdf", filled(W9, **{W9_NAME: "Ana"})))])
    (result,) = report.forms
    assert [p.code for p in result.problems] == ["form.wrong"]
    assert result.problems[0].file == "w9.pdf"
    assert result.problems[0].message("en").startswith("This is Form W-9, not Form DS-11.")
    assert "Formulario W-9" in result.problems[0].message("es")
    assert report.status == "invalid"


def test_a_flat_ds82_is_the_wrong_form_under_its_item_and_in_upload_everything(corpus: Path) -> None:
    ds82 = corpus / "flat/dos_ds82_print_to_pdf.pdf"
    labelled = _check("passport-first-time", [("ds11", ds82)])
    assert [p.code for p in labelled.forms[0].problems] == ["form.wrong"]
    assert "Form DS-82, not Form DS-11" in labelled.forms[0].problems[0].message("en")
    loose = _check("passport-first-time", [ds82])
    (unplaced,) = loose.unrecognised_files
    assert unplaced.problem.code == "form.wrong"
    assert "This is Form DS-82, which this service does not use" in unplaced.problem.message("en")


def test_another_agencys_application_under_the_ccap_item_is_not_taken_for_it(corpus: Path) -> None:
    report = _check("il-child-care", [("ccap", corpus / "forms/ak_birth_cert_name_change_request.pdf")])
    codes = [p.code for f in report.forms for p in f.problems]
    assert codes == ["form.wrong"] and not any(c.startswith("field.") for c in codes)


def test_an_older_w9_edition_is_outdated_naming_both_editions(corpus: Path) -> None:
    old = older_edition((corpus / W9).read_bytes(),
                        {b"(\\(Rev. March 2024\\))": b"(\\(Rev. December 2011\\))",
                         b"( \\(Rev. 3-2024\\))": b"( \\(Rev. 12-2011\\))"},
                        {r"f1_0(\d)\[": r"f1_\1["}, {"topmostSubform[0].Page1[0].f1_1[0]": "Ana Díaz"})
    for files in ([("w9", intake.Upload("w9-2011.pdf", old))], [intake.Upload("w9-2011.pdf", old)]):
        report = _check("w9-vendor", files)
        (problem,) = [p for f in report.forms for p in f.problems]
        assert problem.code == "form.outdated" and problem.file == "w9-2011.pdf"
        assert "older edition of Form W-9" in problem.message("en") and "Rev. March 2024" in problem.message("en")
        assert not report.missing


def test_the_current_edition_reads_no_text_to_be_recognised(filled: Callable[..., bytes]) -> None:
    form = intake.read_form(filled(DS11, **JOSE))
    spec = intake.load_service("passport-first-time").form("ds11")
    assert identity.fingerprint_score(spec, (f.name for f in form.fields)) == 1.0


@pytest.mark.parametrize("text, number, revision", [
    ("Form SS-5 (08-2011) Page 1 of 5", "SS-5", "08-2011"),
    ("DS-11 04-2022 Instruction Page 1 of 4", "DS-11", "04-2022"),
    ("W-9 Request for Taxpayer Form (Rev. October 2018) Identification; see Form W-9 below", "W-9",
     "Rev. October 2018"),
    ("MV-44 (9/24) APPLICATION FOR PERMIT", "MV-44", "9/24"),
])
def test_printed_form_numbers_and_revisions_are_read_from_headers_and_footers(text: str, number: str,
                                                                              revision: str) -> None:
    assert identity.printed_forms(text)[0] == identity.Printed(number, revision)


def test_a_mention_of_another_form_in_a_sentence_is_not_taken_for_the_forms_identity() -> None:
    assert identity.printed_forms("If you have a previous passport, use form DS-82 instead.") == []


def test_revisions_compare_by_month_and_year() -> None:
    assert identity.same_revision("Rev. March 2024", "Rev. 3-2024")
    assert not identity.same_revision("Rev. December 2011", "Rev. March 2024")


def test_a_fresh_bill_beside_a_stale_one_provides_the_item_and_notes_the_stale_one(
        corpus: Path, filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [
        ("ds11", filled(DS11, **JOSE)),
        ("proof_of_address", corpus / SYNTHETIC / "utility_bill_2.pdf"),
        ("proof_of_address", corpus / SYNTHETIC / "utility_bill_1.pdf")])
    proof = next(d for d in report.documents if d.id == "proof_of_address")
    assert proof.status == "provided" and proof.used == "utility_bill_1.pdf"
    (stale,) = proof.problems
    assert (stale.code, stale.file) == ("document.too_old", "utility_bill_2.pdf")
    assert stale.severity is intake.Severity.WARNING
    assert "We used utility_bill_1.pdf instead" in stale.message("en")
    assert proof.to_dict()["file"] == "utility_bill_1.pdf"


def test_a_lease_beside_a_stale_bill_provides_proof_of_address(corpus: Path, filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [
        ("ds11", filled(DS11, **JOSE)),
        ("proof_of_address", corpus / SYNTHETIC / "utility_bill_2.pdf"),
        ("proof_of_address", corpus / SYNTHETIC / "lease.pdf")])
    proof = next(d for d in report.documents if d.id == "proof_of_address")
    assert proof.status == "provided" and proof.used == "lease.pdf"


def test_a_bill_in_another_name_is_named_as_such_and_still_provides_the_item(corpus: Path,
                                                                             filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [("ds11", filled(DS11, **JOSE)),
                                            ("proof_of_address", corpus / SYNTHETIC / "phone_bill_other_name.pdf")])
    proof = next(d for d in report.documents if d.id == "proof_of_address")
    (problem,) = proof.problems
    assert proof.status == "provided" and problem.code == "document.name_mismatch"
    assert "in the name of Maria Lopez, not José Pérez" in problem.message("en")


def test_a_maine_bill_is_not_proof_of_living_in_new_york_and_earns_no_points(corpus: Path) -> None:
    maine = intake.Upload("maine-bill.pdf", _bill("AISHA RAHMAN-OKAFOR", "27 Brackett Street, Apt 2",
                                                  "Portland, ME 04102"))
    report = _check("ny-driver-licence", [("proof_of_residence", maine)])
    proof = next(d for d in report.documents if d.id == "proof_of_residence")
    (problem,) = proof.problems
    assert proof.status == "invalid" and problem.code == "document.address_mismatch"
    assert "Portland, ME 04102" in problem.message("en") and "New York" in problem.message("en")
    bronx = intake.Upload("bronx-bill.pdf", _bill("AISHA RAHMAN-OKAFOR", "2150 Grand Concourse, Apt 5F",
                                                  "Bronx, NY 10457"))
    fine = _check("ny-driver-licence", [("proof_of_residence", bronx)])
    assert next(d for d in fine.documents if d.id == "proof_of_residence").status == "provided"


# What the front of a real Social Security card prints (the number a published specimen one).
SSN_CARD_FRONT = "SOCIAL SECURITY\n078-05-1120\nTHIS NUMBER HAS BEEN ESTABLISHED FOR\nAISHA RAHMAN-OKAFOR\nSIGNATURE"


def _status(report: intake.Report, item: str) -> intake.DocumentStatus:
    return next(d for d in report.documents if d.id == item)


def test_a_social_security_card_is_known_by_its_words_and_its_whole_number() -> None:
    card = intake.Upload("card.pdf", text_pdf([SSN_CARD_FRONT]))
    given = _status(_check("ny-driver-licence", [("id_ssn_card", card)]), "id_ssn_card")
    assert given.status == "provided" and not given.problems
    sorted_out = _check("ny-driver-licence", [card])
    assert _status(sorted_out, "id_ssn_card").files == ("card.pdf",) and not sorted_out.unrecognised_files
    # A card as plain as a sample one, without the sentence over the seal, is still one.
    plain = intake.Upload("plain.pdf", text_pdf(["SOCIAL SECURITY\n078 05 1120\nAISHA RAHMAN-OKAFOR"]))
    assert _status(_check("ny-driver-licence", [plain]), "id_ssn_card").files == ("plain.pdf",)


def test_a_letter_or_pay_stub_that_names_social_security_is_not_taken_for_the_card() -> None:
    letter = intake.Upload("letter.pdf", text_pdf([
        "Social Security Administration\nAISHA RAHMAN-OKAFOR\nSocial Security number: XXX-XX-1120\n"
        "We are writing about your benefits.\nNovember 2, 2026"]))
    given = _status(_check("ny-driver-licence", [("id_ssn_card", letter)]), "id_ssn_card")
    assert given.status == "invalid" and [p.code for p in given.problems] == ["document.content"]
    stub = intake.Upload("stub.pdf", text_pdf([
        "Bronx Bakery LLC  Earnings statement\nAISHA RAHMAN-OKAFOR  SSN: XXX-XX-1120\nPay date: 11/14/2026\n"
        "Gross pay 1,240.00\nSocial Security 76.88\nMedicare 17.98\nNet pay 1,011.42"]))
    report = _check("ny-driver-licence", [stub])
    assert _status(report, "id_pay_stub").files == ("stub.pdf",)
    assert _status(report, "id_ssn_card").files == ()


def test_a_whole_social_security_number_is_told_from_a_hidden_or_longer_one() -> None:
    assert rules.shows("078-05-1120", "ssn") and rules.shows("no. 078 05 1120.", "ssn")
    assert not any(rules.shows(text, "ssn") for text in (
        "XXX-XX-1120", "***-**-1120", "1078-05-1120", "078-05 1120", "(718) 555-1120", "10457-1120"))


def test_the_same_file_twice_is_used_once_and_said_once(corpus: Path) -> None:
    bill = corpus / SYNTHETIC / "utility_bill_1.pdf"
    report = _check("passport-first-time", [("proof_of_address", bill), ("proof_of_address", bill)])
    assert [u.problem.code for u in report.unrecognised_files] == ["file.same_file"]
    assert next(d for d in report.documents if d.id == "proof_of_address").files == ("utility_bill_1.pdf",)


def test_one_certificate_given_for_two_items_counts_for_both(corpus: Path) -> None:
    scan = corpus / SYNTHETIC / "birth_certificate_scan.pdf"
    report = _check("social-security-card", [("proof_of_age", scan), ("proof_of_citizenship", scan)])
    assert not report.unrecognised_files


def test_a_damaged_second_file_under_a_form_is_called_damaged_not_a_duplicate(
        corpus: Path, filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [("ds11", filled(DS11, **JOSE)),
                                            ("ds11", corpus / "malformed/truncated_no_eof.pdf")])
    codes = {(p.file, p.code) for f in report.forms for p in f.problems}
    assert ("truncated_no_eof.pdf", "file.damaged") in codes
    assert not [u for u in report.unrecognised_files if u.problem.code == "file.duplicate"]


def test_a_damaged_proof_gets_advice_for_a_document_not_a_form(corpus: Path) -> None:
    report = _check("passport-first-time", [("proof_of_address", corpus / "malformed/truncated_no_eof.pdf")])
    (problem,) = next(d for d in report.documents if d.id == "proof_of_address").problems
    assert problem.code == "file.damaged" and "Download the form again" not in problem.message("en")


def test_every_problem_in_the_report_names_its_file(corpus: Path, filled: Callable[..., bytes]) -> None:
    report = _check("passport-first-time", [
        ("ds11", filled(DS11, **{**JOSE, "Applicant SSN 1": ""})),
        ("proof_of_address", corpus / SYNTHETIC / "utility_bill_2.pdf"),
        corpus / "forms/irs_fw9_2024.pdf"])
    assert report.problems and all(p.file for p in report.problems)


def test_titles_read_naturally_inside_sentences(corpus: Path) -> None:
    report = _check("passport-first-time", [("proof_of_address", corpus / SYNTHETIC / "pay_stub_1.pdf")])
    (problem,) = next(d for d in report.documents if d.id == "proof_of_address").problems
    assert "does not look like a utility bill (electric, gas, water or phone), a bank statement or a signed lease" \
        in problem.message("en")


def test_dates_in_messages_follow_the_services_locale(corpus: Path) -> None:
    report = _check("passport-first-time", [("proof_of_address", corpus / SYNTHETIC / "utility_bill_2.pdf")])
    (problem,) = next(d for d in report.documents if d.id == "proof_of_address").problems
    assert problem.params["date"] == "2026-03-15" and "03/15/2026" in problem.message("en")


def test_a_name_and_address_are_read_from_an_address_block() -> None:
    text = "Metro Mobile\nDaniel Kowalski Invoice date: 11/10/2026\n2150 Grand Concourse, Apt 5F\nBronx, NY 10457"
    assert rules.printed_name(text) == "Daniel Kowalski"
    (address,) = rules.printed_addresses(text)
    assert (address.city, address.state, address.zip) == ("Bronx", "NY", "10457")


def test_printed_form_numbers_are_read_once_per_text_and_no_text_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Jane Q. Citizen, 12 Elm St  Form W-9 (Rev. March 2024)"
    real, reads = identity._printed_forms, []
    monkeypatch.setattr(identity, "_printed_forms", lambda t: reads.append(t) or real(t))
    first, again = identity.printed_forms(text), identity.printed_forms(text)
    assert first == again == [identity.Printed("W-9", "Rev. March 2024")] and len(reads) == 1
    first.clear()
    assert identity.printed_forms(text) == again, "a caller changing its list changes no later answer"
    assert all(isinstance(key, bytes) and len(key) == 16 for key in identity._FOUND), "keyed by a digest"
    assert not any("Jane" in str(found) for found in identity._FOUND.values())
    for n in range(identity._KEPT + 5):
        identity.printed_forms(f"page {n}")
    assert len(identity._FOUND) <= identity._KEPT


@pytest.mark.parametrize("isolate", [False, True], ids=["in process", "in the sandbox"])
def test_an_older_ss5_with_the_same_boxes_is_told_apart_by_its_printed_revision(corpus: Path,
                                                                                 isolate: bool) -> None:
    old = older_edition((corpus / "forms/ssa_ss5_xfa.pdf").read_bytes(),
                        {b"( \\(10-2021\\) UF )": b"( \\(08-2011\\) UF )"}, {})
    report = _check("social-security-card", [("ss5", intake.Upload("ss5-2011.pdf", old))], isolate=isolate)
    (problem,) = [p for f in report.forms for p in f.problems]
    assert problem.code == "form.outdated" and "the 08-2011 edition" in problem.message("en")
    assert "la edición 08-2011" in problem.message("es")


def test_a_literal_look_at_page_one_finds_a_printed_revision_without_extracting_text(corpus: Path) -> None:
    form = intake.read_form(corpus / W9)
    assert identity.printed_forms(form.literal_text(1) or "") == [identity.Printed("W-9", "Rev. March 2024")]


PAGES_SERVICE = """\
id: two-sided
version: "t-1"
title: {en: Two sides, es: Dos lados}
documents:
  - id: card
    title: {en: Your card (front and back), es: Su tarjeta (frente y reverso)}
    text_any: ["member card"]
    min_pages: 2
"""


def test_files_of_an_item_that_asks_for_pages_count_their_pages_together(tmp_path: Path) -> None:
    path = tmp_path / "two-sided.yaml"
    path.write_text(PAGES_SERVICE, encoding="utf-8")
    front = intake.Upload("front.pdf", text_pdf(["Member card, front"]))
    back = intake.Upload("back.pdf", text_pdf(["Member card, back"]))
    both = intake.check(path, [("card", front), ("card", back)], today=TODAY)
    assert both.documents[0].status == "provided" and not both.documents[0].problems
    one = intake.check(path, [("card", front)], today=TODAY)
    assert [p.code for p in one.documents[0].problems] == ["document.pages"]


def test_a_printed_address_matches_a_form_address_by_zip_or_by_house_number_and_street() -> None:
    found = rules.PrintedAddress("Bronx", "NY", "10457", "2150 Grand Concourse, Apt 5F")
    assert rules.same_address(found, "2150 Grand Concourse Bronx NY 10457")
    assert not rules.same_address(found, "27 Brackett Street Portland ME 04102")
    assert rules.same_address(found, "2150 grand concourse") and not rules.same_address(found, "12 Grand Concourse")
