from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus


@pytest.fixture(scope="session", autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user cache folder (where ``intake check`` keeps what it read off photos) is the test
    run's own, never the home folder's."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture
def corpus() -> Path:
    """The root of the shared corpus; the test is skipped, with the reason, when it is absent."""
    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    return shared_corpus.ROOT


@pytest.fixture(scope="session")
def filled() -> Callable[..., bytes]:
    """A real corpus form with values written into its fields (PDF field name -> value).

    Filling a real form costs a few tenths of a second, so each distinct filling is made
    once per run and shared.
    """
    from intake._fill import fill_form

    if not shared_corpus.available():
        pytest.skip(shared_corpus.MISSING)
    made: dict[tuple[str, tuple[tuple[str, Any], ...]], bytes] = {}

    def fill(name: str, **values: Any) -> bytes:
        key = (name, tuple(sorted(values.items())))
        if key not in made:
            made[key] = fill_form(shared_corpus.path(name), values)
        return made[key]

    return fill


@pytest.fixture(scope="session")
def hostile(request: pytest.FixtureRequest) -> Any:
    """The generated hostile corpus (``tests/hostile.py``); skipped, with the reason, when the
    generator beside the repository is absent."""
    from tests import hostile as corpus

    if not corpus.available():
        pytest.skip(corpus.MISSING)
    return corpus.generate(request.config.cache.mkdir("hostile"))
