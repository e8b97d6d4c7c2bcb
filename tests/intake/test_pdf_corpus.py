"""Every real file of the shared corpus, read the way citizens' uploads will be."""

from __future__ import annotations

from typing import Any

import pypdf
import pytest

import intake
from intake import FieldKind, FieldSource
from tests import shared_corpus


def _params(entries: list[shared_corpus.Entry]) -> list[Any]:
    if not entries:
        return [pytest.param(None, marks=pytest.mark.skip(reason=shared_corpus.MISSING), id="no-corpus")]
    return [pytest.param(e, id=e.file) for e in entries]


# What the corpus notes say of each broken file, as the code a citizen would be shown.
EXPECTED_REFUSALS = {
    "malformed/truncated_no_eof.pdf": "file.damaged",
    "malformed/empty_zero_bytes.pdf": "file.empty",
    "malformed/not_a_pdf_no_header.pdf": "file.not_pdf",
    "malformed/bad_xref_extra_text.pdf": "file.damaged",
    "malformed/pages_tree_loop.pdf": "file.damaged",
    "malformed/deeply_nested_fuzz.pdf": "file.damaged",
    "malformed/encrypted_user_pw_openpassword.pdf": "file.encrypted",
    "malformed/encrypted_aes256_r6_user_pw.pdf": "file.encrypted",
    "supporting/synthetic/ssn_card.png": "file.wrong_type",
    "supporting/synthetic/state_id_back.png": "file.wrong_type",
    "supporting/synthetic/state_id_front_photo.jpg": "file.wrong_type",
}


def _pypdf_terminal_fields(path: Any) -> dict[str, Any]:
    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    out = {}
    for name, field in (reader.get_fields() or {}).items():
        kids = field.get("/Kids")
        if not kids or all("/T" not in kid.get_object() for kid in kids):
            out[name] = field
    return out


@pytest.mark.timeout(10)
@pytest.mark.parametrize("entry", _params(shared_corpus.entries()))
def test_every_corpus_file_is_read_or_refused_with_a_code(entry: shared_corpus.Entry) -> None:
    expected = EXPECTED_REFUSALS.get(entry.file)
    try:
        form = intake.read_form(entry.path)
    except intake.FileProblemError as exc:
        assert exc.code == expected, f"{entry.file} was refused as {exc.code}"
        problems = intake.triage(entry.path)
        assert [p.code for p in problems] == [expected]
        assert problems[0].message("en") and problems[0].message("es")
        return
    assert expected is None, f"{entry.file} should have been refused as {expected}"
    assert form.page_count >= 1
    assert len(form.text_layer) == form.page_count
    for problem in form.problems:
        assert problem.code in intake.report.CODES


@pytest.mark.parametrize("entry", _params([e for e in shared_corpus.entries()
                                            if e.file.endswith(".pdf") and e.file not in EXPECTED_REFUSALS]))
def test_page_text_is_character_for_character_what_pdfplumber_extracts(entry: shared_corpus.Entry) -> None:
    """Our lean character pass must not change a letter of what every rule reads."""
    import pdfplumber

    form = intake.read_form(entry.path)
    pages = [n for n in range(1, min(form.page_count, 2) + 1) if form.text_layer[n - 1]]
    try:
        plumbed = pdfplumber.open(entry.path)
        seen = len(plumbed.pages)
    except Exception:  # a file pdfminer cannot open at all: pypdf's extractor reads it
        plumbed, seen = None, 0
    if plumbed is None or seen < form.page_count:
        from intake.pdf import _pypdf_text

        if plumbed is not None:
            plumbed.close()
        by_pypdf = _pypdf_text(entry.path.read_bytes(), pages, intake.Limits())
        assert all(form.text(number) == by_pypdf[number] for number in pages)
        return
    with plumbed:
        for number in pages:
            assert form.text(number) == (plumbed.pages[number - 1].extract_text() or ""), f"page {number}"


@pytest.mark.parametrize("entry", _params(shared_corpus.forms()))
def test_form_fields_are_exactly_what_pypdf_sees_plus_orphan_widgets(entry: shared_corpus.Entry) -> None:
    form = intake.read_form(entry.path)
    expected = set(_pypdf_terminal_fields(entry.path))
    from_tree = {f.name for f in form.fields if f.source is not FieldSource.ANNOTATION}
    orphans = {f.name for f in form.fields if f.source is FieldSource.ANNOTATION}
    if form.xfa == "dynamic" and not expected:
        assert all(f.source is FieldSource.XFA for f in form.fields)
        return
    assert from_tree == expected
    assert not orphans & expected


def _pypdf_value(field: Any) -> Any:
    value = field.get("/V")
    if isinstance(value, pypdf.generic.ArrayObject):
        return tuple(str(v).strip() for v in value)
    if value is None:
        return None
    return str(value).strip() or None


