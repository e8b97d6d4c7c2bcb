"""The project's own hostile corpus (``tests/intake/hostile``) through the library in-process.

Each file is read with no sandbox, the way ``intake.read_form``, ``vet`` and ``text`` (or
``intake.check``) run inside a caller's process, but in a child process of the test under
RLIMIT_AS 1.5 GB and RLIMIT_CPU, so a file that escaped a limit kills only the child. Each
must give its family's code (and variant, and weight), without crashing or hanging; the
bounds are generous for a loaded two-core machine, the benchmark (``bench/bench_hostile.py``)
holds the tight ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import intake
from tests.intake import hostile

WALL_SECONDS = 30
CPU_SECONDS = 20
MEMORY_MB = 1536


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.write(tmp_path_factory.mktemp("own-hostile"))


@pytest.mark.parametrize("name", [f.name for f in hostile.FAMILIES])
def test_each_crafted_file_gets_its_code_in_process_without_crash_or_hang(files: dict[str, Path], name: str) -> None:
    family = hostile.BY_NAME[name]
    result = hostile.run(name, files[name], memory_mb=MEMORY_MB, cpu_seconds=CPU_SECONDS, wall_seconds=WALL_SECONDS)
    assert result.ended == "ok", f"{name} {result.ended}: {result.detail}"
    assert result.has(family), f"{name}: want {family.code}/{family.variant}, blocks={family.blocks}: {result.found}"


def test_every_family_of_the_brief_is_in_the_corpus() -> None:
    codes = {(f.code, f.variant) for f in hostile.FAMILIES}
    assert {("file.too_complex", "drawing"), ("file.too_complex", "options"), ("file.too_complex", "fields"),
            ("file.too_complex", "image"), ("file.unsafe", "launch"), ("file.unsafe", None),
            ("file.not_pdf", None), ("field.range", "too_big"), (None, None)} <= codes
    assert len(hostile.FAMILIES) == len(hostile.BY_NAME)


def test_every_code_and_variant_the_corpus_expects_has_words_in_english_and_spanish() -> None:
    for family in hostile.FAMILIES:
        if family.code is None:
            continue
        problem = intake.Problem.of(family.code, field="pay", limit=5, **(
            {"variant": family.variant} if family.variant else {}))
        english, spanish = problem.message("en"), problem.message("es")
        assert english and spanish and english != spanish, family.name


def test_a_drawing_fan_out_is_refused_before_any_text_is_extracted(files: dict[str, Path],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from intake import pdf

    def never(*_: object) -> None:
        raise AssertionError("the text extractor ran")

    monkeypatch.setattr(pdf, "_extract_text", never)
    form = intake.read_form(files["xobject_fan_out.pdf"])
    with pytest.raises(intake.TooComplexError) as refused:
        form.vet([1])
    assert refused.value.params["variant"] == "drawing"
    assert form.text() == ""  # leniently: no text from a page that would hurt the extractor


def test_a_real_amount_of_options_and_drawing_is_read_as_before() -> None:
    from tests.intake.hostile import drawings

    form = intake.read_form(drawings.fan_out(levels=2, times=3))
    form.vet([1])
    assert "x" in form.text()
    limits = intake.Limits(max_options=10)
    from tests.pdfs import FormBuilder

    data = FormBuilder().add_choice("a", ["1", "2", "3"]).add_choice("b", ["4", "5", "6"]).build()
    assert [len(f.options) for f in intake.read_form(data, limits=limits).fields] == [3, 3]
    with pytest.raises(intake.TooComplexError) as refused:
        intake.read_form(data, limits=intake.Limits(max_options=5))
    assert refused.value.params == {"variant": "options", "limit": 5}
