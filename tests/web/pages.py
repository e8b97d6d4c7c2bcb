"""A test client that checks every page it fetches is sound HTML a screen reader can use."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class Pages:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, status: int = 200, **kwargs: Any) -> BeautifulSoup:
        return self.check(self.client.get(url, **kwargs), status)

    def post(self, url: str, status: int = 200, **kwargs: Any) -> BeautifulSoup:
        return self.check(self.client.post(url, **kwargs), status)

    def follow(self, response: TestResponse, status: int = 200) -> BeautifulSoup:
        assert response.status_code in (301, 302, 303), response.status_code
        return self.get(response.headers["Location"], status)

    @staticmethod
    def check(response: TestResponse, status: int) -> BeautifulSoup:
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert soup.html and soup.html.get("lang") in ("en", "es")
        headings = soup.find_all("h1")
        assert len(headings) == 1, [h.get_text() for h in headings]
        title = soup.title.get_text() if soup.title else ""
        assert headings[0].get_text(strip=True) in title
        assert soup.find("main") is not None
        ids = Counter(tag["id"] for tag in soup.find_all(id=True))
        assert not [i for i, n in ids.items() if n > 1], ids
        for field in soup.find_all(["input", "textarea", "select"]):
            if field.get("type") in ("hidden", "submit"):
                continue
            assert field.get("id") and soup.find("label", attrs={"for": field["id"]}), field
        return soup
