"""Active content wherever a reader would find it: a Launch anywhere refuses the file.

Each PDF is built here with pypdf from generic objects, carrying its action in one place a
viewer looks (a field's triggers, a link, a bookmark, the open action, the end of a long
/Next chain), so each test says in code where the action hides. Links to a file on a disk
or a network share are flagged for clerks without refusing the file.
"""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

import intake
from intake.report import Severity
from tests.pdfs import FormBuilder


def _dict(entries: dict[str, Any]) -> DictionaryObject:
    return DictionaryObject({NameObject(key): value for key, value in entries.items()})


def _launch() -> DictionaryObject:
    return _dict({"/S": NameObject("/Launch"), "/F": TextStringObject("evil.exe")})


def _goto() -> DictionaryObject:
    """A harmless action: go to page 1 of this document."""
    return _dict({"/S": NameObject("/Named"), "/N": NameObject("/FirstPage")})


def _rect() -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in (72, 72, 200, 90))


class _Pdf:
    """One blank page and whatever a test adds to it, its catalog or its outline."""

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.page = self.writer.add_blank_page(612, 792)

    def add(self, obj: PdfObject) -> IndirectObject:
        return self.writer._add_object(obj)

    def annotate(self, entries: dict[str, Any]) -> IndirectObject:
        annot = self.add(_dict({"/Type": NameObject("/Annot"), "/Rect": _rect(), **entries}))
        annots = self.page.get("/Annots")
        if annots is None:
            annots = self.page[NameObject("/Annots")] = ArrayObject()
        annots.append(annot)
        return annot

    def link(self, action: PdfObject) -> IndirectObject:
        return self.annotate({"/Subtype": NameObject("/Link"), "/A": action})

    def catalog(self, key: str, value: PdfObject) -> None:
        self.writer.root_object[NameObject(key)] = value

    def chain(self, steps: int, last: DictionaryObject) -> IndirectObject:
        """``steps`` harmless actions, each one's /Next the following, ending with ``last``."""
        following = self.add(last)
        for _ in range(steps):
            action = _goto()
            action[NameObject("/Next")] = following
            following = self.add(action)
        return following

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.writer.write(buffer)
        return buffer.getvalue()


def _assert_refused_for_launch(data: bytes) -> intake.PdfForm:
    form = intake.read_form(data)
    refusal = form.refusal
    assert refusal is not None and refusal.code == "file.unsafe"
    assert refusal.severity is Severity.BLOCKS and refusal.params["variant"] == "launch"
    assert "launch" in refusal.params["actions"] and form.has_launch
    return form


def _unsafe(form: intake.PdfForm) -> list[intake.Problem]:
    return [p for p in form.problems if p.code == "file.unsafe"]


def test_a_launch_in_a_field_widgets_additional_actions_refuses_the_file() -> None:
    pdf = _Pdf()
    widget = pdf.annotate({"/Subtype": NameObject("/Widget"), "/FT": NameObject("/Tx"),
                           "/T": TextStringObject("name"), "/P": pdf.page.indirect_reference,
                           "/AA": _dict({"/Fo": _launch()})})
    pdf.catalog("/AcroForm", pdf.add(_dict({"/Fields": ArrayObject([widget])})))
    form = _assert_refused_for_launch(pdf.bytes())
    assert form.field("name") is not None


def test_a_launch_in_a_nameless_widget_only_its_page_lists_refuses_the_file() -> None:
    pdf = _Pdf()
    pdf.annotate({"/Subtype": NameObject("/Widget"), "/AA": _dict({"/E": _launch()})})
    _assert_refused_for_launch(pdf.bytes())


def test_a_launch_in_a_link_annotation_refuses_the_file() -> None:
    pdf = _Pdf()
    pdf.link(_launch())
    _assert_refused_for_launch(pdf.bytes())


