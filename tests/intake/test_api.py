"""The public surface: what ``import intake`` offers, and the words behind every code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import intake
from intake import messages
from intake.report import CODES, Problem, Severity


def test_all_lists_exactly_the_public_names_sorted() -> None:
    public = {name for name in vars(intake) if not name.startswith("_")} | set(intake._LAZY)
    modules = {name for name, value in vars(intake).items() if type(value).__name__ == "module"}
    assert sorted(intake.__all__) == intake.__all__
    assert set(intake.__all__) == public - modules - {"TYPE_CHECKING", "Any"}
    assert all(getattr(intake, name) is not None for name in intake.__all__)
    with pytest.raises(AttributeError):
        intake.no_such_name  # noqa: B018


def test_every_error_has_a_stable_dotted_code_under_intake_error() -> None:
    errors = [getattr(intake, n) for n in intake.__all__ if n.endswith("Error")]
    assert all(issubclass(e, intake.IntakeError) for e in errors)
    codes = [e.code for e in errors]
    assert len(set(codes)) == len(codes)
    assert all("." in code for code in codes)


@pytest.mark.parametrize("key", sorted(messages.TEXTS))
def test_every_message_has_english_and_spanish_words_with_the_same_placeholders(key: str) -> None:
    english, spanish = messages.text(key, "en"), messages.text(key, "es")
    assert english and spanish
    assert english != spanish or len(english) < 4, "not translated"
    assert messages.placeholders(english) == messages.placeholders(spanish)


def test_every_problem_code_has_words() -> None:
    assert set(CODES) <= set(messages.TEXTS)


def test_every_file_refusal_code_has_a_problem_code() -> None:
    refusals = [e for e in vars(intake.errors).values()
                if isinstance(e, type) and issubclass(e, intake.FileProblemError) and e is not intake.FileProblemError]
    assert {e.code for e in refusals} <= set(CODES)


def test_compiled_spanish_catalogue_matches_its_source() -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    mofile = pytest.importorskip("babel.messages.mofile")
    folder = Path(messages.__file__).with_name("locale") / "es" / "LC_MESSAGES"
    with open(folder / "intake.po", "rb") as po, open(folder / "intake.mo", "rb") as mo:
        source, compiled = pofile.read_po(po), mofile.read_mo(mo)
    pairs = {m.id: m.string for m in source if m.id}
    assert pairs == {m.id: m.string for m in compiled if m.id}, "run: pybabel compile -D intake -d intake/locale"
    assert set(pairs) == set(messages.TEXTS.values())


def test_a_message_fills_in_its_place_and_never_crashes_on_a_missing_one() -> None:
    big = Problem.of("file.too_large", size_mb=31.2, limit_mb=20)
    assert "31.2 MB" in big.message("en") and "31.2 MB" in big.message("es")
    assert big.severity is Severity.BLOCKS
    assert "{size_mb}" in Problem.of("file.too_large").message()
    assert big.to_dict("es")["message"] == big.message("es")


def test_an_unknown_language_falls_back_to_english() -> None:
    assert messages.text("file.empty", "fr") == messages.text("file.empty", "en")


def test_importing_and_reading_fields_never_loads_pdfplumber_or_flask(corpus: Path) -> None:
    script = (
        "import sys, intake\n"
        f"form = intake.read_form({str(corpus / 'forms/dos_ds11_passport_application.pdf')!r})\n"
        "values = form.values()\n"
        "print(len(values), 'pdfplumber' in sys.modules, 'flask' in sys.modules, 'marshmallow' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["87", "False", "False", "False"]
