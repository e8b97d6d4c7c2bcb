"""``visit.mode`` and ``visit.fees``: a service sent by mail says so, lint catches its visit words,
and a fee has its own line instead of a place in the list to bring."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import intake
from intake import _servicefile, cli, messages
from intake.services import ServiceError
from tests.pdfs import FormBuilder, scanned_pdf

SERVICE = """\
id: demo
version: "2026-11"
title: {en: Demo service, es: Trámite de prueba}
summary: {en: Send the form to the office, es: Envíe el formulario a la oficina}
visit:
  mode: mail
  fees: {en: "There is no fee", es: "No hay que pagar nada"}
  bring:
    - {en: "Your form, signed", es: "Su formulario, firmado"}
  offices:
    - {name: Demo Office, address: "1 Main St, Springfield, IL 62701"}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_service_sent_by_mail_loads_with_its_mode_and_fees(tmp_path: Path) -> None:
    service = intake.load_service(_write(tmp_path, SERVICE))
    assert service.visit.mode == "mail" and service.visit.by_mail
    assert service.visit.fees is not None and service.visit.fees.es == "No hay que pagar nada"
    assert [b.en for b in service.visit.bring] == ["Your form, signed"]


def test_a_service_without_a_mode_is_visited_in_person(tmp_path: Path) -> None:
    service = intake.load_service(_write(tmp_path, SERVICE.replace("  mode: mail\n", "").replace(
        '  fees: {en: "There is no fee", es: "No hay que pagar nada"}\n', "")))
    assert service.visit.mode == "in_person" and not service.visit.by_mail and service.visit.fees is None


