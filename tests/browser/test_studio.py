"""An admin writes a new service in the studio, in a real browser (Debian's Chromium driven by
Playwright): uploads a blank form, names its fields in the edit form, tries a file on the
draft, publishes it; a citizen checks a packet on it; the admin publishes a stricter version,
asks to compare the verdicts, sees which one it changes and re-checks that submission.
axe-core checks every studio page on the way, on a desktop screen and on a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import shared_corpus
from tests.browser.conftest import OUTPUT, STAFF_PASSWORD, serving

SERVICE = "mi-pc51-studio"
FORM = "mi_pc51_petition_name_change"


def _accessible(page: Any, name: str) -> None:
    """No axe violation and no sideways scrolling, at 1280 and at 360 pixels wide."""
    from axe_playwright_python.sync_playwright import Axe

    OUTPUT.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(OUTPUT / f"studio-{name}-{width}.png"))
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        assert scrolled <= width, f"{name} scrolls sideways at {width}px ({scrolled}px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def _save(page: Any) -> None:
    page.locator("form.studio-edit > button[type=submit]").click()
    page.wait_for_selector("div.notice[role=status] >> text=Draft saved")


def test_an_admin_writes_publishes_and_re_checks_a_service_from_a_blank_form(
        browser: Any, corpus: Path, tmp_path: Path) -> None:
    blank = shared_corpus.path("forms/mi_pc51_petition_name_change.pdf")
    with serving(tmp_path, (("adm@example.gov", "admin"),), CATALOGUE_SECONDS=0) as (server, _app):
        office = browser.new_context(viewport={"width": 1280, "height": 900})
        admin = office.new_page()
        admin.goto(f"{server}/clerk/sign-in")
        admin.locator("#email").fill("adm@example.gov")
        admin.locator("#password").fill(STAFF_PASSWORD)
        admin.get_by_role("button", name="Sign in").click()
        admin.wait_for_url("**/clerk")
        admin.get_by_role("link", name="Services").click()
        admin.wait_for_url("**/admin/services")
        _accessible(admin, "services")

        admin.locator("#blank").set_input_files(str(blank))
        admin.locator("#service_id").fill(SERVICE)
        admin.get_by_role("button", name="Make a draft").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/edit")
        assert admin.locator("fieldset.studio-field").count() > 50
        assert admin.locator("p.lint-warning").count() > 0, "the untranslated titles are pointed out"
        _accessible(admin, "draft")

        admin.locator("#title_en").fill("Change your name in Michigan")
        admin.locator("#title_es").fill("Cambiar su nombre en Michigan")
        admin.locator("#summary_en").fill("Check your petition before you file it.")
        admin.locator("#summary_es").fill("Revise su petición antes de presentarla.")
        admin.locator("#form-0-title_en").fill("Petition to change name (PC 51)")
        admin.locator("#form-0-title_es").fill("Petición de cambio de nombre (PC 51)")
        admin.locator("#f-0-county-label_en").fill("County")
        admin.locator("#f-0-county-label_es").fill("Condado")
        _save(admin)
        assert admin.locator("#f-0-county-label_es").input_value() == "Condado"
        assert admin.locator("p.field-error").count() == 0
        assert "No mistakes" in admin.locator("#lint-title, div.notice").first.inner_text() or \
            admin.locator("div.error-summary").count() == 0

        admin.locator("#files").set_input_files(str(blank))
        admin.get_by_role("button", name="Check these files").click()
        admin.wait_for_selector("#tried .status-line")
        _accessible(admin, "tried")

        admin.get_by_role("link", name="Review and publish this draft").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/publish")
        assert "Change your name in Michigan" in admin.locator("pre.studio-diff").inner_text()
        _accessible(admin, "publish")
        admin.locator("#version").fill("2026-12")
        admin.get_by_role("button", name="Publish this version").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/versions/1")
        assert "No submission in progress" in admin.content()

        citizen = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        citizen.goto(f"{server}/s/{SERVICE}")
        assert "Change your name in Michigan" in citizen.content()
        citizen.locator(f"#item-{FORM}").set_input_files(str(blank))
        citizen.get_by_role("button", name="Check my files").click()
        citizen.wait_for_url("**/r/*")
        reference = citizen.locator(".status .reference").inner_text().strip()

        admin.get_by_role("button", name="Edit this service again").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/edit")
        admin.locator("#d-new-title_en").fill("Proof of your identity")
        admin.locator("#d-new-title_es").fill("Prueba de su identidad")
        admin.locator("#d-new-text_any").fill("driver license")
        _save(admin)
        admin.get_by_role("link", name="Review and publish this draft").click()
        admin.locator("#version").fill("2026-12.2")
        admin.get_by_role("button", name="Publish this version").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/versions/2")
        assert "1 submission in progress was checked on an earlier version" in admin.content()
        assert admin.locator("table.studio-rechecks").count() == 0, "opening the page compares nothing"
        _accessible(admin, "version-waiting")
        admin.get_by_role("button", name="Compare verdicts").click()
        admin.wait_for_url(f"**/admin/services/{SERVICE}/versions/2/compare")
        row = admin.locator("table.studio-rechecks tbody tr")
        assert row.count() == 1 and reference in row.inner_text()
        assert "changes" in row.inner_text(), "the new document changes the verdict"
        assert "1 verdict would change" in admin.content()
        _accessible(admin, "version")
        admin.get_by_role("button", name="Check the chosen submissions again on this version").click()
        admin.wait_for_selector("text=1 submission was checked again on version 2026-12.2")
        assert admin.locator("table.studio-rechecks").count() == 0
        _accessible(admin, "rechecked")

        citizen.reload()
        assert "Proof of your identity" in citizen.content()
