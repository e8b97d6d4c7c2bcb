"""The small things on the citizen's pages, read in a real browser (Debian's Chromium driven by
Playwright): office hours on the service's own clock, a checking page that says in words what
is happening until the result shows, warnings that look apart from blocking errors and status
tags that say more than bold type, the words of the lists and of the text version, and tap
targets big enough for a thumb — on a phone and a desktop, in English and Spanish, with the
keyboard and without JavaScript. axe-core checks each page on the way."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus
from tests.browser.conftest import serving
from tests.browser.test_journey import WORDS, _accessible
from tests.web.test_bring_list import _items_after

SERVICES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "schemas").glob("*.yaml")
                  if p.name != "kinds.yaml")
SYNTHETIC = "supporting/synthetic"
NBSP = "\u00a0"
HOURS = {"en": "Mon–Fri 8:30 a.m.–4:30 p.m.", "es": "lun–vie 8:30 a. m.–4:30 p. m."}
CLOCK_24 = re.compile(r"\b(?:1[3-9]|2[0-3]):[0-5]\d\b")
CLOCK_12 = {"en": re.compile(r"\b\d{1,2}:\d\d [ap]\.m\."), "es": re.compile(r"\b\d{1,2}:\d\d [ap]\. m\.")}
SAID = {
    "en": {"queued": "Your files are saved: 1 form and 1 file to sort. They are waiting to be checked.",
           "running": "Reading your files and checking 1 form and 1 file to sort against the checklist.",
           "checking": "Checking your files…", "fix": "Fix this", "check": "Check this",
           "done": "Done", "needs_fixing": "Needs fixing"},
    "es": {"queued": "Sus archivos están guardados: 1 formulario y 1 archivo por clasificar. "
                     "Están esperando la revisión.",
           "running": "Estamos leyendo sus archivos y revisando 1 formulario y 1 archivo por clasificar con la lista.",
           "checking": "Revisando sus archivos…", "fix": "Corrija esto", "check": "Revise esto",
           "done": "Listo", "needs_fixing": "Hay que corregir"},
}


def _context(browser: Any, lang: str, width: int, script: bool = True) -> Any:
    return browser.new_context(viewport={"width": width, "height": 900}, locale=lang, java_script_enabled=script,
                               extra_http_headers={"Accept-Language": lang})


def _plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def _ds11(tmp_path: Path, filled: Callable[..., bytes]) -> Path:
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    return ds11


def _check_my_files(page: Any, lang: str) -> None:
    page.get_by_role("button", name=WORDS[lang]["check"]).click()
    page.wait_for_url("**/r/*")


# 1. Office hours ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang, width, script", [("en", 1280, True), ("es", 360, True), ("en", 360, False)])
def test_office_hours_read_on_the_services_own_clock_on_the_checklist_and_the_printable_list(
        browser: Any, live_server: str, filled: Callable[..., bytes], tmp_path: Path,
        lang: str, width: int, script: bool) -> None:
    page = _context(browser, lang, width, script).new_page()
    for service in SERVICES:  # every shipped service is a US one, and shows its offices on its checklist
        page.goto(f"{live_server}/s/{service}")
        offices = page.locator("main .office")
        assert offices.count() >= 1, f"{service}: the checklist names no office"
        said = _plain(" ".join(offices.all_inner_texts()))
        assert CLOCK_12[lang].search(said) and not CLOCK_24.search(said), f"{service}: {said}"
    page.goto(f"{live_server}/s/passport-first-time")
    assert HOURS[lang] in _plain(page.locator("main .office").inner_text())
    if script:  # axe runs as a script in the page
        _accessible(page, f"{lang}-{width}-checklist-with-office")
    page.goto(f"{live_server}/s/social-security-card")
    assert {"en": "Mon, Tue, Thu, Fri 9:00 a.m.–4:00 p.m.; Wed 9:00 a.m.–12:00 p.m.",
            "es": "lun, mar, jue, vie 9:00 a. m.–4:00 p. m.; mié 9:00 a. m.–12:00 p. m."}[lang] in \
        _plain(page.locator("main .office").inner_text())
    page.goto(f"{live_server}/s/passport-first-time")
    page.locator("#item-ds11").set_input_files(str(_ds11(tmp_path, filled)))
    _check_my_files(page, lang)
    page.goto(page.url.split("?", 1)[0] + "/bring")
    office = _plain(page.locator("main .office").inner_text())
    assert HOURS[lang] in office and not CLOCK_24.search(office), office
    if script:
        _accessible(page, f"{lang}-{width}-bring-hours")
    page.context.close()


# 2. The checking page ----------------------------------------------------------------------

@pytest.fixture
def queued_server(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The real app with a broker no worker reads (Celery's memory transport, on a queue of its
    own), so each check stays queued until the test runs it as a worker would."""
    with serving(tmp_path, BROKER_URL="memory://", CHECK_QUEUE=f"browser-{uuid.uuid4().hex[:8]}") as running:
        yield running


