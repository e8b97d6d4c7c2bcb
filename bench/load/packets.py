"""The packets the load sends: each named service's complete sample, forms filled from the shared corpus.

They are built once per run, as ``bench/bench_check.py`` builds them, and written to a folder
with a ``packets.json`` that says which multipart part each file goes in (``item-<id>`` for a
file of a checklist item, ``files`` for one the checker must place). locust and the
benchmark's own requests both read them from there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load.processes import ROOT

# The mix: the two services every run must load, then two with a photo and an XFA form.
SERVICES = ("passport-first-time", "il-child-care", "ny-driver-licence", "social-security-card")


@dataclass(frozen=True)
class Packet:
    service: str
    parts: tuple[tuple[str, str, bytes, str], ...]  # (multipart field, file name, bytes, content type)

    def files(self) -> list[tuple[str, tuple[str, bytes, str]]]:
        """As ``requests`` takes ``files=``."""
        return [(part, (name, data, kind)) for part, name, data, kind in self.parts]

    @property
    def size(self) -> int:
        return sum(len(data) for _part, _name, data, _kind in self.parts)


def _kind(name: str) -> str:
    return {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}.get(
        Path(name).suffix.lower(), "application/octet-stream")


def build(folder: Path, services: tuple[str, ...] = SERVICES) -> Path:
    """Write each service's first complete sample packet under ``folder``; the manifest's path."""
    import intake
    from intake import samples
    from tests import shared_corpus

    if not shared_corpus.available():
        raise SystemExit(f"the load needs real packets: {shared_corpus.MISSING}")
    catalogue = intake.catalogue(ROOT / "schemas")
    manifest: list[dict[str, Any]] = []
    for service_id in services:
        service = catalogue[service_id]
        sample = next(s for s in service.samples if s.status == "complete")
        target = folder / service_id
        target.mkdir(parents=True, exist_ok=True)
        parts = []
        for index, entry in enumerate(samples.packet(service, sample, shared_corpus.ROOT)):
            item, upload = entry if isinstance(entry, tuple) else (None, entry)
            path = target / f"{index:02d}-{upload.name}"
            path.write_bytes(upload.data)
            parts.append({"part": f"item-{item}" if item else "files", "name": upload.name,
                          "path": str(path.relative_to(folder))})
        manifest.append({"service": service_id, "sample": sample.name, "parts": parts})
    path = folder / "packets.json"
    path.write_text(json.dumps(manifest, indent=1))
    return path


def load(manifest: Path, services: tuple[str, ...] | None = None) -> list[Packet]:
    entries = json.loads(manifest.read_text())
    return [Packet(e["service"], tuple((p["part"], p["name"], (manifest.parent / p["path"]).read_bytes(),
                                        _kind(p["name"])) for p in e["parts"]))
            for e in entries if services is None or e["service"] in services]
