"""Mutated corpus forms through the sandboxed reader: a form or a refusal with a known code, in time.

Hypothesis takes real and built forms and changes them the way damage and attackers do:
numbers made huge or negative, names swapped for structural ones (``/Kids``, ``/Parent``,
``/Length``), references pointed elsewhere, bytes flipped, slices cut or repeated, files
truncated. Each result goes through one shared sandbox worker, as ``Checker(isolate=True)``
reads an upload. The normal suite runs a small, fixed set of examples;
``make fuzz`` sets ``INTAKE_FUZZ_EXAMPLES`` and runs many more, at random.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intake
from intake.report import CODES
from intake.sandbox import Sandbox
from tests import shared_corpus
from tests.pdfs import FormBuilder, text_pdf

EXAMPLES = int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "0") or 0)
CORPUS_FORMS = ("forms/irs_f1040v_2013_incremental_updates.pdf", "forms/irs_f7004_xfa.pdf")
_NUMBER = re.compile(rb"-?\d+")
_NAME = re.compile(rb"/[A-Za-z]+")
_REFERENCE = re.compile(rb"\d+ \d+ R")
NUMBERS = [b"0", b"-1", b"-5", b"2147483647", b"4294967296", b"99999999999999999999", b"1e30", b"3.5"]
NAMES = [b"/Kids", b"/Parent", b"/Pages", b"/Page", b"/Type", b"/Length", b"/Filter", b"/FlateDecode",
         b"/LZWDecode", b"/W", b"/XObject", b"/Font", b"/Annots", b"/Fields", b"/Contents", b"/Prev", b"/Root"]

found: dict[str, int] = {"inputs": 0, "forms": 0, "refusals": 0, "timeouts": 0}


@pytest.fixture(scope="module")
def seeds() -> list[bytes]:
    """Forms built here (uncompressed, so changes hit the structure) and real ones from the corpus."""
    built = [
        FormBuilder(pages=2).add_text("name", "Jane").add_text("ssn", "123-45-6789").add_checkbox("agree").build(),
        text_pdf(["Statement period 2026", "Ending balance 12.00"]),
    ]
    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    return built + [shared_corpus.path(name).read_bytes() for name in CORPUS_FORMS]


@pytest.fixture(scope="module")
def worker() -> Iterator[Sandbox]:
    with Sandbox(file_limits=intake.Limits(max_parse_seconds=5)) as sandbox:
        yield sandbox


@st.composite
def mutations(draw: st.DrawFn, seed_count: int) -> tuple[int, list[tuple[Any, ...]]]:
    """Which seed, then up to six changes, each as (kind, position as a fraction, choice)."""
    seed = draw(st.integers(0, seed_count - 1))
    kinds = st.sampled_from(["number", "name", "reference", "flip", "cut", "repeat", "truncate"])
    steps = draw(st.lists(st.tuples(kinds, st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6))
    return seed, steps


def mutate(data: bytes, steps: list[tuple[Any, ...]]) -> bytes:
    out = bytearray(data)
    for kind, where, choice in steps:
        if not out:
            break
        at = min(int(where * len(out)), len(out) - 1)
        if kind in ("number", "name", "reference"):
            pattern = {"number": _NUMBER, "name": _NAME, "reference": _REFERENCE}[kind]
            match = pattern.search(out, at) or pattern.search(out)
            if match is None:
                continue
            pool = {"number": NUMBERS, "name": NAMES, "reference": [b"%d 0 R" % (choice % 40)]}[kind]
            out[match.start():match.end()] = pool[choice % len(pool)]
        elif kind == "flip":
            out[at] ^= choice or 1
        elif kind == "cut":
            del out[at:at + 1 + choice * 4]
        elif kind == "repeat":
            out[at:at] = out[at:at + 1 + choice * 8]
        else:
            del out[max(at, 16):]
    return bytes(out)


@settings(max_examples=EXAMPLES or 100, deadline=None, database=None, derandomize=not EXAMPLES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_mutated_form_is_read_or_refused_with_a_known_code_in_time(seeds: list[bytes], worker: Sandbox,
                                                                     data: st.DataObject) -> None:
    seed, steps = data.draw(mutations(len(seeds)))
    upload = intake.Upload("fuzzed.pdf", mutate(seeds[seed], steps))
    replaced = worker.replaced
    started = time.monotonic()
    found["inputs"] += 1
    try:
        form = worker.read(upload)
    except intake.FileProblemError as exc:
        assert exc.code in CODES, f"an unknown code {exc.code}"
        timed_out = exc.params.get("variant") == "time"
        found["timeouts" if timed_out else "refusals"] += 1
        replaced_on_purpose = exc.params.get("variant") in ("time", "memory")
        assert worker.replaced == replaced or replaced_on_purpose, "the worker died: a crash, not a refusal"
    else:
        found["forms"] += 1
        assert form.page_count >= 1
        assert all(p.code in CODES for p in form.problems)
        assert worker.replaced == replaced
    # Ended by the worker's deadline at the latest; the rest is room for replacing the worker
    # on a machine busy with other work.
    assert time.monotonic() - started <= 2 * worker.wall_seconds


def test_the_fuzzing_tried_inputs_and_every_one_ended(seeds: list[bytes]) -> None:
    """A summary after the examples above: some mutations still read, some are refused."""
    if not found["inputs"]:
        pytest.skip("the fuzz test above did not run in this session")
    print(f"\nfuzz: {found['inputs']} inputs, {found['forms']} read, {found['refusals']} refused, "
          f"{found['timeouts']} timed out")
    assert found["forms"] + found["refusals"] + found["timeouts"] == found["inputs"]
    assert found["forms"] and found["refusals"], "the mutations no longer reach both outcomes"
