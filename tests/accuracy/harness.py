"""Run labelled cases through the library (and the web API) and compare with their labels.

A finding is a code, where it is (the file, or for something missing the checklist item,
form or points rule) and its severity. A case passes when the report's status, every
document item's status and the set of findings are what its labels say. The web run posts
the same files to ``POST /api/v1/checks`` and must give the library's findings for the same
date (the web checks as of today, so the library is asked about today too).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import intake
from tests.accuracy.builders import Unavailable, Workshop
from tests.accuracy.cases import Case, Want

# The web refuses these before any check, as a problem for the whole request.
REFUSED_BY_WEB = frozenset({"file.empty", "file.not_pdf", "file.too_large"})
MISSING_AS_FINDING = {"document": "document.missing", "form": "form.missing", "points": "points.short"}


@dataclass(frozen=True, order=True)
class Finding:
    code: str
    where: str
    severity: str

    def __str__(self) -> str:
        return f"{self.code}@{self.where}:{self.severity}"


@dataclass
class WebResult:
    http_status: int
    findings: frozenset[Finding] = frozenset()
    status: str | None = None
    refused: frozenset[str] = frozenset()
    differences: list[str] = field(default_factory=list)


@dataclass
class Result:
    case: Case
    skipped: str | None = None
    status: str | None = None
    documents: dict[str, str] = field(default_factory=dict)
    findings: frozenset[Finding] = frozenset()
    found: list[Want] = field(default_factory=list)
    missed: list[Want] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)
    wrong_severity: list[tuple[Want, str]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    web: WebResult | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.skipped is None and not (self.missed or self.unexpected or self.other
                                             or (self.web is not None and self.web.differences))

    def explain(self) -> str:
        if self.skipped:
            return f"SKIP  {self.case.service}: {self.case.name}: {self.skipped}"
        if self.passed:
            return f"ok    {self.case.service}: {self.case.name}"
        lines = [f"FAIL  {self.case.service}: {self.case.name}"]
        lines += [f"        {text}" for text in self.other]
        lines += [f"        missed      {want}" for want in self.missed if not _in_severity(want, self)]
        lines += [f"        severity    {want} was {got}" for want, got in self.wrong_severity]
        lines += [f"        unexpected  {finding}" for finding in self.unexpected]
        if self.web is not None:
            lines += [f"        web         {text}" for text in self.web.differences]
        return "\n".join(lines)


def _in_severity(want: Want, result: Result) -> bool:
    return any(w == want for w, _ in result.wrong_severity)


@functools.cache
def services() -> Mapping[str, intake.Service]:
    return intake.catalogue()


def packet(case: Case, shop: Workshop) -> list[tuple[str, intake.Upload] | intake.Upload]:
    """The case's files as ``intake.check`` takes them: ``(item, upload)`` pairs or bare uploads."""
    out: list[tuple[str, intake.Upload] | intake.Upload] = []
    for given in case.files:
        upload = intake.Upload(given.name, shop.make(given.recipe))
        out.append((given.item, upload) if given.item else upload)
    return out


def check(case: Case, files: list[tuple[str, intake.Upload] | intake.Upload], today: dt.date) -> intake.Report:
    """The library's report, lending it every known service's forms so a wrong form can be named."""
    service = services()[case.service]
    try:
        return intake.check(service, files, today=today, catalogue=services())
    except TypeError as exc:
        if "catalogue" not in str(exc):
            raise
        return intake.check(service, files, today=today)


def findings(report: Mapping[str, Any]) -> frozenset[Finding]:
    """Every finding of a report in its JSON form (the library's ``to_dict()`` or the API's answer)."""
    from intake.report import CODES

    found: set[Finding] = set()
    for form in report["forms"]:
        found |= {Finding(p["code"], p.get("file") or form["file"], p["severity"]) for p in form["problems"]}
    for document in report["documents"]:
        found |= {Finding(p["code"], p.get("file") or document["id"], p["severity"]) for p in document["problems"]}
    found |= {Finding(u["code"], u["file"], u["severity"]) for u in report["unrecognised_files"]}
    for missing in report["missing"]:
        code = MISSING_AS_FINDING.get(missing["kind"])
        if code is not None:
            found.add(Finding(code, missing["id"], CODES[code].value))
    return frozenset(found)


def run(case: Case, shop: Workshop, web: WebChecker | None = None) -> Result:
    """Check one case with the library (and the web, when given) and compare with its labels."""
    started = time.perf_counter()
    result = Result(case)
    try:
        files = packet(case, shop)
    except Unavailable as exc:
        result.skipped = str(exc)
        return result
    report = check(case, files, case.today)
    shown = report.to_dict(case.lang)
    result.status, result.findings = report.status, findings(shown)
    result.documents = {d["id"]: d["status"] for d in shown["documents"]}
    if case.lang != "en" and findings(report.to_dict("en")) != result.findings:
        result.other.append(f"the findings differ between English and {case.lang}")
    _compare(result)
    if web is not None:
        today = dt.date.today()
        expected = check(case, files, today) if today != case.today else report
        result.web = web.compare(case, files, expected)
    result.seconds = time.perf_counter() - started
    return result


