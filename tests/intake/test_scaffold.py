"""The scaffold's drafts: split boxes joined into one field, types guessed from the group, answers in words."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import intake
from intake import _servicefile
from intake._fill import fill_form
from intake.drafts import scaffold
from intake.files import Upload
from tests import shared_corpus
from tests.pdfs import FormBuilder

# Problems that say a value is wrong: a correctly filled form must raise none of them.
VALUE_CODES = {"field.format", "field.choice", "field.range", "field.max_length", "field.min_length"}
WHOLE = {"ssn": "123456789", "ein": "123456789", "phone": "2125550123", "zip": "12345", "state": "NY",
         "email": "ana@example.org", "number": "3", "money": "12.50"}


def _forms() -> list[Any]:
    forms = shared_corpus.forms()
    if not forms:
        return [pytest.param(None, marks=pytest.mark.skip(reason=shared_corpus.MISSING))]
    return [pytest.param(e, id=e.file) for e in forms]


def _draft(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "draft-service.yaml"
    out.write_text(scaffold(path, service_id="draft-service"), encoding="utf-8")
    return out


def _sample_value(spec: dict[str, Any], boxes: dict[str, Any]) -> list[Any] | None:
    """A correct answer for one drafted field, split over its boxes as a citizen would write it."""
    sources = spec["source"] if isinstance(spec["source"], list) else [spec["source"]]
    kind = spec["type"]
    if kind in ("signature", "checkbox"):
        return None
    if kind == "choice":
        first = spec["one_of"][0]
        return [first["value"] if isinstance(first, dict) else first]
    if kind == "date":
        whole = dt.date(1990, 4, 7).strftime(spec["formats"][0])
        parts = whole.split(spec["join"]) if spec.get("join") and len(sources) > 1 else [whole]
        if len(sources) > 1 and spec.get("join") == "":
            parts = list(whole)
    elif spec.get("pattern") == r"\d{4}":
        whole = "6789"
        parts = list(whole) if len(sources) > 1 else [whole]
    else:
        whole = WHOLE.get(kind, "Ana")
        if len(sources) == 1:
            parts = [whole[: spec.get("max_length") or len(whole)]]
        else:
            parts, rest = [], whole
            for name in sources:
                size = boxes[name].max_length or 1
                parts.append(rest[:size])
                rest = rest[size:]
    return parts if len(parts) == len(sources) else None


@pytest.mark.corpus
@pytest.mark.parametrize("entry", _forms())
def test_a_draft_lints_clean_and_a_correctly_filled_form_raises_no_false_errors(entry: Any,
                                                                                 tmp_path: Path) -> None:
    path = _draft(entry.path, tmp_path)
    service, warnings = _servicefile.lint(path)
    assert not [w.text for w in warnings if w.blocking]
    form = intake.read_form(entry.path)
    boxes = {f.name: f for f in form.fields}
    (spec,) = yaml.safe_load(path.read_text(encoding="utf-8"))["forms"]
    values: dict[str, Any] = {}
    for field_spec in spec["fields"].values():
        parts = _sample_value(field_spec, boxes)
        sources = field_spec["source"] if isinstance(field_spec["source"], list) else [field_spec["source"]]
        if parts is not None and all(s in boxes and not boxes[s].read_only for s in sources):
            values.update(zip(sources, parts, strict=True))
    if not values:
        pytest.skip("no fillable AcroForm fields to fill")
    try:
        filled = Upload(entry.path.name, fill_form(entry.path, values))
    except (KeyError, ValueError) as exc:
        pytest.skip(f"this form cannot be filled in code: {exc}")
    # An XFA form may show its own datasets, not what was filled into its boxes: judge only what reads back.
    read_back = {f.name: f.value for f in intake.read_form(filled).fields}
    ours = {fid for fid, fs in service.forms[0].fields.items()
            if all(s in values and str(read_back.get(s)) == str(values[s]) for s in fs.sources)}
    report = intake.check(service, [(service.forms[0].id, filled)], today=dt.date(2026, 11, 22))
    wrong = [(p.code, p.field) for f in report.forms for p in f.problems if p.code in VALUE_CODES and p.field in ours]
    assert wrong == []


def test_three_boxes_of_three_two_and_four_digits_are_one_ssn(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    builder = FormBuilder()
    for i, (x, width, size) in enumerate(((100, 30, 3), (134, 22, 2), (160, 40, 4)), start=1):
        builder.add_text(f"SSN {i}", rect=(x, 700, x + width, 718), max_len=size)
    pdf.write_bytes(builder.build())
    fields = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"]
    assert list(fields.values()) == [{"source": ["SSN 1", "SSN 2", "SSN 3"], "type": "ssn"}]


def test_four_single_boxes_for_the_last_four_of_an_ssn_are_four_digits_not_an_ssn(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    builder = FormBuilder()
    for i in range(4):
        builder.add_text(f"Last four of your social security number {i}", rect=(100 + 16 * i, 700, 114 + 16 * i, 716),
                         max_len=1)
    pdf.write_bytes(builder.build())
    (field,) = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"].values()
    assert field["type"] == "text" and field["pattern"] == r"\d{4}" and len(field["source"]) == 4


def test_an_address_line_that_mentions_the_state_is_free_text(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(FormBuilder().add_text("Previous County and State", rect=(100, 700, 400, 718)).build())
    (field,) = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"].values()
    assert field["type"] == "text"


def test_radio_answers_with_meaningless_values_get_the_words_printed_beside_them(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(FormBuilder().add_radio("Status", ["Choice1", "Choice2"]).build())
    (field,) = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"].values()
    assert field["type"] == "choice"
    assert [v["value"] if isinstance(v, dict) else v for v in field["one_of"]] == ["Choice1", "Choice2"]


@pytest.mark.corpus
def test_a_draft_gives_the_form_number_and_revision_page_one_prints(corpus: Path) -> None:
    (spec,) = yaml.safe_load(scaffold(corpus / "forms/mi_pc51_petition_name_change.pdf"))["forms"]
    assert (spec["number"], spec["revision"]) == ("PC 51", "Rev. 5/25")
    assert spec["title"] == {"en": "Form PC 51", "es": "Formulario PC 51"}


def test_a_form_that_prints_no_number_keeps_a_title_from_its_file_name(tmp_path: Path) -> None:
    pdf = tmp_path / "pet_licence.pdf"
    pdf.write_bytes(FormBuilder().add_text("Name").with_text("Dog licence request").build())
    (spec,) = yaml.safe_load(scaffold(pdf))["forms"]
    assert "number" not in spec and "revision" not in spec and spec["title"]["en"] == "Pet licence"


def test_one_box_for_a_name_address_and_telephone_number_is_free_text_not_a_phone(tmp_path: Path) -> None:
    pdf = tmp_path / "petition.pdf"
    pdf.write_bytes(FormBuilder()
                    .add_text("Petitioner", tooltip="Petitioner’s name, address, and telephone no.",
                              rect=(40, 600, 300, 660), multiline=True)
                    .add_text("Notes", tooltip="Telephone calls made", rect=(40, 500, 300, 560), multiline=True)
                    .add_text("Phone", tooltip="Telephone number", rect=(40, 400, 200, 418)).build())
    fields = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"]
    assert [f["type"] for f in fields.values()] == ["text", "text", "phone"]


def test_how_many_copies_to_order_is_a_number_even_beside_a_fee(tmp_path: Path) -> None:
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(FormBuilder()
                    .add_text("Copies", tooltip="Enter the quantity of certified copies you would like to order")
                    .add_text("Amendment", tooltip="Enter 1 if you need to include the processing fee")
                    .add_text("Fee", tooltip="Processing fee").build())
    fields = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"]
    assert [f["type"] for f in fields.values()] == ["number", "number", "money"]


def test_a_card_number_is_drafted_as_sensitive(tmp_path: Path) -> None:
    pdf = tmp_path / "payment.pdf"
    pdf.write_bytes(FormBuilder().add_text("Card Number", tooltip="Enter the full credit or debit card number")
                    .add_text("Name on card").build())
    card, name = yaml.safe_load(scaffold(pdf))["forms"][0]["fields"].values()
    assert card == {"source": "Card Number", "type": "text", "sensitive": True} and "sensitive" not in name


@pytest.mark.corpus
def test_a_clear_form_button_drawn_as_a_radio_button_is_no_answer_in_the_draft(corpus: Path) -> None:
    path = corpus / "forms/ak_birth_cert_name_change_request.pdf"
    (clear,) = [f for f in intake.read_form(path).fields if f.name == "ClearForm"]
    assert clear.kind.value == "button"
    fields = yaml.safe_load(scaffold(path))["forms"][0]["fields"]
    assert "ClearForm" not in {f["source"] for f in fields.values()}
    assert {"Amendment", "Card Number", "Applicant Name"} <= {f["source"] for f in fields.values()}


def test_the_words_beside_radio_buttons_are_read_only_from_a_page_within_the_upload_limits(tmp_path: Path) -> None:
    from tests.intake.hostile.drawings import radio_beside_fan_out

    data = radio_beside_fan_out()
    form = intake.read_form(Upload("bomb.pdf", data))
    assert form.words(2) == (), "a page of a million draws is refused before any is made"
    started = time.monotonic()
    draft = yaml.safe_load(scaffold(Upload("bomb.pdf", data), limits=intake.Limits()))
    assert time.monotonic() - started < 2
    fields = draft["forms"][0]["fields"]
    assert fields["choice"]["one_of"] == ["1", "2"], "the answers keep the form's own values"
    assert fields["name"]["type"] == "text"


def test_a_draft_says_which_page_s_words_it_could_not_read_and_which_answers_need_words_by_hand() -> None:
    from tests.intake.hostile.drawings import radio_beside_fan_out

    text = scaffold(Upload("bomb.pdf", radio_beside_fan_out()), limits=intake.Limits())
    header = text.split("\nid:", 1)[0]
    assert "# The printed words of page 2 were not read" in header
    (choice,) = [line for line in text.splitlines() if line.strip().startswith("choice:")]
    assert "give each answer its words by hand" in choice.split("#", 1)[1]
    (name,) = [line for line in text.splitlines() if line.strip().startswith("name:")]
    assert "by hand" not in name


def test_a_draft_of_a_form_whose_pages_are_all_read_says_nothing_was_withheld(tmp_path: Path) -> None:
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(FormBuilder().add_radio("Status", ["Choice1", "Choice2"]).with_text("Single Married").build())
    text = scaffold(pdf)
    assert "were not read" not in text and "by hand" not in text


def test_a_blank_form_past_the_page_limit_is_refused_before_it_is_drafted() -> None:
    data = FormBuilder(pages=3).add_radio("Choice", ["Choice1", "Choice2"], page=3).build()
    with pytest.raises(intake.TooManyPagesError):
        scaffold(Upload("long.pdf", data), limits=intake.Limits(max_pages=2))
    assert "choice" in yaml.safe_load(scaffold(Upload("long.pdf", data), limits=intake.Limits(max_pages=3))
                                      )["forms"][0]["fields"]
