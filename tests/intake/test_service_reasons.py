"""review_days and reasons: the clerks' target for a decision and the reasons they can pick."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import intake
from intake import _servicefile, cli
from intake.services import DECISIONS, Reason, ServiceError, Words

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"

VALID = """\
id: demo
version: "2026-11"
title: {en: Demo service, es: Trámite de prueba}
review_days: 5
reasons:
  rejected:
    - id: wrong_service
      text: {en: "This is for another service.", es: "Esto es para otro trámite."}
    - id: duplicate
      text: {en: "We already have it.", es: "Ya la tenemos."}
  needs_documents:
    - id: photo_unclear
      text: {en: "We could not read your photo.", es: "No pudimos leer su foto."}
"""


@pytest.fixture
def service_file(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "demo.yaml"
        path.write_text(text, encoding="utf-8")
        return path
    return write


def _mistakes(path: Path) -> list[str]:
    with pytest.raises(ServiceError) as caught:
        intake.load_service(path)
    return caught.value.problems


def _lint(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["lint", str(path)])
    return code, [line for line in capsys.readouterr().out.splitlines() if line.startswith("warn")]


def test_review_days_and_reasons_load_into_plain_dataclasses(service_file: Callable[[str], Path]) -> None:
    service = intake.load_service(service_file(VALID))
    assert service.review_days == 5
    assert list(service.reasons) == ["rejected", "needs_documents"]
    assert service.reasons["rejected"][0] == Reason(
        id="wrong_service", text=Words("This is for another service.", "Esto es para otro trámite."))
    assert [r.id for r in service.reasons["rejected"]] == ["wrong_service", "duplicate"]
    assert isinstance(service.reasons["needs_documents"], tuple)


def test_a_file_without_them_has_no_target_and_no_reasons(service_file: Callable[[str], Path]) -> None:
    service = intake.load_service(service_file(VALID.split("review_days:")[0]))
    assert service.review_days is None
    assert service.reasons == {}


def test_one_decision_may_have_reasons_and_the_other_none(service_file: Callable[[str], Path]) -> None:
    service = intake.load_service(service_file(VALID.split("  needs_documents:")[0]))
    assert set(service.reasons) == {"rejected"}


def test_the_same_id_may_be_used_in_both_decisions(service_file: Callable[[str], Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = service_file(VALID.replace("id: photo_unclear", "id: wrong_service"))
    assert intake.load_service(path).reasons["needs_documents"][0].id == "wrong_service"
    assert _lint(path, capsys) == (0, [])


@pytest.mark.parametrize(("change", "located", "message"), [
    (("  needs_documents:", "  approved:"), "line 11, reasons › approved",
     "'approved' is not a decision clerks give reasons for; use rejected or needs_documents"),
    (("id: duplicate", "id: wrong_service"), "line 9, reasons › rejected › [2] › id",
     "two reasons for this decision are called 'wrong_service'; give each its own id"),
    ((', es: "Ya la tenemos."}', "}"), "line 10, reasons › rejected › [2] › text",
     "the es text is missing or not a string"),
    (('text: {en: "We could not read your photo.", es: "No pudimos leer su foto."}',
      'text: "We could not read your photo."'), "line 13, reasons › needs_documents › [1] › text",
     "give this text in English and Spanish: {en: 'We could not read your photo.', es: ...}"),
    (("id: photo_unclear", "id: Photo-Unclear"), "line 12, reasons › needs_documents › [1] › id",
     "use lower-case letters, digits and _ only, starting with a letter"),
    (("    - id: duplicate\n", "    - id: duplicate\n      txt: {en: x, es: y}\n"),
     "line 10, reasons › rejected › [2] › txt", "'txt' is not a key we know here; did you mean text?"),
    (("review_days: 5", "review_days: 0"), "line 4, review_days", "give at least 1 day"),
    (("review_days: 5", "review_days: five"), "line 4, review_days",
     "give a whole number of days, like 10, without quotes"),
    (("review_days: 5", 'review_days: "5"'), "line 4, review_days",
     "give a whole number of days, like 10, without quotes"),
])
def test_each_mistake_is_reported_at_its_key_in_plain_words(service_file: Callable[[str], Path],
                                                            change: tuple[str, str], located: str,
                                                            message: str) -> None:
    assert change[0] in VALID
    (mistake,) = _mistakes(service_file(VALID.replace(*change)))
    assert mistake.startswith(f"demo.yaml, {located}: {message}")


def test_a_decision_with_an_empty_list_is_refused(service_file: Callable[[str], Path]) -> None:
    (mistake,) = _mistakes(service_file(VALID.split("  needs_documents:")[0] + "  needs_documents: []\n"))
    assert mistake == ("demo.yaml, line 11, reasons › needs_documents: "
                       "list at least one reason, or leave this decision out")


def test_a_reason_over_300_characters_is_a_warning_with_its_code_and_place(
        service_file: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = service_file(VALID.replace("No pudimos leer su foto.", "x" * 301))
    code, warnings = _lint(path, capsys)
    assert code == 0
    assert warnings == [
        "warn  demo.yaml, line 13, reasons › needs_documents › [1] › text › es: this reason is 301 characters; "
        "the citizen reads it in a message, so keep it to 300 and say only what to do next (lint.reason_too_long)"]


def test_a_reason_of_exactly_300_characters_gives_no_warning(service_file: Callable[[str], Path]) -> None:
    path = service_file(VALID.replace("We could not read your photo.", "x" * 300))
    assert _servicefile.lint(path)[1] == []


def test_review_days_over_90_is_a_warning_and_90_is_not(service_file: Callable[[str], Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, warnings = _lint(service_file(VALID.replace("review_days: 5", "review_days: 91")), capsys)
    assert code == 0
    assert warnings == ["warn  demo.yaml, line 4, review_days: 91 days is more than 90 for a clerk's decision, "
                        "which is probably a mistake; check the number (lint.review_days_high)"]
    assert _servicefile.lint(service_file(VALID.replace("review_days: 5", "review_days: 90")))[1] == []


def test_lint_counts_warnings_on_the_ok_line_and_gives_each_its_stable_code(
        service_file: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = service_file(VALID.replace("review_days: 5", "review_days: 120").replace("Ya la tenemos.", "y" * 400))
    _, found = _servicefile.lint(path)
    assert [w.code for w in found] == ["lint.review_days_high", "lint.reason_too_long"]
    assert cli.main(["lint", str(path)]) == 0
    assert "ok    demo.yaml: demo 2026-11, 0 form(s), 0 document(s), 2 warning(s)" in capsys.readouterr().out


def test_a_file_with_mistakes_still_fails_lint_before_any_warning(service_file: Callable[[str], Path],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = service_file(VALID.replace("review_days: 5", "review_days: 0").replace("Ya la tenemos.", "y" * 400))
    code, warnings = _lint(path, capsys)
    assert (code, warnings) == (2, [])


SHIPPED = sorted(p for p in SCHEMAS.glob("*.yaml") if p.name != _servicefile.SHARED_KINDS)


def test_eight_services_are_shipped() -> None:
    assert {p.stem for p in SHIPPED} == {"passport-first-time", "ny-driver-licence", "ny-name-change",
                                         "il-child-care", "social-security-card", "w9-vendor", "mi-name-change",
                                         "ak-birth-certificate-name"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_service_has_a_review_target_and_reasons_in_both_languages(path: Path) -> None:
    service, warnings = _servicefile.lint(path)
    assert warnings == []
    assert service.review_days is not None and 1 <= service.review_days <= _servicefile.REVIEW_DAYS_MAX
    assert set(service.reasons) == set(DECISIONS)
    for reasons in service.reasons.values():
        assert 2 <= len(reasons) <= 4
        for reason in reasons:
            assert reason.text.en and reason.text.es and reason.text.en != reason.text.es
            assert reason.text.en.endswith(".") and reason.text.es.endswith(".")
