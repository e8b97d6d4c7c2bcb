"""Sensitive values never reach the logs: the masking rules, then the logs of a whole run."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import logs

SSN_SPELLINGS = ["123-45-6789", "123 45 6789", "123456789", "１２３-４５-６７８９"]
DOB_SPELLINGS = ["03/09/1984", "3/9/1984", "1984-03-09"]


@pytest.mark.parametrize("value", [*SSN_SPELLINGS, "12-3456789", "12 3456789"])
def test_social_security_numbers_and_eins_are_masked_in_any_spelling(value: str) -> None:
    masked = logs.mask(f"applicant {value} checked")
    assert masked == f"applicant {logs.MASK} checked"


@pytest.mark.parametrize("value", DOB_SPELLINGS)
def test_dates_keep_only_their_year(value: str) -> None:
    masked = logs.mask(f"born {value}")
    assert "1984" in masked and "09" not in masked.replace("1984", "") and "03" not in masked.replace("1984", "")


def test_the_secret_of_a_resume_link_is_masked_and_the_reference_kept() -> None:
    line = '127.0.0.1 "GET /r/ACDEFGHJK/k/Zx_9-secret?lang=es HTTP/1.1" 303'
    assert logs.mask(line) == f'127.0.0.1 "GET /r/ACDEFGHJK/k/{logs.MASK}?lang=es HTTP/1.1" 303'


def test_values_next_to_a_field_a_service_marks_sensitive_are_masked(app: Flask) -> None:
    with app.app_context():
        from web import jobs

        names = logs.sensitive_names(jobs.services().values())
    assert {"Applicant SSN 1", "Date of birth"} <= names
    assert logs.mask("{'Applicant SSN 1': '123', 'city': 'Springfield'}") == (
        f"{{'Applicant SSN 1': '{logs.MASK}', 'city': 'Springfield'}}")
    assert logs.mask("Date of birth = March 9") == f"Date of birth = {logs.MASK}"


def test_ordinary_numbers_and_words_are_left_alone() -> None:
    line = "upload refused: file.too_large, 20971520 bytes, reference ACD-EFG-HJK, 2 files in 1.5 s"
    assert logs.mask(line) == line


def test_a_record_with_a_traceback_is_masked_before_any_handler_sees_it(
        app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    anything = logging.getLogger("anything")
    monkeypatch.setattr(anything, "disabled", False)
    try:
        raise ValueError("bad SSN 123-45-6789")
    except ValueError:
        anything.exception("while reading %s", "03/09/1984")
    text = caplog.text
    assert "ValueError: bad SSN ***" in text and "**/**/1984" in text
    assert "6789" not in text and "03/09" not in text


@pytest.mark.corpus
def test_the_logs_of_a_whole_citizen_run_hold_no_sensitive_value(app: Flask, client: FlaskClient,
                                                                 caplog: pytest.LogCaptureFixture,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 filled: Callable[..., bytes]) -> None:
    """Upload a form with an SSN and a date of birth, open it by link and by ZIP, add a file,
    survive a crash whose message quotes the values, and read every line logged meanwhile."""
    from web.citizen import packets

    caplog.set_level(logging.DEBUG)
    # The migrations' fileConfig() disables loggers that existed before it ran (an earlier
    # test's app logger among them); this test must hear everything the app says.
    monkeypatch.setattr(app.logger, "disabled", False)
    access_log = logging.getLogger("gunicorn.access")
    monkeypatch.setattr(access_log, "disabled", False)
    ds11 = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    pages = Pages(client)

    def submit(url: str, **files: Any) -> Any:
        return post_files(client, url, upload_data(**files) | {"client_key": os.urandom(8).hex()})

    result = pages.follow(submit("/s/passport-first-time", **{"item-ds11": (ds11, "ds11.pdf")}))
    link = result.find("a", rel="noreferrer")["href"]
    secret = link.rsplit("/", 1)[-1]
    reference = link.split("/r/", 1)[1].split("/", 1)[0]
    with app.test_client() as other:
        assert other.get(link).status_code == 303
        assert other.post("/r", data={"reference": reference, "zip": "62704"}).status_code == 303
    access_log.info('127.0.0.1 "GET %s HTTP/1.1" 303', link)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("could not save SSN 123-45-6789 of José Pérez, born 03/09/1984")

    monkeypatch.setattr(packets, "_unused_reference", crash)
    assert submit("/s/passport-first-time", **{"item-ds11": (ds11, "ds11.pdf")}).status_code == 500

    everything = "\n".join([caplog.text] + [logging.Formatter().format(r) for r in caplog.records])
    assert "RuntimeError: could not save SSN ***" in everything and reference in everything
    for value in [*SSN_SPELLINGS, "03/09/1984", "1984-03-09", secret]:
        assert value not in everything, value
    # The last four digits on their own; a request signature, hash or id that happens to hold
    # them (the storage client's debug lines print both) is not a leak.
    assert not re.search(r"(?<![0-9A-Za-z-])6789(?![0-9A-Za-z-])", everything)
