"""XFA answers: read from damaged packets, kept beside a few AcroForm fields, and read under caps.

The PDFs are built here; a test that needs bytes ``with_xfa`` cannot write (a bare ``&``, a
byte in the wrong encoding, a packet too big to keep as text) swaps the datasets packet of a
built or real form for those bytes, Flate-compressed as real forms keep it.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, IndirectObject, NameObject, StreamObject

import intake
from intake import FieldKind, FieldSource, _xfa
from tests.pdfs import FormBuilder, xfa_datasets

_XFA_DATA = "http://www.xfa.org/schema/xfa-data/1.0/"
_XDP_OPEN = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'
_XDP_CLOSE = b"</xdp:xdp>"
_TEMPLATE = ('<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
             '<field name="lastName"><assist><toolTip>Last name</toolTip></assist></field>'
             '<field name="firstName"><caption><value><text>First name</text></value></caption></field>'
             '<field name="signature"/></subform></template>')
# Generous bounds: the suite shares a loaded two-core machine.
_SECONDS = 30
_PEAK_MB = 300


def _datasets(answers: bytes) -> bytes:
    return (b'<xfa:datasets xmlns:xfa="' + _XFA_DATA.encode() + b'"><xfa:data>' + answers
            + b"</xfa:data></xfa:datasets>")


def _with_datasets(pdf: bytes, datasets: bytes) -> bytes:
    """``pdf`` with its XFA datasets packet (or, for a one-stream XDP, the whole XDP) swapped for ``datasets``."""
    reader = PdfReader(io.BytesIO(pdf))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    acroform = _resolve(writer.root_object["/AcroForm"])
    xfa = _resolve(acroform["/XFA"])
    if isinstance(xfa, StreamObject):
        acroform[NameObject("/XFA")] = _compressed(writer, _XDP_OPEN + datasets + _XDP_CLOSE)
    else:
        assert isinstance(xfa, ArrayObject)
        index = [str(item) for item in xfa[::2]].index("datasets") * 2 + 1
        xfa[index] = _compressed(writer, datasets)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _compressed(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode(level=9))


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _static_form(*, as_array: bool = True) -> bytes:
    return (FormBuilder()
            .add_text("topmostSubform[0].Page1[0].employer[0]")
            .add_text("topmostSubform[0].Page1[0].city[0]")
            .with_xfa(xfa_datasets({"Page1.employer": "", "Page1.city": ""}), as_array=as_array)
            .build())


def _dynamic_form(*, signature: bool = True, needs_rendering: bool = True, as_array: bool = True) -> bytes:
    """A dynamic form as LiveCycle saves it, with or without the one AcroForm field it may keep."""
    builder = FormBuilder().with_text("Please wait...")
    if signature:
        builder.add_signature("form1[0].signature[0]")
    return builder.with_xfa(xfa_datasets({"lastName": ""}, root="form1"), template_xml=_TEMPLATE,
                            needs_rendering=needs_rendering, as_array=as_array).build()


def _codes(form: intake.PdfForm) -> list[str]:
    return [p.code for p in form.problems]


@contextmanager
def _bounded() -> Iterator[None]:
    """The block ends within the time bound and its Python allocations peak under the memory bound."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        elapsed = time.monotonic() - started
    assert elapsed < _SECONDS, f"took {elapsed:.1f} s"
    assert peak < _PEAK_MB * 2**20, f"peaked at {peak / 2**20:.0f} MB"


def _refused(data: bytes, limits: intake.Limits | None = None) -> intake.TooComplexError:
    with _bounded(), pytest.raises(intake.TooComplexError) as refused:
        intake.read_form(data, limits=limits)
    assert refused.value.code == "file.too_complex"
    return refused.value


# Damaged packets


@pytest.mark.parametrize("as_array", [True, False])
def test_a_bare_ampersand_in_an_answer_is_read_and_flagged_as_repaired(as_array: bool) -> None:
    answers = (b"<topmostSubform><Page1><employer>Smith & Sons</employer><city>Springfield</city>"
               b"</Page1></topmostSubform>")
    form = intake.read_form(_with_datasets(_static_form(as_array=as_array), _datasets(answers)))
    assert form.values() == {"topmostSubform[0].Page1[0].employer[0]": "Smith & Sons",
                             "topmostSubform[0].Page1[0].city[0]": "Springfield"}
    (repaired,) = [p for p in form.problems if p.code == "field.xfa_repaired"]
    assert repaired.severity is intake.Severity.WARNING
    assert "field.xfa_unreadable" not in _codes(form)
    assert "check your answers" in repaired.message("en") and "revise sus respuestas" in repaired.message("es")


@pytest.mark.parametrize("answer, read", [
    (b"1 < 2", "1 < 2"),
    (b"Jos\xe9", "Jos\u00e9"),
    (b"R&D&nbsp;team", "R&D&nbsp;team"),
    (b"<![CDATA[a & b]]> & c", "a & b & c"),
    (b"bell\x07", "bell"),
])
def test_common_damage_in_an_answer_is_repaired(answer: bytes, read: str) -> None:
    answers = b"<form1><lastName>" + answer + b"</lastName></form1>"
    form = intake.read_form(_with_datasets(_dynamic_form(), _datasets(answers)))
    assert form.values()["form1[0].lastName[0]"] == read
    assert "field.xfa_repaired" in _codes(form)