def test_a_launch_in_a_screen_annotations_additional_actions_refuses_the_file() -> None:
    pdf = _Pdf()
    pdf.annotate({"/Subtype": NameObject("/Screen"), "/AA": _dict({"/PO": _launch()})})
    _assert_refused_for_launch(pdf.bytes())


def test_a_launch_in_an_outline_item_refuses_the_file() -> None:
    pdf = _Pdf()
    outlines = pdf.add(_dict({"/Type": NameObject("/Outlines")}))
    second = pdf.add(_dict({"/Title": TextStringObject("Run"), "/Parent": outlines, "/A": _launch()}))
    child = pdf.add(_dict({"/Title": TextStringObject("Part 1"), "/Next": second, "/A": _goto()}))
    first = pdf.add(_dict({"/Title": TextStringObject("Start"), "/Parent": outlines, "/First": child}))
    outlines.get_object()[NameObject("/First")] = first
    pdf.catalog("/Outlines", outlines)
    _assert_refused_for_launch(pdf.bytes())


def test_a_launch_in_the_open_action_refuses_the_file() -> None:
    pdf = _Pdf()
    pdf.catalog("/OpenAction", pdf.add(_launch()))
    form = _assert_refused_for_launch(pdf.bytes())
    assert "open_action" in form.actions


def test_a_launch_in_the_catalogs_and_pages_additional_actions_refuses_the_file() -> None:
    for where in ("catalog", "page"):
        pdf = _Pdf()
        triggers = _dict({"/WC": _goto(), "/O": _launch()})
        if where == "catalog":
            pdf.catalog("/AA", triggers)
        else:
            pdf.page[NameObject("/AA")] = triggers
        _assert_refused_for_launch(pdf.bytes())


def test_a_launch_after_a_script_in_the_javascript_name_tree_refuses_the_file() -> None:
    pdf = _Pdf()
    script = _dict({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)"),
                    "/Next": _launch()})
    leaf = pdf.add(_dict({"/Names": ArrayObject([TextStringObject("hello"), pdf.add(script)])}))
    pdf.catalog("/Names", _dict({"/JavaScript": pdf.add(_dict({"/Kids": ArrayObject([leaf])}))}))
    form = _assert_refused_for_launch(pdf.bytes())
    assert form.has_javascript


def test_a_launch_at_the_end_of_a_200_step_next_chain_refuses_the_file() -> None:
    pdf = _Pdf()
    pdf.link(pdf.chain(200, _launch()))
    _assert_refused_for_launch(pdf.bytes())


def test_a_launch_inside_a_next_array_refuses_the_file() -> None:
    pdf = _Pdf()
    start = _goto()
    start[NameObject("/Next")] = ArrayObject([pdf.add(_goto()), pdf.add(_goto()), pdf.chain(3, _launch())])
    pdf.link(start)
    _assert_refused_for_launch(pdf.bytes())


def test_a_next_loop_ends_and_a_launch_in_it_refuses_the_file() -> None:
    pdf = _Pdf()
    first, second = pdf.add(_goto()), pdf.add(_launch())
    first.get_object()[NameObject("/Next")] = ArrayObject([second, first])
    second.get_object()[NameObject("/Next")] = first
    pdf.link(first)
    pdf.catalog("/OpenAction", second)
    _assert_refused_for_launch(pdf.bytes())


def test_a_goto_remote_to_a_network_share_is_flagged_but_not_refused() -> None:
    pdf = _Pdf()
    pdf.link(_dict({"/S": NameObject("/GoToR"), "/D": ArrayObject([FloatObject(0), NameObject("/Fit")]),
                    "/F": _dict({"/Type": NameObject("/Filespec"),
                                 "/F": TextStringObject("\\\\server\\share\\x.pdf")})}))
    form = intake.read_form(pdf.bytes())
    assert form.refusal is None and "remote_file" in form.actions
    (unsafe,) = _unsafe(form)
    assert unsafe.severity is Severity.WARNING and unsafe.params["actions"] == ["remote_file"]


