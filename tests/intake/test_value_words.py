"""Answers a form stores as codes ("Choice2") are reported in the words the citizen read, beside the code."""

from __future__ import annotations

from pathlib import Path

import intake
from tests.pdfs import FormBuilder

SERVICE = """\
id: words-demo
version: "2026-12"
title: {en: Words demo, es: Prueba de palabras}
forms:
  - id: main
    title: {en: Main form, es: Formulario principal}
    identify: {fields_any: [Name, Status]}
    fields:
      name: {source: Name, type: text, required: true}
      status: {source: Status, type: choice,
               one_of: [{value: Choice1, en: Single, es: Soltero}, {value: Choice2, en: Married, es: Casado}]}
      colour: {source: Colour, type: choice, one_of: [Red, Blue]}
"""


def _report(tmp_path: Path, status: str | None) -> intake.Report:
    path = tmp_path / "words-demo.yaml"
    path.write_text(SERVICE, encoding="utf-8")
    pdf = (FormBuilder().add_text("Name", "Ana Díaz").add_radio("Status", ["Choice1", "Choice2"], selected=status)
           .add_radio("Colour", ["Red", "Blue"], selected="Blue").build())
    return intake.check(intake.load_service(path), [("main", intake.Upload("main.pdf", pdf))])


def test_a_coded_answer_is_reported_in_the_readers_words_and_keeps_its_code(tmp_path: Path) -> None:
    report = _report(tmp_path, "Choice2")
    english, spanish = (report.to_dict(lang)["forms"][0] for lang in ("en", "es"))
    assert english["values"]["status"] == spanish["values"]["status"] == "Choice2"
    assert english["value_words"] == {"status": "Married"}
    assert spanish["value_words"] == {"status": "Casado"}
    assert english["values"]["colour"] == "Blue", "an answer without words is left as it is"


def test_an_unanswered_choice_has_no_words(tmp_path: Path) -> None:
    form = _report(tmp_path, None).to_dict("es")["forms"][0]
    assert form["values"]["status"] is None and form["value_words"] == {}
