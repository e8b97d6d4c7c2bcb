"""Requirements a clerk set aside, and the report as it reads once they are.

A clerk may waive a missing item or a blocking problem of the latest check, with a reason
(the applicant lost a document the office can look up itself, say). The stored report is
never changed: :func:`apply` is a pure function that takes a stored report and the waivers
and gives the report everyone should see (clerk pages, the citizen's resume page, the
"ready for visit" move) and its status. Waivers name what they set aside by a target that
a re-check produces again, so they outlive re-checks; a new file for a document gives its
problems new targets, so a waiver never covers a file the clerk has not seen.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from intake.report import MISSING_CODES, MISSING_RULE_VARIANTS
from web.models import Submission, Waiver, db

KINDS = ("missing", "problem")
TARGET_LENGTH = 200  # the column's size


class WaiverLike(Protocol):
    kind: str
    target: str
    reason: str


@dataclass(frozen=True)
class Waivable:
    """Something in a report a clerk may set aside: its kind, its stable target, what it says."""

    kind: str
    target: str
    title: str

    @property
    def choice(self) -> str:
        """One value for a form's option: the kind and the target."""
        return f"{self.kind}:{self.target}"


def missing_target(entry: dict[str, Any]) -> str:
    return f"{entry['kind']}:{entry['id']}"[:TARGET_LENGTH]


def problem_target(owner: str, problem: dict[str, Any]) -> str:
    """Code, owner (form or document id) and place (field, else file): the same on a re-check."""
    place = problem.get("field") or problem.get("file") or ""
    return f"{problem['code']}|{owner}|{place}"[:TARGET_LENGTH]


def _missing_field(owner: str, problem: dict[str, Any]) -> str | None:
    """The missing-field target a "fill this in" problem stands for, if it is one."""
    if problem["code"] in ("field.required", "form.unsigned") and problem.get("field"):
        return f"field:{owner}.{problem['field']}"[:TARGET_LENGTH]
    return None


def _sections(report: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for entry in report.get("forms", []):
        yield entry["form"], entry
    for entry in report.get("documents", []):
        yield entry["id"], entry


def waivable(report: dict[str, Any]) -> list[Waivable]:
    """What a clerk may set aside in this report: every missing item, and every blocking problem
    that is not just another way of saying a missing field."""
    found = [Waivable("missing", missing_target(m), m["title"]) for m in report.get("missing", [])]
    missing = {w.target for w in found}
    for owner, entry in _sections(report):
        for problem in entry.get("problems", []):
            if problem["severity"] != "blocks" or _missing_field(owner, problem) in missing:
                continue
            found.append(Waivable("problem", problem_target(owner, problem), problem["message"]))
    for unplaced in report.get("unrecognised_files", []):
        if unplaced["severity"] == "blocks":
            title = f"{unplaced['file']}: {unplaced['message']}"
            found.append(Waivable("problem", problem_target("", unplaced), title))
    return list({w.choice: w for w in found}.values())


def apply(report: dict[str, Any], waivers: Iterable[WaiverLike]) -> tuple[dict[str, Any], str]:
    """The report with the waived items taken out and listed under ``waived`` (with each
    reason), and the status it then has. The report given is not changed."""
    out = copy.deepcopy(report)
    given = {(w.kind, w.target): w.reason for w in waivers}
    waived: list[dict[str, Any]] = []

    def note(kind: str, target: str, title: str) -> None:
        waived.append({"kind": kind, "target": target, "title": title, "reason": given[(kind, target)]})

    kept_missing = []
    for entry in out.get("missing", []):
        target = missing_target(entry)
        if ("missing", target) in given:
            note("missing", target, entry["title"])
        else:
            kept_missing.append(entry)
    out["missing"] = kept_missing
    for owner, entry in _sections(out):
        kept = []
        for problem in entry.get("problems", []):
            target = problem_target(owner, problem)
            if ("missing", _missing_field(owner, problem)) in given:
                continue  # listed once, as the missing field
            if ("problem", target) in given:
                note("problem", target, problem["message"])
            else:
                kept.append(problem)
        entry["problems"] = kept
        if entry.get("status") == "invalid" and not any(p["severity"] == "blocks" for p in kept):
            entry["status"] = "provided"
    kept_files = []
    for unplaced in out.get("unrecognised_files", []):
        target = problem_target("", unplaced)
        if ("problem", target) in given:
            note("problem", target, f"{unplaced['file']}: {unplaced['message']}")
        else:
            kept_files.append(unplaced)
    out["unrecognised_files"] = kept_files
    out["waived"] = waived
    out["status"] = status_of(out)
    return out, out["status"]


def status_of(report: dict[str, Any]) -> str:
    """The report's status from what it holds, by the library's rule (``intake.report.Report.status``):
    invalid when something given is wrong, incomplete when something is missing, else complete."""
    problems = [p for _owner, entry in _sections(report) for p in entry.get("problems", [])]
    problems += report.get("unrecognised_files", [])
    blocking = [p for p in problems if p["severity"] == "blocks"]
    if any(not _is_missing(p) for p in blocking):
        return "invalid"
    if report.get("missing") or blocking:
        return "incomplete"
    return "complete"


def _is_missing(problem: dict[str, Any]) -> bool:
    variant = (problem.get("params") or {}).get("variant")
    return problem["code"] in MISSING_CODES or (problem["code"] == "field.rule" and variant in MISSING_RULE_VARIANTS)


def of(submission: Submission) -> list[Waiver]:
    """The waivers of a submission, oldest first."""
    return list(db.session.query(Waiver).filter_by(submission_id=submission.id).order_by(Waiver.id))


def report(submission: Submission, lang: str, *, check: int = -1) -> dict[str, Any]:
    """A stored check of the submission (the latest by default) with its waivers applied."""
    adjusted, _status = apply(submission.done_checks[check].report[lang], of(submission))
    return adjusted


def status(submission: Submission) -> str:
    """The latest check's status once the waivers are applied: what readiness goes by."""
    latest = submission.latest
    if latest is None:
        return submission.status
    return apply(latest.report["en"], of(submission))[1]