def _newest_check(app: Any) -> int:
    from web.models import CheckRecord, db

    with app.app_context():
        check = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
        assert check is not None and check.state == "queued"
        return int(check.id)


def _start_running(app: Any, check_id: int) -> None:
    """A first worker takes the check (it is "running") and then goes quiet past its lease."""
    from web import checkqueue

    with app.app_context():
        outcome, _attempt = checkqueue.take(check_id, "browser-worker:1")
        assert outcome.ran


def _finish(app: Any, check_id: int) -> None:
    """The first worker's lease runs out and a second one takes the check over and runs it."""
    import datetime as dt

    from web import checkqueue
    from web.models import CheckRecord, db, utcnow

    with app.app_context():
        row = db.session.get(CheckRecord, check_id)
        row.started_at = utcnow() - dt.timedelta(seconds=checkqueue.lease_seconds() + 5)
        db.session.commit()
        assert checkqueue.run(check_id, "browser-worker:2").ran


@pytest.mark.parametrize("lang, width, script", [("en", 360, True), ("es", 1280, True), ("es", 360, False)])
def test_the_checking_page_says_what_is_happening_in_words_and_then_shows_the_result(
        browser: Any, queued_server: tuple[str, Any], corpus: Path, filled: Callable[..., bytes],
        tmp_path: Path, lang: str, width: int, script: bool) -> None:
    address, app = queued_server
    said = SAID[lang]
    page = _context(browser, lang, width, script).new_page()
    page.goto(f"{address}/s/passport-first-time")
    page.locator("#item-ds11").set_input_files(str(_ds11(tmp_path, filled)))
    page.locator("#everything").set_input_files(str(corpus / SYNTHETIC / "utility_bill_1.pdf"))
    page.get_by_role("button", name=WORDS[lang]["check"]).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/r/*")
    assert page.locator("h1").inner_text() == said["checking"]
    status = page.locator("#progress")
    assert status.get_attribute("role") == "status"
    assert said["queued"] in _plain(status.inner_text())
    if script:  # axe runs as a script in the page
        _accessible(page, f"{lang}-{width}-checking-queued")
    check_id = _newest_check(app)

    _start_running(app, check_id)
    # The script asks where the check stands; without it the page refreshes itself.
    page.locator("#progress", has_text=said["running"]).wait_for(timeout=15_000)
    assert page.locator("h1").inner_text() == said["checking"]
    if script:
        _accessible(page, f"{lang}-{width}-checking-running")

    _finish(app, check_id)
    page.wait_for_selector(f"h1:has-text('{WORDS[lang]['missing']}')", timeout=15_000)
    assert page.locator(".task-list").is_visible()
    if script:
        _accessible(page, f"{lang}-{width}-checked")
    page.context.close()


# 3. Warnings and status tags ---------------------------------------------------------------

LOOKS = "(el) => { const s = getComputedStyle(el); return {text: el.innerText.trim(), color: s.color, " \
        "background: s.backgroundColor, border: s.borderTopColor, weight: s.fontWeight, " \
        "visible: el.offsetWidth > 0 && el.offsetHeight > 0}; }"


def _apart(one: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """What, besides the weight of the type, tells two tags apart."""
    return [key for key in ("text", "color", "background", "border") if one[key] != other[key]]


@pytest.mark.parametrize("lang, width", [("en", 360), ("es", 1280)])
def test_a_warning_looks_apart_from_a_blocking_error_and_a_fine_document_apart_from_one_to_fix(
        browser: Any, live_server: str, corpus: Path, lang: str, width: int) -> None:
    page = _context(browser, lang, width).new_page()
    page.goto(f"{live_server}/s/passport-first-time")
    page.locator("#item-ds11").set_input_files(str(corpus / "forms" / "irs_fw9_2024.pdf"))
    page.locator("#item-proof_of_address").set_input_files([str(corpus / SYNTHETIC / "utility_bill_2.pdf"),
                                                            str(corpus / SYNTHETIC / "utility_bill_1.pdf")])
    _check_my_files(page, lang)
    page.wait_for_selector(".task-list")

    blocking = page.locator("#task-form-ds11 .problem.severity-blocks").first
    warning = page.locator("#task-document-proof_of_address .problem.severity-warning").first
    assert blocking.count() == 1 and warning.count() == 1
    assert "severity-warning" not in (blocking.get_attribute("class") or "")
    fix, check = blocking.locator(".tag").evaluate(LOOKS), warning.locator(".tag").evaluate(LOOKS)
    assert fix["visible"] and check["visible"]
    assert (fix["text"], check["text"]) == (SAID[lang]["fix"], SAID[lang]["check"])
    assert {"color", "background", "border"} <= set(_apart(fix, check)), (fix, check)

    done = page.locator("#task-document-proof_of_address .task-head .tag").evaluate(LOOKS)
    to_fix = page.locator("#task-form-ds11 .task-head .tag").evaluate(LOOKS)
    assert (done["text"], to_fix["text"]) == (SAID[lang]["done"], SAID[lang]["needs_fixing"])
    assert {"text", "background", "border"} <= set(_apart(done, to_fix)), (done, to_fix)
    _accessible(page, f"{lang}-{width}-warning-and-error")

    # The summary's "Check:" link takes the keyboard to the warning itself.
    anchor = warning.get_attribute("id")
    link = page.locator(f".task-summary a[href='#{anchor}']")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == anchor
    page.context.close()


# 4. The words ------------------------------------------------------------------------------

CAPITAL_AFTER = re.compile(r"\b(?:because|porque|if|si) (?!I\b|U\.S\.|EE\. UU\.)[A-ZÁÉÍÓÚÑ][a-záéíóúñ]")
QUOTED_THEN_BARE = re.compile(r"” (?:or|o) [^“\s]")
LINE_WIDTH = 60


def _text_version(page: Any, result_url: str) -> list[str]:
    response = page.goto(result_url + "/bring.txt")
    assert response.ok and response.headers["content-type"].startswith("text/plain")
    return str(response.text()).splitlines()


@pytest.mark.parametrize("lang, width, script", [("en", 360, True), ("es", 1280, True), ("es", 360, False)])
def test_the_words_read_as_sentences_and_the_text_version_keeps_whole_words_with_the_office_last(
        browser: Any, live_server: str, corpus: Path, lang: str, width: int, script: bool) -> None:
    page = _context(browser, lang, width, script).new_page()
    if lang == "en":  # US services spell it "license" in what the citizen reads (their ids keep their spelling)
        for service in SERVICES:
            page.goto(f"{live_server}/s/{service}")
            assert not re.search(r"\blicence", page.locator("main").inner_text(), re.IGNORECASE), service

    # A points rule in a sentence: "You have 0 of the 6 points needed.", never "because You have".
    page.goto(f"{live_server}/s/ny-driver-licence")
    page.locator("#everything").set_input_files(str(corpus / SYNTHETIC / "utility_bill_1.pdf"))
    _check_my_files(page, lang)
    page.wait_for_selector("#task-points-identity_points")
    result = _plain(page.locator("main").inner_text())
    assert not CAPITAL_AFTER.search(result), CAPITAL_AFTER.search(result)
    if lang == "en":
        assert "You have 0 of the 6 points needed." in result
        assert not re.search(r"\blicence", result, re.IGNORECASE)
    if script:
        _accessible(page, f"{lang}-{width}-points-in-a-sentence")
    result_url = page.url.split("?", 1)[0]

    # The printable list and the text version are one list; the text never cuts a word.
    page.goto(result_url + "/bring")
    items = [_plain(t) for t in page.locator("ul.bring li").all_inner_texts()]
    offices = [_plain(t) for t in page.locator("main .office").all_inner_texts()]
    office_names = [_plain(t) for t in page.locator("main h2").all_inner_texts()][-len(offices):]
    heading = _plain(page.locator("h1").inner_text())
    lines = _text_version(page, result_url)
    long = [line for line in lines if len(line) > LINE_WIDTH and " " in line.strip()]
    assert not long, long
    assert not any(line.rstrip().endswith(("-", "…")) for line in lines), "a word was cut"
    assert [_plain(i) for i in _items_after(lines, heading + ":")] == items
    page_words = set(" ".join(items).split())
    text_words = set(_plain(" ".join(lines)).split())
    assert page_words <= text_words, page_words - text_words
    # The office comes last: its name, address, hours on its own clock, then where to book.
    office = next(o for o in reversed(lines) if o == office_names[-1])
    tail = [_plain(line) for line in lines[lines.index(office):]]
    assert _plain(" ".join(tail)).startswith(_plain(office_names[-1] + " " + offices[-1].split(" : ")[0]))
    assert CLOCK_12[lang].search(tail[2]) and not CLOCK_24.search(" ".join(tail))
    assert tail[-1].startswith("https://") and tail[-2].endswith(":")

    # "One of" lists put every alternative in quotes, or none.
    page.goto(f"{live_server}/s/il-child-care")
    page.locator("#item-ccap").set_input_files(str(corpus / "forms" / "il_ccap_child_care_application.pdf"))
    _check_my_files(page, lang)
    page.wait_for_selector(".task-list")
    result = _plain(page.locator("main").inner_text())
    choice = next(_plain(t) for t in page.locator(".problem").all_inner_texts()
                  if "“" in t and ("” or “" in t or "” o “" in t))
    assert choice.count("“") == choice.count("”") == 2, choice
    assert not QUOTED_THEN_BARE.search(result), QUOTED_THEN_BARE.search(result)
    assert not CAPITAL_AFTER.search(result), CAPITAL_AFTER.search(result)
    if script:
        _accessible(page, f"{lang}-{width}-one-of-in-quotes")
    page.context.close()


# 5. Tap targets ----------------------------------------------------------------------------

TARGETS = "input[type=file], input[type=radio], input[type=checkbox]"
SIZES = f"""() => Array.from(document.querySelectorAll("main").length ? document.querySelector("main")
  .querySelectorAll("{TARGETS}") : []).filter((el) => el.offsetParent !== null).map((el) => {{
  const box = el.getBoundingClientRect();
  return {{id: el.id, type: el.type, width: box.width, height: box.height}}; }})"""


def _small_targets(page: Any) -> list[dict[str, Any]]:
    found = page.evaluate(SIZES)
    assert found, f"no file inputs, radios or checkboxes on {page.url}"
    return [t for t in found if t["width"] < 24 or t["height"] < 24]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_file_inputs_radios_and_checkboxes_are_big_enough_to_tap_on_a_phone(
        browser: Any, live_server: str, filled: Callable[..., bytes], tmp_path: Path, lang: str) -> None:
    page = _context(browser, lang, 360).new_page()
    page.goto(f"{live_server}/r")
    assert not _small_targets(page), _small_targets(page)
    page.goto(f"{live_server}/s/passport-first-time")
    assert not _small_targets(page), _small_targets(page)
    kinds = {t["type"] for t in page.evaluate(SIZES)}
    assert {"file", "checkbox"} <= kinds, kinds
    _accessible(page, f"{lang}-360-upload-targets")
    page.locator("#item-ds11").set_input_files(str(_ds11(tmp_path, filled)))
    _check_my_files(page, lang)
    page.wait_for_selector(".task-list")
    assert not _small_targets(page), _small_targets(page)
    kinds = {t["type"] for t in page.evaluate(SIZES)}
    assert {"file", "checkbox", "radio"} <= kinds, kinds
    page.context.close()
