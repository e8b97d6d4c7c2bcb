"""Waivers applied to a stored report: what is set aside, what it leaves, and the status that follows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import intake
from tests import shared_corpus
from web import waivers


@dataclass(frozen=True)
class Given:
    kind: str
    target: str
    reason: str = "The office checked this itself."


def _problem(code: str, severity: str = "blocks", **where: Any) -> dict[str, Any]:
    return {"code": code, "severity": severity, "message": f"message for {code}", **where}


def _report() -> dict[str, Any]:
    """A passport packet: the form lacks a signature, the proof of address is too old, the
    birth certificate is missing, and an extra file could not be read."""
    return {
        "service": "passport-first-time", "status": "invalid",
        "forms": [{"form": "ds11", "title": "Form DS-11", "file": "ds11.pdf", "sha256": "0" * 64,
                   "values": {"last_name": "Doe", "signature": None},
                   "problems": [_problem("form.unsigned", field="signature", form="ds11"),
                                _problem("field.ambiguous", "warning", field="last_name", form="ds11")]}],
        "documents": [
            {"id": "citizenship", "title": "Proof of U.S. citizenship", "status": "missing", "problems": []},
            {"id": "proof_of_address", "title": "Proof of address", "status": "invalid", "file": "bill.pdf",
             "problems": [_problem("document.too_old", file="bill.pdf")]},
        ],
        "missing": [{"kind": "field", "id": "ds11.signature", "title": "Signature"},
                    {"kind": "document", "id": "citizenship", "title": "Proof of U.S. citizenship"}],
        "unrecognised_files": [{"file": "scan.pdf", "code": "file.damaged", "severity": "blocks",
                                "message": "The file is damaged."}],
        "bring_in_person": [],
    }


def test_with_no_waivers_the_report_and_its_status_stay_as_stored() -> None:
    report = _report()
    adjusted, status = waivers.apply(report, [])
    assert status == "invalid" == adjusted["status"]
    assert adjusted["waived"] == [] and adjusted["missing"] == report["missing"]


def test_what_may_be_waived_is_each_missing_item_and_each_blocking_problem_once() -> None:
    choices = {w.choice: w.title for w in waivers.waivable(_report())}
    assert choices == {
        "missing:field:ds11.signature": "Signature",
        "missing:document:citizenship": "Proof of U.S. citizenship",
        "problem:document.too_old|proof_of_address|bill.pdf": "message for document.too_old",
        "problem:file.damaged||scan.pdf": "scan.pdf: The file is damaged.",
    }, "the unsigned form is the missing signature, listed once; warnings are never waived"


def test_waiving_a_missing_field_takes_its_problem_away_too() -> None:
    adjusted, _status = waivers.apply(_report(), [Given("missing", "field:ds11.signature")])
    assert [m["id"] for m in adjusted["missing"]] == ["citizenship"]
    assert [p["code"] for p in adjusted["forms"][0]["problems"]] == ["field.ambiguous"]
    assert adjusted["waived"] == [{"kind": "missing", "target": "field:ds11.signature", "title": "Signature",
                                   "reason": "The office checked this itself."}]


def test_waiving_a_blocking_problem_makes_its_document_provided() -> None:
    adjusted, status = waivers.apply(_report(), [Given("problem", "document.too_old|proof_of_address|bill.pdf")])
    address = adjusted["documents"][1]
    assert address["status"] == "provided" and address["problems"] == []
    assert status == "invalid", "the damaged extra file still counts as something given that is wrong"


def test_once_everything_is_waived_the_report_is_complete_and_the_stored_one_is_untouched() -> None:
    report = _report()
    before = copy.deepcopy(report)
    given = [Given(w.kind, w.target) for w in waivers.waivable(report)]
    adjusted, status = waivers.apply(report, given)
    assert status == "complete" and adjusted["missing"] == [] and adjusted["unrecognised_files"] == []
    assert len(adjusted["waived"]) == 4
    assert report == before


def test_a_missing_item_left_once_the_rest_is_waived_makes_it_incomplete() -> None:
    report = _report()
    given = [Given(w.kind, w.target) for w in waivers.waivable(report) if w.target != "document:citizenship"]
    assert waivers.apply(report, given)[1] == "incomplete"


def test_a_waiver_for_something_a_recheck_no_longer_finds_changes_nothing() -> None:
    report = _report()
    report["documents"][1]["problems"][0]["file"] = "new-bill.pdf"
    adjusted, _status = waivers.apply(report, [Given("problem", "document.too_old|proof_of_address|bill.pdf"),
                                               Given("missing", "document:photo_id")])
    assert adjusted["waived"] == [] and adjusted["documents"][1]["status"] == "invalid"


def test_the_status_rule_is_the_librarys_for_real_packets(corpus: Path, filled: Callable[..., bytes]) -> None:
    service = intake.catalogue(intake.services.default_schemas())["passport-first-time"]
    synthetic = corpus / "supporting/synthetic"
    form = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    unsigned = filled(shared_corpus.DS11, **{k: v for k, v in shared_corpus.DS11_APPLICANT.items()
                                              if "Last Name" not in k})
    packets = [
        [("ds11", form)],
        [("ds11", unsigned), ("proof_of_address", (synthetic / "utility_bill_1.pdf").read_bytes())],
        [("ds11", form), ("citizenship", (synthetic / "birth_certificate_scan.pdf").read_bytes()),
         ("photo_id", (synthetic / "state_id_front_photo.jpg").read_bytes()),
         ("proof_of_address", (synthetic / "utility_bill_1.pdf").read_bytes())],
        [("citizenship", b"%PDF-1.4 broken")],
    ]
    seen = set()
    for packet in packets:
        report = intake.check(service, [(item, intake.Upload(f"{item}.pdf", data)) for item, data in packet])
        assert waivers.status_of(report.to_dict()) == report.status
        seen.add(report.status)
    assert len(seen) >= 2


RANK = {"complete": 0, "incomplete": 1, "invalid": 2}
CHOICES = [(w.kind, w.target) for w in waivers.waivable(_report())]


@given(st.sets(st.sampled_from(CHOICES)), st.sets(st.sampled_from(CHOICES)))
def test_waiving_more_never_makes_a_report_worse_and_applying_twice_changes_nothing(
        some: set[tuple[str, str]], more: set[tuple[str, str]]) -> None:
    fewer, status = waivers.apply(_report(), [Given(kind, target) for kind, target in some])
    _more, status_more = waivers.apply(_report(), [Given(kind, target) for kind, target in some | more])
    assert RANK[status_more] <= RANK[status]
    again, status_again = waivers.apply(fewer, [Given(kind, target) for kind, target in some])
    assert status_again == status and again["missing"] == fewer["missing"]
    assert len(fewer["waived"]) == len(some) and {w["target"] for w in fewer["waived"]} == {t for _k, t in some}


@pytest.mark.parametrize("target", ["x" * 300])
def test_targets_fit_their_column(target: str) -> None:
    assert len(waivers.missing_target({"kind": "document", "id": target})) == waivers.TARGET_LENGTH
    assert len(waivers.problem_target(target, {"code": "document.too_old"})) == waivers.TARGET_LENGTH
