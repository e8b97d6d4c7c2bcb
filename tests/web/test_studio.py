"""The service studio: admins only; a blank form becomes a draft edited in a form with the lint's
messages beside each input; a draft is tried on files and published as a version kept in the
database, which every app on that database offers; submissions stay on the version they were
checked on, and publishing lists which verdicts the new version would change."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask

from tests import shared_corpus
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web.models import AuditEntry, CheckRecord, ServiceDraft, ServiceVersion, Submission, db

ADMIN = "adm@example.gov"
NAME_CHANGE = "ny-name-change"
PC51 = "forms/mi_pc51_petition_name_change.pdf"


def _form(page: object, form_class: str = "studio-edit") -> dict[str, object]:
    """The edit form's inputs as a browser would send them (checked boxes only)."""
    form = page.find("form", class_=form_class)  # type: ignore[attr-defined]
    data: dict[str, object] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") == "file":
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value") if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, [])
                data[name].append(field.get("value"))  # type: ignore[union-attr]
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


def _draft_of_seed(app: Flask, service_id: str = NAME_CHANGE) -> tuple[Pages, object]:
    admin = Pages(sign_in(app, ADMIN))
    page = admin.follow(admin.client.post(f"/admin/services/{service_id}/draft"))
    return admin, page


def _compare(admin: Pages, service_id: str, number: int) -> object:
    """The version page's "Compare verdicts" button pressed: the page with what would change."""
    return admin.post(f"/admin/services/{service_id}/versions/{number}/compare")


def _publish(admin: Pages, service_id: str, version: str) -> object:
    response = admin.client.post(f"/admin/services/{service_id}/publish", data={"version": version})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return admin.follow(response)


def test_only_admins_reach_the_studio(app: Flask, staff: dict[str, str]) -> None:
    for email in ("ana@example.gov", "sup@example.gov"):
        refused = sign_in(app, email)
        assert refused.get("/admin/services").status_code == 403
        assert refused.post(f"/admin/services/{NAME_CHANGE}/draft").status_code == 403
    signed_out = app.test_client().get("/admin/services")
    assert signed_out.status_code == 302 and "/clerk/sign-in" in signed_out.headers["Location"]
    page = Pages(sign_in(app, ADMIN)).get("/admin/services")
    assert NAME_CHANGE in page.get_text()
    with app.app_context():
        assert db.session.query(ServiceDraft).count() == 0


def test_a_published_version_reaches_another_app_on_the_same_database(
        app: Flask, staff: dict[str, str], another_app: Callable[..., Flask]) -> None:
    other = another_app(CATALOGUE_SECONDS=0)
    before = other.test_client().get(f"/s/{NAME_CHANGE}").get_data(as_text=True)
    assert "Change your name (studio edit)" not in before
    admin, page = _draft_of_seed(app)
    data = _form(page) | {"title_en": "Change your name (studio edit)", "title_es": "Cambiar su nombre (estudio)"}
    saved = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    assert saved.find("input", id="title_en")["value"] == "Change your name (studio edit)"
    published = _publish(admin, NAME_CHANGE, "2026-12-02-studio")
    assert "2026-12-02-studio" in published.find("h1").get_text()
    assert "+title: {en: Change your name (studio edit)" in published.get_text() or \
        "Change your name (studio edit)" in published.find("pre", class_="studio-diff").get_text()

    after = other.test_client().get(f"/s/{NAME_CHANGE}").get_data(as_text=True)
    assert "Change your name (studio edit)" in after
    with other.app_context():
        from web import jobs

        assert jobs.services()[NAME_CHANGE].version == "2026-12-02-studio"
    with app.app_context():
        row = db.session.query(ServiceVersion).one()
        assert (row.service_id, row.number, row.version) == (NAME_CHANGE, 1, "2026-12-02-studio")
        assert "Change your name (studio edit)" in row.diff_text
        assert db.session.query(ServiceDraft).count() == 0
        audited = db.session.query(AuditEntry).filter_by(action="service_published").one()
        assert "2026-12-02-studio" in (audited.detail or "")


def test_a_version_name_used_before_is_refused(app: Flask, staff: dict[str, str]) -> None:
    admin, _page = _draft_of_seed(app)
    with app.app_context():
        from web import jobs

        seed_version = jobs.services()[NAME_CHANGE].version
    refused = admin.post(f"/admin/services/{NAME_CHANGE}/publish", data={"version": seed_version}, status=400)
    assert "was published before" in refused.get_text()
    with app.app_context():
        assert db.session.query(ServiceVersion).count() == 0


