"""Privacy, accessibility and contact pages, the agency's name and the official banner."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from web import jobs


def test_footer_links_to_the_three_trust_pages(client) -> None:
    page = client.get("/").get_data(as_text=True)
    for path in ("/privacy", "/accessibility", "/contact"):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200


def test_privacy_page_lists_each_services_retention_days(app: Flask, client) -> None:
    page = client.get("/privacy").get_data(as_text=True)
    with app.app_context():
        services = list(jobs.services().values())
    assert services
    for service in services:
        assert f"{service.retention_days} day" in page


def test_title_and_contact_show_the_configured_agency(another_app: Callable[..., Flask]) -> None:
    app = another_app(AGENCY_NAME="Example County", AGENCY_CONTACT_EMAIL="help@example.gov",
                      AGENCY_CONTACT_PHONE="555-0100")
    client = app.test_client()
    assert "– Check your papers – Example County</title>" in client.get("/").get_data(as_text=True)
    contact = client.get("/contact").get_data(as_text=True)
    assert "mailto:help@example.gov" in contact and "555-0100" in contact


def test_official_banner_is_off_unless_configured(another_app: Callable[..., Flask]) -> None:
    off = another_app(AGENCY_NAME="Example County").test_client().get("/").get_data(as_text=True)
    assert "An official website of" not in off
    on = another_app(AGENCY_NAME="Example County", OFFICIAL_BANNER="true").test_client().get("/")
    assert "An official website of Example County" in on.get_data(as_text=True)
