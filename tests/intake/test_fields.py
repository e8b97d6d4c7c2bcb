"""Each field kind and normalisation rule, on small PDFs the tests build themselves."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

import intake
from intake import FieldKind, FieldSource
from tests.pdfs import FormBuilder, scanned_pdf, text_pdf, xfa_datasets


def _field(data: bytes, name: str) -> intake.FormField:
    found = intake.read_form(data).field(name)
    assert found is not None, f"no field {name}"
    return found


def test_text_values_are_trimmed_and_blank_means_empty() -> None:
    data = FormBuilder().add_text("name", "  Jane Doe \r\n").add_text("blank", " ").add_text("none").build()
    assert _field(data, "name").value == "Jane Doe"
    assert _field(data, "blank").value is None
    assert _field(data, "none").value is None


def test_text_flags_tooltip_page_and_rectangle_are_kept() -> None:
    data = (FormBuilder(pages=2)
            .add_text("notes", "line one\rline two", page=2, rect=(50, 700, 300, 760), tooltip="Your notes",
                      multiline=True, required=True, read_only=True, max_len=200)
            .build())
    notes = _field(data, "notes")
    assert notes.value == "line one\nline two"
    assert (notes.label, notes.page, notes.rect) == ("Your notes", 2, (50.0, 700.0, 300.0, 760.0))
    assert (notes.multiline, notes.required, notes.read_only, notes.max_length) == (True, True, True, 200)
    assert notes.source is FieldSource.ACROFORM


def test_comb_fields_are_marked_with_their_length() -> None:
    data = FormBuilder().add_text("ssn", "123456789", comb=True, max_len=9).build()
    ssn = _field(data, "ssn")
    assert ssn.comb and ssn.max_length == 9


@pytest.mark.parametrize("on", ["Yes", "1", "On", "Oui"])
def test_a_checkbox_with_one_on_value_is_true_or_false_whatever_its_on_state(on: str) -> None:
    data = FormBuilder().add_checkbox("ticked", on=on, checked=True).add_checkbox("blank", on=on).build()
    ticked, blank = _field(data, "ticked"), _field(data, "blank")
    assert (ticked.kind, ticked.value, ticked.exports) == (FieldKind.CHECKBOX, True, (on,))
    assert blank.value is False


def test_a_radio_group_gives_the_chosen_export_value() -> None:
    data = (FormBuilder()
            .add_radio("colour", ["Red", "Green", "Blue"], selected="Green")
            .add_radio("unset", ["A", "B"])
            .build())
    colour = _field(data, "colour")
    assert (colour.kind, colour.value, colour.exports) == (FieldKind.RADIO, "Green", ("Red", "Green", "Blue"))
    assert len(colour.widgets) == 3
    assert _field(data, "unset").value is None


def test_a_radio_group_with_opt_maps_state_indices_to_export_values() -> None:
    data = FormBuilder().add_radio("status", ["0", "1", "2"], selected="1",
                                   opt=["Single", "Married", "Divorced"]).build()
    status = _field(data, "status")
    assert status.value == "Married"
    assert status.exports == ("Single", "Married", "Divorced")


def test_a_checkbox_group_with_several_on_states_acts_as_a_choice() -> None:
    data = FormBuilder().add_checkbox_group("sex", ["M", "F", "X"], selected="X").build()
    sex = _field(data, "sex")
    assert (sex.kind, sex.value, sex.exports) == (FieldKind.CHECKBOX, "X", ("M", "F", "X"))


def test_choice_lists_keep_export_and_display_values() -> None:
    data = (FormBuilder()
            .add_choice("state", [("IL", "Illinois"), ("NY", "New York")], value="NY")
            .add_choice("plain", ["One", "Two"], value="Two", combo=False)
            .add_choice("many", ["a", "b", "c"], value=["a", "c"], combo=False, multi_select=True)
            .build())
    state = _field(data, "state")
    assert state.value == "NY"
    assert [(o.export, o.display) for o in state.options] == [("IL", "Illinois"), ("NY", "New York")]
    assert _field(data, "plain").value == "Two"
    assert _field(data, "many").value == ("a", "c")


def test_a_signed_signature_field_counts_as_signed_digitally() -> None:
    data = FormBuilder().add_signature("sig", signed=True).add_signature("empty").build()
    sig, empty = _field(data, "sig"), _field(data, "empty")
    assert (sig.kind, sig.signed, sig.filled) == (FieldKind.SIGNATURE, "digital", True)
    assert (empty.signed, empty.filled) == (None, False)


def test_a_typed_signature_box_counts_as_signed_and_says_so() -> None:
    data = (FormBuilder()
            .add_text("Applicant Signature", "Jane Doe")
            .add_text("Index", "42", tooltip="The number the court assigned")
            .build())
    typed = _field(data, "Applicant Signature")
    assert (typed.kind, typed.signed, typed.is_signature) == (FieldKind.TEXT, "typed", True)
    assert _field(data, "Index").signed is None


def test_push_buttons_are_listed_without_a_value() -> None:
    button = _field(FormBuilder().add_button("Print").build(), "Print")
    assert (button.kind, button.value) == (FieldKind.BUTTON, None)


def test_hierarchical_names_are_joined_with_dots() -> None:
    data = FormBuilder().add_hierarchy("applicant", {"first": "Jane", "last": None}).build()
    names = {f.name: f.value for f in intake.read_form(data).fields}
    assert names == {"applicant.first": "Jane", "applicant.last": None}


def test_two_fields_with_one_name_are_both_kept_and_reported_ambiguous() -> None:
    data = FormBuilder().add_duplicate_text("Name", ("Jane", "John")).build()
    form = intake.read_form(data)
    assert sorted(f.value for f in form.fields if f.name == "Name") == ["Jane", "John"]
    (problem,) = [p for p in form.problems if p.code == "field.ambiguous"]
    assert problem.field == "Name" and problem.params["count"] == 2


def test_a_value_that_is_not_valid_utf16_is_decoded_and_flagged() -> None:
    data = (FormBuilder()
            .add_text("broken", raw_value=b"\xfe\xff\xd8\x00")
            .add_text("utf8", raw_value=b"\xef\xbb\xbf" + "Pérez".encode())
            .add_text("utf8_no_bom", raw_value="José Ángel".encode())
            .add_text("latin", raw_value="Peña".encode("latin-1"))
            .build())
    form = intake.read_form(data)
    assert isinstance(_field(data, "broken").value, str)
    assert _field(data, "utf8").value == "Pérez"
    assert _field(data, "utf8_no_bom").value == "José Ángel"
    assert _field(data, "latin").value == "Peña"
    assert [p.field for p in form.problems if p.code == "field.encoding"] == ["broken"]


def test_widgets_outside_the_acroform_are_found_on_their_page() -> None:
    data = FormBuilder(pages=2).add_text("inside", "a").add_orphan_widget("outside", "b", page=2).build()
    outside = _field(data, "outside")
    assert (outside.value, outside.page, outside.source) == ("b", 2, FieldSource.ANNOTATION)
    assert _field(data, "inside").source is FieldSource.ACROFORM


def test_an_orphan_checkbox_keeps_its_kind() -> None:
    data = FormBuilder().add_orphan_widget("agree", kind="checkbox").build()
    assert _field(data, "agree").kind is FieldKind.CHECKBOX


@pytest.mark.parametrize("as_array", [True, False])
def test_xfa_datasets_fill_fields_the_acroform_left_empty(as_array: bool) -> None:
    datasets = xfa_datasets({"Page1.name": "Jane <Doe>", "Page1.city": "Springfield"})
    data = (FormBuilder()
            .add_text("topmostSubform[0].Page1[0].name[0]")
            .add_text("topmostSubform[0].Page1[0].city[0]", "Chicago")
            .with_xfa(datasets, as_array=as_array)
            .build())
    form = intake.read_form(data)
    assert form.xfa == "static"
    name = form.field("topmostSubform[0].Page1[0].name[0]")
    assert name is not None and (name.value, name.source) == ("Jane <Doe>", FieldSource.XFA)
    city = form.field("topmostSubform[0].Page1[0].city[0]")
    assert city is not None and (city.value, city.source) == ("Chicago", FieldSource.ACROFORM)


def test_a_dynamic_xfa_form_gives_its_data_nodes_as_fields() -> None:
    template = ('<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
                '<field name="lastName"><assist><toolTip>Last name</toolTip></assist></field>'
                '</subform></template>')
    data = (FormBuilder().with_text("Please wait...")
            .with_xfa(xfa_datasets({"lastName": "Doe"}, root="form1"), template_xml=template, needs_rendering=True)
            .build())
    form = intake.read_form(data)
    assert form.xfa == "dynamic"
    (field,) = form.fields
    assert (field.name, field.value, field.label, field.source) == ("form1[0].lastName[0]", "Doe", "Last name",
                                                                    FieldSource.XFA)
    assert "file.xfa_only" in [p.code for p in form.problems]


def test_xfa_with_a_dtd_is_refused_without_resolving_entities() -> None:
    hostile = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><f><a>&x;</a></f>'
               '</xfa:data></xfa:datasets>')
    data = FormBuilder().add_text("f[0].a[0]").with_xfa(hostile).build()
    form = intake.read_form(data)
    assert form.field("f[0].a[0]") is not None and form.field("f[0].a[0]").value is None  # type: ignore[union-attr]
    assert "field.xfa_unreadable" in [p.code for p in form.problems]


def test_actions_are_flagged_and_only_outward_ones_shown_to_citizens() -> None:
    scripted = intake.read_form(FormBuilder().add_text("a").with_javascript().build())
    assert scripted.has_javascript and "open_action" in scripted.actions
    assert "file.unsafe" not in [p.code for p in scripted.problems]
    for builder, flag in ((FormBuilder().add_text("a").with_launch_action(), "launch"),
                          (FormBuilder().add_text("a").with_embedded_file(), "embedded_file")):
        form = intake.read_form(builder.build())
        assert flag in form.actions
        (unsafe,) = [p for p in form.problems if p.code == "file.unsafe"]
        assert flag in unsafe.params["actions"]
    submit = intake.read_form(FormBuilder().add_text("a").with_submit_action().build())
    assert "submit_form" in submit.actions


def test_a_file_encrypted_with_an_empty_user_password_is_read() -> None:
    form = intake.read_form(FormBuilder().add_text("name", "Jane").encrypt("", "owner").build())
    assert form.encrypted and form.values() == {"name": "Jane"}


def test_a_file_that_needs_a_password_is_refused_as_encrypted() -> None:
    data = FormBuilder().add_text("name", "Jane").encrypt("secret", "owner").build()
    with pytest.raises(intake.EncryptedFileError):
        intake.read_form(data)
    assert [p.code for p in intake.triage(data)] == ["file.encrypted"]


def test_text_is_extracted_lazily_per_page_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber

    calls = []
    real_open = pdfplumber.open
    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: calls.append(1) or real_open(*a, **k))
    form = intake.read_form(text_pdf(["first page words", "second page words"]))
    assert calls == []
    assert "second page" in form.text(2)
    assert form.text(2) == form.text(2) and len(calls) == 1
    assert "first page" in form.text() and len(calls) == 2
    with pytest.raises(IndexError):
        form.text(3)


def test_pages_with_images_and_no_text_are_scanned() -> None:
    scan = intake.read_form(scanned_pdf(pages=2))
    assert scan.scanned_pages == (1, 2) and scan.text_layer == (False, False)
    assert [p.code for p in scan.problems] == ["file.scanned"]
    flat = intake.read_form(text_pdf(["hello"]))
    assert flat.text_layer == (True,) and [p.code for p in flat.problems] == ["file.no_fields"]


def test_a_fillable_form_works_out_its_text_layer_only_when_asked() -> None:
    form = intake.read_form(FormBuilder().add_text("a").with_text("Form ABC-1").build())
    assert form._layers is None
    assert form.text_layer == (True,)


@pytest.mark.parametrize("data, code", [
    (b"", "file.empty"),
    (b"GIF89a not a pdf at all", "file.not_pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "file.wrong_type"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "file.wrong_type"),
    (b"%PDF-1.7\n%%EOF", "file.damaged"),
    (b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 3, "file.damaged"),
])
def test_unusable_bytes_are_refused_with_a_stable_code(data: bytes, code: str) -> None:
    with pytest.raises(intake.FileProblemError) as refused:
        intake.read_form(data, name="upload.pdf")
    assert refused.value.code == code
    (problem,) = intake.triage(data)
    assert problem.code == code and problem.file == "upload.pdf"


def test_limits_refuse_big_files_many_pages_and_many_fields() -> None:
    data = FormBuilder(pages=3).add_text("a").add_text("b").add_text("c").build()
    with pytest.raises(intake.TooLargeError):
        intake.read_form(data, limits=intake.Limits(max_file_bytes=100))
    with pytest.raises(intake.TooManyPagesError) as pages:
        intake.read_form(data, limits=intake.Limits(max_pages=2))
    assert pages.value.params == {"pages": 3, "limit": 2}
    with pytest.raises(intake.TooComplexError):
        intake.read_form(data, limits=intake.Limits(max_fields=2))


@pytest.mark.parametrize("exc", [RecursionError, OverflowError, NotImplementedError, KeyError, ValueError])
def test_any_parser_exception_becomes_an_intake_error(monkeypatch: pytest.MonkeyPatch,
                                                       exc: type[Exception]) -> None:
    from intake import _acroform

    def explode(*args: object) -> None:
        raise exc("boom")

    monkeypatch.setattr(_acroform, "walk", explode)
    with pytest.raises(intake.FileProblemError) as refused:
        intake.read_form(FormBuilder().add_text("a").build())
    assert refused.value.code in ("file.damaged", "file.too_complex")


def test_sources_may_be_paths_bytes_or_binary_files(tmp_path: Path) -> None:
    data = FormBuilder().add_text("a", "x").build()
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    from_path = intake.read_form(path)
    from_bytes = intake.read_form(data)
    with open(path, "rb") as handle:
        from_file = intake.read_form(handle)
    assert from_path.values() == from_bytes.values() == from_file.values() == {"a": "x"}
    assert from_path.name == "form.pdf" == from_file.name
    assert from_path.sha256 == from_bytes.sha256
    with pytest.raises(intake.SourceError):
        intake.read_form(io.StringIO("text"))  # type: ignore[arg-type]


def test_pypdf_notes_from_our_reads_stay_out_of_the_application_log(corpus: Path) -> None:
    import pypdf

    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.names: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.names.append(record.name)

    root = logging.getLogger()
    collect = Collect()
    root.addHandler(collect)
    try:
        noisy = corpus / "malformed/xref_prev_loop.pdf"
        assert intake.read_form(noisy).repaired
        assert not [n for n in collect.names if n.startswith("pypdf")]
        pypdf.PdfReader(noisy).pages[0]
        assert [n for n in collect.names if n.startswith("pypdf")], "other pypdf users still get their logs"
    finally:
        root.removeHandler(collect)
