"""Supervisor pages: the audit log (search, pages, CSV) and statistics per service; clerks are
refused, and a supervisor reads only what happened in their own services."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from flask import Flask

from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.pages import Pages
from web.models import AuditEntry, StaffUser, Submission, SurveyAnswer, WorkItem, db


def _rows(page: object) -> list[list[str]]:
    body = page.find("table", class_="audit-log").find("tbody")  # type: ignore[attr-defined]
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in body.find_all("tr")]


def _user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return int(db.session.query(StaffUser).filter_by(email=email).one().id)


@pytest.mark.parametrize("url", ["/clerk/audit", "/clerk/audit.csv", "/clerk/stats",
                                 "/clerk/stats?service=passport-first-time"])
def test_clerks_are_refused_the_supervisor_pages(app: Flask, staff: dict[str, str], url: str) -> None:
    assert sign_in(app, "ana@example.gov").get(url).status_code == 403
    signed_out = app.test_client().get(url)
    assert signed_out.status_code == 302 and "/clerk/sign-in" in signed_out.headers["Location"]


def test_a_supervisor_searches_the_audit_log_by_person_action_reference_and_day(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    other = submission(app, filled, key="second")
    ana, ben = sign_in(app, "ana@example.gov"), sign_in(app, "ben@example.gov")
    ana.get(f"/clerk/s/{reference}")
    ana.post(f"/clerk/s/{reference}/claim")
    ben.get(f"/clerk/s/{other}")
    sup = Pages(sign_in(app, "sup@example.gov"))
    everything = _rows(sup.get("/clerk/audit"))
    assert {row[2] for row in everything} >= {"sign in", "view", "claim"}
    claims = _rows(sup.get("/clerk/audit?action=claim"))
    assert len(claims) == 1 and claims[0][1] == "ana@example.gov"
    bens = _rows(sup.get(f"/clerk/audit?user={_user_id(app, 'ben@example.gov')}"))
    assert bens and {row[1] for row in bens} == {"ben@example.gov"}
    typed = reference.lower()[:3] + "-" + reference.lower()[3:6] + "-" + reference.lower()[6:]
    about = _rows(sup.get(f"/clerk/audit?reference={typed}"))
    assert {row[2] for row in about} == {"view", "claim"} and all(row[3].replace("-", "") == reference for row in about)
    today = dt.datetime.now(dt.UTC).date()
    assert len(_rows(sup.get(f"/clerk/audit?since={today}&until={today}"))) == len(_rows(sup.get("/clerk/audit")))
    old = _rows(sup.get(f"/clerk/audit?until={today - dt.timedelta(days=1)}"))
    assert old == [["Nothing here."]]
    nonsense = sup.get("/clerk/audit?user=x&action=%27;drop&since=yesterday")
    assert len(_rows(nonsense)) == len(_rows(sup.get("/clerk/audit")))


def test_a_supervisor_reads_only_their_services_and_an_admin_reads_everything(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    theirs = submission(app, filled, service="ny-name-change")
    cy = sign_in(app, "cy@example.gov")
    cy.get(f"/clerk/s/{theirs}")
    cy.post(f"/clerk/s/{theirs}/claim")
    sup = Pages(sign_in(app, "sup@example.gov"))
    seen = _rows(sup.get("/clerk/audit"))
    assert "cy@example.gov" not in {row[1] for row in seen}
    assert _rows(sup.get(f"/clerk/audit?reference={theirs}")) == [["Nothing here."]]
    assert sup.client.get("/clerk/audit.csv").get_data(as_text=True).count("cy@example.gov") == 0
    admin = Pages(sign_in(app, "adm@example.gov"))
    assert {"view", "claim"} <= {row[2] for row in _rows(admin.get(f"/clerk/audit?reference={theirs}"))}


def test_the_audit_log_comes_in_pages(app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    for _ in range(55):
        ana.get(f"/clerk/s/{reference}")
    sup = Pages(sign_in(app, "sup@example.gov"))
    first = sup.get("/clerk/audit?action=view")
    assert len(_rows(first)) == 50
    following = first.find("a", string="Next")
    assert following is not None and "page=2" in following["href"] and "action=view" in following["href"]
    second = sup.get(following["href"])
    assert len(_rows(second)) == 5 and second.find("a", string="Next") is None


def test_the_audit_export_keeps_the_filters_and_is_itself_audited(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/release")
    export = sign_in(app, "sup@example.gov").get("/clerk/audit.csv?action=claim")
    assert export.mimetype == "text/csv" and export.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0] == ["at", "user", "action", "reference", "detail"]
    assert [row[1:4] for row in rows[1:]] == [["ana@example.gov", "claim",
                                               "-".join(reference[i:i + 3] for i in (0, 3, 6))]]
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="audit_export").one()
        assert '"action": "claim"' in (entry.detail or "")


def test_statistics_show_statuses_time_to_ready_problems_missing_items_and_survey_answers(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    first = submission(app, filled)
    second = submission(app, filled, key="second")
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{first}/claim")
    ana.post(f"/clerk/s/{first}/status", data={"to": "in_review"})
    for choice in ("missing:document:citizenship", "missing:document:photo_id", "missing:document:proof_of_address"):
        ana.post(f"/clerk/s/{first}/waive", data={"item": choice, "reason": "Seen at the counter."})
    ana.post(f"/clerk/s/{first}/status", data={"to": "ready"})
    with app.app_context():
        item = db.session.get(WorkItem, db.session.query(Submission).filter_by(reference=first).one().id)
        assert item.status == "ready"
        item.changed_at = db.session.query(Submission).filter_by(reference=first).one().created_at + \
            dt.timedelta(hours=50)
        for reference, satisfied, comment in ((first, 5, "Quick and clear."), (second, 2, None)):
            found = db.session.query(Submission).filter_by(reference=reference).one()
            db.session.add(SurveyAnswer(submission_id=found.id, satisfied=satisfied, trust=4, comment=comment))
        db.session.commit()
    page = Pages(sign_in(app, "sup@example.gov")).get("/clerk/stats?service=passport-first-time")
    text = page.get_text(" ", strip=True)
    figures = dict(zip([dt_.get_text() for dt_ in page.find("dl", class_="figures").find_all("dt")],
                       [dd.get_text() for dd in page.find("dl", class_="figures").find_all("dd")], strict=True))
    assert figures["ready for visit"] == "1" and figures["new"] == "1" and figures["All"] == "2"
    assert "2 days (1 ready)" in text
    missed = page.find("section", attrs={"aria-labelledby": "stats-missed"}).get_text(" ", strip=True)
    assert "Proof of U.S. citizenship 2" in missed, "waived items still count: the citizen did not have them"
    survey = page.find("section", attrs={"aria-labelledby": "stats-survey"})
    assert "Answers: 2" in survey.get_text()
    strongly = next(tr for tr in survey.find_all("tr") if "Strongly agree" in tr.get_text())
    assert [td.get_text() for td in strongly.find_all("td")] == ["1", "0"]
    assert "Quick and clear." in survey.find("ul", class_="comments").get_text()


def test_statistics_count_problem_codes_once_per_submission(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    from tests import shared_corpus
    from tests.web.conftest import post_files, upload_data

    person = {k: v for k, v in shared_corpus.DS11_APPLICANT.items() if k != "Applicant Place of Birth"}
    form = filled(shared_corpus.DS11, **person)
    post_files(app.test_client(), "/s/passport-first-time",
               upload_data(**{"item-ds11": (form, "ds11.pdf")}) | {"client_key": "no-birthplace"})
    submission(app, filled)
    page = Pages(sign_in(app, "sup@example.gov")).get("/clerk/stats")
    codes = page.find("section", attrs={"aria-labelledby": "stats-codes"})
    counted = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in codes.find("tbody")
               .find_all("tr")}
    assert counted.get("field.required") == "1"


def test_a_supervisor_gets_no_statistics_for_a_service_they_cannot_see(app: Flask, staff: dict[str, str]) -> None:
    sup = sign_in(app, "sup@example.gov")
    assert sup.get("/clerk/stats?service=ny-name-change").status_code == 404
    assert sup.get("/clerk/stats?service=no-such-service").status_code == 404
    assert sign_in(app, "adm@example.gov").get("/clerk/stats?service=ny-name-change").status_code == 200


def test_a_refused_clerk_is_told_what_is_not_allowed_and_nothing_is_cached(app: Flask,
                                                                           staff: dict[str, str]) -> None:
    refused = sign_in(app, "ana@example.gov").get("/clerk/audit")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "You cannot do that here" in text and "try again" not in text
    assert refused.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", ["/clerk", "/clerk/audit", "/clerk/audit.csv", "/clerk/stats", "/clerk/export.csv"])
def test_signed_in_pages_and_exports_are_never_kept_by_a_browser(app: Flask, staff: dict[str, str],
                                                                 url: str) -> None:
    response = sign_in(app, "sup@example.gov").get(url)
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "private, no-store"
