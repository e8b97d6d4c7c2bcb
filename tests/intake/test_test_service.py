"""``intake test-service`` is honest: what did not run is said and fails, an author's mistake is exit 2."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from intake import cli
from tests import shared_corpus

SCHEMAS = Path(__file__).parents[2] / "schemas"
SHIPPED = sorted(p for p in SCHEMAS.glob("*.yaml") if p.name != "kinds.yaml")
W9 = SCHEMAS / "w9-vendor.yaml"
needs_corpus = pytest.mark.skipif(not shared_corpus.available(), reason=shared_corpus.MISSING)


def _copy(tmp_path: Path, source: Path, text: str | None = None) -> Path:
    shutil.copy(SCHEMAS / "kinds.yaml", tmp_path / "kinds.yaml")
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    return path


def test_samples_whose_files_are_absent_are_skipped_and_fail_the_run(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["test-service", str(W9), "--corpus", str(tmp_path / "nowhere")]) == 2
    out = capsys.readouterr().out
    assert out.count("skip  ") >= 1 and "0 passed, 0 failed" in out and "--allow-missing" in out


def test_allow_missing_accepts_skipped_samples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["test-service", str(W9), "--corpus", str(tmp_path / "nowhere"), "--allow-missing"]) == 0
    assert "skipped" in capsys.readouterr().out


@needs_corpus
def test_a_misspelt_source_is_a_mistake_with_file_line_and_key(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = W9.read_text(encoding="utf-8").replace('name: {source: "topmostSubform[0].Page1[0].f1_01[0]"',
                                                'name: {source: "topmostSubform[0].Page1[0].f1_01x[0]"', 1)
    assert cli.main(["test-service", str(_copy(tmp_path, W9, text)), "--corpus", str(shared_corpus.ROOT)]) == 2
    out = capsys.readouterr().out
    assert "error w9-vendor.yaml, line " in out and "values › name" in out and "f1_01x" in out


@needs_corpus
def test_a_sample_answer_the_form_does_not_offer_is_a_mistake_not_a_crash(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    text = W9.read_text(encoding="utf-8").replace("individual: true", "individual: Maybe", 1)
    assert cli.main(["test-service", str(_copy(tmp_path, W9, text)), "--corpus", str(shared_corpus.ROOT)]) == 2
    out = capsys.readouterr().out
    assert "error w9-vendor.yaml, line " in out and "values › individual" in out and "'Maybe'" in out


def _mutate(text: str, rng: random.Random) -> str:
    """One mistake an author could make: a key gone, a source renamed, a type changed, a bad value, an indent."""
    lines = text.splitlines()
    keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    i = rng.choice(keyed)
    line = lines[i]
    kind = rng.choice(("delete", "source", "type", "value", "indent"))
    if kind == "delete":
        del lines[i]
    elif kind == "source" and "source:" in text:
        lines = text.replace("source: ", "source: X", 1).splitlines()
    elif kind == "type" and "type: " in line:
        lines[i] = line.replace("type: ", f"type: {rng.choice(['dat', 'ssn', 'choice', '12', 'no'])}", 1)
    elif kind == "value":
        key, _, _ = line.partition(":")
        lines[i] = f"{key}: {rng.choice(['no', '2026-01-01', '012', '[unclosed', '{a: ', '- x', '~'])}"
    else:
        lines[i] = " " * rng.randint(1, 3) + line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(30))
def test_random_mistakes_in_shipped_files_give_an_exit_code_and_a_message_never_a_traceback(
        seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    source = rng.choice(SHIPPED)
    path = _copy(tmp_path, source, _mutate(source.read_text(encoding="utf-8"), rng))
    assert cli.main(["lint", str(path)]) in (0, 2)
    linted = capsys.readouterr()
    assert linted.out.strip() or linted.err.strip()
    assert cli.main(["test-service", str(path), "--corpus", str(tmp_path / "nowhere")]) in (0, 1, 2)
    tested = capsys.readouterr()
    assert tested.out.strip() or tested.err.strip()
    assert "Traceback" not in tested.out + tested.err + linted.out + linted.err