def test_an_unknown_mode_is_a_mistake_that_names_the_line_and_both_choices(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as caught:
        intake.load_service(_write(tmp_path, SERVICE.replace("mode: mail", "mode: post")))
    (problem,) = caught.value.problems
    assert "line 6" in problem and "visit › mode" in problem and "in_person" in problem and "mail" in problem


def test_lint_points_at_each_visit_word_in_a_service_sent_by_mail(tmp_path: Path) -> None:
    text = SERVICE.replace("Your form, signed", "Your form, signed at your visit").replace(
        "Envíe el formulario a la oficina", "Traiga el formulario a su visita")
    found = [w for w in _servicefile.lint(_write(tmp_path, text))[1] if w.code == "lint.visit_words"]
    assert len(found) == 2 and not any(w.blocking for w in found)
    assert any("visit › bring › [1] › en" in w.text for w in found)
    assert any("summary › es" in w.text for w in found)


def test_lint_leaves_visit_words_alone_in_a_service_one_visits(tmp_path: Path) -> None:
    text = SERVICE.replace("  mode: mail\n", "").replace("Your form, signed", "Your form, signed at your visit")
    assert not [w for w in _servicefile.lint(_write(tmp_path, text))[1] if w.code == "lint.visit_words"]


VISIT_WORDS = re.compile(r"\b(visit|visits|visita|visitas|cita|citas)\b", re.IGNORECASE)
CHECKED = SERVICE + """\
forms:
  - id: app
    title: {en: Application, es: Solicitud}
    identify: {fields_any: ["Applicant Name"]}
    fields:
      name: {source: "Applicant Name", type: text, required: true}
documents:
  - id: proof
    title: {en: Proof of address, es: Comprobante de domicilio}
    accept: [pdf, jpeg, png]
"""


def _scans_checked(tmp_path: Path, text: str) -> intake.Report:
    service = intake.load_service(_write(tmp_path, text))
    return intake.Checker(read_scans=False).check(service, [("app", scanned_pdf()), ("proof", scanned_pdf())],
                                                  today=dt.date(2026, 11, 22))


def test_every_message_that_speaks_of_a_visit_has_a_wording_for_a_service_sent_by_mail() -> None:
    for key, english in messages.TEXTS.items():
        code, _, variant = key.partition(":")
        if VISIT_WORDS.search(english) and not variant.endswith("mail"):
            mailed = f"{code}:{variant}_mail" if variant else f"{code}:mail"
            assert mailed in messages.TEXTS, f"{key} speaks of a visit but has no {mailed}"
            for lang in messages.LANGUAGES:
                assert not VISIT_WORDS.search(messages.text(mailed, lang)), (mailed, lang)


def test_a_scan_in_a_service_sent_by_mail_asks_to_send_the_original_never_to_bring_it_to_a_visit(
        tmp_path: Path) -> None:
    report = _scans_checked(tmp_path, CHECKED)
    assert {p.code for p in report.problems} == {"form.scanned", "document.unreadable"}
    for lang in messages.LANGUAGES:
        words = json.dumps(report.to_dict(lang), ensure_ascii=False)
        assert not VISIT_WORDS.search(words), lang
    found = report.to_dict("en")
    (scan,) = found["forms"][0]["problems"]
    assert scan["params"]["variant"] == "unread_mail" and "send Application on paper" in scan["message"]
    (unreadable,) = found["documents"][0]["problems"]
    assert unreadable["code"] == "document.unreadable" and unreadable["params"]["variant"] == "mail"
    assert "send the original of proof of address with your papers" in unreadable["message"]


def test_the_same_scans_in_a_service_one_visits_still_say_to_bring_them(tmp_path: Path) -> None:
    report = _scans_checked(tmp_path, CHECKED.replace("  mode: mail\n", ""))
    assert {p.code for p in report.problems} == {"form.scanned", "document.unreadable"}
    assert all("variant" not in p.params or not str(p.params["variant"]).endswith("mail") for p in report.problems)
    assert "to your visit" in report.documents[0].problems[0].message("en")


def test_the_command_line_says_ready_to_send_for_a_service_sent_by_mail(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SERVICE)
    form = tmp_path / "form.pdf"
    form.write_bytes(scanned_pdf())
    cli.main(["check", "--service", str(path), "--no-cache", str(form)])
    out = capsys.readouterr().out
    assert "Ready to send" in out and not VISIT_WORDS.search(out)


SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SENDS_TO_AN_OFFICE = {
    "en": re.compile(r"\b(visits?|visiting|office|offices|in person|bring|brings|bringing)\b", re.IGNORECASE),
    "es": re.compile(r"\b(visitas?|citas?|oficinas?|en persona|tr[aá]ig[ao]\w*|ll[eé]ve\w*)\b", re.IGNORECASE),
}
"""What a service sent by mail must never tell the citizen: to come to an office, visit or bring."""


def _as_mailed(key: str) -> str:
    """The catalogue key a service sent by mail shows in place of ``key``, chosen the checker's way."""
    code, _, variant = key.partition(":")
    mailed = messages.mail_variant(code, variant or None)
    return f"{code}:{mailed}" if mailed and f"{code}:{mailed}" in messages.TEXTS else code


def test_no_message_of_the_catalogue_sends_a_citizen_of_a_service_sent_by_mail_to_an_office() -> None:
    wrong = [(key, _as_mailed(key), lang) for key in messages.TEXTS for lang in messages.LANGUAGES
             if SENDS_TO_AN_OFFICE[lang].search(messages.render(_as_mailed(key), lang))]
    assert not wrong, wrong


def test_every_mail_wording_keeps_the_placeholders_of_the_wording_it_replaces() -> None:
    for key in messages.TEXTS:
        assert messages.placeholders(messages.text(_as_mailed(key))) == messages.placeholders(messages.text(key)), key


def test_the_mail_wording_is_chosen_once_and_only_where_it_exists() -> None:
    assert messages.mail_variant("file.encrypted") == "mail"
    assert messages.mail_variant("file.too_complex", "font") == "font_mail"
    assert messages.mail_variant("file.too_complex", "font_mail") == "font_mail"
    assert messages.mail_variant("file.too_complex", "not_a_wording") == "mail", "an unknown variant reads as plain"
    assert messages.mail_variant("field.format", "email") == "email", "no visit, so no mail wording"
    assert messages.mail_variant("file.damaged", "document") == "document_mail"


def _locked_form() -> bytes:
    return FormBuilder().add_text("APPLICANT_NAME_FIRST", "Ana").encrypt("secret", "owner").build()


def test_a_locked_file_for_il_child_care_asks_for_a_printed_copy_with_the_papers() -> None:
    service = intake.load_service(SCHEMAS / "il-child-care.yaml")
    report = intake.check(service, [("ccap", _locked_form())], today=dt.date(2026, 11, 22))
    (locked,) = [p for p in report.problems if p.code == "file.encrypted"]
    assert locked.params["variant"] == "mail"
    assert "send a printed copy with your papers" in locked.message("en")
    for lang in messages.LANGUAGES:
        assert not SENDS_TO_AN_OFFICE[lang].search(locked.message(lang)), lang


def test_the_same_locked_file_for_a_service_one_visits_asks_to_bring_a_printed_copy_to_the_office() -> None:
    service = intake.load_service(SCHEMAS / "social-security-card.yaml")
    form = service.forms[0].id
    report = intake.check(service, [(form, _locked_form())], today=dt.date(2026, 11, 22))
    (locked,) = [p for p in report.problems if p.code == "file.encrypted"]
    assert "variant" not in locked.params
    assert "bring a printed copy to the office" in locked.message("en")
