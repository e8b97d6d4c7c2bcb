"""The labelled packets: what each person uploads, and what a careful clerk would find in it.

Every label comes from the ground truth: the manifests of the synthetic documents (name,
address, date printed on each), the answers filled into each form (``people.py``), the corpus
notes on each real file, and the rules of the service files. A problem is written
``code@where`` (``where`` is the file it is about, or the checklist item, form or points rule
that is missing) with ``:severity`` when the severity is the point (a stale bill beside a
fresh one is only a warning). Document items are all labelled, so none is left to a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from tests.accuracy.builders import Recipe, Scan, corpus, doc, filled, letter, older, photo
from tests.accuracy.people import (
    AISHA,
    DANA,
    DANA_WITH_SON,
    GRACE,
    JOSE,
    JOSE_WORKING,
    KWAME,
    MARISOL,
    TODAY,
    answers,
)

PASSPORT, SSA, W9 = "passport-first-time", "social-security-card", "w9-vendor"
DMV, COURT, CCAP = "ny-driver-licence", "ny-name-change", "il-child-care"
MICHIGAN, ALASKA = "mi-name-change", "ak-birth-certificate-name"
PROVIDED, MISSING, INVALID, NOT_NEEDED = "provided", "missing", "invalid", "not_needed"
STATUSES = (PROVIDED, MISSING, INVALID, NOT_NEEDED)
# make_supporting.py set names: two ship with the corpus, three are added in people.SETS.
J, A, G, M, K = "public", "new-york", "maine", "chicago", "buffalo"


class Given(NamedTuple):
    """One uploaded file: the checklist item it was put under (None: "upload everything")."""

    item: str | None
    name: str
    recipe: Recipe


@dataclass(frozen=True)
class Want:
    code: str
    where: str
    severity: str | None = None

    @classmethod
    def parse(cls, text: str) -> Want:
        code, _, rest = text.partition("@")
        where, _, severity = rest.rpartition(":") if rest.endswith((":warning", ":blocks", ":bring_original")) \
            else (rest, "", "")
        return cls(code, where, severity or None)

    def __str__(self) -> str:
        return f"{self.code}@{self.where}" + (f":{self.severity}" if self.severity else "")


@dataclass(frozen=True)
class Case:
    name: str
    service: str
    files: tuple[Given, ...]
    status: str
    documents: Mapping[str, str]
    problems: frozenset[Want]
    today: dt.date = TODAY
    lang: str = "en"


def case(name: str, service: str, files: Iterable[tuple[str | None, str, Recipe]], status: str,
         documents: Mapping[str, str], problems: Iterable[str] = (), *, lang: str = "en") -> Case:
    return Case(name, service, tuple(Given(*f) for f in files), status, dict(documents),
                frozenset(Want.parse(p) for p in problems), lang=lang)


def items(base: Mapping[str, str], **changes: str) -> dict[str, str]:
    return {**base, **changes}


def form(item: str | None, name: str, form_id: str, base: Mapping[str, Any], **changes: Any) -> tuple[
        str | None, str, Recipe]:
    return item, name, filled(form_id, answers(dict(base), **changes))


# Documents made here for what the corpus has none of.
COURT_ORDER = letter(
    "IN THE CIRCUIT COURT OF THE SEVENTH JUDICIAL CIRCUIT, SANGAMON COUNTY, ILLINOIS",
    "In re the change of name of José Ángel García            Case No. 2019-MR-0412",
    "ORDER FOR CHANGE OF NAME",
    "It is ordered that the name of José Ángel García is changed to José Ángel Pérez.",
    "Entered: June 3, 2019                                    Judge of the Circuit Court")
EIN_LETTER = letter(
    "Department of the Treasury, Internal Revenue Service          Date of this notice: 09/14/2025",
    "PEREZ HOME REPAIRS LLC, 418 MAPLE AVENUE APT 3B, SPRINGFIELD IL 62704",
    "Employer Identification Number: 12-3456789            Form: SS-4            Notice CP 575 A",
    "WE ASSIGNED YOU AN EMPLOYER IDENTIFICATION NUMBER",
    "Thank you for applying for an Employer Identification Number (EIN). We assigned you EIN 12-3456789.")
GHANA_BIRTH = letter(
    "REPUBLIC OF GHANA - BIRTHS AND DEATHS REGISTRY", "CERTIFICATE OF BIRTH", "Name: Kwame Mensah",
    "Date of birth: 3 February 1988", "Place of birth: Korle Bu Teaching Hospital, Accra",
    "Mother: Abena Owusu        Father: Kofi Mensah", "Certified copy issued 14 March 2019")
WORK_PERMIT = letter(
    "UNITED STATES OF AMERICA", "EMPLOYMENT AUTHORIZATION CARD (Form I-766)", "Surname: MENSAH",
    "Given name: KWAME", "USCIS#: 219-884-107        Category: C09        Country of birth: Ghana",
    "Valid from: 08/15/2025        Card expires: 08/14/2027")
AISHA_PASSPORT = photo(
    "UNITED STATES OF AMERICA - PASSPORT", "Surname: RAHMAN-OKAFOR", "Given names: AISHA NGOZI",
    "Date of birth: 30 NOV 1979", "Place of birth: NEW YORK, U.S.A.", "Date of expiration: 14 JUN 2033")

# Older editions, made from the current ones (see builders.Older).
W9_2011 = older("w9", [b"(\\(Rev. March 2024\\))", b"( \\(Rev. 3-2024\\))"],
                [b"(\\(Rev. December 2011\\))", b"( \\(Rev. 12-2011\\))"], "(Rev. December 2011)",
                rename={r"f1_0(\d)\[": r"f1_\1["}, values=JOSE["w9"])
SS5_2011 = older("ss5", [b"( \\(10-2021\\) UF )"], [b"( \\(08-2011\\) UF )"], "(08-2011)", values=JOSE["ss5"])
MV44_2021 = older("mv44", [b"(MV-44 \\(9/24\\))"], [b"(MV-44 \\(10/21\\))"], "MV-44 (10/21)", values=AISHA["mv44"])

# The usual files of each applicant.
JOSE_BIRTH = doc(J, "birth_certificate_scan.pdf")
JOSE_ID = doc(J, "state_id_front_photo.jpg")
JOSE_BILL, JOSE_STALE_BILL = doc(J, "utility_bill_1.pdf"), doc(J, "utility_bill_2.pdf")
JOSE_PHONE_BILL = doc(J, "phone_bill_other_name.pdf")
JOSE_W9 = filled("w9", JOSE["w9"])
AISHA_BIRTH, AISHA_ID = doc(A, "birth_certificate_scan.pdf"), doc(A, "state_id_front_photo.jpg")
AISHA_BILL, AISHA_STALE_BILL = doc(A, "utility_bill_1.pdf"), doc(A, "utility_bill_2.pdf")
AISHA_PETITION = filled("petition", AISHA["petition"])
GRACE_BIRTH, GRACE_ID = doc(G, "birth_certificate_scan.pdf"), doc(G, "state_id_front_photo.jpg")
GRACE_BILL, GRACE_BANK = doc(G, "utility_bill_1.pdf"), doc(G, "bank_statement.pdf")
LOCKED = corpus("malformed/encrypted_user_pw_openpassword.pdf")

PASSPORT_OK = dict(citizenship=PROVIDED, photo_id=PROVIDED, name_change=NOT_NEEDED, proof_of_address=PROVIDED)
JOSE_PASSPORT_DOCS = [("citizenship", "birth-certificate.pdf", JOSE_BIRTH),
                      ("photo_id", "id-front.jpg", JOSE_ID),
                      ("proof_of_address", "electric-bill.pdf", JOSE_BILL)]
# What the usual files add to a report: nothing now that the scan and the photo are read.
JOSE_SEEN: list[str] = []

PASSPORT_CASES = [
    case("a first passport with the DS-11, birth certificate, ID photo and a fresh bill is complete", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS], "complete", PASSPORT_OK,
         JOSE_SEEN),
    case("the front and the back of the ID card are both taken as the photo ID", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), ("citizenship", "birth-certificate.pdf", JOSE_BIRTH),
          ("photo_id", "id-front.jpg", JOSE_ID), ("photo_id", "id-back.png", doc(J, "state_id_back.png")),
          ("proof_of_address", "bank-statement.pdf", doc(J, "bank_statement.pdf"))], "complete", PASSPORT_OK,
         [*JOSE_SEEN]),
    case("an unlabelled DS-11 and bank statement are sorted, and the citizenship proof and ID are still missing",
         PASSPORT, [form(None, "passport-form.pdf", "ds11", JOSE["ds11"]),
                    (None, "statement.pdf", doc(J, "bank_statement.pdf"))], "incomplete",
         items(PASSPORT_OK, citizenship=MISSING, photo_id=MISSING),
         ["document.missing@citizenship", "document.missing@photo_id"]),
    case("an unlabelled photo of the ID is read, and sorted as the photo ID", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), ("citizenship", "birth-certificate.pdf", JOSE_BIRTH),
          (None, "IMG_2031.jpg", JOSE_ID), (None, "electric-bill.pdf", JOSE_BILL)], "complete", PASSPORT_OK, []),
    case("an email address without an at sign is a format problem", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], email="jose.perez.example.com"), *JOSE_PASSPORT_DOCS],
         "invalid", PASSPORT_OK, [*JOSE_SEEN, "field.format@ds11.pdf"]),
    case("a travel return date before the departure date breaks the date order", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], travel_departure="12/20/2026", travel_return="12/05/2026"),
          *JOSE_PASSPORT_DOCS], "invalid", PASSPORT_OK, [*JOSE_SEEN, "field.rule@ds11.pdf"]),
    case("an emergency contact without a phone number asks for the phone number", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], emergency_name="María García"), *JOSE_PASSPORT_DOCS],
         "incomplete", PASSPORT_OK, [*JOSE_SEEN, "field.required@ds11.pdf"]),
    case("a birth month of 13 is not a date", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], birth_date=["13", "09", "1984"]), *JOSE_PASSPORT_DOCS],
         "invalid", PASSPORT_OK, [*JOSE_SEEN, "field.format@ds11.pdf"], lang="es"),
    case("other names on the DS-11 need the proof of the name change, which is missing", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], other_names="José Á. García"), *JOSE_PASSPORT_DOCS],
         "incomplete", items(PASSPORT_OK, name_change=MISSING),
         [*JOSE_SEEN, "document.missing@name_change"]),
    case("other names on the DS-11 with the court order for the change are complete", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], other_names="José Á. García"), *JOSE_PASSPORT_DOCS,
          ("name_change", "court-order.pdf", COURT_ORDER)], "complete", items(PASSPORT_OK, name_change=PROVIDED),
         JOSE_SEEN),
    case("a filled W-9 under the DS-11 is the wrong form, with no field problems", PASSPORT,
         [("ds11", "passport-application.pdf", JOSE_W9), *JOSE_PASSPORT_DOCS], "invalid", PASSPORT_OK,
         [*JOSE_SEEN, "form.wrong@passport-application.pdf:blocks"]),
    case("the flat DS-82 renewal form under the DS-11 is the wrong form", PASSPORT,
         [("ds11", "passport-form.pdf", corpus("flat/dos_ds82_print_to_pdf.pdf")), *JOSE_PASSPORT_DOCS],
         "invalid", PASSPORT_OK, [*JOSE_SEEN, "form.wrong@passport-form.pdf"]),
    case("a DS-82 among the unlabelled files is a form this service does not use", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS,
          (None, "ds82.pdf", corpus("flat/dos_ds82_print_to_pdf.pdf"))], "invalid", PASSPORT_OK,
         [*JOSE_SEEN, "form.wrong@ds82.pdf:blocks"]),
    case("a fresh bill beside a stale one proves the address and the stale one is only noted", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS,
          ("proof_of_address", "water-bill.pdf", JOSE_STALE_BILL)], "complete", PASSPORT_OK,
         [*JOSE_SEEN, "document.too_old@water-bill.pdf:warning"]),
    case("a signed lease beside a stale bill proves the address", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "water-bill.pdf", JOSE_STALE_BILL),
          ("proof_of_address", "lease.pdf", doc(J, "lease.pdf"))], "complete", PASSPORT_OK,
         [*JOSE_SEEN, "document.too_old@water-bill.pdf:warning"]),
    case("a stale bill alone is too old to prove the address", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "water-bill.pdf", JOSE_STALE_BILL)], "invalid",
         items(PASSPORT_OK, proof_of_address=INVALID), [*JOSE_SEEN, "document.too_old@water-bill.pdf:blocks"]),
    case("a phone bill in another person's name at his address proves it with a warning", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "phone-bill.pdf", JOSE_PHONE_BILL)], "complete", PASSPORT_OK,
         [*JOSE_SEEN, "document.name_mismatch@phone-bill.pdf:warning"]),
    case("the same bill uploaded twice is used once", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS,
          ("proof_of_address", "electric-bill-copy.pdf", JOSE_BILL)], "complete", PASSPORT_OK,
         [*JOSE_SEEN, "file.same_file@electric-bill-copy.pdf:warning"]),
    case("a draft DS-11 without the SSN and the finished one: the newest is checked, the draft noted", PASSPORT,
         [form("ds11", "ds11-draft.pdf", "ds11", JOSE["ds11"], ssn=None),
          form("ds11", "ds11-final.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS], "complete", PASSPORT_OK,
         [*JOSE_SEEN, "file.duplicate@ds11-draft.pdf:warning"]),
    case("a password-locked second copy of the DS-11 is its own file problem, not a duplicate", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), ("ds11", "ds11-locked.pdf", LOCKED), *JOSE_PASSPORT_DOCS],
         "invalid", PASSPORT_OK, [*JOSE_SEEN, "file.encrypted@ds11-locked.pdf"]),
    case("a bill that is not a PDF at all cannot prove the address", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "bill.pdf", corpus("malformed/not_a_pdf_no_header.pdf"))], "invalid",
         items(PASSPORT_OK, proof_of_address=INVALID), [*JOSE_SEEN, "file.not_pdf@bill.pdf"]),
    case("a scanned bill is taken, to be shown in person", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "scanned-bill.pdf", doc(J, "utility_bill_scan.pdf"))], "complete", PASSPORT_OK,
         [*JOSE_SEEN]),
    case("a Bronx applicant with her bank statement is complete", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", AISHA["ds11"]), ("citizenship", "birth-certificate.pdf", AISHA_BIRTH),
          ("photo_id", "id-card.jpg", AISHA_ID), ("proof_of_address", "bank.pdf", doc(A, "bank_statement.pdf"))],
         "complete", PASSPORT_OK, [],
         lang="es"),
    case("a Chicago applicant with an unlabelled old lease is complete", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", MARISOL["ds11"]),
          ("citizenship", "birth-certificate.pdf", doc(M, "birth_certificate_scan.pdf")),
          ("photo_id", "id-card.jpg", doc(M, "state_id_front_photo.jpg")), (None, "lease.pdf", doc(M, "lease.pdf"))],
         "complete", PASSPORT_OK, []),
    case("a Portland, Maine applicant with her Maine bill is complete: a passport needs no state", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", GRACE["ds11"]), ("citizenship", "birth-certificate.pdf", GRACE_BIRTH),
          ("photo_id", "licence.jpg", GRACE_ID), ("proof_of_address", "power-bill.pdf", GRACE_BILL)],
         "complete", PASSPORT_OK, []),
    case("a blank DS-11 straight from the website asks for every required answer", PASSPORT,
         [("ds11", "ds11-blank.pdf", corpus("forms/dos_ds11_passport_application.pdf")), *JOSE_PASSPORT_DOCS],
         "incomplete", PASSPORT_OK, [*JOSE_SEEN, "field.required@ds11-blank.pdf"]),
    case("a scan of the filled DS-11 has no answers to read: it is named and routed, its boxes never checked", PASSPORT,
         [("ds11", "ds11-scan.pdf", Scan(filled("ds11", JOSE["ds11"]))), *JOSE_PASSPORT_DOCS], "complete",
         PASSPORT_OK, [*JOSE_SEEN, "form.scanned@ds11-scan.pdf:bring_original"]),
    case("a compound surname longer than the 40 characters the DS-11 allows", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"],
               last_name="Pérez de la Santísima Trinidad y García-Villalobos"),
          *JOSE_PASSPORT_DOCS[:2]], "invalid", items(PASSPORT_OK, proof_of_address=MISSING),
         [*JOSE_SEEN, "field.max_length@ds11.pdf", "document.missing@proof_of_address"], lang="es"),
    case("a pay stub is not a proof of address", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS[:2],
          ("proof_of_address", "pay-stub.pdf", doc(J, "pay_stub_1.pdf"))], "invalid",
         items(PASSPORT_OK, proof_of_address=INVALID), [*JOSE_SEEN, "document.content@pay-stub.pdf"]),
    case("a damaged file beside a fresh bill is noted, and the fresh bill proves the address", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"]), *JOSE_PASSPORT_DOCS,
          ("proof_of_address", "bill-scan-app.pdf", corpus("malformed/bad_xref_extra_text.pdf"))], "complete",
         PASSPORT_OK, [*JOSE_SEEN, "file.damaged@bill-scan-app.pdf:warning"]),
    case("a ZIP code of four digits is a format problem", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], zip="6270"), *JOSE_PASSPORT_DOCS], "invalid", PASSPORT_OK,
         [*JOSE_SEEN, "field.format@ds11.pdf"]),
    case("a phone photo of the printed DS-11 is named, and routed to the fillable PDF", PASSPORT,
         [("ds11", "ds11-photo.jpg", photo("U.S. Department of State", "APPLICATION FOR A U.S. PASSPORT", "DS-11",
                                           "PEREZ, JOSE ANGEL  03/09/1984")), *JOSE_PASSPORT_DOCS], "complete",
         PASSPORT_OK, [*JOSE_SEEN, "form.scanned@ds11-photo.jpg:bring_original"]),
    case("a utility bill is no proof of a name change", PASSPORT,
         [form("ds11", "ds11.pdf", "ds11", JOSE["ds11"], other_names="José Á. García"), *JOSE_PASSPORT_DOCS,
          ("name_change", "name-change.pdf", JOSE_STALE_BILL)], "invalid", items(PASSPORT_OK, name_change=INVALID),
         [*JOSE_SEEN, "document.content@name-change.pdf"]),
]

SSA_OK = dict(proof_of_age=PROVIDED, proof_of_identity=PROVIDED, proof_of_citizenship=PROVIDED,
              immigration_status=NOT_NEEDED)
JOSE_SSA_DOCS = [("proof_of_age", "birth-certificate.pdf", JOSE_BIRTH),
                 ("proof_of_citizenship", "birth-certificate.pdf", JOSE_BIRTH),
                 ("proof_of_identity", "id-front.jpg", JOSE_ID)]
KWAME_SSA_DOCS = [("proof_of_age", "ghana-birth-certificate.pdf", GHANA_BIRTH),
                  ("proof_of_identity", "ny-id.jpg", doc(K, "state_id_front_photo.jpg"))]
KWAME_OK = dict(SSA_OK, proof_of_citizenship=NOT_NEEDED, immigration_status=PROVIDED)

SSA_CASES = [
    case("a first card with the birth certificate given for age and citizenship and a state ID is complete", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]), *JOSE_SSA_DOCS], "complete", SSA_OK, JOSE_SEEN),
    case("a noncitizen allowed to work, with his Ghana birth certificate, ID and work permit, is complete", SSA,
         [form("ss5", "ss5.pdf", "ss5", KWAME["ss5"]), *KWAME_SSA_DOCS,
          ("immigration_status", "work-permit.pdf", WORK_PERMIT)], "complete", KWAME_OK,
         []),
    case("a noncitizen allowed to work without his work permit is missing the immigration proof", SSA,
         [form("ss5", "ss5.pdf", "ss5", KWAME["ss5"]), *KWAME_SSA_DOCS], "incomplete",
         items(KWAME_OK, immigration_status=MISSING),
         ["document.missing@immigration_status"]),
    case("a replacement card with the previous number and the father unknown is complete", SSA,
         [form("ss5", "ss5.pdf", "ss5", MARISOL["ss5"]),
          ("proof_of_age", "birth.pdf", doc(M, "birth_certificate_scan.pdf")),
          ("proof_of_citizenship", "birth.pdf", doc(M, "birth_certificate_scan.pdf")),
          ("proof_of_identity", "id.jpg", doc(M, "state_id_front_photo.jpg"))], "complete", SSA_OK,
         []),
    case("a replacement card without the previous number asks for it", SSA,
         [form("ss5", "ss5.pdf", "ss5", MARISOL["ss5"], previous_ssn=None),
          ("proof_of_age", "birth.pdf", doc(M, "birth_certificate_scan.pdf")),
          ("proof_of_citizenship", "birth.pdf", doc(M, "birth_certificate_scan.pdf")),
          ("proof_of_identity", "id.jpg", doc(M, "state_id_front_photo.jpg"))], "incomplete", SSA_OK,
         ["field.required@ss5.pdf"]),
    case("both yes and no ticked for having had a card, and the old card's details left out", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"], had_card_yes=True), *JOSE_SSA_DOCS], "invalid", SSA_OK,
         [*JOSE_SEEN, "field.rule@ss5.pdf", "field.required@ss5.pdf"]),
    case("no mother's name and the unknown box not ticked", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"], mother_first_name=None, mother_last_name=None),
          *JOSE_SSA_DOCS], "incomplete", SSA_OK, [*JOSE_SEEN, "field.rule@ss5.pdf"]),
    case("a form dated 1926 by a slip of the pen is dated before the birth date", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"], signed_on="11/20/1926"), *JOSE_SSA_DOCS], "invalid", SSA_OK,
         [*JOSE_SEEN, "field.rule@ss5.pdf"]),
    case("a previous number in the never-issued 9xx range", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"], had_card_no=None, had_card_yes=True,
               previous_ssn=["912", "45", "6789"], card_first_name="José", card_last_name="Pérez"), *JOSE_SSA_DOCS],
         "invalid", SSA_OK, [*JOSE_SEEN, "field.format@ss5.pdf"], lang="es"),
    case("an SS-5 of the 08-2011 edition is outdated, with no field problems", SSA,
         [("ss5", "ss5-2011.pdf", SS5_2011), *JOSE_SSA_DOCS], "invalid", SSA_OK,
         [*JOSE_SEEN, "form.outdated@ss5-2011.pdf:blocks"]),
    case("a W-9 given as the SS-5 is the wrong form", SSA,
         [("ss5", "ss5.pdf", JOSE_W9), *JOSE_SSA_DOCS], "invalid", SSA_OK,
         [*JOSE_SEEN, "form.wrong@ss5.pdf"]),
    case("a utility bill given as the proof of identity is not an ID", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]), *JOSE_SSA_DOCS[:2],
          ("proof_of_identity", "electric-bill.pdf", JOSE_BILL)], "invalid", items(SSA_OK, proof_of_identity=INVALID),
         ["document.content@electric-bill.pdf"]),
    case("the Missouri application for a birth certificate is not a birth certificate", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]),
          ("proof_of_age", "birth-certificate-application.pdf", corpus("flat/mo_birth_certificate_application.pdf")),
          *JOSE_SSA_DOCS[1:]], "invalid", items(SSA_OK, proof_of_age=INVALID),
         [*JOSE_SEEN, "document.content@birth-certificate-application.pdf"]),
    case("the Alaska birth certificate request form is not a birth certificate", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]),
          ("proof_of_age", "birth-certificate-request.pdf", corpus("forms/ak_birth_cert_name_change_request.pdf")),
          *JOSE_SSA_DOCS[1:]], "invalid", items(SSA_OK, proof_of_age=INVALID),
         [*JOSE_SEEN, "document.content@birth-certificate-request.pdf"]),
    case("a replacement card for a Portland, Maine applicant with her Maine ID is complete", SSA,
         [form("ss5", "ss5.pdf", "ss5", GRACE["ss5"]), ("proof_of_age", "birth.pdf", GRACE_BIRTH),
          ("proof_of_citizenship", "birth.pdf", GRACE_BIRTH), ("proof_of_identity", "licence.jpg", GRACE_ID)],
         "complete", SSA_OK, []),
    case("an unlabelled SS-5 and an unlabelled ID photo are both read and sorted", SSA,
         [form(None, "application.pdf", "ss5", JOSE["ss5"]), *JOSE_SSA_DOCS[:2], (None, "IMG_4410.jpg", JOSE_ID)],
         "complete", SSA_OK, []),
    case("the same SS-5 uploaded twice is used once", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]), form("ss5", "ss5-again.pdf", "ss5", JOSE["ss5"]),
          *JOSE_SSA_DOCS], "complete", SSA_OK, [*JOSE_SEEN, "file.same_file@ss5-again.pdf:warning"],
         lang="es"),
    case("the paper I-9 among the unlabelled files is a form this service does not use", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]), *JOSE_SSA_DOCS,
          (None, "i9.pdf", corpus("flat/uscis_i9_paper_version_2017.pdf"))], "invalid", SSA_OK,
         [*JOSE_SEEN, "form.wrong@i9.pdf"]),
    case("a work permit given as proof of citizenship is not one, and the immigration proof is still missing", SSA,
         [form("ss5", "ss5.pdf", "ss5", KWAME["ss5"]), *KWAME_SSA_DOCS,
          ("proof_of_citizenship", "work-permit.pdf", WORK_PERMIT)], "invalid",
         items(KWAME_OK, proof_of_citizenship=INVALID, immigration_status=MISSING),
         ["document.content@work-permit.pdf", "document.missing@immigration_status"]),
    case("a printout of someone else's state ID is taken with a name warning", SSA,
         [form("ss5", "ss5.pdf", "ss5", JOSE["ss5"]), *JOSE_SSA_DOCS[:2],
          ("proof_of_identity", "id-printout.pdf", letter(
              "ILLINOIS IDENTIFICATION CARD", "MARIA LOPEZ", "418 Maple Avenue, Apt 3B", "Springfield, IL 62704",
              "DOB 07/02/1986        ISS 07/15/2022        EXP 07/02/2030"))], "complete", SSA_OK,
         ["document.name_mismatch@id-printout.pdf:warning"]),
]

W9_OK = dict(ein_letter=NOT_NEEDED)
LLC = dict(name="Pérez Home Repairs LLC", llc=True, llc_class="S", address="418 Maple Avenue, Apt 3B",
           city_state_zip="Springfield, IL 62704-1234", ein=["12", "3456789"])

W9_CASES = [
    case("a sole proprietor's W-9 with an SSN is complete", W9, [("w9", "w9.pdf", JOSE_W9)], "complete", W9_OK),
    case("an LLC taxed as an S corporation with its EIN and the IRS letter is complete", W9,
         [form("w9", "w9.pdf", "w9", LLC), ("ein_letter", "cp575.pdf", EIN_LETTER)], "complete",
         dict(ein_letter=PROVIDED)),
    case("a W-9 with no address on lines 5 and 6 asks for it", W9,
         [form("w9", "w9.pdf", "w9", JOSE["w9"], address=None, city_state_zip=None)], "incomplete", W9_OK,
         ["field.required@w9.pdf"]),
    case("a W-9 with both an SSN and an EIN breaks the one-number rule", W9,
         [form("w9", "w9.pdf", "w9", JOSE["w9"], ein=["12", "3456789"])], "invalid", W9_OK, ["field.rule@w9.pdf"]),
    case("an EIN one digit short is a format problem", W9,
         [form("w9", "w9.pdf", "w9", LLC, ein=["12", "345678"])], "invalid", W9_OK, ["field.format@w9.pdf"]),
    case("line 6 without a ZIP code is a format problem", W9,
         [form("w9", "w9.pdf", "w9", JOSE["w9"], city_state_zip="Springfield, Illinois")], "invalid", W9_OK,
         ["field.format@w9.pdf"]),
    case("an exempt payee code of 14 does not exist", W9,
         [form("w9", "w9.pdf", "w9", JOSE["w9"], exempt_payee_code="14")], "invalid", W9_OK,
         ["field.format@w9.pdf"]),
    case("an LLC tax class of X is not one of C, S or P", W9,
         [form("w9", "w9.pdf", "w9", LLC, llc_class="X")], "invalid", W9_OK, ["field.choice@w9.pdf"]),
    case("a W-9 with no tax classification ticked asks for one", W9,
         [form("w9", "w9.pdf", "w9", JOSE["w9"], individual=None)], "incomplete", W9_OK, ["field.rule@w9.pdf"]),
    case("a filled W-9 of the December 2011 revision, with other box names, is outdated", W9,
         [("w9", "w9-2011.pdf", W9_2011)], "invalid", W9_OK, ["form.outdated@w9-2011.pdf:blocks"], lang="es"),
    case("an unlabelled W-9 of the December 2011 revision is outdated", W9,
         [(None, "vendor-form.pdf", W9_2011)], "invalid", W9_OK, ["form.outdated@vendor-form.pdf"]),
    case("a filled DS-11 under the W-9 is the wrong form", W9,
         [form("w9", "w9.pdf", "ds11", JOSE["ds11"])], "invalid", W9_OK, ["form.wrong@w9.pdf"]),
    case("a W-4 among the unlabelled files is a form this service does not use", W9,
         [("w9", "w9.pdf", JOSE_W9), (None, "w4.pdf", corpus("forms/irs_fw4_2025_orphan_widgets.pdf"))],
         "invalid", W9_OK, ["form.wrong@w4.pdf"]),
    case("a draft W-9 without the address and the finished one: the newest is checked", W9,
         [form("w9", "w9-draft.pdf", "w9", JOSE["w9"], address=None, city_state_zip=None),
          ("w9", "w9-signed.pdf", JOSE_W9)], "complete", W9_OK, ["file.duplicate@w9-draft.pdf:warning"]),
    case("the same W-9 uploaded twice is used once", W9,
         [("w9", "w9.pdf", JOSE_W9), ("w9", "w9 (1).pdf", JOSE_W9)], "complete", W9_OK,
         ["file.same_file@w9 (1).pdf:warning"]),
    case("a damaged download of the W-9 before the good copy is its own file problem, not a duplicate", W9,
         [("w9", "w9-download.pdf", corpus("malformed/truncated_no_eof.pdf")), ("w9", "w9.pdf", JOSE_W9)],
         "invalid", W9_OK, ["file.damaged@w9-download.pdf"]),
    case("an empty W-9 file is refused", W9,
         [("w9", "w9.pdf", corpus("malformed/empty_zero_bytes.pdf"))], "invalid", W9_OK, ["file.empty@w9.pdf"]),
    case("a utility bill given as the IRS EIN letter is not that letter", W9,
         [form("w9", "w9.pdf", "w9", LLC), ("ein_letter", "irs-letter.pdf", JOSE_BILL)], "invalid",
         dict(ein_letter=INVALID), ["document.content@irs-letter.pdf"]),
    case("a vendor from Portland, Maine, is complete", W9, [form("w9", "w9.pdf", "w9", GRACE["w9"])], "complete",
         W9_OK, lang="es"),
    case("an unlabelled W-9 is recognised and complete", W9, [(None, "scan0001.pdf", JOSE_W9)], "complete", W9_OK),
    case("a utility bill among the unlabelled files has no place in a vendor packet", W9,
         [("w9", "w9.pdf", JOSE_W9), (None, "electric-bill.pdf", JOSE_BILL)], "complete", W9_OK,
         ["file.unrecognised@electric-bill.pdf:warning"]),
    case("a W-2 given as the W-9 is the wrong form", W9,
         [("w9", "w-2.pdf", corpus("forms/irs_fw2_2025.pdf"))], "invalid", W9_OK, ["form.wrong@w-2.pdf"]),
    case("a file with a launch action given as the IRS letter is refused as unsafe", W9,
         [form("w9", "w9.pdf", "w9", LLC),
          ("ein_letter", "ein.pdf", corpus("malformed/launch_action_relative_path.pdf"))],
         "invalid", dict(ein_letter=INVALID), ["file.unsafe@ein.pdf:blocks"]),
    case("a FATCA code of Z does not exist", W9,
         [form("w9", "w9.pdf", "w9", LLC, fatca_code="Z")], "invalid", W9_OK, ["field.format@w9.pdf"]),
]

DMV_NONE = dict(id_passport=NOT_NEEDED, id_birth_certificate=NOT_NEEDED, id_out_of_state_licence=NOT_NEEDED,
                id_ssn_card=NOT_NEEDED, id_pay_stub=NOT_NEEDED, proof_of_residence=MISSING)
AISHA_DMV_OK = items(DMV_NONE, id_passport=PROVIDED, id_birth_certificate=PROVIDED, proof_of_residence=PROVIDED)
AISHA_SIX = [("id_passport", "passport.jpg", AISHA_PASSPORT), ("id_birth_certificate", "birth.pdf", AISHA_BIRTH)]
AISHA_SIX_SEEN = ["document.unreadable@passport.jpg"]
GRACE_DMV = [("id_out_of_state_licence", "maine-licence.jpg", GRACE_ID),
             ("id_birth_certificate", "birth.pdf", GRACE_BIRTH),
             ("id_pay_stub", "pay-stub.pdf", doc(G, "pay_stub_1.pdf"))]
GRACE_DMV_SEEN: list[str] = []
GRACE_DMV_OK = items(DMV_NONE, id_out_of_state_licence=PROVIDED, id_birth_certificate=PROVIDED,
                     id_pay_stub=PROVIDED, proof_of_residence=PROVIDED)

DMV_CASES = [
    case("a permit with a passport, a birth certificate and a fresh bill has its six points", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "complete", AISHA_DMV_OK, AISHA_SIX_SEEN),
    case("a birth certificate, SSN card, pay stub and bill make five points, one short of six", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), ("id_birth_certificate", "birth.pdf", AISHA_BIRTH),
          ("id_ssn_card", "ssn-card.png", doc(A, "ssn_card.png")),
          ("id_pay_stub", "pay-stub.pdf", doc(A, "pay_stub_1.pdf")),
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "incomplete",
         items(DMV_NONE, id_birth_certificate=PROVIDED, id_ssn_card=PROVIDED, id_pay_stub=PROVIDED,
               proof_of_residence=PROVIDED),
         ["points.short@identity_points"]),
    case("a Maine licence transfer with a Maine bill has no New York address and too few points",
         DMV, [form("mv44", "mv44.pdf", "mv44", GRACE["mv44"]), *GRACE_DMV,
               ("proof_of_residence", "power-bill.pdf", GRACE_BILL)], "invalid",
         items(GRACE_DMV_OK, proof_of_residence=INVALID),
         [*GRACE_DMV_SEEN, "document.address_mismatch@power-bill.pdf:blocks", "points.short@identity_points"]),
    case("a Maine licence transfer with six points but a Maine bank statement as residence", DMV,
         [form("mv44", "mv44.pdf", "mv44", GRACE["mv44"]), *GRACE_DMV,
          ("id_ssn_card", "ssn-card.png", doc(G, "ssn_card.png")), ("proof_of_residence", "statement.pdf", GRACE_BANK)],
         "invalid", items(GRACE_DMV_OK, id_ssn_card=PROVIDED, proof_of_residence=INVALID),
         [*GRACE_DMV_SEEN, "document.address_mismatch@statement.pdf"]),
    case("a stale bill alone does not prove residence", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "water-bill.pdf", AISHA_STALE_BILL)], "invalid",
         items(AISHA_DMV_OK, proof_of_residence=INVALID), [*AISHA_SIX_SEEN, "document.too_old@water-bill.pdf:blocks"]),
    case("a stale bill beside a fresh one proves residence", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "water-bill.pdf", AISHA_STALE_BILL),
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "complete", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "document.too_old@water-bill.pdf:warning"]),
    case("a name change answered yes without the former name", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"], name_changed="Yes"), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "incomplete", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "field.required@mv44.pdf"]),
    case("both an SSN and the never-had-one box", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"], no_ssn=True), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "field.rule@mv44.pdf"]),
    case("a New York ID number of five digits is not one", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"], ny_id_number="47291"), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "field.format@mv44.pdf"]),
    case("another state's licence answered yes with no licence and no proof of residence uploaded", DMV,
         [form("mv44", "mv44.pdf", "mv44", GRACE["mv44"]), *GRACE_DMV[1:],
          ("id_ssn_card", "ssn-card.png", doc(G, "ssn_card.png"))], "incomplete",
         items(GRACE_DMV_OK, id_out_of_state_licence=MISSING, id_ssn_card=PROVIDED, proof_of_residence=MISSING),
         ["document.missing@id_out_of_state_licence", "document.missing@proof_of_residence",
          "points.short@identity_points"]),
    case("an unlabelled MV-44, pay stub, bank statement and bill are sorted but make two points", DMV,
         [form(None, "dmv-form.pdf", "mv44", AISHA["mv44"]), (None, "paystub.pdf", doc(A, "pay_stub_1.pdf")),
          (None, "statement.pdf", doc(A, "bank_statement.pdf")), (None, "con-ed.pdf", AISHA_BILL)], "incomplete",
         items(DMV_NONE, id_pay_stub=PROVIDED, proof_of_residence=PROVIDED), ["points.short@identity_points"]),
    case("a noncitizen with no SSN, a pay stub and a lease is short of points", DMV,
         [form("mv44", "mv44.pdf", "mv44", KWAME["mv44"]), ("id_pay_stub", "pay-stub.pdf", doc(K, "pay_stub_1.pdf")),
          ("proof_of_residence", "lease.pdf", doc(K, "lease.pdf"))], "incomplete",
         items(DMV_NONE, id_pay_stub=PROVIDED, proof_of_residence=PROVIDED), ["points.short@identity_points"]),
    case("a phone bill in another person's name proves residence with a warning", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "phone-bill.pdf", doc(A, "phone_bill_other_name.pdf"))], "complete", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "document.name_mismatch@phone-bill.pdf:warning"], lang="es"),
    case("an MV-44 of the 10/21 edition is outdated, with no field problems", DMV,
         [("mv44", "mv44-old.pdf", MV44_2021), *AISHA_SIX, ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)],
         "invalid", AISHA_DMV_OK, [*AISHA_SIX_SEEN, "form.outdated@mv44-old.pdf"]),
    case("the name-change petition given as the MV-44 is the wrong form", DMV,
         [("mv44", "mv44.pdf", AISHA_PETITION), *AISHA_SIX, ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)],
         "invalid", AISHA_DMV_OK, [*AISHA_SIX_SEEN, "form.wrong@mv44.pdf"]),
    case("a password-locked pay stub is its own file problem", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("id_pay_stub", "pay-stub.pdf", corpus("malformed/encrypted_aes256_r6_user_pw.pdf")),
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid", items(AISHA_DMV_OK, id_pay_stub=INVALID),
         [*AISHA_SIX_SEEN, "file.encrypted@pay-stub.pdf"]),
    case("a draft MV-44 without the county and the finished one: the newest is checked", DMV,
         [form("mv44", "mv44-draft.pdf", "mv44", AISHA["mv44"], county=None),
          form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "complete", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "file.duplicate@mv44-draft.pdf:warning"]),
    case("the bill given as residence and again among the unlabelled files is used once", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL), (None, "bill-october.pdf", AISHA_BILL)],
         "complete", AISHA_DMV_OK, [*AISHA_SIX_SEEN, "file.same_file@bill-october.pdf:warning"]),
    case("a stale pay stub earns no point, and the points fall short", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), ("id_birth_certificate", "birth.pdf", AISHA_BIRTH),
          ("id_ssn_card", "ssn-card.png", doc(A, "ssn_card.png")),
          ("id_pay_stub", "pay-stub.pdf", doc(A, "pay_stub_2.pdf")),
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid",
         items(DMV_NONE, id_birth_certificate=PROVIDED, id_ssn_card=PROVIDED, id_pay_stub=INVALID,
               proof_of_residence=PROVIDED),
         ["document.too_old@pay-stub.pdf:blocks",
          "points.short@identity_points"]),
    case("a stale Maine water bill is both too old and not a New York address", DMV,
         [form("mv44", "mv44.pdf", "mv44", GRACE["mv44"]), *GRACE_DMV,
          ("id_ssn_card", "ssn-card.png", doc(G, "ssn_card.png")),
          ("proof_of_residence", "water-bill.pdf", doc(G, "utility_bill_2.pdf"))], "invalid",
         items(GRACE_DMV_OK, id_ssn_card=PROVIDED, proof_of_residence=INVALID),
         [*GRACE_DMV_SEEN, "document.too_old@water-bill.pdf",
          "document.address_mismatch@water-bill.pdf"]),
    case("a utility bill given as the pay stub is not one", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"]), *AISHA_SIX, ("id_pay_stub", "stub.pdf", AISHA_BILL),
          ("proof_of_residence", "statement.pdf", doc(A, "bank_statement.pdf"))], "invalid",
         items(AISHA_DMV_OK, id_pay_stub=INVALID), [*AISHA_SIX_SEEN, "document.content@stub.pdf"]),
    case("a damaged MV-44 download cannot be opened", DMV,
         [("mv44", "mv44.pdf", corpus("malformed/bad_xref_extra_text.pdf")), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "file.damaged@mv44.pdf"]),
    case("an MV-44 signed on a date still to come", DMV,
         [form("mv44", "mv44.pdf", "mv44", AISHA["mv44"], signed_on=["12", "24", "2026"]), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "invalid", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "field.range@mv44.pdf"]),
    case("the blank MV-44 as downloaded asks for every answer", DMV,
         [("mv44", "mv44.pdf", corpus("forms/ny_mv44_driver_license_application.pdf")), *AISHA_SIX,
          ("proof_of_residence", "electric-bill.pdf", AISHA_BILL)], "incomplete", AISHA_DMV_OK,
         [*AISHA_SIX_SEEN, "field.required@mv44.pdf", "field.rule@mv44.pdf"]),
]

COURT_OK = dict(birth_certificate=PROVIDED, photo_id=PROVIDED, proof_of_address=PROVIDED)
AISHA_COURT = [("birth_certificate", "birth.pdf", AISHA_BIRTH), ("photo_id", "id.jpg", AISHA_ID)]
COURT_SEEN = []
GRACE_COURT = [("birth_certificate", "birth.pdf", GRACE_BIRTH), ("photo_id", "id.jpg", GRACE_ID)]

COURT_CASES = [
    case("a petition with birth certificate, ID and an unlabelled fresh bill is complete", COURT,
         [("petition", "petition.pdf", AISHA_PETITION), *AISHA_COURT, (None, "electric-bill.pdf", AISHA_BILL)],
         "complete", COURT_OK, COURT_SEEN),
    case("a Buffalo petitioner with his Ghana birth certificate and lease is complete", COURT,
         [form("petition", "petition.pdf", "petition", KWAME["petition"]),
          ("birth_certificate", "ghana-birth-certificate.pdf", GHANA_BIRTH),
          ("photo_id", "id.jpg", doc(K, "state_id_front_photo.jpg")),
          ("proof_of_address", "lease.pdf", doc(K, "lease.pdf"))], "complete", COURT_OK,
         []),
    case("a Maine bill does not show a New York address", COURT,
         [form("petition", "petition.pdf", "petition", GRACE["petition"]), *GRACE_COURT,
          ("proof_of_address", "power-bill.pdf", GRACE_BILL)], "invalid", items(COURT_OK, proof_of_address=INVALID),
         [*COURT_SEEN, "document.address_mismatch@power-bill.pdf:blocks"]),
    case("an unlabelled Maine bank statement does not show a New York address", COURT,
         [form("petition", "petition.pdf", "petition", GRACE["petition"]), *GRACE_COURT,
          (None, "statement.pdf", GRACE_BANK)], "invalid", items(COURT_OK, proof_of_address=INVALID),
         [*COURT_SEEN, "document.address_mismatch@statement.pdf"], lang="es"),
    case("a sex designation change without the new designation", COURT,
         [form("petition", "petition.pdf", "petition", AISHA["petition"], sex_change=True), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "incomplete", COURT_OK,
         [*COURT_SEEN, "field.required@petition.pdf"]),
    case("neither a name change nor a sex designation change is ticked", COURT,
         [form("petition", "petition.pdf", "petition", AISHA["petition"], name_change=None), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "incomplete", COURT_OK,
         [*COURT_SEEN, "field.rule@petition.pdf"]),
    case("a seventeen-year-old cannot use the adult petition", COURT,
         [form("petition", "petition.pdf", "petition", AISHA["petition"], age="17", birth_date="03/14/2009"),
          *AISHA_COURT, ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "invalid", COURT_OK,
         [*COURT_SEEN, "field.range@petition.pdf"]),
    case("a Michigan name-change petition is the wrong form for a New York court", COURT,
         [("petition", "name-change-petition.pdf", corpus("forms/mi_pc51_petition_name_change.pdf")), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "invalid", COURT_OK,
         [*COURT_SEEN, "form.wrong@name-change-petition.pdf"]),
    case("the Alaska birth certificate request under the petition is the wrong form", COURT,
         [("petition", "petition.pdf", corpus("forms/ak_birth_cert_name_change_request.pdf")), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "invalid", COURT_OK,
         [*COURT_SEEN, "form.wrong@petition.pdf"]),
    case("a lease beside a stale bill proves the address", COURT,
         [("petition", "petition.pdf", AISHA_PETITION), *AISHA_COURT,
          ("proof_of_address", "lease.pdf", doc(A, "lease.pdf")),
          ("proof_of_address", "water-bill.pdf", AISHA_STALE_BILL)],
         "complete", COURT_OK, [*COURT_SEEN, "document.too_old@water-bill.pdf:warning"]),
    case("a phone bill in another person's name at her Bronx address proves it with a warning", COURT,
         [("petition", "petition.pdf", AISHA_PETITION), *AISHA_COURT,
          ("proof_of_address", "phone-bill.pdf", doc(A, "phone_bill_other_name.pdf"))], "complete", COURT_OK,
         [*COURT_SEEN, "document.name_mismatch@phone-bill.pdf:warning"]),
    case("a petition without the birth certificate", COURT,
         [("petition", "petition.pdf", AISHA_PETITION), ("photo_id", "id.jpg", AISHA_ID),
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "incomplete",
         items(COURT_OK, birth_certificate=MISSING),
         ["document.missing@birth_certificate"]),
    case("a draft petition without the address and the finished one: the newest is checked", COURT,
         [form("petition", "petition-draft.pdf", "petition", AISHA["petition"], address=None),
          ("petition", "petition.pdf", AISHA_PETITION), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "complete", COURT_OK,
         [*COURT_SEEN, "file.duplicate@petition-draft.pdf:warning"]),
    case("an unlabelled petition, bill and lease are sorted beside the labelled certificate and ID", COURT,
         [(None, "NC1.pdf", AISHA_PETITION), *AISHA_COURT, (None, "electric-bill.pdf", AISHA_BILL),
          (None, "lease.pdf", doc(A, "lease.pdf"))], "complete", COURT_OK, COURT_SEEN, lang="es"),
    case("a damaged bill beside a fresh one: the fresh one proves the address", COURT,
         [("petition", "petition.pdf", AISHA_PETITION), *AISHA_COURT,
          ("proof_of_address", "bill-download.pdf", corpus("malformed/truncated_no_eof.pdf")),
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "complete", COURT_OK,
         [*COURT_SEEN, "file.damaged@bill-download.pdf:warning"]),
    case("a petition to the Family Court, which does not hear adult name changes", COURT,
         [form("petition", "petition.pdf", "petition", AISHA["petition"], court="Family"), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "invalid", COURT_OK,
         [*COURT_SEEN, "field.choice@petition.pdf"]),
    case("a Maine lease does not show a New York address", COURT,
         [form("petition", "petition.pdf", "petition", GRACE["petition"]), *GRACE_COURT,
          ("proof_of_address", "lease.pdf", doc(G, "lease.pdf"))], "invalid", items(COURT_OK, proof_of_address=INVALID),
         [*COURT_SEEN, "document.address_mismatch@lease.pdf"]),
    case("a Maine phone bill in another person's name is both a name warning and an address problem", COURT,
         [form("petition", "petition.pdf", "petition", GRACE["petition"]), *GRACE_COURT,
          ("proof_of_address", "phone-bill.pdf", doc(G, "phone_bill_other_name.pdf"))], "invalid",
         items(COURT_OK, proof_of_address=INVALID),
         [*COURT_SEEN, "document.name_mismatch@phone-bill.pdf:warning", "document.address_mismatch@phone-bill.pdf"]),
    case("a Buffalo phone bill in another person's name is taken with a warning", COURT,
         [form("petition", "petition.pdf", "petition", KWAME["petition"]),
          ("birth_certificate", "ghana-birth-certificate.pdf", GHANA_BIRTH),
          ("photo_id", "id.jpg", doc(K, "state_id_front_photo.jpg")),
          ("proof_of_address", "phone-bill.pdf", doc(K, "phone_bill_other_name.pdf"))], "complete", COURT_OK,
         ["document.name_mismatch@phone-bill.pdf:warning"]),
    case("the blank petition as downloaded asks for every answer", COURT,
         [("petition", "petition.pdf", corpus("forms/ny_ucs_nc1_adult_name_change_petition.pdf")), *AISHA_COURT,
          ("proof_of_address", "electric-bill.pdf", AISHA_BILL)], "incomplete", COURT_OK,
         [*COURT_SEEN, "field.required@petition.pdf", "field.rule@petition.pdf"]),
]

CCAP_OK = dict(proof_of_work=PROVIDED, school_schedule=PROVIDED, proof_of_address=PROVIDED)
JOSE_CCAP_DOCS = [("proof_of_work", "pay-stub.pdf", doc(J, "pay_stub_1.pdf")),
                  ("proof_of_work", "employer-letter.pdf", doc(J, "employer_letter.pdf")),
                  ("school_schedule", "school-letter.pdf", doc(J, "school_letter.pdf")),
                  ("proof_of_address", "electric-bill.pdf", JOSE_BILL)]
WORKING_OK = items(CCAP_OK, school_schedule=NOT_NEEDED)
NO_JOB = dict(jobs_count="0", employer_name=None, employer_phone=None, job_start=None, pay_amount=None, pay_rate=None,
              hours_per_week=None)

CCAP_CASES = [
    case("working and in school, with pay stub, employer letter, school letter and bill, is complete", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"]), *JOSE_CCAP_DOCS], "complete", CCAP_OK),
    case("in school and not working, with an unlabelled school letter and bank statement, is complete", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], **NO_JOB),
          (None, "enrolment.pdf", doc(J, "school_letter.pdf")),
          (None, "statement.pdf", doc(J, "bank_statement.pdf"))], "complete",
         items(CCAP_OK, proof_of_work=NOT_NEEDED)),
    case("working but with no proof of work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING), ("proof_of_address", "electric-bill.pdf", JOSE_BILL)],
         "incomplete", items(WORKING_OK, proof_of_work=MISSING), ["document.missing@proof_of_work"]),
    case("a fresh pay stub beside a stale one proves the work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING),
          ("proof_of_work", "pay-stub-august.pdf", doc(J, "pay_stub_2.pdf")),
          ("proof_of_work", "pay-stub-november.pdf", doc(J, "pay_stub_1.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "complete", WORKING_OK,
         ["document.too_old@pay-stub-august.pdf:warning"]),
    case("a stale pay stub alone is too old to prove the work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING), ("proof_of_work", "pay-stub.pdf", doc(J, "pay_stub_2.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "invalid", items(WORKING_OK, proof_of_work=INVALID),
         ["document.too_old@pay-stub.pdf:blocks"]),
    case("the Alaska birth certificate request under the CCAP application is the wrong form", CCAP,
         [("ccap", "child-care-application.pdf", corpus("forms/ak_birth_cert_name_change_request.pdf")),
          *JOSE_CCAP_DOCS], "invalid", CCAP_OK, ["form.wrong@child-care-application.pdf:blocks"]),
    case("the Missouri birth certificate application under the CCAP application is the wrong form", CCAP,
         [("ccap", "application.pdf", corpus("flat/mo_birth_certificate_application.pdf")), *JOSE_CCAP_DOCS],
         "invalid", CCAP_OK, ["form.wrong@application.pdf"], lang="es"),
    case("a Chicago dental assistant with a pay stub, employer letter and bill is complete", CCAP,
         [form("ccap", "ccap.pdf", "ccap", MARISOL["ccap"]), ("proof_of_work", "stub.pdf", doc(M, "pay_stub_1.pdf")),
          ("proof_of_work", "letter.pdf", doc(M, "employer_letter.pdf")),
          ("proof_of_address", "gas-bill.pdf", doc(M, "utility_bill_1.pdf"))], "complete", WORKING_OK),
    case("an application that is not signed", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], signature=None), *JOSE_CCAP_DOCS], "incomplete", CCAP_OK,
         ["form.unsigned@ccap.pdf"]),
    case("a child born in the future", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], child_birth_date="06/15/2027"), *JOSE_CCAP_DOCS], "invalid",
         CCAP_OK, ["field.range@ccap.pdf"]),
    case("a school term that ends before it starts", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], term_end="12/18/2025"), *JOSE_CCAP_DOCS], "invalid", CCAP_OK,
         ["field.rule@ccap.pdf"]),
    case("a job without the hours worked asks for them", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], hours_per_week=None), *JOSE_CCAP_DOCS], "incomplete", CCAP_OK,
         ["field.required@ccap.pdf"]),
    case("neither a job nor a school is named", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING, **NO_JOB),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)],
         "incomplete", items(CCAP_OK, proof_of_work=NOT_NEEDED, school_schedule=NOT_NEEDED), ["field.rule@ccap.pdf"]),
    case("an email address without a domain is a format problem", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], email="jose.perez@"), *JOSE_CCAP_DOCS], "invalid", CCAP_OK,
         ["field.format@ccap.pdf"]),
    case("an old signed lease still proves the address", CCAP,
         [form("ccap", "ccap.pdf", "ccap", MARISOL["ccap"]), ("proof_of_work", "stub.pdf", doc(M, "pay_stub_1.pdf")),
          ("proof_of_address", "lease.pdf", doc(M, "lease.pdf"))], "complete", WORKING_OK),
    case("a bank statement given as the school schedule is not a school letter", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"]), *JOSE_CCAP_DOCS[:2],
          ("school_schedule", "schedule.pdf", doc(J, "bank_statement.pdf")), JOSE_CCAP_DOCS[3]], "invalid",
         items(CCAP_OK, school_schedule=INVALID), ["document.content@schedule.pdf"]),
    case("a phone bill in another person's name at the family's address proves it with a warning", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"]), *JOSE_CCAP_DOCS[:3],
          ("proof_of_address", "phone-bill.pdf", JOSE_PHONE_BILL)], "complete", CCAP_OK,
         ["document.name_mismatch@phone-bill.pdf:warning"]),
    case("the same pay stub uploaded twice is used once", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING), ("proof_of_work", "pay-stub.pdf", doc(J, "pay_stub_1.pdf")),
          ("proof_of_work", "pay-stub (2).pdf", doc(J, "pay_stub_1.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "complete", WORKING_OK,
         ["file.same_file@pay-stub (2).pdf:warning"], lang="es"),
    case("an unlabelled application, pay stub, employer letter, school letter and bill are all sorted", CCAP,
         [form(None, "IL444-3455.pdf", "ccap", JOSE["ccap"]),
          *[(None, name, recipe) for _, name, recipe in JOSE_CCAP_DOCS]],
         "complete", CCAP_OK),
    case("a negative pay amount is out of range", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], pay_amount="-17.50"), *JOSE_CCAP_DOCS], "invalid", CCAP_OK,
         ["field.range@ccap.pdf"]),
    case("twelve jobs is more than the form allows", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"], jobs_count="12"), *JOSE_CCAP_DOCS], "invalid", CCAP_OK,
         ["field.range@ccap.pdf"]),
    case("a lease is not a proof of work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING), ("proof_of_work", "work.pdf", doc(J, "lease.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "invalid", items(WORKING_OK, proof_of_work=INVALID),
         ["document.content@work.pdf"]),
    case("a filled medical payment request under the CCAP application is the wrong form", CCAP,
         [("ccap", "ccap.pdf", corpus("forms/hhs_cms1490s_filled.pdf")), *JOSE_CCAP_DOCS], "invalid", CCAP_OK,
         ["form.wrong@ccap.pdf"]),
    case("a pay stub file whose page tree loops cannot prove the work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING), ("proof_of_work", "pay-stub.pdf",
                                                          corpus("malformed/pages_tree_loop.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "invalid", items(WORKING_OK, proof_of_work=INVALID),
         ["file.damaged@pay-stub.pdf"]),
    case("a letter from the employer alone proves the work", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE_WORKING),
          ("proof_of_work", "letter.pdf", doc(J, "employer_letter.pdf")),
          ("proof_of_address", "electric-bill.pdf", JOSE_BILL)], "complete", WORKING_OK),
    case("an SS-5 among the unlabelled files is a form this service does not use", CCAP,
         [form("ccap", "ccap.pdf", "ccap", JOSE["ccap"]), *JOSE_CCAP_DOCS,
          form(None, "social-security.pdf", "ss5", JOSE["ss5"])], "invalid", CCAP_OK,
         ["form.wrong@social-security.pdf"]),
]

GUARDIANSHIP = letter(
    "STATE OF MICHIGAN - WASHTENAW COUNTY PROBATE COURT", "LETTERS OF GUARDIANSHIP OF A MINOR",
    "In the matter of Leo Kowalski, a minor                     File No. 2024-0381-GM",
    "Ruth Nowak, 77 Liberty St, Ann Arbor, MI 48104, is appointed guardian of the minor.",
    "These letters are issued on March 12, 2024, and remain in effect until the court orders otherwise.")
JUDGMENT = letter(
    "STATE OF MICHIGAN - 22ND JUDICIAL CIRCUIT, WASHTENAW COUNTY",
    "JUDGMENT OF SENTENCE - COMMITMENT TO DEPARTMENT OF CORRECTIONS",
    "People of the State of Michigan v. Mark Kowalski                Case No. 2023-1177-FH",
    "Convicted of child abuse, second degree, MCL 750.136b(3). Victim: Leo Kowalski, a minor.",
    "Sentenced on September 8, 2023.                                 Judge of the Circuit Court")
SOFIA_ORDER = letter(
    "IN THE CIRCUIT COURT OF THE SEVENTH JUDICIAL CIRCUIT, SANGAMON COUNTY, ILLINOIS",
    "In re the change of name of Sofía García, a minor            Case No. 2025-MR-0907",
    "ORDER FOR CHANGE OF NAME",
    "It is ordered that the name of the minor Sofía García is changed to Sofía Pérez.",
    "Entered: August 4, 2025                                  Judge of the Circuit Court")
GUARDIAN_PAPERS = letter(
    "STATE OF ALASKA - SUPERIOR COURT, THIRD JUDICIAL DISTRICT AT ANCHORAGE",
    "LETTERS OF GUARDIANSHIP", "In the matter of the guardianship of Sofía Pérez, a minor      Case No. 3AN-25-0412PR",
    "José Ángel Pérez is appointed guardian of the minor and may act on her behalf.",
    "Issued: September 2, 2025                                    Clerk of the Trial Courts")

PC51 = "forms/mi_pc51_petition_name_change.pdf"
MI_NONE = dict(letters_of_guardianship=NOT_NEEDED, judgment_abuse=NOT_NEEDED, judgment_murder=NOT_NEEDED)
MI_SON = items(MI_NONE, letters_of_guardianship=PROVIDED)

MICHIGAN_CASES = [
    case("an adult's PC 51 petition is complete on its own", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"])], "complete", MI_NONE),
    case("an unsigned PC 51 petition", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], signature=None)], "incomplete", MI_NONE,
         ["form.unsigned@pc51.pdf"]),
    case("a PC 51 petition that does not say whose name changes", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], adult_only=None)], "incomplete", MI_NONE,
         ["field.rule@pc51.pdf"]),
    case("a PC 51 petition for an adult only and a minor only at once", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], minor_only=True)], "invalid", MI_NONE,
         ["field.rule@pc51.pdf"]),
    case("a PC 51 petition signed on a date still to come", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], signed_on="01/15/2027")], "invalid", MI_NONE,
         ["field.range@pc51.pdf"]),
    case("a petition for a mother and her son with the guardian's letters is complete", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA_WITH_SON), ("letters_of_guardianship", "letters.pdf", GUARDIANSHIP)],
         "complete", MI_SON),
    case("a petition that names the son's guardian without the letters", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA_WITH_SON)], "incomplete",
         items(MI_NONE, letters_of_guardianship=MISSING), ["document.missing@letters_of_guardianship"]),
    case("the father's conviction for child abuse with the judgment of sentence is complete", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA_WITH_SON, parent_convicted_abuse=True),
          ("letters_of_guardianship", "letters.pdf", GUARDIANSHIP), (None, "judgment.pdf", JUDGMENT)],
         "complete", items(MI_SON, judgment_abuse=PROVIDED)),
    case("a bank statement given as the judgment of sentence is not one", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA_WITH_SON, parent_convicted_abuse=True),
          ("letters_of_guardianship", "letters.pdf", GUARDIANSHIP),
          ("judgment_abuse", "judgment.pdf", doc(J, "bank_statement.pdf"))], "invalid",
         items(MI_SON, judgment_abuse=INVALID), ["document.content@judgment.pdf"]),
    case("a criminal record ticked but not described", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], no_record=None, has_record=True)], "incomplete", MI_NONE,
         ["field.required@pc51.pdf"], lang="es"),
    case("a spouse whose name changes too has not signed the consent", MICHIGAN,
         [form("pc51", "pc51.pdf", "pc51", DANA["pc51"], adult_only=None, for_family=True, for_spouse=True,
               spouse_first_name="Sam", spouse_last_name="Kowalski", spouse_new_first_name="Sam",
               spouse_new_last_name="Nowak")], "incomplete", MI_NONE, ["field.required@pc51.pdf"]),
    case("the New York UCS-NC1 petition under the PC 51 is the wrong form", MICHIGAN,
         [("pc51", "petition.pdf", AISHA_PETITION)], "invalid", MI_NONE, ["form.wrong@petition.pdf"]),
    case("the blank PC 51 as downloaded asks for every answer", MICHIGAN,
         [("pc51", "pc51.pdf", corpus(PC51))], "incomplete", MI_NONE,
         ["field.required@pc51.pdf", "field.rule@pc51.pdf", "form.unsigned@pc51.pdf"], lang="es"),
]

AK_OK = dict(photo_id=PROVIDED, court_order=NOT_NEEDED, legal_documents=NOT_NEEDED)
JOSE_AK = [("photo_id", "id-front.jpg", JOSE_ID)]

ALASKA_CASES = [
    case("a father's request for his daughter's new name with his ID and the court order is complete", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"]), *JOSE_AK,
          ("court_order", "order.pdf", SOFIA_ORDER)], "complete", items(AK_OK, court_order=PROVIDED)),
    case("the request with his ID alone is complete: the certified order comes by mail", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"]), *JOSE_AK], "complete", AK_OK),
    case("a request without a copy of the ID", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"])], "incomplete",
         items(AK_OK, photo_id=MISSING), ["document.missing@photo_id"]),
    case("a lease given as the ID is not an ID", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"]),
          ("photo_id", "id.pdf", doc(J, "lease.pdf"))], "invalid", items(AK_OK, photo_id=INVALID),
         ["document.content@id.pdf"]),
    case("a legal representative without papers or the box that says they are included", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], parent=None, representative=True),
          *JOSE_AK], "incomplete", items(AK_OK, legal_documents=MISSING),
         ["field.required@request.pdf", "document.missing@legal_documents"]),
    case("a guardian with letters of guardianship is complete", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], parent=None, representative=True,
               legal_docs_included=True), *JOSE_AK, (None, "guardianship.pdf", GUARDIAN_PAPERS)], "complete",
         items(AK_OK, legal_documents=PROVIDED)),
    case("a request that leaves out the name change fee", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], name_change_fee="0"), *JOSE_AK],
         "invalid", AK_OK, ["field.range@request.pdf"]),
    case("a request that ticks two ways of shipping", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], ship_regular=True), *JOSE_AK],
         "invalid", AK_OK, ["field.rule@request.pdf"]),
    case("a card payment without the card's number and date", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], pay_check=None, pay_card=True,
               card_name="José Pérez"), *JOSE_AK], "incomplete", AK_OK, ["field.required@request.pdf"], lang="es"),
    case("a birth date still to come", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], birth_date="06/15/2027"), *JOSE_AK],
         "invalid", AK_OK, ["field.range@request.pdf"]),
    case("an email address without a domain on the Alaska request", ALASKA,
         [form("ak_request", "request.pdf", "ak_request", JOSE["ak_request"], email="jose.perez@"), *JOSE_AK],
         "invalid", AK_OK, ["field.format@request.pdf"]),
    case("the Michigan PC 51 under the Alaska request is the wrong form", ALASKA,
         [("ak_request", "request.pdf", corpus(PC51)), *JOSE_AK], "invalid", AK_OK, ["form.wrong@request.pdf"]),
    case("the blank Alaska request as downloaded asks for every answer", ALASKA,
         [("ak_request", "request.pdf", corpus("forms/ak_birth_cert_name_change_request.pdf")), *JOSE_AK],
         "incomplete", AK_OK, ["field.required@request.pdf", "field.rule@request.pdf"]),
]

CASES: tuple[Case, ...] = (*PASSPORT_CASES, *SSA_CASES, *W9_CASES, *DMV_CASES, *COURT_CASES, *CCAP_CASES,
                           *MICHIGAN_CASES, *ALASKA_CASES)

# A quick subset for every test run, spanning the behaviours; two of them also go through the web.
FAST = (
    "a first passport with the DS-11, birth certificate, ID photo and a fresh bill is complete",
    "a filled W-9 under the DS-11 is the wrong form, with no field problems",
    "a filled W-9 of the December 2011 revision, with other box names, is outdated",
    "a fresh bill beside a stale one proves the address and the stale one is only noted",
    "a phone bill in another person's name at his address proves it with a warning",
    "a Maine licence transfer with a Maine bill has no New York address and too few points",
    "the same bill uploaded twice is used once",
    "a draft W-9 without the address and the finished one: the newest is checked",
    "a damaged download of the W-9 before the good copy is its own file problem, not a duplicate",
    "the Alaska birth certificate request under the CCAP application is the wrong form",
    "an unlabelled MV-44, pay stub, bank statement and bill are sorted but make two points",
)
FAST_WEB = (
    "a filled W-9 of the December 2011 revision, with other box names, is outdated",
    "a fresh bill beside a stale one proves the address and the stale one is only noted",
)


def named(name: str) -> Case:
    return next(c for c in CASES if c.name == name)