def test_a_packet_cut_short_keeps_the_answers_before_the_break() -> None:
    cut = _datasets(b"<form1><lastName>Doe</lastName><firstName>Ja")[:-len(b"</xfa:data></xfa:datasets>")]
    form = intake.read_form(_with_datasets(_dynamic_form(), cut))
    assert form.values()["form1[0].lastName[0]"] == "Doe"
    assert "field.xfa_repaired" in _codes(form)


def test_a_doctype_that_declares_nothing_is_dropped_and_nothing_is_fetched() -> None:
    doctype = b'<!DOCTYPE d SYSTEM "http://example.invalid/x.dtd">'
    packet = doctype + _datasets(b"<form1><lastName>Doe</lastName></form1>")
    form = intake.read_form(_with_datasets(_dynamic_form(), packet))
    assert form.values()["form1[0].lastName[0]"] == "Doe"
    assert "field.xfa_repaired" in _codes(form)


@pytest.mark.parametrize("packet", [
    b"this is not XML <<< >>>",
    b"<xfa:datasets><xfa:data><form1><lastName>Doe</lastName></form1></xfa:data></xfa:datasets>",
    b'<!DOCTYPE d [<!ENTITY x "Doe">]>' + _datasets(b"<form1><lastName>&x;</lastName></form1>"),
], ids=["not_xml", "unbound_prefix", "declares_an_entity"])
def test_xml_beyond_repair_is_reported_unreadable_and_the_acroform_kept(packet: bytes) -> None:
    form = intake.read_form(_with_datasets(_static_form(), packet))
    assert "field.xfa_unreadable" in _codes(form)
    assert "field.xfa_repaired" not in _codes(form)
    assert {f.name for f in form.fields} == {"topmostSubform[0].Page1[0].employer[0]",
                                             "topmostSubform[0].Page1[0].city[0]"}


def test_a_clean_packet_is_not_flagged() -> None:
    answers = b"<form1><lastName>Doe &amp; Co</lastName></form1>"
    form = intake.read_form(_with_datasets(_dynamic_form(), _datasets(answers)))
    assert form.values()["form1[0].lastName[0]"] == "Doe & Co"
    assert not {"field.xfa_repaired", "field.xfa_unreadable"} & set(_codes(form))


