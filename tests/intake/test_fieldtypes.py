"""Every field type and constraint of service files, in both directions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from marshmallow import ValidationError

from intake.fieldtypes import form_schema, mask, resolve_date
from intake.services import FieldSpec

TODAY = dt.date(2026, 11, 22)


def _load(value: Any, type_: str, **constraints: Any) -> Any:
    spec = FieldSpec(id="f", sources=("F",), type=type_, **constraints)
    return form_schema({"f": spec}, TODAY).load({"f": value})["f"]


def _error(value: Any, type_: str, **constraints: Any) -> tuple[str, dict[str, Any]]:
    spec = FieldSpec(id="f", sources=("F",), type=type_, **constraints)
    with pytest.raises(ValidationError) as caught:
        form_schema({"f": spec}, TODAY).load({"f": value})
    (coded,) = caught.value.messages_dict["f"]
    return coded.code, coded.params


@pytest.mark.parametrize("type_, given, clean", [
    ("text", "Jane", "Jane"),
    ("number", "1,234", Decimal("1234")),
    ("money", "$1,250.5", Decimal("1250.50")),
    ("money", "(12.00)", Decimal("-12.00")),
    ("date", "03/09/1984", dt.date(1984, 3, 9)),
    ("date", "1984-03-09", dt.date(1984, 3, 9)),
    ("checkbox", True, True),
    ("checkbox", False, False),
    ("email", "Jose.Perez@Example.com", "jose.perez@example.com"),
    ("phone", "217.555.0123", "(217) 555-0123"),
    ("phone", "+1 (217) 555-0123", "(217) 555-0123"),
    ("ssn", "123456789", "123-45-6789"),
    ("ssn", "123-45-6789", "123-45-6789"),
    ("ein", "12-3456789", "12-3456789"),
    ("zip", "62704", "62704"),
    ("zip", "62704-1234", "62704-1234"),
    ("state", "il", "IL"),
    ("state", "New York", "NY"),
    ("signature", "Jane Doe", True),
])
def test_good_values_are_accepted_and_cleaned(type_: str, given: Any, clean: Any) -> None:
    assert _load(given, type_) == clean


@pytest.mark.parametrize("type_, given, variant", [
    ("number", "three", "number"),
    ("money", "lots", "money"),
    ("date", "31/31/1984", "date"),
    ("email", "jose.example.com", "email"),
    ("phone", "555-0123", "phone"),
    ("phone", "(017) 555-0123", "phone"),
    ("ssn", "12345678", "ssn"),
    ("ssn", "000-12-3456", "ssn_issued"),
    ("ssn", "666-12-3456", "ssn_issued"),
    ("ssn", "912-45-6789", "ssn_issued"),
    ("ssn", "123-00-4567", "ssn_issued"),
    ("ssn", "123-45-0000", "ssn_issued"),
    ("ein", "00-1234567", "ein"),
    ("ein", "12345", "ein"),
    ("zip", "6270", "zip"),
    ("zip", "627041", "zip"),
    ("state", "Springfield", "state"),
])
def test_bad_values_give_field_format_with_what_was_expected(type_: str, given: Any, variant: str) -> None:
    assert _error(given, type_) == ("field.format", {"variant": variant} if type_ != "date" else
                                    {"variant": "date", "example": "11/22/2026"})


def test_length_pattern_and_one_of_constraints_hold_both_ways() -> None:
    assert _load("abc", "text", max_length=3, min_length=3) == "abc"
    assert _error("abcd", "text", max_length=3) == ("field.max_length", {"limit": 3, "length": 4})
    assert _error("ab", "text", min_length=3) == ("field.min_length", {"limit": 3, "length": 2})
    assert _load("A-12", "text", pattern=r"[A-Z]-\d+") == "A-12"
    assert _error("12", "text", pattern=r"[A-Z]-\d+") == ("field.format", {"variant": "pattern"})
    assert _load("Card", "choice", one_of=("Book", "Card")) == "Card"
    assert _error("Both", "choice", one_of=("Book", "Card")) == ("field.choice", {"choices": "Book, Card"})


def test_number_ranges_hold_both_ways() -> None:
    assert _load("18", "number", min=18, max=120) == Decimal("18")
    assert _error("17", "number", min=18) == ("field.range", {"variant": "min", "min": 18})
    assert _error("121", "number", max=120) == ("field.range", {"variant": "max", "max": 120})


def test_date_bounds_understand_today_and_relative_years() -> None:
    assert _load("11/22/2026", "date", not_after="today") == TODAY
    assert _error("11/23/2026", "date", not_after="today") == ("field.range",
                                                               {"variant": "latest", "latest": "2026-11-22"})
    assert _load("11/22/2008", "date", not_after="today-18y") == dt.date(2008, 11, 22)
    assert _error("11/23/2008", "date", not_after="today-18y")[0] == "field.range"
    assert _error("12/31/1899", "date", not_before="1900-01-01") == ("field.range",
                                                                    {"variant": "earliest", "earliest": "1900-01-01"})
    assert resolve_date("today+30d", TODAY) == dt.date(2026, 12, 22)
    assert resolve_date("today-1y", dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_sensitive_values_are_masked_to_their_last_digits() -> None:
    ssn = FieldSpec(id="ssn", sources=("S",), type="ssn", sensitive=True)
    ein = FieldSpec(id="ein", sources=("E",), type="ein", sensitive=True)
    dob = FieldSpec(id="dob", sources=("D",), type="date", sensitive=True)
    assert mask(ssn, "123-45-6789") == "***-**-6789"
    assert mask(ein, "12-3456789") == "**-***6789"
    assert mask(dob, dt.date(1984, 3, 9)) == "**/**/1984"
    assert mask(dob, "03/09/2031") == "**/**/2031"
    assert mask(FieldSpec(id="n", sources=("N",), type="text"), "Jane") == "Jane"


@pytest.mark.parametrize("type_, given", [
    ("money", "1" + "0" * 26), ("money", "-1e30"), ("number", "9" * 40), ("money", "1E+999999"),
])
def test_a_number_far_past_any_forms_needs_is_a_range_problem_not_a_crash(type_: str, given: str) -> None:
    assert _error(given, type_) == ("field.range", {"variant": "too_big"})


def test_a_large_but_real_amount_is_still_accepted() -> None:
    assert _load("999,999,999,999.99", "money") == Decimal("999999999999.99")


def test_a_forms_schema_is_built_once_a_day_and_anew_for_another_day() -> None:
    specs = {"born": FieldSpec(id="born", sources=("B",), type="date")}
    first = form_schema(specs, TODAY)
    assert form_schema(specs, TODAY) is first
    tomorrow = form_schema(specs, TODAY + dt.timedelta(days=1))
    assert tomorrow is not first
    assert form_schema(dict(specs), TODAY) is not first  # another service file's entry
