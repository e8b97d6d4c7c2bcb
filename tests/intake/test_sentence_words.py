"""Titles and reasons fitted into sentences: a lower-case start mid-sentence, names kept as written,
and alternatives that read alike."""

from __future__ import annotations

import pytest

from intake import messages
from intake.words import in_sentence


@pytest.mark.parametrize(("title", "fitted"), [
    ("You have 2 of the 6 points", "you have 2 of the 6 points"),
    ("A utility bill", "a utility bill"),
    ("Birth certificate (2 points)", "birth certificate (2 points)"),
    ("Photo ID (front and back)", "photo ID (front and back)"),
    ("Su acta de nacimiento", "su acta de nacimiento"),
    ("Tarjeta de Seguro Social", "tarjeta de Seguro Social"),
])
def test_an_ordinary_first_word_is_lowered_inside_a_sentence(title: str, fitted: str) -> None:
    assert in_sentence(title) == fitted


@pytest.mark.parametrize("name", ["DS-11", "Form DS-11", "Form PC 51", "SSN", "New York State ID",
                                  "Social Security card", "U.S. passport", "Illinois ID card", "Nueva York",
                                  "I-94 record"])
def test_names_and_acronyms_keep_their_capitals(name: str) -> None:
    assert in_sentence(name) == name


def test_a_title_fitted_mid_sentence_starts_in_lower_case_and_a_name_does_not() -> None:
    assert messages.render("document.missing", "en", item="Proof of address") == "Add proof of address."
    assert messages.render("form.missing", "en", item="Form DS-11").startswith("Add Form DS-11.")
    assert "the original of your birth certificate to your visit" in messages.render(
        "document.unreadable", "en", item="Your birth certificate")


def test_a_title_at_the_start_of_a_sentence_or_after_a_colon_keeps_its_capital() -> None:
    assert messages.render("document.undated", "en", item="Proof of address", days=90).endswith(
        "Proof of address must be from the last 90 days, so bring the original to your visit.")
    assert messages.render("bring.original", "en", item="Birth certificate") == "The original of: Birth certificate"