@pytest.mark.parametrize("uri", ["file:///C:/x", "smb://host/share/x.pdf", "//host/share/x.pdf", "C:\\x.pdf"])
def test_a_uri_to_a_local_file_or_share_is_flagged_but_not_refused(uri: str) -> None:
    pdf = _Pdf()
    pdf.link(_dict({"/S": NameObject("/URI"), "/URI": TextStringObject(uri)}))
    form = intake.read_form(pdf.bytes())
    assert form.refusal is None
    (unsafe,) = _unsafe(form)
    assert unsafe.severity is Severity.WARNING and "remote_file" in unsafe.params["actions"]


def test_an_https_link_and_a_goto_remote_beside_the_file_are_not_flagged() -> None:
    pdf = _Pdf()
    pdf.link(_dict({"/S": NameObject("/URI"), "/URI": TextStringObject("https://example.org/help")}))
    pdf.link(_dict({"/S": NameObject("/GoToR"), "/F": TextStringObject("annex.pdf"),
                    "/D": ArrayObject([FloatObject(0), NameObject("/Fit")])}))
    form = intake.read_form(pdf.bytes())
    assert form.refusal is None and "remote_file" not in form.actions and not _unsafe(form)


def test_a_form_with_fields_and_ordinary_links_reads_as_before() -> None:
    form = intake.read_form(FormBuilder().add_text("name", "Jane").with_submit_action().build())
    assert form.values()["name"] == "Jane" and not _unsafe(form) and form.refusal is None


def _assert_too_complex(data: bytes) -> None:
    began = time.monotonic()
    with pytest.raises(intake.TooComplexError) as refused:
        intake.read_form(data)
    assert time.monotonic() - began < 30
    assert refused.value.params["variant"] == "actions"
    assert refused.value.code == "file.too_complex"


def test_a_million_step_next_chain_is_refused_as_too_complex_and_fast() -> None:
    pdf = _Pdf()
    harmless = pdf.add(_goto())
    # Twenty arrays of 50,000 actions each (pypdf itself refuses one array of a million).
    arrays = ArrayObject(pdf.add(ArrayObject([harmless] * 50_000)) for _ in range(20))
    start = _goto()
    start[NameObject("/Next")] = pdf.add(arrays)
    pdf.link(start)
    _assert_too_complex(pdf.bytes())


def test_a_next_array_of_a_million_actions_is_refused_as_too_complex_and_fast() -> None:
    pdf = _Pdf()
    start = _goto()
    start[NameObject("/Next")] = pdf.add(ArrayObject([pdf.add(_goto())] * 1_000_000))
    pdf.link(start)
    began = time.monotonic()
    with pytest.raises(intake.TooComplexError):
        intake.read_form(pdf.bytes())
    assert time.monotonic() - began < 30


def test_an_outline_past_the_budget_is_refused_as_too_complex_and_fast() -> None:
    pdf = _Pdf()
    outlines = pdf.add(_dict({"/Type": NameObject("/Outlines")}))
    following: IndirectObject | None = None
    for _ in range(120_000):
        item = _dict({"/Title": TextStringObject("x"), "/Parent": outlines})
        if following is not None:
            item[NameObject("/Next")] = following
        following = pdf.add(item)
    assert following is not None
    outlines.get_object()[NameObject("/First")] = following
    pdf.catalog("/Outlines", outlines)
    _assert_too_complex(pdf.bytes())


def test_an_outline_loop_ends() -> None:
    pdf = _Pdf()
    outlines = pdf.add(_dict({"/Type": NameObject("/Outlines")}))
    first = pdf.add(_dict({"/Title": TextStringObject("a"), "/A": _goto()}))
    second = pdf.add(_dict({"/Title": TextStringObject("b"), "/Next": first, "/First": first}))
    first.get_object()[NameObject("/Next")] = second
    outlines.get_object()[NameObject("/First")] = first
    pdf.catalog("/Outlines", outlines)
    form = intake.read_form(pdf.bytes())
    assert form.refusal is None