@pytest.mark.parametrize("name", [
    "forms/irs_f1040_2010_prefilled.pdf",
    "forms/irs_f1040sc_2011_filled_fieldids.pdf",
    "forms/irs_f1040_2019_filled_placeholder.pdf",
    "forms/hhs_cms1490s_filled.pdf",
])
def test_filled_forms_give_the_values_pypdf_holds_normalised(corpus: Any, name: str) -> None:
    path = corpus / name
    ours = {f.name: f for f in intake.read_form(path).fields}
    theirs = _pypdf_terminal_fields(path)
    filled = 0
    for field_name, field in theirs.items():
        mine = ours[field_name]
        raw = _pypdf_value(field)
        if mine.kind is FieldKind.TEXT:
            assert mine.value == raw, field_name
            filled += raw is not None
        elif mine.kind in (FieldKind.CHECKBOX, FieldKind.RADIO):
            if raw in (None, "/Off"):
                assert mine.value in (None, False), field_name
            else:
                filled += 1
                assert mine.value is True or mine.value in mine.exports, field_name
                assert mine.value is True or raw.lstrip("/") in (mine.value, *[w.on_state for w in mine.widgets])
    assert filled > 0


def test_prefilled_1040_has_its_text_and_checkbox(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/irs_f1040_2010_prefilled.pdf")
    assert "foobar" in form.values().values()
    assert any(f.kind is FieldKind.CHECKBOX and f.value is True for f in form.fields)


def test_radio_groups_of_a_filled_form_give_the_chosen_export_value(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/hhs_cms1490s_filled.pdf")
    chosen = {f.name: f.value for f in form.fields if f.kind is FieldKind.RADIO and f.value}
    assert chosen["RadioButton6"] == "Male"
    assert all(isinstance(v, str) for v in chosen.values())


def test_dynamic_xfa_form_gives_its_data_fields(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/uscis_i9_dynamic_xfa.pdf")
    assert form.xfa == "dynamic" and form.encrypted
    last = next(f for f in form.fields if f.name.endswith("textFieldLastNameGlobal[0]"))
    assert (last.value, last.source) == ("wayne", FieldSource.XFA)
    assert last.label and last.label.startswith("Last Name")
    assert "file.xfa_only" in [p.code for p in form.problems]


def test_static_xfa_forms_are_read_from_their_acroform(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/ssa_ss5_xfa.pdf")
    assert form.xfa == "static"
    assert form.fields and all(f.source is FieldSource.ACROFORM for f in form.fields)
    assert "file.xfa_only" not in [p.code for p in form.problems]


@pytest.mark.parametrize("name, count", [
    ("forms/irs_fw4_2025_orphan_widgets.pdf", 29),
    ("malformed/sf424_page2_launch_js_orphan_widgets.pdf", 20),
])
def test_widgets_the_acroform_does_not_reach_are_found_on_the_pages(corpus: Any, name: str, count: int) -> None:
    form = intake.read_form(corpus / name)
    widgets = sum(len(f.widgets) for f in form.fields if f.source is FieldSource.ANNOTATION)
    assert widgets == count
    assert all(f.page == 1 or name.startswith("forms/irs_fw4") for f in form.fields)


def test_hostile_actions_are_flagged_and_never_run(corpus: Any) -> None:
    sf424 = intake.read_form(corpus / "malformed/sf424_page2_launch_js_orphan_widgets.pdf")
    assert sf424.has_launch and sf424.has_javascript
    launch = intake.read_form(corpus / "malformed/launch_action_relative_path.pdf")
    assert "file.unsafe" in [p.code for p in launch.problems]
    scripted = intake.read_form(corpus / "malformed/js_document_actions.pdf")
    assert scripted.has_javascript and "additional_actions" in scripted.actions


def test_forms_encrypted_with_an_empty_password_are_read(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/uscis_i765_xfa_owner_encrypted.pdf")
    assert form.encrypted and len(form.fields) > 100


@pytest.mark.parametrize("name", ["forms/irs_f1040sc_2011.pdf", "forms/irs_f1040_2010_prefilled.pdf"])
def test_text_falls_back_to_pypdf_when_pdfplumber_sees_no_pages(corpus: Any, name: str) -> None:
    import pdfplumber

    with pdfplumber.open(corpus / name) as pdf:
        assert len(pdf.pages) == 0, "pdfplumber now reads this file: the fallback is no longer exercised"
    form = intake.read_form(corpus / name)
    assert "Form 1040" in form.text(1) or "Form1040" in form.text(1)


def test_scanned_documents_are_told_apart_from_ocr_scans_and_flat_pdfs(corpus: Any) -> None:
    codes = {
        name: [p.code for p in intake.read_form(corpus / name).problems]
        for name in ("flat/scanned_nyc_civil_court_fee_waiver.pdf", "flat/scanned_with_ocr_layer_vicksburg.pdf",
                     "flat/uscis_i9_paper_version_2017.pdf", "supporting/synthetic/utility_bill_scan.pdf")
    }
    assert codes["flat/scanned_nyc_civil_court_fee_waiver.pdf"] == ["file.scanned"]
    assert codes["supporting/synthetic/utility_bill_scan.pdf"] == ["file.scanned"]
    assert codes["flat/scanned_with_ocr_layer_vicksburg.pdf"] == ["file.no_fields"]
    assert codes["flat/uscis_i9_paper_version_2017.pdf"] == ["file.no_fields"]


def test_junk_before_the_header_is_read_and_noted_as_repaired(corpus: Any) -> None:
    form = intake.read_form(corpus / "malformed/junk_before_header_invoice.pdf")
    assert form.repaired and "file.repaired" in [p.code for p in form.problems]


def test_comb_fields_keep_their_length(corpus: Any) -> None:
    form = intake.read_form(corpus / "forms/ca_cra_b300_combed_fields.pdf")
    combs = [f for f in form.fields if f.comb]
    assert combs and all(f.max_length for f in combs)
