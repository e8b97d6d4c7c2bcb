"""A quick part of the accuracy measure with every test run; ``make accuracy`` runs it all.

The labels themselves are checked too: enough cases, every service, every checklist item
labelled, every behaviour covered, and a harness that does notice a wrong answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from intake.report import CODES
from tests import shared_corpus
from tests.accuracy import cases, harness
from tests.accuracy.builders import Workshop
from tests.accuracy.cases import CASES, FAST, FAST_WEB, STATUSES, Want

SERVICES = {"passport-first-time", "social-security-card", "ny-driver-licence", "il-child-care", "ny-name-change",
            "w9-vendor", "mi-name-change", "ak-birth-certificate-name"}
BEHAVIOURS = {"form.wrong", "form.outdated", "document.too_old", "document.name_mismatch",
              "document.address_mismatch", "file.same_file", "file.duplicate", "file.damaged", "file.encrypted",
              "file.not_pdf", "document.missing", "points.short", "field.required", "field.format", "field.range",
              "field.rule", "form.unsigned", "document.content", "document.unreadable", "file.unrecognised",
              "form.scanned"}


@pytest.fixture(scope="session")
def workshop(request: pytest.FixtureRequest) -> Workshop:
    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    return Workshop(request.config.cache.mkdir("accuracy"))


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.WebChecker]:
    with harness.web_checker(tmp_path_factory.mktemp("accuracy-web")) as checker:
        yield checker


def test_the_labelled_set_has_at_least_80_cases_across_all_eight_services() -> None:
    assert len(CASES) >= 80
    assert {c.service for c in CASES} == SERVICES
    assert min(sum(c.service == s for c in CASES) for s in SERVICES) >= 10
    assert len({c.name for c in CASES}) == len(CASES), "two cases have one name"


def test_every_case_labels_every_checklist_item_of_its_service_and_nothing_else() -> None:
    for case in CASES:
        service = harness.services()[case.service]
        assert set(case.documents) == {d.id for d in service.documents}, case.name
        assert set(case.documents.values()) <= set(STATUSES), case.name
        assert case.status in ("complete", "incomplete", "invalid"), case.name
        assert {f.item for f in case.files if f.item} <= set(service.items), case.name
        recipes = {f.name: f.recipe for f in case.files}  # one name, one file (given twice at most)
        assert all(recipes[f.name] == f.recipe for f in case.files), f"{case.name}: two files share a name"
        for want in case.problems:
            assert want.code in CODES, f"{case.name}: {want}"
            assert want.severity in (None, "blocks", "warning", "bring_original"), f"{case.name}: {want}"


def test_every_behaviour_is_labelled_in_some_case_and_some_are_checked_in_spanish() -> None:
    labelled = {w.code for c in CASES for w in c.problems}
    assert labelled >= BEHAVIOURS, sorted(BEHAVIOURS - labelled)
    assert any(c.files and all(f.item is None for f in c.files) for c in CASES), "no upload-everything packet"
    assert sum(c.lang == "es" for c in CASES) >= 5
    assert set(FAST_WEB) <= set(FAST) and {c.name for c in CASES} >= set(FAST)


def test_a_problem_label_reads_as_code_place_and_severity() -> None:
    assert Want.parse("document.too_old@water-bill.pdf:warning") == Want("document.too_old", "water-bill.pdf",
                                                                         "warning")
    assert Want.parse("file.same_file@w9 (1).pdf") == Want("file.same_file", "w9 (1).pdf")


@pytest.mark.corpus
def test_the_older_w9_prints_its_old_revision_and_names_its_boxes_the_old_way(workshop: Workshop) -> None:
    import io

    import pdfplumber

    import intake

    made = workshop.make(cases.W9_2011)
    with pdfplumber.open(io.BytesIO(made)) as pdf:
        page_one = " ".join((pdf.pages[0].extract_text() or "").split())
    assert "(Rev. December 2011)" in page_one and "Rev. March 2024" not in page_one
    names = {f.name for f in intake.read_form(made).fields}
    assert "topmostSubform[0].Page1[0].f1_1[0]" in names and "topmostSubform[0].Page1[0].f1_01[0]" not in names


@pytest.mark.corpus
def test_the_harness_notices_a_finding_missed_one_not_expected_and_a_wrong_status(workshop: Workshop) -> None:
    complete = cases.named("a sole proprietor's W-9 with an SSN is complete")
    wrong = dataclasses.replace(complete, status="invalid", documents={"ein_letter": "provided"},
                                problems=frozenset({Want("field.required", "w9.pdf")}))
    result = harness.run(wrong, workshop)
    assert not result.passed and result.missed == [Want("field.required", "w9.pdf")]
    assert any("status complete" in text for text in result.other)
    assert any("ein_letter is not_needed" in text for text in result.other)
    unasked = harness.run(dataclasses.replace(complete, files=(*complete.files, cases.Given(
        None, "electric-bill.pdf", cases.JOSE_BILL))), workshop)
    assert [str(f) for f in unasked.unexpected] == ["file.unrecognised@electric-bill.pdf:warning"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", FAST)
def test_a_labelled_packet_gets_the_findings_its_labels_say(name: str, workshop: Workshop) -> None:
    from intake import ocr

    if not ocr.available():
        pytest.skip("Tesseract is not installed, and the labels say what is read off the scans and photos")
    result = harness.run(cases.named(name), workshop)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.passed, result.explain()


@pytest.mark.corpus
@pytest.mark.parametrize("name", FAST_WEB)
def test_the_web_api_finds_what_the_library_finds(name: str, workshop: Workshop, web: harness.WebChecker) -> None:
    result = harness.run(cases.named(name), workshop, web)
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.web is not None and result.web.http_status == 200, result.explain()
    assert not result.web.differences, result.explain()

