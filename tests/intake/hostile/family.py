"""One family of the project's hostile corpus: how to build its file and what it must give."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A crafted file built in code and the problem the library must give it.

    ``code`` is the problem code (None: the file is read with no problem of its own kind);
    ``variant``, when given, must be the problem's variant too; ``blocks`` says whether the
    problem refuses the file or only warns. A family with a ``service`` is checked against
    that service's form ``item`` (a value's problem needs the service that types it).
    """

    name: str
    build: Callable[[], bytes]
    code: str | None
    variant: str | None = None
    blocks: bool = True
    service: str | None = None
    item: str | None = None
    upload_name: str | None = None
    why: str = ""

    @property
    def sent_as(self) -> str:
        """The name the file is uploaded under (a crafted name, or the family's own)."""
        return self.upload_name or self.name
