"""The list to bring (or send): the printable page and its text version are one list, the text
keeps every word of every item, hours read as the service's locale writes them, and a service
handled by mail never speaks of a visit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import intake
from intake.messages import render
from intake.services import Service
from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import notify, visits
from web.models import Notification, Submission, WorkItem, db, utcnow

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SHIPPED = sorted(p for p in SCHEMAS.glob("*.yaml") if p.name != "kinds.yaml")
VISIT_WORDS = re.compile(r"\bvisit|\bvisita", re.IGNORECASE)


def _plain(text: str) -> str:
    return text.replace(visits.NBSP, " ")


def _report(service: Service, lang: str) -> dict[str, Any]:
    """A report with everything missing, one problem to fix, and every original to bring."""
    report = intake.check(service, [], today=dt.date(2026, 12, 1)).to_dict(lang)
    report["bring_in_person"] += [render("bring.original", lang, item=d.title.get(lang))
                                  for d in service.documents if d.bring_original]
    report["forms"].append({"form": "x", "title": "Form X", "problems": [
        {"severity": "blocks", "label": "Signature", "message": "Sign the form in the Signature box."}]})
    return report


def _items_after(lines: list[str], heading: str) -> list[str]:
    """The items listed under ``heading`` in the text version, each joined back from its lines."""
    start = lines.index(heading) + 1
    items: list[str] = []
    for line in lines[start:]:
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line[2:]
        else:
            break
    return items


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_text_version_of_every_shipped_service_keeps_every_word_and_ends_with_the_office(
        app: Flask, path: Path, lang: str) -> None:
    service = intake.load_service(path)
    report = _report(service, lang)
    with app.test_request_context():
        listed = visits.bring_list(service, report, lang)
        lines = visits.text_lines(listed, f"Ref ABC-DEF-GHJ: {service.title.get(lang)}", lang)
    assert all(len(line) <= visits.LINE_WIDTH or " " not in line.strip() for line in lines), lines
    assert _items_after(lines, listed.words.bring + ":") == list(report["bring_in_person"])
    joined = " ".join(line.strip() for line in lines)
    for item in report["bring_in_person"]:
        for qualifier in re.findall(r"\([^)]*\)|, [^,:(]+|: .+", item):
            assert qualifier.strip(", :") in joined, f"{qualifier!r} of {item!r} was dropped"
    assert listed.missing and listed.problems
    for word in (w for item in [*listed.missing, *listed.problems] for w in item.split()):
        assert word in joined.split(), f"{word!r} was cut"
    office = service.visit.offices[-1]
    tail = [office.name, office.address]
    tail += [visits.hours(office.hours.get(lang), service.locale, lang)] if office.hours else []
    tail += [listed.words.link + ":", office.appointments] if office.appointments else []
    assert joined.endswith(" ".join(t for t in tail if t)), "the office and its hours come last"
    assert not re.search(r"\b1[3-9]:\d\d\b", joined), "a US office's hours read on a 12-hour clock"


def test_us_hours_read_on_a_12_hour_clock_in_each_language_and_other_regions_keep_24_hours() -> None:
    assert _plain(visits.hours("Mon-Fri 8:30-16:30", "US", "en")) == "Mon–Fri 8:30 a.m.–4:30 p.m."
    assert _plain(visits.hours("lun-vie 8:30-16:30", "US", "es")) == "lun–vie 8:30 a. m.–4:30 p. m."
    assert _plain(visits.hours("Mon, Tue, Thu, Fri 9:00-16:00; Wed 9:00-12:00", "US", "en")) == \
        "Mon, Tue, Thu, Fri 9:00 a.m.–4:00 p.m.; Wed 9:00 a.m.–12:00 p.m."
    assert visits.hours("Mon-Fri 8:30-16:00, by reservation", "GB", "en") == "Mon–Fri 8:30–16:00, by reservation"
    assert visits.hours("Mon-Fri 8:30-16:30", "ISO", "es") == "Mon–Fri 8:30–16:30"
    assert visits.NBSP in visits.hours("9:00-12:00", "US", "en"), "a time never wraps away from a.m."


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


def _start(client: FlaskClient, service: str, item: str, form: bytes, lang: str = "en") -> str:
    response = post_files(client, f"/s/{service}?lang={lang}",
                          upload_data(**{f"item-{item}": (form, "form.pdf")}) | {"client_key": f"k-{service}-{lang}"})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def test_the_passport_text_version_keeps_the_signing_rule_and_ends_with_the_office_and_its_hours(
        client: FlaskClient, ds11: bytes) -> None:
    reference = _start(client, "passport-first-time", "ds11", ds11)
    lines = client.get(f"/r/{reference}/bring.txt").get_data(as_text=True).splitlines()
    joined = _plain(" ".join(line.strip() for line in lines))
    assert "Your Form DS-11, printed and not signed (you sign it in front of the agent)" in joined
    assert "The fees: a check or money order for the passport and one for the acceptance fee" in joined
    assert "…" not in joined
    assert _plain(lines[-3]) == "Mon–Fri 8:30 a.m.–4:30 p.m." and lines[-2] == "Make an appointment:"
    assert lines[-1] == ("https://travel.state.gov/content/travel/en/passports/need-passport/apply-in-person.html")
    spanish = client.get(f"/r/{reference}/bring.txt?lang=es").get_data(as_text=True)
    assert "lun–vie 8:30 a. m.–4:30 p. m." in _plain(spanish)


def test_the_printable_page_says_the_packet_still_has_problems_and_prints_the_appointment_address(
        client: FlaskClient, pages: Pages, ds11: bytes) -> None:
    reference = _start(client, "passport-first-time", "ds11", ds11)
    page = pages.get(f"/r/{reference}/bring")
    section = page.find("section", attrs={"aria-labelledby": "problems-title"})
    assert section is not None and section.h2.get_text(strip=True) == "This packet still has problems"
    still = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    assert "Add: Proof of U.S. citizenship" in " ".join(still) and len(still) >= 2
    link = page.find("a", string="Make an appointment")
    assert link is not None and link.has_attr("data-address-shown")
    assert link.find_next_sibling("span", class_="print-address").get_text(strip=True) == ": " + link["href"]
    assert _plain(page.find("p", class_="office").get_text(" ", strip=True)).endswith(
        f"Mon–Fri 8:30 a.m.–4:30 p.m. Make an appointment : {link['href']}")
    css = (Path(__file__).resolve().parents[2] / "web" / "static" / "print.css").read_text(encoding="utf-8")
    assert 'content: " (" attr(href) ")"' in css and ".print-address[hidden] { display: inline" in css


def test_the_printable_page_in_spanish_shows_hours_as_spanish_writes_a_us_clock(
        client: FlaskClient, pages: Pages, ds11: bytes) -> None:
    reference = _start(client, "passport-first-time", "ds11", ds11, lang="es")
    page = pages.get(f"/r/{reference}/bring?lang=es")
    assert "lun–vie 8:30 a. m.–4:30 p. m." in _plain(page.get_text(" "))
    assert "16:30" not in page.get_text()


def test_the_social_security_fee_line_is_not_a_thing_to_bring() -> None:
    service = intake.load_service(SCHEMAS / "social-security-card.yaml")
    assert not any("fee" in b.en for b in service.visit.bring)
    assert service.visit.fees is not None and service.visit.fees.en == "The card is free: there is no fee to pay"


def test_the_shipped_services_sent_by_mail_are_the_ones_whose_texts_say_send() -> None:
    modes = {p.stem: intake.load_service(p).visit.by_mail for p in SHIPPED}
    assert {s for s, by_mail in modes.items() if by_mail} == {"il-child-care", "w9-vendor"}


@pytest.fixture
def w9(corpus: Path) -> bytes:
    return (corpus / "forms" / "irs_fw9_2024.pdf").read_bytes()


def _ready(app: Flask, reference: str) -> int:
    with app.app_context():
        submission = db.session.query(Submission).filter_by(reference=reference).one()
        item = db.session.get(WorkItem, submission.id) or WorkItem(submission_id=submission.id)
        item.status, item.changed_at = "ready", utcnow()
        db.session.add(item)
        db.session.commit()
        return int(submission.id)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_service_sent_by_mail_never_speaks_of_a_visit(app: Flask, client: FlaskClient, pages: Pages, w9: bytes,
                                                        lang: str) -> None:
    reference = _start(client, "w9-vendor", "w9", w9, lang=lang)
    before = pages.get(f"/r/{reference}?lang={lang}")
    assert not VISIT_WORDS.search(before.get_text(" ")), "the result page before a decision"
    assert not VISIT_WORDS.search(pages.get(f"/s/w9-vendor?lang={lang}").get_text(" ")), "the service page"
    submission_id = _ready(app, reference)
    for url in (f"/r/{reference}?lang={lang}", f"/r/{reference}/bring?lang={lang}"):
        text = pages.get(url).get_text(" ")
        assert not VISIT_WORDS.search(text), url
    english = pages.get(f"/r/{reference}/bring?lang=en")
    assert english.h1.get_text(strip=True) == "Send these" and english.find("h2", string="Where to send them")
    assert "The office says your papers are ready to send" in pages.get(f"/r/{reference}?lang=en").get_text(" ")
    assert not VISIT_WORDS.search(client.get(f"/r/{reference}/bring.txt?lang={lang}").get_data(as_text=True))
    with app.test_request_context():
        message = notify.render(Notification(submission_id=submission_id, channel="email", kind="decision",
                                             recipient="maria@example.com", lang=lang))
    assert not VISIT_WORDS.search(message.email.text) and not VISIT_WORDS.search(message.email.html)
    assert "Make an appointment" not in message.email.text and "8:30" in message.email.text
    assert "16:30" not in message.email.text and "16:30" not in message.email.html
    with app.test_request_context():
        submission = db.session.get(Submission, submission_id)
        submission.email, submission.email_consent_at = "maria@example.com", utcnow()
        submission.visit_date = dt.date.today() + dt.timedelta(days=1)
        db.session.commit()
        assert notify.queue_reminders() == [], "no visit, so no reminder of one"