def _compare(result: Result) -> None:
    case = result.case
    if result.status != case.status:
        result.other.append(f"status {result.status}, expected {case.status}")
    for item, labelled in case.documents.items():
        got = result.documents.get(item)
        if got != labelled:
            result.other.append(f"document {item} is {got}, expected {labelled}")
    by_place: dict[tuple[str, str], set[str]] = {}
    for finding in result.findings:
        by_place.setdefault((finding.code, finding.where), set()).add(finding.severity)
    for want in sorted(case.problems, key=str):
        severities = by_place.get((want.code, want.where))
        if not severities:
            result.missed.append(want)
        elif want.severity and want.severity not in severities:
            result.missed.append(want)
            result.wrong_severity.append((want, "/".join(sorted(severities))))
        else:
            result.found.append(want)
    wanted = {(w.code, w.where) for w in case.problems}
    result.unexpected = sorted(f for f in result.findings if (f.code, f.where) not in wanted)


class WebChecker:
    """The web app on a throwaway SQLite database, answering ``POST /api/v1/checks``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def compare(self, case: Case, files: list[tuple[str, intake.Upload] | intake.Upload],
                expected: intake.Report) -> WebResult:
        from tests.web.api import files as multipart
        from tests.web.api import send

        parts: dict[str, list[tuple[bytes, str]]] = {}
        for entry in files:
            item, upload = entry if isinstance(entry, tuple) else (None, entry)
            parts.setdefault(f"item-{item}" if item else "files", []).append((upload.data, upload.name))
        response = send(self.client, "/checks", multipart(service=case.service, **parts), query=f"?lang={case.lang}")
        body = response.get_json(force=True, silent=True) or {}
        library = findings(expected.to_dict(case.lang))
        result = WebResult(response.status_code)
        refusable = frozenset(f.code for f in library if f.code in REFUSED_BY_WEB)
        if response.status_code == 200:
            result.findings, result.status = findings(body), body.get("status")
            if result.status != expected.status:
                result.differences.append(f"status {result.status}, the library's {expected.status}")
            said = _messages(body)
            result.differences += [f"only on the web: {f} ({said.get((f.code, f.where), '')})"
                                   for f in sorted(result.findings - library)]
            result.differences += [f"only in the library: {f}" for f in sorted(library - result.findings)]
        else:
            result.refused = frozenset(e.get("code", "") for e in body.get("errors", [])) or frozenset(
                {str(body.get("code"))})
            if not refusable or result.refused != refusable:
                result.differences.append(f"HTTP {response.status_code} {sorted(result.refused)}; the library found "
                                          f"{sorted(refusable) or 'nothing the web refuses'}")
        return result


def _messages(report: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """What a report's JSON says about each finding, to explain a difference."""
    said: dict[tuple[str, str], str] = {}
    for form in report.get("forms", []):
        said |= {(p["code"], p.get("file") or form["file"]): p.get("message", "") for p in form["problems"]}
    for document in report.get("documents", []):
        said |= {(p["code"], p.get("file") or document["id"]): p.get("message", "") for p in document["problems"]}
    said |= {(u["code"], u["file"]): u.get("message", "") for u in report.get("unrecognised_files", [])}
    return said


@contextmanager
def web_checker(folder: Path | None = None) -> Iterator[WebChecker]:
    """A web app with its own database and storage in ``folder`` (a new temporary one by default)."""
    from flask_migrate import upgrade

    from web import create_app, jobs
    from web.models import db

    with tempfile.TemporaryDirectory(prefix="intake-accuracy-") as scratch:
        root = folder or Path(scratch)
        app = create_app({
            "TESTING": True, "SECRET_KEY": "accuracy-secret", "DATABASE_URL": f"sqlite:///{root / 'accuracy.db'}",
            "STORAGE": str(root / "files"), "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
        })
        with app.app_context(), redirect_stderr(io.StringIO()):  # the migrations' progress notes
            upgrade(directory=str(Path(app.root_path) / "migrations"))
        try:
            yield WebChecker(app.test_client())
        finally:
            jobs.shutdown(app)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@dataclass
class Tally:
    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    unexpected: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, results: Iterable[Result]) -> Tally:
        tally = cls()
        for result in results:
            if result.skipped:
                continue
            for want in result.case.problems:
                tally.expected[want.code] += 1
            for want in result.found:
                tally.found[want.code] += 1
            for want in result.missed:
                tally.missed[want.code] += 1
            for finding in result.unexpected:
                tally.unexpected[finding.code] += 1
        return tally

    def table(self) -> str:
        codes = sorted(set(self.expected) | set(self.unexpected))
        width = max([len(c) for c in codes] + [len("total")])
        lines = [f"{'code':<{width}}  expected  found  missed  unexpected"]
        for code in codes:
            lines.append(f"{code:<{width}}  {self.expected[code]:>8}  {self.found[code]:>5}  "
                         f"{self.missed[code]:>6}  {self.unexpected[code]:>10}")
        lines.append(f"{'total':<{width}}  {sum(self.expected.values()):>8}  {sum(self.found.values()):>5}  "
                     f"{sum(self.missed.values()):>6}  {sum(self.unexpected.values()):>10}")
        return "\n".join(lines)
