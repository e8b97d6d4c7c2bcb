"""The queue: received-date and missing-item filters, three orders, and per row its age, what is
missing, the last change and who holds it (or that the claim has expired); denied look-ups are
audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask

from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.pages import Pages
from web.clerk.queue import Filters
from web.models import AuditEntry, Submission, WorkItem, db, utcnow


def _references(page: BeautifulSoup) -> list[str]:
    return [a.get_text().replace("-", "") for a in page.find("table", class_="queue").find_all("a")]


def _row(page: BeautifulSoup, reference: str) -> list[str]:
    for tr in page.find("table", class_="queue").find("tbody").find_all("tr"):
        if tr.find("a") and tr.find("a").get_text().replace("-", "") == reference:
            return [td.get_text(" ", strip=True) for td in tr.find_all("td")]
    raise AssertionError(f"{reference} is not in the queue")


def _age(app: Flask, reference: str, days: int, changed_days: int | None = None) -> None:
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        found.created_at = utcnow() - dt.timedelta(days=days)
        if changed_days is not None:
            db.session.get(WorkItem, found.id).changed_at = utcnow() - dt.timedelta(days=changed_days)
        db.session.commit()


def test_filters_drop_what_makes_no_sense_and_keep_what_does() -> None:
    kept = Filters.from_args({"received_from": "2026-11-01", "received_to": "2026-11-30", "missing": "photo_id",
                              "sort": "newest", "status": "new"})
    assert kept.as_args() == {"received_from": "2026-11-01", "received_to": "2026-11-30", "missing": "photo_id",
                              "sort": "newest", "status": "new"}
    dropped = Filters.from_args({"received_from": "last week", "received_to": "2026-02-30",
                                 "missing": "x' OR 1=1 --", "sort": "random", "status": "lost"})
    assert dropped == Filters() and dropped.as_args() == {}


def test_the_queue_filters_by_the_day_received(app: Flask, staff: dict[str, str],
                                               filled: Callable[..., bytes]) -> None:
    old, new = submission(app, filled), submission(app, filled, key="newer")
    _age(app, old, days=10)
    ana = Pages(sign_in(app, "ana@example.gov"))
    today = utcnow().date()
    since = ana.get(f"/clerk?received_from={today - dt.timedelta(days=2)}")
    assert _references(since) == [new]
    until = ana.get(f"/clerk?received_to={today - dt.timedelta(days=9)}")
    assert _references(until) == [old]
    assert ana.get(f"/clerk?received_from={today - dt.timedelta(days=10)}&received_to={today}") \
        .find("input", id="received_from")["value"] == str(today - dt.timedelta(days=10))


def test_the_queue_filters_by_a_missing_item_and_a_waiver_takes_it_off(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = Pages(sign_in(app, "ana@example.gov"))
    assert _references(ana.get("/clerk?missing=citizenship")) == [reference]
    assert _references(ana.get("/clerk?missing=ds11")) == []
    options = [o["value"] for o in ana.get("/clerk").find("select", id="missing").find_all("option")]
    assert "citizenship" in options and "ds11" in options
    ana.client.post(f"/clerk/s/{reference}/claim")
    ana.client.post(f"/clerk/s/{reference}/waive", data={"item": "missing:document:citizenship",
                                                         "reason": "Registry checked."})
    assert _references(ana.get("/clerk?missing=citizenship")) == []
    assert _references(ana.get("/clerk?missing=photo_id")) == [reference]
    export = ana.client.get("/clerk/export.csv?missing=photo_id").get_data(as_text=True).splitlines()
    assert len(export) == 2 and "Proof of U.S. citizenship" not in export[1]


def test_the_queue_sorts_oldest_first_newest_first_or_by_last_change(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    first, second, third = (submission(app, filled, key=k) for k in ("one", "two", "three"))
    _age(app, first, days=3, changed_days=0)
    _age(app, second, days=2, changed_days=2)
    _age(app, third, days=1, changed_days=1)
    ana = Pages(sign_in(app, "ana@example.gov"))
    assert _references(ana.get("/clerk")) == [first, second, third]
    assert _references(ana.get("/clerk?sort=newest")) == [third, second, first]
    changed = ana.get("/clerk?sort=changed")
    assert _references(changed) == [first, third, second]
    assert changed.find("select", id="sort").find("option", selected=True)["value"] == "changed"


def test_each_row_shows_age_what_is_missing_last_change_and_who_holds_it(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    _age(app, reference, days=3)
    ana = Pages(sign_in(app, "ana@example.gov"))
    ana.client.post(f"/clerk/s/{reference}/claim")
    row = _row(ana.get("/clerk"), reference)
    assert row[4] == "3 days"
    assert row[5].startswith("3: Proof of U.S. citizenship; ") and row[5].endswith("…")
    assert row[6] == utcnow().strftime("%Y-%m-%d") + row[6][10:]
    assert row[7] == "Ana"
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        db.session.get(WorkItem, found.id).claimed_at = utcnow() - dt.timedelta(minutes=31)
        db.session.commit()
    assert _row(ana.get("/clerk"), reference)[7] == "Ana (claim expired)"
    detail = ana.get(f"/clerk/s/{reference}").get_text(" ", strip=True)
    assert "Held by Ana (claim expired)" in detail
    assert _row(ana.get("/clerk?lang=es"), reference)[4] == "3 días"


def test_asking_for_a_submission_one_may_not_see_is_audited_as_denied_and_still_not_found(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    cy = sign_in(app, "cy@example.gov")
    assert cy.get(f"/clerk/s/{reference}").status_code == 404
    assert cy.post(f"/clerk/s/{reference}/claim").status_code == 404
    assert cy.get("/clerk/s/ACDEFGHJK").status_code == 404
    with app.app_context():
        denied = db.session.query(AuditEntry).filter_by(action="denied").order_by(AuditEntry.id).all()
        assert [f'"reference": "{reference}"' in (d.detail or "") for d in denied] == [True, True, False]
        assert '"reference": "ACDEFGHJK"' in (denied[2].detail or "")
        assert all(d.submission_id is None for d in denied), "the entry does not tie anyone to the submission"
        assert db.session.query(AuditEntry).filter_by(action="view").count() == 0
    sup = Pages(sign_in(app, "adm@example.gov"))
    rows = sup.get(f"/clerk/audit?action=denied&reference={reference}").find("table", class_="audit-log")
    assert len(rows.find("tbody").find_all("tr")) == 2
