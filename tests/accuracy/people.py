"""The applicants of the labelled packets: who they are, where they live, what they write in each form.

Two people come with the shared corpus (its ``supporting/synthetic`` and ``synthetic_ny``
manifests give the name, address and date printed on each of their documents); three more are
sets added to ``make_supporting.py`` at run time, so their documents have the same known ground
truth. Form answers are keyed by the field ids of the service files (``schemas/*.yaml``), a
list giving the boxes of a field split in several (an SSN in three, a date in month/day/year).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# The date the synthetic documents' ages are counted from (their manifests say so).
TODAY = dt.date(2026, 11, 22)

# Sets for make_supporting.py, in its own format: applicant (name, printed name, birth date,
# SSN), address (street, city line), issuers, a stranger whose name is on one phone bill.
SETS: dict[str, dict[str, Any]] = {
    "maine": {
        "applicant": ("Grace Thibodeau", "GRACE THIBODEAU", "1990-05-14", "231-56-4410"),
        "address": ("27 Brackett Street, Apt 2", "Portland, ME 04102"),
        "utility": ["Casco Bay Power", "Portland Water District"],
        "bank": "Back Cove Savings Bank", "employer": ["Harbor Fish Market", "Maine Medical Center"],
        "landlord": "West End Rentals", "phone": "Pine Tree Cellular", "school": "Southern Maine Community College",
        "stranger": "Peter Lindqvist", "state": "MAINE",
        "seed": 5,
    },
    "chicago": {
        "applicant": ("Marisol Quiñones", "MARISOL QUINONES", "1992-08-21", "318-24-7765"),
        "address": ("1620 W Division St, Apt 4", "Chicago, IL 60622"),
        "utility": ["Lakeshore Gas and Electric", "Chicago Water Department"],
        "bank": "Wicker Park Credit Union", "employer": ["Division Street Dental", "Chicago Public Library"],
        "landlord": "Humboldt Flats LLC", "phone": "Windy City Mobile", "school": "Harold Washington College",
        "stranger": "Denise Carter", "state": "ILLINOIS",
        "seed": 23,
    },
    "buffalo": {
        "applicant": ("Kwame Mensah", "KWAME MENSAH", "1988-02-03", "144-62-3081"),
        "address": ("88 Elmwood Avenue, Apt 1", "Buffalo, NY 14201"),
        "utility": ["Lake Erie Power", "Buffalo Water Authority"],
        "bank": "Niagara Frontier Bank", "employer": ["Elmwood Hardware", "Erie County Medical Center"],
        "landlord": "Allentown Property Group", "phone": "Queen City Wireless", "school": "Erie Community College",
        "stranger": "Linda Kowalczyk", "state": "NEW YORK",
        "seed": 31,
    },
}

# José Ángel Pérez, Springfield IL (corpus supporting/synthetic).
JOSE: dict[str, dict[str, Any]] = {
    "ds11": {
        "last_name": "Pérez", "first_name": "José", "middle_name": "Ángel", "birth_date": ["03", "09", "1984"],
        "place_of_birth": "Springfield, Illinois", "ssn": ["123", "45", "6789"], "email": "jose.perez@example.com",
        "phone": ["217", "555", "0123"], "street": "418 Maple Avenue, Apt 3B", "city": "Springfield", "state": "IL",
        "zip": "62704", "sex": "M",
    },
    "ss5": {
        "first_name": "José", "middle_name": "Ángel", "last_name": "Pérez", "birth_city": "Springfield",
        "birth_state": "Illinois", "birth_date": "03/09/1984", "us_citizen": True, "mother_first_name": "María",
        "mother_last_name": "García", "father_first_name": "Luis", "father_last_name": "Pérez", "had_card_no": True,
        "signed_on": "11/20/2026", "phone": ["217", "555-0123"], "street": "418 Maple Avenue, Apt 3B",
        "city": "Springfield", "state": "IL", "zip": "62704", "relationship_self": True,
    },
    "w9": {
        "name": "José Ángel Pérez", "business_name": "Pérez Home Repairs", "individual": True,
        "address": "418 Maple Avenue, Apt 3B", "city_state_zip": "Springfield, IL 62704",
        "requester": "City of Springfield Purchasing Division", "ssn": ["123", "45", "6789"],
    },
    "ccap": {
        "first_name": "José", "last_name": "Pérez", "county": "91", "street": "418 Maple Avenue, Apt 3B",
        "city": "Springfield", "state": "IL", "zip": "62704", "phone_mobile": "(217) 555-0123",
        "email": "jose.perez@example.com", "birth_date": "03/09/1984", "jobs_count": "1",
        "employer_name": "Capitol Bakery LLC", "employer_phone": "(217) 555-0188", "job_start": "05/01/2023",
        "pay_amount": "17.50", "pay_rate": "PER_HOUR", "hours_per_week": "32", "in_school": "true",
        "education_type": "APPLICANT_EDUCATION_TYPE_2_YEAR_COLLEGE", "school_name": "Lincoln Community College",
        "term_start": "08/24/2026", "term_end": "12/18/2026", "child_first_name": "Sofía",
        "child_last_name": "Pérez", "child_birth_date": "06/15/2021", "assets_million": "false",
        "signature": "José Pérez", "signed_on": "11/20/2026",
    },
    # Sofía was born in Anchorage as Sofía García; a court has since given her her father's name.
    "ak_request": {
        "applicant_name": "José Ángel Pérez", "parent": True, "email": "jose.perez@example.com",
        "phone": "(217) 555-0123", "street": "418 Maple Avenue, Apt 3B", "city_state_zip": "Springfield, IL 62704",
        "purpose_legal": True, "first_name": "Sofía", "last_name": "García", "birth_date": "06/15/2021",
        "birth_place": "Anchorage", "parent_a_first_name": "Elena", "parent_a_last_name": "García",
        "parent_b_first_name": "José", "parent_b_last_name": "Pérez", "copies": "1", "name_change_fee": "1",
        "ship_priority": True, "id_included": True, "pay_check": True,
    },
}

# The same family's application when José is working and not in school.
JOSE_WORKING = {**JOSE["ccap"], "in_school": "false", "education_type": None, "school_name": None,
                "term_start": None, "term_end": None}

# Aisha Rahman-Okafor, the Bronx NY (corpus supporting/synthetic_ny), who has a New York ID card.
AISHA: dict[str, dict[str, Any]] = {
    "mv44": {
        "applying_for": "Permit", "purpose": "New", "had_ny_document": "Yes", "ny_id_number": "472913608",
        "last_name": "Rahman-Okafor", "first_name": "Aisha", "middle_name": "Ngozi", "other_state_licence": "No",
        "birth_date": ["11", "30", "79"], "sex": "F (Female)", "phone": ["718", "555-0147"], "name_changed": "No",
        "ssn": "123456789",
        "street": "2150 Grand Concourse", "apartment": "5F", "city": "Bronx", "state": "NY", "zip": "10457",
        "county": "Bronx", "signed_on": ["11", "20", "2026"],
    },
    "petition": {
        "court": "Supreme", "county": "Bronx", "name": "Aisha Rahman-Okafor", "name_change": True,
        "new_name": "Aisha Rahman Okafor", "place_of_birth": "Bronx, New York",
        "reasons": "To use my mother's family name as well.", "age": "46", "birth_date": "11/30/1979",
        "address": "2150 Grand Concourse, Apt 5F, Bronx, NY 10457", "signed_on": "11/20/2026",
    },
    "ds11": {
        "last_name": "Rahman-Okafor", "first_name": "Aisha", "middle_name": "Ngozi", "birth_date": ["11", "30", "1979"],
        "place_of_birth": "Bronx, New York", "ssn": ["123", "45", "6789"], "email": "aisha.ro@example.org",
        "phone": ["718", "555", "0147"], "street": "2150 Grand Concourse, Apt 5F", "city": "Bronx", "state": "NY",
        "zip": "10457", "sex": "F",
    },
}

# Grace Thibodeau, Portland ME (generated set "maine"), who is moving to Manhattan.
GRACE: dict[str, dict[str, Any]] = {
    "ds11": {
        "last_name": "Thibodeau", "first_name": "Grace", "birth_date": ["05", "14", "1990"],
        "place_of_birth": "Portland, Maine", "ssn": ["231", "56", "4410"], "email": "grace.t@example.net",
        "phone": ["207", "555", "0190"], "street": "27 Brackett Street, Apt 2", "city": "Portland", "state": "ME",
        "zip": "04102", "sex": "F",
    },
    "ss5": {
        "first_name": "Grace", "last_name": "Thibodeau", "birth_city": "Portland", "birth_state": "Maine",
        "birth_date": "05/14/1990", "us_citizen": True, "mother_first_name": "Anne", "mother_last_name": "Gagnon",
        "father_first_name": "Marc", "father_last_name": "Thibodeau", "had_card_yes": True,
        "previous_ssn": ["231", "56", "4410"], "card_first_name": "Grace", "card_last_name": "Thibodeau",
        "signed_on": "11/18/2026", "phone": ["207", "555-0190"], "street": "27 Brackett Street, Apt 2",
        "city": "Portland", "state": "ME", "zip": "04102", "relationship_self": True,
    },
    "w9": {
        "name": "Grace Thibodeau", "business_name": "Thibodeau Design Studio", "individual": True,
        "address": "27 Brackett Street, Apt 2", "city_state_zip": "Portland, ME 04102",
        "requester": "City of Springfield Purchasing Division", "ssn": ["231", "56", "4410"],
    },
    "mv44": {
        "applying_for": "License", "purpose": "Transfer to New York", "had_ny_document": "No",
        "last_name": "Thibodeau", "first_name": "Grace", "other_state_licence": "Yes", "other_state_where": "Maine",
        "other_state_number": "4417720", "birth_date": ["05", "14", "90"], "sex": "F (Female)",
        "phone": ["207", "555-0190"], "name_changed": "No", "ssn": "231564410", "street": "310 West 94th Street",
        "apartment": "4C", "city": "New York", "state": "NY", "zip": "10025", "county": "New York",
        "signed_on": ["11", "19", "2026"],
    },
    "petition": {
        "court": "Supreme", "county": "New York", "name": "Grace Thibodeau", "name_change": True,
        "new_name": "Grace Thibodeau Moreau", "place_of_birth": "Portland, Maine",
        "reasons": "To add my late grandmother's family name.", "age": "36", "birth_date": "05/14/1990",
        "address": "310 West 94th Street, Apt 4C, New York, NY 10025", "signed_on": "11/19/2026",
    },
}

# Marisol Quiñones, Chicago IL (generated set "chicago"), a dental assistant with a son.
MARISOL: dict[str, dict[str, Any]] = {
    "ccap": {
        "first_name": "Marisol", "last_name": "Quiñones", "county": "200", "street": "1620 W Division St, Apt 4",
        "city": "Chicago", "state": "IL", "zip": "60622", "phone_mobile": "(312) 555-0163",
        "email": "marisol.q@example.com", "birth_date": "08/21/1992", "jobs_count": "1",
        "employer_name": "Division Street Dental", "employer_phone": "(312) 555-0110", "job_start": "02/03/2025",
        "pay_amount": "21.00", "pay_rate": "PER_HOUR", "hours_per_week": "36", "in_school": "false",
        "child_first_name": "Mateo", "child_last_name": "Quiñones", "child_birth_date": "04/02/2020",
        "assets_million": "false", "signature": "Marisol Quiñones", "signed_on": "11/21/2026",
    },
    "ss5": {
        "first_name": "Marisol", "last_name": "Quiñones", "birth_city": "Chicago", "birth_state": "Illinois",
        "birth_date": "08/21/1992", "us_citizen": True, "mother_first_name": "Rosa", "mother_last_name": "Vega",
        "father_unknown": True, "had_card_yes": True, "previous_ssn": ["318", "24", "7765"],
        "card_first_name": "Marisol", "card_last_name": "Quiñones", "signed_on": "11/21/2026",
        "street": "1620 W Division St, Apt 4", "city": "Chicago", "state": "IL", "zip": "60622",
        "relationship_self": True,
    },
    "ds11": {
        "last_name": "Quiñones", "first_name": "Marisol", "birth_date": ["08", "21", "1992"],
        "place_of_birth": "Chicago, Illinois", "ssn": ["318", "24", "7765"], "street": "1620 W Division St, Apt 4",
        "city": "Chicago", "state": "IL", "zip": "60622", "sex": "F",
    },
}

# Kwame Mensah, Buffalo NY (generated set "buffalo"), born in Ghana, allowed to work in the U.S.
KWAME: dict[str, dict[str, Any]] = {
    "mv44": {
        "applying_for": "Permit", "purpose": "New", "had_ny_document": "No", "last_name": "Mensah",
        "first_name": "Kwame", "other_state_licence": "No", "birth_date": ["02", "03", "88"], "sex": "M (Male)",
        "phone": ["716", "555-0175"], "name_changed": "No", "no_ssn": True, "street": "88 Elmwood Avenue",
        "apartment": "1", "city": "Buffalo", "state": "NY", "zip": "14201", "county": "Erie",
        "signed_on": ["11", "17", "2026"],
    },
    "ss5": {
        "first_name": "Kwame", "last_name": "Mensah", "birth_city": "Accra", "birth_state": "Ghana",
        "birth_date": "02/03/1988", "alien_may_work": True, "mother_first_name": "Abena",
        "mother_last_name": "Owusu", "father_first_name": "Kofi", "father_last_name": "Mensah", "had_card_no": True,
        "signed_on": "11/17/2026", "phone": ["716", "555-0175"], "street": "88 Elmwood Avenue, Apt 1",
        "city": "Buffalo", "state": "NY", "zip": "14201", "relationship_self": True,
    },
    "petition": {
        "court": "Supreme", "county": "Erie", "name": "Kwame Mensah", "name_change": True,
        "new_name": "Kwame Mensah-Boateng", "place_of_birth": "Accra, Ghana",
        "reasons": "To take my wife's family name with mine after our marriage.", "age": "38",
        "birth_date": "02/03/1988", "address": "88 Elmwood Avenue, Apt 1, Buffalo, NY 14201",
        "signed_on": "11/17/2026",
    },
}

# Dana Kowalski, Ann Arbor MI, who has no documents of her own set: her petition needs none
# unless it names a guardian or a parent's conviction, and those papers are made in cases.py.
DANA: dict[str, dict[str, Any]] = {
    "pc51": {
        "county": "Washtenaw", "current_name": "Dana Marie Kowalski",
        "petitioner": "Dana Marie Kowalski, 512 Packard St, Ann Arbor, MI 48104, (734) 555-0162", "adult_only": True,
        "reason": "To take back my grandmother's family name.", "no_record": True, "first_name": "Dana",
        "middle_name": "Marie", "last_name": "Kowalski", "new_first_name": "Dana", "new_middle_name": "Marie",
        "new_last_name": "Nowak", "signed_on": "11/20/2026", "signature": "Dana M. Kowalski",
    },
}
# The same petitioner asking to change her son's name too, with his guardian named.
DANA_WITH_SON = {**DANA["pc51"], "adult_only": None, "for_family": True, "for_children": True, "minor_request": True,
                 "parent_1": "Dana Kowalski", "parent_2": "Mark Kowalski", "guardian_of_minor": "Ruth Nowak"}


def answers(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``base`` with some answers changed; ``None`` leaves a box empty."""
    merged = {**base, **changes}
    return {k: v for k, v in merged.items() if v is not None}
