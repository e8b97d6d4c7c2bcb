"""The statistics page's charts: the geometry is right (bars in proportion, stacks that add up,
nothing of negative size), and a supervisor's page shows each chart with a summary in words and
a table of the same numbers as the submissions in the database; others are kept out as before."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from babel.dates import format_skeleton
from bs4 import BeautifulSoup, Tag
from flask import Flask

from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.pages import Pages
from web.clerk import charts
from web.models import STATUSES, CheckRecord, Submission, WorkItem, db

SERVICE = "passport-first-time"
STATS = f"/clerk/stats?service={SERVICE}"


# The geometry, with no app at all.

def test_horizontal_bars_are_in_proportion_to_their_values_and_named_above() -> None:
    chart = charts.rows([("a", 4), ("b", 2), ("c", 1), ("d", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == pytest.approx(chart.plot.width)
    assert widths[1] == pytest.approx(widths[0] / 2) and widths[2] == pytest.approx(widths[0] / 4)
    assert widths[3] == 0 and [v.text for v in chart.values] == ["4", "2", "1", "0"]
    assert [label.text for label in chart.labels] == ["a", "b", "c", "d"]
    assert [bar.label for bar in chart.bars] == ["a", "b", "c", "d"]
    for label, bar in zip(chart.labels, chart.bars, strict=True):
        assert label.y < bar.y, "each label is above its bar"
    tops = [bar.y for bar in chart.bars]
    assert tops == sorted(tops) and all(b.y + b.height <= chart.height for b in chart.bars)
    assert chart.total == 7 and not chart.empty and chart.view_box == f"0 0 400 {chart.height:g}"


def test_a_long_label_is_shortened_in_the_chart_but_kept_whole_on_its_bar() -> None:
    long = "Certified copy of the birth certificate issued by the state vital records office"
    chart = charts.rows([(long, 3)])
    assert chart.labels[0].text.endswith("…") and len(chart.labels[0].text) == charts.LABEL_CHARS
    assert chart.bars[0].label == long
    assert charts.shorten("short") == "short"


def test_stacked_columns_add_up_to_each_day_and_keep_the_order_of_the_statuses() -> None:
    days = [("d1", {"new": 2, "ready": 1}), ("d2", {}), ("d3", {"in_review": 3, "rejected": 1, "ready": 4})]
    chart = charts.stacked_columns(days, charts.STATUS_SERIES, label_every=2)
    assert chart.total == 11 and chart.scale >= 8
    unit = chart.plot.height / chart.scale
    for label, counts in days:
        parts = [bar for bar in chart.bars if bar.label == label]
        assert [bar.series for bar in parts] == [s.key for s in charts.STATUS_SERIES if counts.get(s.key)]
        assert sum(bar.height for bar in parts) == pytest.approx(sum(counts.values()) * unit, abs=0.05)
        for lower, upper in itertools.pairwise(parts):
            assert upper.y + upper.height == pytest.approx(lower.y, abs=0.02), "parts touch, bottom up"
        if parts:
            assert parts[0].y + parts[0].height == pytest.approx(chart.plot.bottom, abs=0.02)
    ready = [bar for bar in chart.bars if bar.series == "ready"]
    assert ready[1].height == pytest.approx(4 * ready[0].height, abs=0.05)
    assert {bar.colour for bar in ready} == {"#1a7f37"}
    assert [label.text for label in chart.labels] == ["d1", "d3"], "counted back from the newest day"
    assert chart.ticks[0].text == "0" and int(chart.ticks[-1].text) == chart.scale
    xs = [bar.x for bar in chart.bars if bar.series != "ready" or bar.label != "d1"]
    assert all(chart.plot.left <= x <= chart.plot.right for x in xs)


def test_no_bar_has_a_negative_size_even_from_negative_counts() -> None:
    stacked = charts.stacked_columns([("d1", {"new": -3, "ready": 2}), ("d2", {"new": 0})], charts.STATUS_SERIES)
    rows = charts.rows([("a", -1), ("b", 0)])
    for bar in (*stacked.bars, *rows.bars):
        assert bar.width >= 0 and bar.height >= 0 and bar.x >= 0 and bar.y >= 0 and bar.value >= 0
    assert [bar.series for bar in stacked.bars] == ["ready"] and stacked.total == 2
    assert rows.empty and all(bar.width == 0 for bar in rows.bars)
    nothing = charts.stacked_columns([], charts.STATUS_SERIES)
    assert nothing.empty and nothing.bars == ()


@pytest.mark.parametrize(("maximum", "top", "step"), [(0, 1, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (10, 10, 5),
                                                      (37, 40, 10), (120, 150, 50)])
def test_the_scale_goes_up_in_round_steps(maximum: int, top: int, step: int) -> None:
    assert charts.nice_scale(maximum) == (top, step)


def test_each_status_has_its_own_colour_and_pattern_with_enough_contrast() -> None:
    assert [s.key for s in charts.STATUS_SERIES] == list(STATUSES)
    assert len({s.colour for s in charts.STATUS_SERIES}) == len({s.pattern for s in charts.STATUS_SERIES}) == 5
    for colour in [s.colour for s in charts.STATUS_SERIES] + [charts.BAR_COLOUR]:
        assert charts.contrast(colour) >= 4.5, colour
    assert charts.contrast("#ffffff") == pytest.approx(1) and charts.contrast("#000000") == pytest.approx(21)


# The page.

def _add(app: Flask, status: str, days_ago: int, ready_after: dt.timedelta | None = None,
         report: dict[str, Any] | None = None, service: str = SERVICE) -> None:
    """A submission written straight into the database, received ``days_ago`` (at noon, UTC, so
    the day it counts on never depends on the hour the test runs)."""
    noon = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(12)) - dt.timedelta(days=days_ago)
    with app.app_context():
        found = Submission(reference=secrets.token_hex(5).upper()[:9], secret_hash="0" * 64, service_id=service,
                           status="incomplete", created_at=noon, updated_at=noon)
        db.session.add(found)
        db.session.flush()
        changed = noon + (ready_after or dt.timedelta())
        db.session.add(WorkItem(submission_id=found.id, status=status, changed_at=changed))
        if report is not None:
            db.session.add(CheckRecord(submission_id=found.id, service_version="test", status="incomplete",
                                       report_json=json.dumps({"en": report}), state="done"))
        db.session.commit()


def _report(codes: list[str], missing: list[str]) -> dict[str, Any]:
    return {"forms": [{"problems": [{"code": code} for code in codes]}], "documents": [], "unrecognised_files": [],
            "missing": [{"id": item, "kind": "document"} for item in missing]}


def _figure(page: BeautifulSoup, name: str) -> Tag:
    figure = page.find("figure", id=name)
    assert isinstance(figure, Tag), name
    svg = figure.find("svg")
    assert svg["role"] == "img"
    title, desc = svg.find("title", recursive=False), svg.find("desc", recursive=False)
    assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
    assert title.get_text(strip=True) and desc.get_text(strip=True) and figure.find("figcaption").get_text(strip=True)
    assert "style" not in str(figure).replace("stylesheet", ""), "no style attributes: the CSP may block them"
    table = figure.find("table")
    assert table.find("caption").get_text(strip=True)
    assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    return figure


def _table(figure: Tag) -> tuple[list[str], list[list[str]]]:
    table = figure.find("table")
    head = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    body = [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
            for tr in table.find("tbody").find_all("tr")]
    return head, body


def test_a_supervisor_sees_submissions_per_day_by_status_as_a_chart_and_a_table(
        app: Flask, staff: dict[str, str]) -> None:
    for status, days_ago in (("new", 0), ("new", 0), ("in_review", 0), ("ready", 3), ("rejected", 3),
                             ("needs_documents", 29), ("new", 30), ("new", 45)):
        _add(app, status, days_ago)
    _add(app, "new", 0, service="ny-name-change")
    page = Pages(sign_in(app, "sup@example.gov")).get(STATS)
    figure = _figure(page, "chart-days")
    head, body = _table(figure)
    assert head == ["Day", "new", "in review", "needs documents", "ready for visit", "rejected", "All"]
    assert len(body) == 30, "the last 30 days, today included, quiet days too"
    today = dt.datetime.now(dt.UTC).date()
    dates = [tr.find("time")["datetime"] for tr in figure.find("tbody").find_all("tr")]
    assert dates[0] == (today - dt.timedelta(days=29)).isoformat() and dates[-1] == today.isoformat()
    assert body[-1][1:] == ["2", "1", "0", "0", "0", "3"]
    assert body[-4][1:] == ["0", "0", "0", "1", "1", "2"]
    assert body[0][1:] == ["0", "0", "1", "0", "0", "1"]
    assert sum(int(row[-1]) for row in body) == 6, "older days and other services are left out"
    svg = figure.find("svg")
    assert len(svg.find_all("rect", recursive=False)) == 5, "one part per status of each day with any"
    assert {rect["fill"] for rect in svg.find_all("rect", recursive=False)} == {
        f"url(#chart-pattern-{status})" for status in STATUSES}
    assert {p["id"] for p in svg.find_all("pattern")} == {f"chart-pattern-{s}" for s in STATUSES}
    desc = svg.find("desc").get_text(" ", strip=True)
    assert "Submissions received in the last 30 days: 6." in desc
    assert "new: 2, in review: 1, needs documents: 1, ready for visit: 1, rejected: 1" in desc
    assert f"Busiest day: {body[-1][0]} (3)" in desc
    legend = [li.get_text(strip=True) for li in figure.find("ul", class_="chart-legend").find_all("li")]
    assert legend == ["new", "in review", "needs documents", "ready for visit", "rejected"]
    assert all(li.find("svg")["aria-hidden"] == "true" for li in figure.find_all("li"))
    assert page.find("link", href=lambda href: bool(href) and href.endswith("charts.css")) is not None


def test_a_supervisor_sees_how_long_submissions_took_to_be_ready(app: Flask, staff: dict[str, str]) -> None:
    for hours in (2, 24, 25, 72, 100, 24 * 14, 24 * 15):
        _add(app, "ready", 40, ready_after=dt.timedelta(hours=hours))
    _add(app, "in_review", 40, ready_after=dt.timedelta(hours=2))
    page = Pages(sign_in(app, "sup@example.gov")).get(STATS)
    figure = _figure(page, "chart-ready")
    head, body = _table(figure)
    assert head == ["Time to ready", "Submissions"]
    assert body == [["Within 1 day", "2"], ["2 to 3 days", "2"], ["4 to 7 days", "1"], ["8 to 14 days", "1"],
                    ["More than 14 days", "1"]]
    bars = figure.find("svg").find_all("rect")
    assert float(bars[0]["width"]) == pytest.approx(2 * float(bars[2]["width"]))
    desc = figure.find("desc").get_text(" ", strip=True)
    assert "Submissions ready for a visit: 7." in desc and "Within 1 day: 2" in desc and "Median: 3 days" in desc
    assert "Median time from first upload to ready for visit: 3 days (7 ready)." in page.get_text(" ", strip=True)


def test_a_supervisor_sees_the_top_problems_with_the_titles_the_page_shows(app: Flask, staff: dict[str, str]) -> None:
    _add(app, "new", 1, report=_report(["field.required", "field.required", "date.format"], ["citizenship"]))
    _add(app, "new", 1, report=_report(["field.required"], ["citizenship", "photo_id"]))
    _add(app, "new", 1, report=_report([], ["citizenship"]))
    page = Pages(sign_in(app, "sup@example.gov")).get(STATS)
    figure = _figure(page, "chart-problems")
    _head, body = _table(figure)
    missed = page.find("section", attrs={"aria-labelledby": "stats-missed"}).find("tbody")
    titles = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in missed.find_all("tr")}
    assert titles["Proof of U.S. citizenship"] == "3"
    assert body[0] == ["Missing: Proof of U.S. citizenship", "3"]
    assert body[1] == ["field.required", "2"], "once per submission, however often it is found in one"
    assert {tuple(row) for row in body[2:]} == {("date.format", "1"), (f"Missing: {_title(titles, 1)}", "1")}
    svg = figure.find("svg")
    labels = [text.get_text() for text in svg.find_all("text", class_="chart-label")]
    assert labels == [row[0] for row in body]
    widths = [float(rect["width"]) for rect in svg.find_all("rect")]
    assert widths[1] == pytest.approx(widths[0] * 2 / 3, abs=0.02) and widths == sorted(widths, reverse=True)
    assert "Missing: Proof of U.S. citizenship: 3" in svg.find("desc").get_text()


def _title(titles: dict[str, str], count: int) -> str:
    """The other missing item's title, as the page's own table names it."""
    return next(title for title, n in titles.items() if n == str(count))


def test_a_real_upload_counts_in_every_chart(app: Flask, staff: dict[str, str],
                                              filled: Callable[..., bytes]) -> None:
    submission(app, filled)
    page = Pages(sign_in(app, "sup@example.gov")).get(STATS)
    _head, days = _table(_figure(page, "chart-days"))
    assert days[-1][1] == "1" and days[-1][-1] == "1"
    _head, problems = _table(_figure(page, "chart-problems"))
    assert any(label.startswith("Missing: ") for label, _n in problems)
    assert page.find("figure", id="chart-ready") is None


def test_with_nothing_to_count_each_chart_is_a_sentence(app: Flask, staff: dict[str, str]) -> None:
    _add(app, "new", 31)
    page = Pages(sign_in(app, "sup@example.gov")).get(STATS)
    assert page.find("figure") is None and page.find("svg") is None
    sections = {s["aria-labelledby"]: s.get_text(" ", strip=True) for s in page.find_all("section")}
    assert "No submissions in the last 30 days." in sections["stats-days"]
    assert "No submission is ready for a visit yet." in sections["stats-ready"]
    assert "No problems or missing items in the latest checks." in sections["stats-top"]


def test_the_charts_speak_spanish(app: Flask, staff: dict[str, str]) -> None:
    _add(app, "ready", 2, ready_after=dt.timedelta(hours=5))
    client = sign_in(app, "sup@example.gov")
    page = Pages(client).get(STATS + "&lang=es")
    assert page.html["lang"] == "es"
    head, days = _table(_figure(page, "chart-days"))
    today = dt.datetime.now(dt.UTC).date()
    assert days[-1][0] == format_skeleton("MMMd", today, locale="es"), "days are named in the reader's language"
    assert "lista para la cita" in head


@pytest.mark.parametrize("who", ["ana@example.gov", None])
def test_clerks_and_signed_out_visitors_get_no_charts(app: Flask, staff: dict[str, str], who: str | None) -> None:
    _add(app, "new", 0)
    client = sign_in(app, who) if who else app.test_client()
    response = client.get(STATS)
    if who:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/clerk/sign-in" in response.headers["Location"]
    assert b"chart-days" not in response.data


def test_a_supervisor_gets_no_charts_of_another_service(app: Flask, staff: dict[str, str]) -> None:
    _add(app, "new", 0, service="ny-name-change")
    response = sign_in(app, "sup@example.gov").get("/clerk/stats?service=ny-name-change")
    assert response.status_code == 404 and b"chart-days" not in response.data
    page = Pages(sign_in(app, "sup@example.gov")).get("/clerk/stats")
    assert "No submissions in the last 30 days." in page.get_text(" ", strip=True)