def test_a_mistake_shows_beside_its_field_and_blocks_publishing(app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    data = _form(page)
    field_type = next(key for key, value in data.items()
                      if key.startswith("f-0-") and key.endswith("-type") and value == "text")
    data[field_type] = "choice"  # a choice needs the answers the form allows
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    box = page.find("fieldset", id=field_type.removesuffix("-type"))
    assert "one_of" in box.find("p", class_="field-error").get_text()
    assert page.find("a", href=f"#{field_type.removesuffix('-type')}") is not None
    refused = admin.post(f"/admin/services/{NAME_CHANGE}/publish", data={"version": "2099-01"}, status=400)
    assert "has mistakes" in refused.get_text()
    with app.app_context():
        assert db.session.query(ServiceVersion).count() == 0


def test_rules_are_written_from_the_form_and_a_wrong_one_is_marked_where_it_is(
        app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    before = len([f for f in page.find_all("fieldset", id=True) if f["id"].startswith("r-0-")]) - 1
    fields = [key.removeprefix("f-0-").removesuffix("-type") for key in _form(page)
              if key.startswith("f-0-") and key.endswith("-type")]
    data = _form(page) | {"r-0-new-kind": "at_least_one_of", "r-0-new-fields": f"{fields[0]} {fields[1]}"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    added = page.find("fieldset", id=f"r-0-{before}")
    assert added.find("input", id=f"r-0-{before}-fields")["value"] == f"{fields[0]} {fields[1]}"
    assert added.find("option", selected=True)["value"] == "at_least_one_of"
    assert added.find("p", class_="field-error") is None
    with app.app_context():
        text = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
        import yaml

        rules = yaml.safe_load(text)["forms"][0]["rules"]
        assert {"at_least_one_of": [fields[0], fields[1]]} in rules
        assert f"{{at_least_one_of: [{fields[0]}, {fields[1]}]}}" in text, "written on one line, as the seeds are"

    data = _form(page) | {"r-0-new-kind": "equal", "r-0-new-fields": f"{fields[0]} no_such_field"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    wrong = page.find("fieldset", id=f"r-0-{before + 1}")
    assert "no_such_field" in wrong.find("p", class_="field-error").get_text()


def test_a_blank_form_becomes_a_draft_that_publishes_as_a_new_service(
        app: Flask, staff: dict[str, str], corpus: object) -> None:
    admin = Pages(sign_in(app, ADMIN))
    blank = shared_corpus.path(PC51).read_bytes()
    response = post_files(admin.client, "/admin/services/new",
                          {"blank": (io.BytesIO(blank), "mi_pc51_petition_name_change.pdf"),
                           "service_id": "mi-pc51-studio"})
    page = admin.follow(response)
    fields = page.find_all("fieldset", class_="studio-field")
    assert len(fields) > 50, "one row per fillable field of the form"
    assert "page 1: County" in page.get_text(), "what the form says beside a field is shown with it"
    assert page.find("p", class_="lint-warning") is not None, "the untranslated titles are pointed out"
    data = _form(page) | {"title_en": "Change your name in Michigan", "title_es": "Cambiar su nombre en Michigan",
                          "summary_en": "Check your petition before you file it.",
                          "summary_es": "Revise su petición antes de presentarla.",
                          "form-0-title_en": "Petition to change name (PC 51)",
                          "form-0-title_es": "Petición de cambio de nombre (PC 51)",
                          "f-0-county-required": "1", "f-0-county-label_en": "County",
                          "f-0-county-label_es": "Condado",
                          "d-new-title_en": "Proof of your identity", "d-new-title_es": "Prueba de su identidad",
                          "d-new-required": "1", "d-new-text_any": "driver license\nstate id"}
    page = admin.follow(admin.client.post("/admin/services/mi-pc51-studio/edit", data=data))
    assert page.find("input", id="f-0-county-required").has_attr("checked")
    assert page.find("input", id="d-0-title_en")["value"] == "Proof of your identity"
    assert not page.find_all("p", class_="field-error")
    _publish(admin, "mi-pc51-studio", "2026-12")
    citizen = app.test_client().get("/s/mi-pc51-studio")
    assert citizen.status_code == 200 and "Change your name in Michigan" in citizen.get_data(as_text=True)
    assert "Proof of your identity" in citizen.get_data(as_text=True)


def test_a_file_dropped_on_the_page_is_checked_against_the_draft_and_not_kept(
        app: Flask, staff: dict[str, str], corpus: object) -> None:
    admin, _page = _draft_of_seed(app)
    petition = (shared_corpus.ROOT / "forms/ny_ucs_nc1_adult_name_change_petition.pdf").read_bytes()
    response = post_files(admin.client, f"/admin/services/{NAME_CHANGE}/try",
                          {"files": (io.BytesIO(petition), "petition.pdf")})
    page = Pages.check(response, 200)
    result = page.find("div", id="tried")
    assert result.find("p", class_="status-line") is not None
    assert result.find("ul", class_="problems").find("li") is not None, "what the draft finds is listed"
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_the_sample_packets_run_on_the_draft(app: Flask, staff: dict[str, str], corpus: object) -> None:
    admin, _page = _draft_of_seed(app, "passport-first-time")
    page = admin.post("/admin/services/passport-first-time/samples")
    outcomes = [li["class"][0] for li in page.find("ul", class_="samples").find_all("li")]
    assert outcomes and set(outcomes) == {"sample-passed"}


def test_submissions_stay_on_their_version_until_an_admin_re_checks_them(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], corpus: object) -> None:
    reference = submission(app, filled, NAME_CHANGE)
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        first_version, first_status = found.latest.service_version, found.latest.status
    assert first_status != "complete"
    admin, page = _draft_of_seed(app)
    data = _form(page)
    # The new version asks for nothing: every field and document optional, no rule.
    for key in list(data):
        if key.endswith("-required") and key.startswith(("f-", "d-")):
            del data[key]
        if key.startswith("r-") and key.endswith("-kind"):
            data[key.removesuffix("-kind") + "-remove"] = "1"
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    assert not page.find_all("p", class_="field-error"), [p.get_text() for p in page.find_all("p", "field-error")]
    published = _publish(admin, NAME_CHANGE, "2026-12-02-optional")
    assert published.find("table", class_="studio-rechecks") is None, "opening the page compares nothing"
    assert "1 submission in progress was checked on an earlier version" in published.get_text()
    compared = _compare(admin, NAME_CHANGE, 1)
    rows = compared.find("table", class_="studio-rechecks").find("tbody").find_all("tr")
    assert len(rows) == 1 and rows[0].find("input", attrs={"name": "submission"})["value"] == reference
    assert "changed" in rows[0].get("class", []), "the verdict under the new version differs"
    assert first_version in rows[0].get_text()

    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        assert [c.service_version for c in found.checks] == [first_version], "nothing was re-checked yet"
        from web import jobs

        assert jobs.pinned(found).version == first_version
    again = admin.client.post(f"/admin/services/{NAME_CHANGE}/versions/1/recheck",
                              data={"submission": [reference]})
    assert again.status_code == 303
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        newest = db.session.query(CheckRecord).filter_by(submission_id=found.id).order_by(CheckRecord.id.desc()).first()
        assert newest.service_version == "2026-12-02-optional"
        assert newest.status != first_status
        from web import jobs

        assert jobs.pinned(found).version == "2026-12-02-optional"
        assert db.session.query(AuditEntry).filter_by(action="recheck_on_version").count() == 1
    after = admin.get(f"/admin/services/{NAME_CHANGE}/versions/1")
    assert "No submission in progress was checked on an earlier version." in after.get_text()
    assert after.find("form", class_="studio-compare") is None, "nothing is left to compare"
    assert _compare(admin, NAME_CHANGE, 1).find("table", class_="studio-rechecks") is None


def test_files_added_after_a_publish_are_checked_on_the_version_the_submission_is_on(
        app: Flask, staff: dict[str, str], corpus: object) -> None:
    petition = (shared_corpus.ROOT / "forms/ny_ucs_nc1_adult_name_change_petition.pdf").read_bytes()
    citizen = app.test_client()
    made = post_files(citizen, f"/s/{NAME_CHANGE}", upload_data(**{"item-petition": (petition, "petition.pdf")})
                      | {"client_key": "studio-pinned"})
    assert made.status_code == 303
    reference = made.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        first = db.session.query(Submission).filter_by(reference=reference).one().latest.service_version
    admin, _page = _draft_of_seed(app)
    _publish(admin, NAME_CHANGE, "2026-12-02-newer")

    added = post_files(citizen, f"/r/{reference}/files", upload_data(**{"item-petition": (petition, "again.pdf")}))
    assert added.status_code == 303, added.get_data(as_text=True)[:500]
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        assert [c.service_version for c in found.checks] == [first, first]
    clerk_recheck = sign_in(app, "cy@example.gov").post(f"/clerk/s/{reference}/recheck")
    assert clerk_recheck.status_code in (302, 303)
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        assert found.checks[-1].service_version == "2026-12-02-newer", "a clerk's re-check moves it on"


def test_a_stored_version_that_no_longer_loads_leaves_the_service_as_it_was(
        app: Flask, another_app: Callable[..., Flask]) -> None:
    with app.app_context():
        db.session.add(ServiceVersion(service_id=NAME_CHANGE, number=1, version="broken", diff_text="",
                                      yaml_text=f"id: {NAME_CHANGE}\nversion: broken\ntitle: not words\n"))
        db.session.commit()
    other = another_app(CATALOGUE_SECONDS=0)
    with other.app_context():
        from web import jobs

        offered = jobs.services()[NAME_CHANGE]
        assert offered.version != "broken"
    page = other.test_client().get(f"/s/{NAME_CHANGE}")
    assert page.status_code == 200


def test_a_file_that_is_not_a_fillable_form_or_a_name_taken_is_refused_with_what_to_do(
        app: Flask, staff: dict[str, str], corpus: object) -> None:
    admin = Pages(sign_in(app, ADMIN))
    refused = Pages.check(post_files(admin.client, "/admin/services/new",
                                     {"blank": (io.BytesIO(b"just some words"), "notes.pdf")}), 400)
    assert "could not be read as a fillable PDF form" in refused.find("div", class_="error-summary").get_text()
    blank = shared_corpus.path(PC51).read_bytes()
    taken = Pages.check(post_files(admin.client, "/admin/services/new",
                                   {"blank": (io.BytesIO(blank), "pc51.pdf"), "service_id": NAME_CHANGE}), 400)
    assert f"There is already a service called {NAME_CHANGE}" in taken.get_text()
    with app.app_context():
        assert db.session.query(ServiceDraft).count() == 0


def _comments(text: str) -> list[str]:
    """Every comment of a YAML text, as written (a ``#`` inside quotes is not one here)."""
    return [line.split("#", 1)[1].strip() for line in text.splitlines()
            if "#" in line and not line.split("#", 1)[0].count('"') % 2]


def test_an_edited_seed_keeps_its_comments_in_the_version_published(app: Flask, staff: dict[str, str]) -> None:
    with app.app_context():
        from web.studio import versions

        seed = versions.seed_text(NAME_CHANGE)
    assert seed is not None and len(_comments(seed)) >= 4
    admin, page = _draft_of_seed(app)
    data = _form(page) | {"title_en": "Change your name (comments kept)", "title_es": "Cambiar su nombre"}
    field_type = next(key for key, value in data.items()
                      if key.startswith("f-0-") and key.endswith("-type") and value == "text")
    data[field_type] = "email"
    admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    with app.app_context():
        edited = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
    assert "Change your name (comments kept)" in edited
    field_id = field_type.removeprefix("f-0-").removesuffix("-type")
    assert f"{field_id}: {{" in edited and "type: email" in edited.split(f"{field_id}: {{", 1)[1].split("\n", 1)[0]
    data[field_type] = "text"  # the edit back, so the version publishes
    admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    _publish(admin, NAME_CHANGE, "2026-12-03-comments")
    with app.app_context():
        published = db.session.query(ServiceVersion).one().yaml_text
    assert _comments(published) == _comments(seed)
    assert published.startswith("# Adult name change petition"), "the opening comment stays first"
    assert "title: {en: Change your name (comments kept), es: Cambiar su nombre}" in published


def test_a_removed_field_takes_its_own_comment_and_leaves_the_others() -> None:
    from web.studio import editor

    text = ("# A form with three boxes.\n"
            "id: three-boxes\n"
            'version: "1"\n'
            "title: {en: Three boxes, es: Tres casillas}  # the title people see\n"
            "forms:\n"
            "  - id: form\n"
            "    title: {en: Form, es: Formulario}\n"
            "    fields:\n"
            "      first: {source: First, type: text}  # page 1: first box\n"
            "      second: {source: Second, type: text}  # page 1: second box\n"
            "      # The last box is for the clerk.\n"
            "      third: {source: Third, type: text}  # page 2: third box\n")
    page = editor.view("three-boxes", text, {})
    answers = {f"{row.key}-type": row.type for row in page.forms[0].fields} | {"f-0-second-remove": "1"}
    edited = editor.apply(text, answers, {})
    assert "second" not in edited and "second box" not in edited
    assert _comments(edited) == ["A form with three boxes.", "the title people see", "page 1: first box",
                                 "The last box is for the clerk.", "page 2: third box"]
    assert editor.apply(text, {f"{row.key}-type": row.type for row in page.forms[0].fields}, {}) == text, \
        "a save that changes nothing leaves the text as it was written"


def test_how_papers_are_handed_in_is_edited_in_the_form_and_published(app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    assert page.find("select", id="visit-mode").find("option", selected=True)["value"] == "in_person"
    assert page.find("input", id="o-0-name")["value"].startswith("New York County Supreme Court")
    data = _form(page) | {"visit-mode": "mail", "visit-fees_en": "The filing fee is $65.",
                          "visit-fees_es": "La tarifa de presentación es $65.",
                          "b-1-remove": ["1"], "b-new-en": "A copy of your birth certificate",
                          "b-new-es": "Una copia de su acta de nacimiento",
                          "o-0-hours_en": "Mon-Fri 9:00-16:00", "o-0-hours_es": "lun-vie 9:00-16:00",
                          "o-new-name": "Kings County Supreme Court",
                          "o-new-address": "360 Adams St, Brooklyn, NY 11201",
                          "o-new-hours_en": "Mon-Fri 9:00-17:00", "o-new-hours_es": "lun-vie 9:00-17:00",
                          "o-new-appointments": "https://www.nycourts.gov/courts/2jd/kings/"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    assert not page.find_all("p", class_="field-error"), [p.get_text() for p in page.find_all("p", "field-error")]
    assert page.find("input", id="o-1-name")["value"] == "Kings County Supreme Court"
    assert page.find("input", id="b-1-en")["value"] == "A copy of your birth certificate"
    with app.app_context():
        text = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
    assert "      hours: {en: Mon-Fri 9:00-17:00, es: lun-vie 9:00-17:00}\n" in text, \
        "a new office reads as the seeds do"
    assert "The filing fee ($65), or a request to waive it" not in text
    _publish(admin, NAME_CHANGE, "2026-12-03-visit")
    with app.app_context():
        from web import jobs

        visit = jobs.services()[NAME_CHANGE].visit
    assert visit.by_mail and visit.fees is not None and visit.fees.es == "La tarifa de presentación es $65."
    assert [o.name for o in visit.offices] == ["New York County Supreme Court, Ex Parte Office",
                                               "Kings County Supreme Court"]
    assert visit.offices[0].hours is not None and visit.offices[0].hours.en == "Mon-Fri 9:00-16:00"
    assert [w.en for w in visit.bring] == ["The petition, signed in front of a notary",
                                           "A copy of your birth certificate"]


def test_an_office_written_wrong_is_named_beside_its_input_in_plain_words_in_either_language(
        app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    data = _form(page) | {"o-0-appointments": "the court's site", "o-0-hours_es": "",
                          "o-new-address": "360 Adams St, Brooklyn, NY 11201"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    booking = page.find("input", id="o-0-appointments")
    said = page.find(id=booking["aria-describedby"])
    assert said.get_text(" ", strip=True) == "Mistake: Write the office's full web address, starting with https://."
    assert said.find_parent("div", class_="field") is booking.find_parent("div", class_="field")
    hours = page.find("input", id="o-0-hours_en")
    assert "Write this in Spanish too." in page.find(id=hours["aria-describedby"]).get_text()
    assert "Write the office's name" in page.find(id=page.find("input", id="o-1-name")["aria-describedby"]).get_text()
    assert "not a valid URL" not in page.get_text() and "this key is required" not in page.get_text()
    refused = admin.post(f"/admin/services/{NAME_CHANGE}/publish", data={"version": "2099-02"}, status=400)
    assert "has mistakes" in refused.get_text()
    spanish = admin.get(f"/admin/services/{NAME_CHANGE}/edit?lang=es")
    with app.test_request_context("/?lang=es"):
        from flask_babel import gettext

        from web.i18n import select_locale

        assert select_locale() == "es"
        expected = gettext("Write the office's full web address, starting with https://.")
    booking = spanish.find("input", id="o-0-appointments")
    assert expected in spanish.find(id=booking["aria-describedby"]).get_text()


def test_another_edition_of_a_form_is_added_in_the_form_and_its_mistakes_are_marked_where_they_are(
        app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    assert page.find("fieldset", id="e-0-new") is not None and page.find("fieldset", id="e-0-0") is None
    data = _form(page) | {"e-0-new-revision": "09-2019", "e-0-new-title_en": "the 2019 edition",
                          "e-0-new-title_es": "la edición de 2019"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    assert not page.find_all("p", class_="field-error"), [p.get_text() for p in page.find_all("p", "field-error")]
    assert page.find("input", id="e-0-0-id")["value"] == "edition_09_2019"
    with app.app_context():
        text = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
        from web.studio import versions

        edition = versions.load(text, NAME_CHANGE).forms[0].editions[0]
    assert (edition.id, edition.revision, edition.status, edition.title.es) == \
        ("edition_09_2019", "09-2019", "outdated", "la edición de 2019")
    assert text.index("    editions:\n") < text.index("    identify:"), "written where authors write it"

    data = _form(page) | {"e-0-0-id": "2019", "e-0-0-status": "wrong", "e-0-0-revision": "", "e-0-0-title_es": ""}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    box = page.find("fieldset", id="e-0-0")
    assert box.find("select", id="e-0-0-status").find("option", selected=True)["value"] == "wrong"
    named = page.find(id=box.find("input", id="e-0-0-id")["aria-describedby"]).get_text()
    assert "Use small letters, digits and _ only" in named
    title = box.find("input", id="e-0-0-title_en")
    assert "Write this in Spanish too." in page.find(id=title["aria-describedby"]).get_text()

    data = _form(page) | {"e-0-0-remove": ["1"]}
    admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    with app.app_context():
        text = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
        import yaml

        from web.studio import versions

        assert yaml.safe_load(versions.seed_text(NAME_CHANGE) or "") == yaml.safe_load(text), \
            "removing the only edition gives the seed's keys back"
        assert "editions" not in text


def test_the_re_check_preview_compares_at_most_its_cap_and_says_so_in_plain_words(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], corpus: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from web.studio import rechecks

    monkeypatch.setattr(rechecks, "MOST", 2)
    references = [submission(app, filled, NAME_CHANGE, key=f"cap-{n}") for n in range(3)]
    admin, _page = _draft_of_seed(app)
    published = _publish(admin, NAME_CHANGE, "2026-12-03-cap")
    assert "3 submissions in progress were checked on an earlier version" in published.get_text(), \
        "the page counts them all, without checking any"
    assert "the first 2 of them" in published.find("form", class_="studio-compare").get_text()
    compared = _compare(admin, NAME_CHANGE, 1)
    rows = compared.find("table", class_="studio-rechecks").find("tbody").find_all("tr")
    assert [r.find("input", attrs={"name": "submission"})["value"] for r in rows] == references[:2]
    notice = compared.find("p", class_="notice").get_text(" ", strip=True)
    assert notice == "To keep this page quick, only the first 2 are compared here. " \
                     "When you check these again, the next ones are listed."
    assert "More than 2 submissions in progress" in compared.get_text()

    again = admin.client.post(f"/admin/services/{NAME_CHANGE}/versions/1/recheck", data={"submission": references[:2]})
    assert again.status_code == 303
    assert "1 submission in progress was checked" in admin.get(f"/admin/services/{NAME_CHANGE}/versions/1").get_text()
    after = _compare(admin, NAME_CHANGE, 1)
    rows = after.find("table", class_="studio-rechecks").find("tbody").find_all("tr")
    assert [r.find("input", attrs={"name": "submission"})["value"] for r in rows] == references[2:]
    assert after.find("p", class_="notice") is None
    assert "1 submission in progress was checked on an earlier version" in after.get_text()


def test_opening_a_version_page_runs_no_check_and_the_compare_button_runs_them_in_one_batch(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], corpus: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import intake
    from web import jobs

    references = [submission(app, filled, NAME_CHANGE, key=f"get-{n}") for n in range(2)]
    batches: list[int] = []
    checked: list[str] = []
    run_checks, check = jobs.run_checks, intake.Checker.check

    def counted_batch(*args: object, **kwargs: object) -> object:
        batches.append(1)
        return run_checks(*args, **kwargs)  # type: ignore[arg-type]

    def counted_check(self: intake.Checker, service: object, *args: object, **kwargs: object) -> object:
        checked.append(str(getattr(service, "version", "")))
        return check(self, service, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "run_checks", counted_batch)
    monkeypatch.setattr(intake.Checker, "check", counted_check)
    admin, _page = _draft_of_seed(app)
    published = _publish(admin, NAME_CHANGE, "2026-12-03-get")
    again = admin.get(f"/admin/services/{NAME_CHANGE}/versions/1")
    assert (batches, checked) == ([], []), "opening the version page checked nothing"
    for page in (published, again):
        assert "2 submissions in progress were checked on an earlier version" in page.get_text()
        assert page.find("table", class_="studio-rechecks") is None
        button = page.find("form", class_="studio-compare")
        assert button["method"] == "post" and button["action"].endswith(f"/{NAME_CHANGE}/versions/1/compare")
        assert button.find("input", attrs={"name": "csrf_token", "type": "hidden"}) is not None
        assert button.find("button", type="submit").get_text(strip=True) == "Compare verdicts"

    compared = _compare(admin, NAME_CHANGE, 1)
    assert batches == [1], "every waiting submission is compared in one borrowed worker"
    assert checked == ["2026-12-03-get"] * 2
    rows = compared.find("table", class_="studio-rechecks").find("tbody").find_all("tr")
    assert [r.find("input", attrs={"name": "submission"})["value"] for r in rows] == references
    with app.app_context():
        assert db.session.query(CheckRecord).count() == 2, "comparing writes no check"


def test_comparing_on_a_version_no_longer_offered_checks_nothing_and_says_where_to_go(
        app: Flask, staff: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from web import jobs

    admin, _page = _draft_of_seed(app)
    _publish(admin, NAME_CHANGE, "2026-12-03-first")
    admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/draft"))
    _publish(admin, NAME_CHANGE, "2026-12-03-second")
    monkeypatch.setattr(jobs, "run_checks", lambda *a, **k: pytest.fail("an older version was compared"))
    older = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/versions/1/compare"))
    assert "Compare the verdicts from that version's page" in older.get_text()
    assert older.find("section", id="rechecks") is None


def test_a_coded_answer_of_a_published_version_reaches_the_api_in_words_as_its_document_says(
        app: Flask, filled: Callable[..., bytes], corpus: object) -> None:
    import json

    import jsonschema

    from tests.web.api import files, send
    from tests.web.test_api_contract import ROOT

    with app.app_context():
        from web.studio import versions

        seed = versions.seed_text(NAME_CHANGE) or ""
        worded = seed.replace("one_of: [Supreme, County, New York City Civil]",
                              "one_of: [{value: Supreme, en: Supreme Court, es: Corte Suprema}, County, "
                              "New York City Civil]")
        assert worded != seed
        db.session.add(ServiceVersion(service_id=NAME_CHANGE, number=1, version="2026-12-03-words", diff_text="",
                                      yaml_text=versions.set_version(worded, "2026-12-03-words")))
        db.session.commit()
        versions.store().refresh()
        from web import jobs

        assert jobs.services()[NAME_CHANGE].version == "2026-12-03-words"
    petition = filled("forms/ny_ucs_nc1_adult_name_change_petition.pdf", CourtType="Supreme")
    client = app.test_client()
    answers = {lang: send(client, "/checks", files(service=NAME_CHANGE, **{"item-petition": (petition, "p.pdf")}),
                          query=f"?lang={lang}") for lang in ("en", "es")}
    assert all(a.status_code == 200 for a in answers.values()), answers["en"].get_data(as_text=True)[:300]
    forms = {lang: a.get_json()["forms"][0] for lang, a in answers.items()}
    assert forms["en"]["values"]["court"] == forms["es"]["values"]["court"] == "Supreme", "values keep the code"
    assert forms["en"]["value_words"] == {"court": "Supreme Court"}
    assert forms["es"]["value_words"] == {"court": "Corte Suprema"}

    document = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    documented = document["components"]["schemas"]["FormResult"]
    assert documented["properties"]["value_words"]["additionalProperties"] == {"type": "string"}
    # Every key the API gives a form result is in the document, with the type it has there.
    closed = {"$ref": "#/components/schemas/Closed",
              "components": {"schemas": {**document["components"]["schemas"],
                                         "Closed": {**documented, "additionalProperties": False}}}}
    for form in forms.values():
        jsonschema.validate(form, closed)


def test_the_visit_inputs_never_write_over_what_they_cannot_read_or_a_mode_that_does_not_exist() -> None:
    from web.studio import editor

    text = ('id: by-post\nversion: "1"\ntitle: {en: By post, es: Por correo}\n'
            'visit: send it to the office  # not a set of keys\n')
    answers = {"visit-mode": "mail", "visit-fees_en": "Free", "visit-fees_es": "Gratis", "o-new-name": "Office"}
    assert editor.apply(text, answers, {}) == text
    page = editor.view("by-post", text, {})
    assert page.visit.mode == "in_person" and [o.index for o in page.visit.offices] == ["new"]

    text = 'id: at-office\nversion: "1"\ntitle: {en: At the office, es: En la oficina}\n'
    assert editor.apply(text, {"visit-mode": "boat"}, {}) == text, "a mode that does not exist is not written"
    made = editor.apply(text, {"visit-mode": "mail", "o-new-name": "Clerk's office",
                               "o-new-appointments": "https://example.gov/clerk"}, {})
    assert made.endswith("visit:\n  mode: mail\n  offices:\n    - name: Clerk's office\n"
                         "      appointments: https://example.gov/clerk\n")


_EDITIONS = ('id: two-editions\n'
             'version: "1"\n'
             'title: {en: Two editions, es: Dos ediciones}\n'
             'forms:\n'
             '  - id: form\n'
             '    title: {en: Form, es: Formulario}\n'
             '    revision: "2024"\n'
             '    editions:\n'
             '      - id: form_2019\n'
             '        title: {en: the 2019 form, es: el formulario de 2019}\n'
             '        identify:\n'
             "          fields_any: ['Old Name[0]', \"Old Date\"]  # the 2019 boxes\n"
             '          text_any: ["Rev. 2019"]\n'
             '        status: wrong\n'
             '    identify: {fields_any: ["Name"]}\n'
             '    fields:\n'
             '      name: {source: "Name", type: text}\n')


def _edition_answers(text: str) -> dict[str, str]:
    """What the edit form sends back for every edition row, unchanged."""
    from web.studio import editor

    answers: dict[str, str] = {}
    for row in editor.view("two-editions", text, {}).forms[0].editions:
        for part in ("id", "title_en", "title_es", "revision", "status", "fields_any", "fields_all", "text_any"):
            answers[f"{row.key}-{part}"] = str(getattr(row, part))
    return answers


def test_an_editions_identify_is_shown_one_name_a_line_and_an_unchanged_save_leaves_it_as_written() -> None:
    from web.studio import editor

    row = editor.view("two-editions", _EDITIONS, {}).forms[0].editions[0]
    assert (row.fields_any, row.fields_all, row.text_any) == ("Old Name[0]\nOld Date", "", "Rev. 2019")
    assert editor.apply(_EDITIONS, _edition_answers(_EDITIONS), {}) == _EDITIONS


def test_an_editions_identify_is_edited_in_place_keeping_the_quotes_and_comments_of_what_stays() -> None:
    import yaml

    from web.studio import editor

    answers = _edition_answers(_EDITIONS) | {"e-0-0-fields_any": "Old Name[0]\nOld Date\n\n  Old Signature  \n",
                                             "e-0-0-fields_all": "Old County"}
    edited = editor.apply(_EDITIONS, answers, {})
    lines = edited.splitlines()
    at = lines.index("        identify:")
    assert lines[at + 1].startswith("          fields_any: ['Old Name[0]', \"Old Date\", \"Old Signature\"] "), edited
    assert lines[at + 1].endswith(" # the 2019 boxes"), "its comment stays on its line"
    assert lines[at + 2:at + 4] == ['          fields_all: ["Old County"]', '          text_any: ["Rev. 2019"]']
    assert edited.replace(edited[edited.index("          fields_any"):edited.index("        status")], "") == \
        _EDITIONS.replace(_EDITIONS[_EDITIONS.index("          fields_any"):_EDITIONS.index("        status")], ""), \
        "nothing else of the file moved"
    identify = yaml.safe_load(edited)["forms"][0]["editions"][0]["identify"]
    assert identify == {"fields_any": ["Old Name[0]", "Old Date", "Old Signature"], "fields_all": ["Old County"],
                        "text_any": ["Rev. 2019"]}

    emptied = editor.apply(_EDITIONS, _edition_answers(_EDITIONS) | {"e-0-0-fields_any": "", "e-0-0-text_any": " "},
                           {})
    edition = yaml.safe_load(emptied)["forms"][0]["editions"][0]
    assert "identify" not in edition and edition["status"] == "wrong", "all three emptied removes identify alone"
    assert "# the 2019 boxes" not in emptied and '    identify: {fields_any: ["Name"]}\n' in emptied


def test_an_identify_written_as_something_else_is_never_written_over() -> None:
    from web.studio import editor

    text = _EDITIONS.replace(_EDITIONS[_EDITIONS.index("        identify:\n"):_EDITIONS.index("        status")],
                             "        identify: the old boxes  # not a set of keys\n")
    row = editor.view("two-editions", text, {}).forms[0].editions[0]
    assert (row.fields_any, row.fields_all, row.text_any) == ("", "", "")
    answers = _edition_answers(text) | {"e-0-0-fields_any": "Old Name[0]", "e-0-0-revision": "2019"}
    edited = editor.apply(text, answers, {})
    assert "        identify: the old boxes  # not a set of keys\n" in edited and "Old Name[0]" not in edited


def test_a_new_edition_is_recognised_by_its_boxes_given_in_the_form_and_published(
        app: Flask, staff: dict[str, str]) -> None:
    admin, page = _draft_of_seed(app)
    new = page.find("fieldset", id="e-0-new")
    assert [t["id"] for t in new.find_all("textarea")] == ["e-0-new-fields_any", "e-0-new-fields_all",
                                                           "e-0-new-text_any"]
    data = _form(page) | {"e-0-new-title_en": "the 2019 petition", "e-0-new-title_es": "la petición de 2019",
                          "e-0-new-fields_any": "OldPetitionerName\nOld Court[0]",
                          "e-0-new-text_any": "Rev. 2019"}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    assert not page.find_all("p", class_="field-error"), [p.get_text() for p in page.find_all("p", "field-error")]
    assert page.find("textarea", id="e-0-0-fields_any").get_text() == "OldPetitionerName\nOld Court[0]"
    with app.app_context():
        text = db.session.get(ServiceDraft, NAME_CHANGE).yaml_text
    assert ('identify: {fields_any: ["OldPetitionerName", "Old Court[0]"], text_any: ["Rev. 2019"]}}'
            in text), "written on one line, names in quotes, as the seeds write them"

    data = _form(page) | {"e-0-0-fields_any": "", "e-0-0-text_any": ""}
    page = admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    box = page.find("fieldset", id="e-0-0")
    said = box.find("p", class_="field-error").get_text(" ", strip=True)
    assert said == "Mistake: Write the revision printed on this edition, like 08-2011, or the names of its boxes, " \
                   "so we can tell it apart."

    data = _form(page) | {"e-0-0-fields_all": "OldPetitionerName"}
    admin.follow(admin.client.post(f"/admin/services/{NAME_CHANGE}/edit", data=data))
    _publish(admin, NAME_CHANGE, "2026-12-03-identify")
    with app.app_context():
        from web import jobs

        edition = jobs.services()[NAME_CHANGE].forms[0].editions[0]
    assert edition.identify is not None and edition.identify.fields_all == ("OldPetitionerName",)
    assert edition.revision is None and edition.title.en == "the 2019 petition"


def test_an_identify_written_wrong_by_hand_is_named_beside_its_input_in_plain_words(
        app: Flask, staff: dict[str, str]) -> None:
    admin, _page = _draft_of_seed(app)
    with app.app_context():
        row = db.session.get(ServiceDraft, NAME_CHANGE)
        marker = "    identify: {fields_any: [PetitionerName"
        row.yaml_text = row.yaml_text.replace(marker, (
            "    editions:\n"
            "      - {id: old, title: {en: the old one, es: la vieja}, identify: {fields_any: []}}\n"
            "      - {id: older, title: {en: the older one, es: la más vieja},\n"
            "         identify: {fields_all: OldName, text_any: ['', 'Rev. 2001']}}\n"
            "      - {id: oldest, title: {en: the oldest one, es: la más antigua}, identify: {text_all: [x]}}\n"
            + marker), 1)
        db.session.commit()
    page = admin.get(f"/admin/services/{NAME_CHANGE}/edit")

    def said(input_id: str) -> list[str]:
        field = page.find("textarea", id=input_id)
        return [page.find(id=i).get_text(" ", strip=True) for i in field["aria-describedby"].split()]

    assert said("e-0-0-fields_any") == ["Mistake: Write the name of at least one box on this edition, or words "
                                        "printed on it, to recognise it by."]
    assert "'text_all' is not a key we know here" in page.find("fieldset", id="e-0-2").find(
        "p", class_="field-error").get_text(), "a key with no input is named for the row, as the schema says it"
    assert said("e-0-1-fields_all") == ["Mistake: Write each box's name as the form names it, one on each line."]
    assert said("e-0-1-text_any") == ["Mistake: Write words printed on its first page, one phrase on each line."]
    assert page.find("textarea", id="e-0-1-fields_all").get_text() == "OldName"


_WORDED = ('id: worded\n'
           'version: "1"\n'
           'title: {en: Worded, es: Con palabras}\n'
           'visit:\n'
           '  fees: {en: "Free", es: "Gratis"}\n'
           '  bring:\n'
           '    - {en: "Your ID", es: "Su identificación"}\n'
           '  offices:\n'
           '    - name: Main office\n'
           '      hours: {en: "Mon-Fri 9-5", es: "lun-vie 9-5"}\n'
           '      appointments: https://example.gov/book\n'
           'forms:\n'
           '  - id: form\n'
           '    title: {en: Form, es: Formulario}\n'
           '    revision: "2024"\n'
           '    editions:\n'
           '      - id: form_2019\n'
           '        title: {en: the 2019 form, es: el formulario de 2019}\n'
           '        revision: "2019"\n'
           '    identify: {fields_any: ["Name"]}\n'
           '    fields:\n'
           '      name: {source: "Name", type: text}\n')

_IN_WORDS = "Write this in English and in Spanish."
_OFFICE_NAME = "Write the office's name, as people see it on the sign."
_BOX_NAMES = "Write each box's name as the form names it, one on each line."
# (what is written instead, where the message shows: (row, input), the plain words it is said in)
_WORDINGS = [
    (("    - name: Main office\n", "    - address: 1 Main St\n"), ("o-0", "name"), _OFFICE_NAME),
    (("name: Main office", 'name: ""'), ("o-0", "name"), _OFFICE_NAME),
    (("appointments: https://example.gov/book", "appointments: the site"), ("o-0", "appointments"),
     "Write the office's full web address, starting with https://."),
    (('hours: {en: "Mon-Fri 9-5", es: "lun-vie 9-5"}', 'hours: {en: "Mon-Fri 9-5"}'), ("o-0", "hours"),
     "Write this in Spanish too."),
    (('hours: {en: "Mon-Fri 9-5", es: "lun-vie 9-5"}', 'hours: {en: " ", es: "lun-vie 9-5"}'), ("o-0", "hours"),
     "Write this in English too."),
    (('hours: {en: "Mon-Fri 9-5", es: "lun-vie 9-5"}', 'hours: "Mon-Fri 9-5"'), ("o-0", "hours"), _IN_WORDS),
    (("visit:\n", "visit:\n  mode: boat\n"), ("visit", "mode"),
     "Choose how people hand in their papers: at an office or by mail."),
    (('fees: {en: "Free", es: "Gratis"}', 'fees: {es: "Gratis"}'), ("visit", "fees"), "Write this in English too."),
    (('- {en: "Your ID", es: "Su identificación"}', '- "Your ID"'), ("b-0", ""), _IN_WORDS),
    (('- {en: "Your ID", es: "Su identificación"}', '- {en: "Your photo ID", es: "Your photo ID"}'), ("b-0", ""),
     "Write this in Spanish too: now it is missing or the same as the English."),
    (('  fees: {en: "Free", es: "Gratis"}', '  mode: mail\n  fees: {en: "Pay at your visit", es: "Gratis"}'),
     ("visit", "fees"),
     "This service is sent by mail, but these words speak of a visit. Say what to send instead."),
    (("- id: form_2019", "- id: 2019"), ("e-0-0", "id"),
     "Use small letters, digits and _ only, starting with a letter, like edition_2011."),
    (('revision: "2019"', 'revision: ""'), ("e-0-0", "revision"),
     "Write the revision printed on this edition, like 08-2011, so we can tell it apart."),
    (('revision: "2019"', 'revision: "2019"\n        status: gone'), ("e-0-0", "status"),
     "Choose whether this edition is an older one or a different form."),
    (("title: {en: the 2019 form, es: el formulario de 2019}", "title: {en: the 2019 form}"), ("e-0-0", "title"),
     "Write this in Spanish too."),
    (("        title: {en: the 2019 form, es: el formulario de 2019}\n", ""), ("e-0-0", "title"), _IN_WORDS),
    (('        revision: "2019"\n', ""), ("e-0-0", ""),
     "Write the revision printed on this edition, like 08-2011, or the names of its boxes, so we can tell it apart."),
    (('revision: "2019"', "identify: {}"), ("e-0-0", "identify"),
     "Write the name of at least one box on this edition, or words printed on it, to recognise it by."),
    (('revision: "2019"', "identify: {fields_any: [12]}"), ("e-0-0", "fields_any"), _BOX_NAMES),
    (('revision: "2019"', "identify: {fields_all: Old Name}"), ("e-0-0", "fields_all"), _BOX_NAMES),
    (('revision: "2019"', "identify: {text_any: ['']}"), ("e-0-0", "text_any"),
     "Write words printed on its first page, one phrase on each line."),
]


def _said_for(app: Flask, text: str) -> dict[tuple[str, str], list[str]]:
    """Each lint message of ``text`` as the edit page places it: by row and input."""
    from web.studio import editor, versions

    with app.app_context():
        checked = versions.lint(text, "worded")
    page = editor.view("worded", text, {}, checked.mistakes, checked.warnings, checked.codes)
    rows = [page.visit, *page.visit.offices, *page.visit.bring, *page.forms[0].editions]
    said: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        for problem in row.problems:
            said.setdefault((getattr(row, "key", "visit"), problem.key), []).append(problem.text)
    return said


def test_every_schema_message_the_studio_words_is_matched_by_its_key_or_code_not_its_english(
        app: Flask) -> None:
    import ast
    import inspect

    from web.studio import wording

    assert _said_for(app, _WORDED) == {}, "the file the cases start from has no mistake"
    for (before, after), where, expected in _WORDINGS:
        assert before in _WORDED, before
        said = _said_for(app, _WORDED.replace(before, after, 1))
        assert said.get(where) == [expected], (after, said)
    # Every plain saying of the module is reached by a case above, so none can be lost unseen.
    sayings = {node.args[0].value for node in ast.walk(ast.parse(inspect.getsource(wording)))
               if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_" and node.args
               and isinstance(node.args[0], ast.Constant)}
    assert sayings == {expected for _change, _where, expected in _WORDINGS}


def test_a_message_the_studio_has_no_words_for_is_shown_as_the_schema_wrote_it(app: Flask) -> None:
    text = _WORDED.replace('revision: "2019"', 'colour: blue')
    said = _said_for(app, text)
    assert said == {("e-0-0", ""): ["'colour' is not a key we know here; check the spelling in schemas/README.md"]}, \
        "an unknown key is named for its row as it is, not said as the missing revision"
    said = _said_for(app, _WORDED.replace("hours: {en: \"Mon-Fri 9-5\", es: \"lun-vie 9-5\"}",
                                          "hours: {en: \"Mon-Fri 9-5\", es: \"lun-vie 9-5\", fr: \"lun-ven\"}"))
    assert said == {("o-0", "hours"): ["only en and es are languages here, not fr"]}
