"""The clerk's detail page shows a coded answer in words, in the clerk's language, with its code beside it."""

from __future__ import annotations

import json
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask

from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.pages import Pages
from web.models import CheckRecord, Submission, db

WORDS = {"en": "Male", "es": "Masculino"}


def _with_words(app: Flask, reference: str) -> None:
    """The stored report as a service whose sex answers have words would have made it."""
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        record = db.session.query(CheckRecord).filter_by(submission_id=found.id).order_by(CheckRecord.id.desc()).first()
        stored = json.loads(record.report_json)
        for lang, report in stored.items():
            form = report["forms"][0]
            form["values"]["sex"] = "M"
            form["value_words"] = {"sex": WORDS[lang]}
        record.report_json = json.dumps(stored, ensure_ascii=False)
        db.session.commit()


def _sex(page: BeautifulSoup, label: str) -> str:
    term = next(dt for dt in page.find_all("dt") if dt.get_text(strip=True) == label)
    return " ".join(term.find_next_sibling("dd").get_text(" ", strip=True).split())


def test_a_coded_answer_reads_in_words_with_its_code_beside_it(app: Flask, staff: dict[str, str],
                                                                filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    clerk = sign_in(app, "ana@example.gov")
    assert _sex(Pages(clerk).get(f"/clerk/s/{reference}"), "Sex") in ("—", "M"), "a report without words shows the code"
    _with_words(app, reference)
    assert _sex(Pages(clerk).get(f"/clerk/s/{reference}"), "Sex") == "Male (M)"
    spanish = Pages(clerk).get(f"/clerk/s/{reference}?lang=es")
    assert _sex(spanish, "Sexo") == "Masculino (M)"
