"""A labelled set of pictures of paper documents, built in code from the synthetic corpus.

Each case is one picture (its bytes, as a citizen would upload it) of a synthetic proof of
address, income or identity document, with the ground truth printed on it and what a
picture checker must say about it: which quality codes must be flagged and whether OCR
should be expected to read it. Pages are rendered with pypdfium2 at 150 dpi, then copied
clean, turned 90 and 180 degrees, skewed 4 degrees, blurred, darkened, washed out, cropped,
shrunk and staged as a phone photo, and saved as PNG, JPEG (quality 85) or HEIC.

How the accuracy suite uses it::

    from tests import pictures

    if not pictures.available():
        pytest.skip(pictures.MISSING)
    for case in pictures.cases():            # or cases(full=True) for every document
        image = intake.images.open_picture(case.data)
        codes = {q.code for q in intake.images.judge(image)}
        # a false alarm: codes - case.expected_quality; a miss: case.expected_quality - codes
        if case.readable:
            ...                              # OCR it; expect case.person_name and case.date

Cases are made once and kept under ``test-output/pictures/<key>/`` (the key hashes
``VERSION`` and the source documents), so a second run reads files instead of rendering.
Bump ``VERSION`` whenever a variant changes. This module builds inputs and asserts nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from tests import shared_corpus

VERSION = "pictures-4"
CORPUS = shared_corpus.ROOT / "supporting"
MISSING = shared_corpus.MISSING
CACHE = Path(__file__).resolve().parents[1] / "test-output" / "pictures"
DPI = 150

# A few documents of each kind that matter at the counter: proof of address, income,
# identity, birth; text renders, a scan, a photo of an ID card and a card image among them.
# The card back (no name on it) is left out: it has nothing to read the person from.
_DEFAULT = (
    ("synthetic", "utility_bill_1.pdf"),
    ("synthetic", "pay_stub_1.pdf"),
    ("synthetic", "bank_statement.pdf"),
    ("synthetic", "birth_certificate_scan.pdf"),
    ("synthetic", "state_id_front_photo.jpg"),
    ("synthetic", "ssn_card.png"),
)
_CARDS = ("state_id_front_photo.jpg", "ssn_card.png", "state_id_back.png")
_CARD_VARIANTS = frozenset({"clean", "rotated90", "blurred", "dark", "washed_out", "tiny"})
"""Cards are pictures already: no page to crop or stage on a table, no margin to skew into."""

Kind = Literal["jpeg", "png", "heic"]


@dataclass(frozen=True)
class Case:
    """One picture and what must be said about it."""

    name: str
    data: bytes = field(repr=False)
    kind: Kind
    document: str
    document_kind: str
    person_name: str
    date: str
    address: str
    language: str
    variant: str
    expected_quality: frozenset[str]
    expected_variant: str | None
    readable: bool


@dataclass(frozen=True)
class _Source:
    folder: str
    file: str
    kind: str
    person_name: str
    date: str
    address: str


def available() -> bool:
    return (CORPUS / "synthetic" / "MANIFEST.tsv").is_file()


def _manifest(folder: str) -> dict[str, dict[str, str]]:
    with open(CORPUS / folder / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {row["file"]: row for row in csv.DictReader(lines, delimiter="\t")}


def _sources(full: bool) -> list[_Source]:
    picks: list[tuple[str, str]] = list(_DEFAULT)
    if full:
        picks = []
        for folder in ("synthetic", "synthetic_ny"):
            if (CORPUS / folder / "MANIFEST.tsv").is_file():
                picks += [(folder, name) for name in _manifest(folder) if name != "state_id_back.png"]
    out = []
    for folder, name in picks:
        row = _manifest(folder)[name]
        out.append(_Source(folder, name, row["kind"], row["person_name"], row["document_date"], row["address"]))
    return out


def _render(source: _Source) -> Image.Image:
    import pypdfium2

    if source.file in _CARDS:
        with Image.open(CORPUS / source.folder / source.file) as picture:
            return picture.convert("RGB")
    document = pypdfium2.PdfDocument(str(CORPUS / source.folder / source.file))
    try:
        return document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()


def _encode(image: Image.Image, kind: Kind) -> bytes:
    out = io.BytesIO()
    if kind == "heic":
        from pillow_heif import register_heif_opener

        register_heif_opener()
        image.save(out, format="HEIF", quality=85)
    elif kind == "jpeg":
        image.save(out, format="JPEG", quality=85)
    else:
        image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


def _photo(page: Image.Image, seed: int) -> Image.Image:
    """The page lying on a darker table, seen a little from one side, with a shadow and noise."""
    rng = random.Random(seed)
    width, height = page.size
    canvas_size = (int(width * 1.3), int(height * 1.25))
    table = Image.new("L", canvas_size, 95)
    table = Image.merge("RGB", [table.point(lambda v, k=k: v + k) for k in (10, 0, -15)])
    left, top = (canvas_size[0] - width) // 2, (canvas_size[1] - height) // 2
    squeeze = int(width * 0.04)
    quad = (-squeeze, 0, 0, height, width, height, width + squeeze, 0)
    seen = page.transform(page.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=(95, 90, 80))
    mask = Image.new("L", page.size, 0)
    ImageDraw.Draw(mask).polygon([(squeeze, 0), (width - squeeze, 0), (width, height), (0, height)], fill=255)
    table.paste(seen, (left, top), mask)
    shade = Image.linear_gradient("L").resize(canvas_size).point(lambda v: 255 - v // 5)
    table = Image.composite(table, Image.new("RGB", canvas_size, (0, 0, 0)), shade)
    noise = Image.effect_noise(canvas_size, 12).convert("RGB")
    table = Image.blend(table, noise, 0.06 + rng.random() * 0.02)
    return table.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=(90, 85, 75))


def _text_row(page: Image.Image, near: int) -> int:
    """The middle of the line of text nearest to row ``near``: a cut there runs through text,
    as when a phone photo misses the top third of a page, rather than through a blank gap."""
    rows = list(page.convert("L").resize((1, page.height), Image.Resampling.BOX).tobytes())
    paper = max(rows)
    inked = [row for row, level in enumerate(rows) if level < paper - 3]
    if not inked:
        return near
    line = min(inked, key=lambda row: abs(row - near))
    window = range(max(0, line - 12), min(page.height, line + 13))
    return min(window, key=lambda row: rows[row])


def _variants(page: Image.Image) -> list[tuple[str, Kind, Callable[[], Image.Image], frozenset[str], str | None, bool]]:
    none: frozenset[str] = frozenset()
    white = (255, 255, 255)
    width, height = page.size
    return [
        ("clean", "png", lambda: page, none, None, True),
        ("clean", "jpeg", lambda: page, none, None, True),
        ("clean", "heic", lambda: page, none, None, True),
        ("rotated90", "jpeg", lambda: page.rotate(90, expand=True), none, None, True),
        ("rotated180", "jpeg", lambda: page.rotate(180, expand=True), none, None, True),
        ("skewed4", "png", lambda: page.rotate(4, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=white),
         none, None, True),
        ("photo", "jpeg", lambda: _photo(page, width), none, None, True),
        ("blurred", "jpeg", lambda: page.filter(ImageFilter.GaussianBlur(6)), frozenset({"image.blurry"}), None, False),
        ("dark", "jpeg", lambda: ImageEnhance.Brightness(page).enhance(0.25), frozenset({"image.too_dark"}), None,
         False),
        ("washed_out", "jpeg", lambda: ImageEnhance.Brightness(ImageEnhance.Contrast(page).enhance(0.2)).enhance(1.2),
         frozenset({"image.too_dark"}), "washed_out", False),
        ("cropped", "png", lambda: page.crop((0, _text_row(page, height // 3), width, height)),
         frozenset({"image.cut_off"}), None, False),
        ("tiny", "jpeg", lambda: page.resize((width // 3, height // 3), Image.Resampling.LANCZOS),
         frozenset({"image.too_small"}), None, False),
    ]


def _key(sources: list[_Source]) -> str:
    digest = hashlib.sha256(VERSION.encode())
    for source in sources:
        digest.update(source.file.encode())
        digest.update(hashlib.sha256((CORPUS / source.folder / source.file).read_bytes()).digest())
    return digest.hexdigest()[:16]


def _build(sources: list[_Source]) -> list[Case]:
    made = []
    for source in sources:
        page = _render(source)
        stem = f"{source.folder}-{source.file.rsplit('.', 1)[0]}"
        for variant, kind, make, expected, expected_variant, readable in _variants(page):
            if source.file in _CARDS and variant not in _CARD_VARIANTS:
                continue
            made.append(Case(
                name=f"{stem}-{variant}.{kind}", data=_encode(make(), kind), kind=kind,
                document=f"{source.folder}/{source.file}", document_kind=source.kind,
                person_name=source.person_name, date=source.date, address=source.address, language="en",
                variant=variant, expected_quality=expected, expected_variant=expected_variant, readable=readable,
            ))
    return made


def _save(folder: Path, made: list[Case]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for case in made:
        (folder / case.name).write_bytes(case.data)
        row = asdict(case)
        del row["data"]
        row["expected_quality"] = sorted(case.expected_quality)
        index.append(row)
    (folder / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False), encoding="utf-8")


def _load(folder: Path) -> list[Case]:
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [Case(**{**row, "expected_quality": frozenset(row["expected_quality"]),
                    "data": (folder / row["name"]).read_bytes()}) for row in index]


_memory: dict[str, list[Case]] = {}


def cases(limit: int | None = None, *, full: bool = False) -> list[Case]:
    """The labelled pictures (the first ``limit`` of them), made once and then read from disk.

    Empty when the corpus is absent: callers skip with ``MISSING``.
    """
    if not available():
        return []
    sources = _sources(full)
    key = _key(sources)
    if key not in _memory:
        folder = CACHE / key
        if (folder / "index.json").is_file():
            _memory[key] = _load(folder)
        else:
            made = _build(sources)
            _save(folder, made)
            _memory[key] = made
    found = _memory[key]
    return found if limit is None else found[:limit]
