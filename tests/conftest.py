from __future__ import annotations

from pathlib import Path

import pytest

from tests import shared_corpus


@pytest.fixture
def corpus() -> Path:
    """The root of the shared corpus; the test is skipped, with the reason, when it is absent."""
    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    return shared_corpus.ROOT
