"""Every route, web and API, with extreme values in every path variable and query parameter:
a plain 4xx or a page, never a 5xx. Routes are read from the app itself, so a new route is
crawled the day it is added."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.api import bearer, token
from tests.web.clerks import sign_in, staff_fixture, submission  # noqa: F401  (the staff fixture)

# Values that broke or could break parsers: huge and negative numbers, dates out of range,
# overlong and control-laden text, markup and SQL.
EXTREMES = ("9" * 40, "-1", "1e308", "9999-12-31", "0001-01-01", "x" * 5000, "\x00", "<script>' OR 1=1 --", "☃" * 50)
# Every query parameter a route reads, found by reading the code's request.args uses would be
# brittle; these are the names the pages and the API document.
PARAMS = ("page", "status", "service", "q", "received_from", "received_to", "missing", "sort", "lang",
          "since", "until", "user", "action", "reference")
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _urls(app: Flask, reference: str) -> Iterator[str]:
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        pattern = rule.rule
        variables = _CONVERTER.findall(pattern)
        fills = [{name: ("1" if conv == "int" else reference) for conv, name in variables}]
        for extreme in ("9" * 40, "0", "x" * 300, "%00", "..%2F.."):
            # one variable at a time, so the others still lead as far into the route as they can
            for _conv, target in variables:
                fills.append({name: (extreme if name == target and (conv != "int" or extreme.isdigit())
                                     else "1" if conv == "int" else reference) for conv, name in variables})
        for number, fill in enumerate(fills if variables else [{}]):
            path = _CONVERTER.sub(lambda m, f=fill: f[m.group(2)], pattern)  # type: ignore[misc]
            yield path
            if number == 0:  # the extreme query values, on the route's real address
                for param in PARAMS:
                    for value in EXTREMES:
                        yield f"{path}?{param}={value}"


def _crawl(app: Flask, client: FlaskClient, reference: str, headers: dict[str, str] | None = None,
           prefix: str = "/") -> list[str]:
    failures = []
    for url in _urls(app, reference):
        if not url.startswith(prefix):
            continue
        try:  # testing apps let errors through instead of answering 500: both are failures here
            status = client.get(url, headers=headers or {}).status_code
        except Exception as exc:
            failures.append(f"{type(exc).__name__} {url[:160]}")
            continue
        if status >= 500:
            failures.append(f"{status} {url[:160]}")
    return failures


@SQLITE_ONLY
def test_no_route_answers_5xx_to_extreme_values_as_an_admin_or_with_a_token(
        app: Flask, client: FlaskClient, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    failures = _crawl(app, sign_in(app, "adm@example.gov"), reference)  # every page, the citizen's too
    secret = token(app, "crawler", "--service", "passport-first-time")
    failures += _crawl(app, app.test_client(), reference, bearer(secret), prefix="/api/")
    assert not failures, "\n".join(failures[:40])