def test_a_damaged_answer_in_a_real_dynamic_form_is_read(corpus: Path) -> None:
    real = (corpus / "forms/uscis_i9_dynamic_xfa.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(real))
    reader.decrypt("")
    xfa = _resolve(reader.trailer["/Root"]["/AcroForm"])["/XFA"]
    names = [str(item) for item in xfa[::2]]
    datasets = _resolve(xfa[names.index("datasets") * 2 + 1]).get_data()
    assert b">wayne<" in datasets, "the corpus form no longer holds the answer this test damages"
    form = intake.read_form(_with_datasets(real, datasets.replace(b">wayne<", b">wayne & sons<")))
    last = next(f for f in form.fields if f.name.endswith("textFieldLastNameGlobal[0]"))
    assert (last.value, last.source) == ("wayne & sons", FieldSource.XFA)
    assert form.xfa == "dynamic" and "field.xfa_repaired" in _codes(form)


# Dynamic forms that keep a few AcroForm fields


@pytest.mark.parametrize("needs_rendering", [True, False])
def test_a_dynamic_form_with_one_signature_field_keeps_its_xfa_answers(needs_rendering: bool) -> None:
    answers = b"<form1><lastName>Doe</lastName><firstName>Jane</firstName><signature/></form1>"
    form = intake.read_form(_with_datasets(_dynamic_form(needs_rendering=needs_rendering), _datasets(answers)))
    assert form.xfa == "dynamic"
    assert form.values()["form1[0].lastName[0]"] == "Doe"
    assert form.values()["form1[0].firstName[0]"] == "Jane"
    signature = form.field("form1[0].signature[0]")
    assert signature is not None and (signature.kind, signature.source) == (FieldKind.SIGNATURE, FieldSource.ACROFORM)
    last, first = form.field("form1[0].lastName[0]"), form.field("form1[0].firstName[0]")
    assert last is not None and (last.label, last.source) == ("Last name", FieldSource.XFA)
    assert first is not None and first.label == "First name"
    assert [f.name for f in form.fields].count("form1[0].signature[0]") == 1
    assert "file.xfa_only" in _codes(form)


def test_a_static_form_keeps_only_its_acroform_fields() -> None:
    answers = (b"<topmostSubform><Page1><employer>ACME</employer><city>Springfield</city>"
               b"<PageCount>2</PageCount></Page1></topmostSubform>")
    form = intake.read_form(_with_datasets(_static_form(), _datasets(answers)))
    assert form.xfa == "static"
    assert form.values() == {"topmostSubform[0].Page1[0].employer[0]": "ACME",
                             "topmostSubform[0].Page1[0].city[0]": "Springfield"}
    assert "file.xfa_only" not in _codes(form)


def test_answers_reach_fields_that_sit_under_subforms_keeping_no_data() -> None:
    data = (FormBuilder()
            .add_text("form1[0].#subform[0].name[0]")
            .add_text("form1[0].#subform[1].name[0]")
            .with_xfa(xfa_datasets({"name": ""}, root="form1"))
            .build())
    form = intake.read_form(_with_datasets(data, _datasets(b"<form1><name>Ann</name><name>Bob</name></form1>")))
    assert form.xfa == "static"
    assert form.values() == {"form1[0].#subform[0].name[0]": "Ann", "form1[0].#subform[1].name[0]": "Bob"}


def test_xfa_answers_count_against_the_field_limit() -> None:
    answers = b"<form1>" + b"".join(b"<a%d>x</a%d>" % (i, i) for i in range(6)) + b"</form1>"
    refused = _refused(_with_datasets(_dynamic_form(), _datasets(answers)), intake.Limits(max_fields=5))
    assert refused.params["variant"] == "fields"
    assert "the limit is 5" in intake.Problem.of("file.too_complex", **refused.params).message()


# Packets past the caps, refused in-process before any merge work


@pytest.mark.parametrize("as_array", [True, False])
def test_a_million_answers_are_refused_fast_in_bounded_memory(as_array: bool) -> None:
    answers = b"<form1>" + b"<a>1</a>" * 1_000_000 + b"</form1>"
    data = _with_datasets(_dynamic_form(as_array=as_array), _datasets(answers))
    assert len(data) < 200_000
    assert _refused(data).params["variant"] == "fields"


def test_a_million_answers_beside_a_full_acroform_are_refused_too() -> None:
    answers = b"<topmostSubform><Page1>" + b"<city>1</city>" * 1_000_000 + b"</Page1></topmostSubform>"
    assert _refused(_with_datasets(_static_form(), _datasets(answers))).params["variant"] == "fields"


@pytest.mark.parametrize("where", ["datasets", "template"])
def test_deep_nesting_in_a_kilobyte_or_two_is_refused_fast(where: str) -> None:
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    assert len(zlib.compress(deep, 9)) < 2048
    if where == "datasets":
        data = _with_datasets(_dynamic_form(), _datasets(b"<form1>" + deep + b"</form1>"))
    else:
        template = '<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">' + deep.decode() + "</template>"
        data = (FormBuilder().with_xfa(xfa_datasets({"lastName": "Doe"}, root="form1"), template_xml=template,
                                       needs_rendering=True).build())
    _refused(data)


def test_a_template_with_too_many_elements_is_refused() -> None:
    template = ('<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
                + "<draw/>" * 300_000 + "</subform></template>")
    data = (FormBuilder().with_xfa(xfa_datasets({"lastName": "Doe"}, root="form1"), template_xml=template,
                                   needs_rendering=True).build())
    refused = _refused(data)
    assert refused.params["limit"] == intake.Limits().max_xfa_nodes


# Linear work however the fields nest or are named


def test_labels_of_nested_template_fields_take_linear_time() -> None:
    depth = 20_000
    opening = "".join(f'<field name="f{i}"><caption><value><text>Label {i}</text></value></caption>'
                      for i in range(depth))
    template = ('<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
                + opening + "</field>" * depth + "</subform></template>")
    deepest = f"f{depth - 1}"
    data = (FormBuilder().with_xfa(xfa_datasets({deepest: "x", "f0": "y"}, root="form1"), template_xml=template,
                                   needs_rendering=True).build())
    limits = intake.Limits(max_xfa_depth=4 * depth + 8)
    with _bounded():
        form = intake.read_form(data, limits=limits)
    labels = {f.name: f.label for f in form.fields}
    assert labels == {f"form1[0].{deepest}[0]": f"Label {depth - 1}", "form1[0].f0[0]": "Label 0"}


def test_matching_answers_to_fields_takes_linear_time_when_none_fit() -> None:
    count = 20_000
    fields = [intake.FormField(name=f"g{i}[0].x[0]", kind=FieldKind.TEXT) for i in range(count)]
    values = [_xfa.DataValue(((f"h{i}", 0), ("x", 0)), "v") for i in range(count)]
    started = time.monotonic()
    merged, left = _xfa.merge(fields, values)
    assert time.monotonic() - started < _SECONDS
    assert merged == fields and len(left) == count


def test_matching_still_takes_each_field_once_in_order() -> None:
    fields = [intake.FormField(name=name, kind=FieldKind.TEXT)
              for name in ("f[0].a[0].x[0]", "f[0].b[0].x[0]", "f[0].a[0].x[1]")]
    values = [_xfa.DataValue((("f", 0), ("a", 0), ("x", i)), str(i)) for i in range(3)]
    merged, left = _xfa.merge(fields, values)
    assert [f.value for f in merged] == ["0", None, "1"]
    assert [v.value for v in left] == ["2"]

