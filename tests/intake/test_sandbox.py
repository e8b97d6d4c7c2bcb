"""Parsing in a sandboxed worker process: same answers, bounded time, replaced when it breaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import intake
from intake import samples
from intake.sandbox import Sandbox, SandboxLimits


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as worker:
        yield worker


def test_a_sandboxed_read_gives_the_same_form_without_parsing_here(sandbox: Sandbox, corpus: Path) -> None:
    upload = intake.Upload.from_source(corpus / "forms/dos_ds11_passport_application.pdf")
    here, there = intake.read_form(upload), sandbox.read(upload)
    assert there.fields == here.fields and there.problems == here.problems
    assert there.text(1) == here.text(1)
    assert there._sealed and there._data == b""
    assert there.text(2) == "", "pages the worker did not read are never parsed in this process"


def test_a_refusal_crosses_the_process_boundary_with_its_code(sandbox: Sandbox, corpus: Path) -> None:
    with pytest.raises(intake.EncryptedFileError):
        sandbox.read(intake.Upload.from_source(corpus / "malformed/encrypted_user_pw_openpassword.pdf"))
    with pytest.raises(intake.DamagedFileError):
        sandbox.read(intake.Upload.from_source(corpus / "malformed/truncated_no_eof.pdf"))


def test_a_file_that_takes_too_long_is_too_complex_and_the_worker_is_replaced(corpus: Path) -> None:
    upload = intake.Upload.from_source(corpus / "forms/il_ccap_child_care_application.pdf")
    with Sandbox(SandboxLimits(wall_seconds=0.05)) as slow:
        with pytest.raises(intake.TooComplexError):
            slow.read(upload, all_text=True)
        assert slow.replaced == 1
        slow.limits = SandboxLimits()
        assert len(slow.read(intake.Upload.from_source(corpus / "forms/irs_fw9_2024.pdf")).fields) == 23


def test_a_worker_that_runs_out_of_memory_is_replaced_not_fatal(corpus: Path) -> None:
    with Sandbox(SandboxLimits(memory_mb=40, wall_seconds=10)) as starved:
        with pytest.raises(intake.TooComplexError):
            starved.read(intake.Upload.from_source(corpus / "forms/irs_fw9_2024.pdf"))
        assert starved.replaced == 1


def test_an_isolated_check_gives_the_same_report(sandbox: Sandbox, corpus: Path) -> None:
    service = intake.load_service(Path(__file__).resolve().parents[2] / "schemas/passport-first-time.yaml")
    for sample in service.samples:
        packet = samples.packet(service, sample, corpus)
        here = intake.check(service, packet, today=sample.today)
        there = intake.Checker(isolate=True, sandbox=sandbox).check(service, packet, today=sample.today)
        assert there.to_dict("es") == here.to_dict("es")


def test_isolate_without_a_sandbox_starts_and_stops_its_own(corpus: Path) -> None:
    service = intake.load_service(Path(__file__).resolve().parents[2] / "schemas/passport-first-time.yaml")
    report = intake.check(service, [corpus / "forms/dos_ds11_passport_application.pdf"], isolate=True)
    assert report.forms[0].form == "ds11"


def test_the_file_limits_parse_seconds_bound_the_worker_and_a_timeout_says_so(corpus: Path) -> None:
    upload = intake.Upload.from_source(corpus / "forms/il_ccap_child_care_application.pdf")
    with Sandbox(file_limits=intake.Limits(max_parse_seconds=0.05)) as hurried:
        assert hurried.wall_seconds == 0.05 and hurried.cpu_seconds == 1
        with pytest.raises(intake.TooComplexError) as late:
            hurried.read(upload, all_text=True)
    assert late.value.params["variant"] == "time"
    problem = intake.pdf.problem_from_error(late.value, "ccap.pdf")
    assert "too long" in problem.message("en") and "demasiado" in problem.message("es")


def test_the_worker_peak_memory_is_measured_and_stays_under_its_cap(sandbox: Sandbox, corpus: Path) -> None:
    sandbox.read(intake.Upload.from_source(corpus / "forms/irs_fw9_2024.pdf"), all_text=True)
    assert 20 < sandbox.peak_memory_mb < sandbox.limits.memory_mb
