"""Pictures of paper documents: open them safely, judge them before OCR, straighten them.

Citizens send phone photos and scans; before Tesseract spends seconds on one, we refuse what
cannot be decoded safely and say plainly when a picture is too small, blurred, dark or cut off,
so the person can take it again while they still hold the paper. Pillow only: no numpy, no
OpenCV, no Flask, no I/O beyond the bytes handed in. Turning pages by 90 or 180 degrees is
left to Tesseract's orientation detection elsewhere.
"""

from __future__ import annotations

import io
import itertools
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageFilter, ImageMath, ImageOps, ImageStat, UnidentifiedImageError

from intake.errors import DamagedFileError, EmptyFileError, TooComplexError, UsageError
from intake.files import is_heif

QualityCode = Literal["image.too_small", "image.blurry", "image.too_dark", "image.cut_off"]

# Working sizes: every measure runs on a copy of fixed size, so it means the same for a
# 12-megapixel phone photo and a 150 dpi scan, and stays fast.
_BLUR_SIDE = 1000
_EDGE_SIDE = 400
_SKEW_SIDE = 800
_TILES = 8
_BORDER_PARTS = 8

# Thresholds, calibrated on the labelled set of tests/pictures.py (clean renders, scans and
# photos must pass; blurred, dark, washed-out and cropped copies must not).
PAGE_MIN_SHORT_SIDE = 640
"""A page (letter or A4 shape) below this many pixels on its shorter side holds under ~75
pixels per inch of paper once a photo's margins are counted: 10-point text is then about 7
pixels high, below what OCR or a clerk reads reliably."""
CARD_MIN_SHORT_SIDE = 300
"""A card (ID-1, 2.125 inches high) at this height still has ~140 pixels per inch."""
CARD_MIN_ASPECT = 1.5
"""Long side over short side from which a picture is taken to be a card, not a page
(letter is 1.29, A4 1.41, an ID card 1.59)."""
BLUR_MIN_SHARPNESS = 1.2
"""See ``sharpness``: clean pages measure 1.6 to 2.8 on the labelled set, sparse ones 1.3,
blurred ones 1.0."""
DARK_MAX_MEAN = 80.0
"""Mean brightness (0-255) below which the paper itself reads as dark grey."""
WASHED_MIN_MEAN = 150.0
WASHED_MAX_INK_CONTRAST = 60.0
"""Paper brightness (the brightest tenth of the picture, so a card on a dark table still
finds its paper) minus the darkest ink (the darkest 0.02% of pixels, so a page with a few
words still counts): print keeps this above ~110 on the labelled set, blur lowers it to ~70,
an over-exposed photo fades the ink to within ~45 of the paper."""
CUT_MIN_INK = 0.02
"""Share of dark pixels in the inkiest eighth of the outer band (2% deep) along a border
that says text runs into it; a clean page has a blank margin there (0 on the labelled set)."""

_heif_registered = False
_FORMATS = ("JPEG", "MPO", "PNG", "HEIF")


@dataclass(frozen=True)
class Quality:
    """One reason a picture will not read well, with the measure that tripped it."""

    code: QualityCode
    variant: Literal["washed_out"] | None
    measure: float
    threshold: float

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "variant": self.variant, "measure": self.measure, "threshold": self.threshold}


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _formats() -> list[str]:
    """Only the decoders a phone or scanner uses: Pillow would otherwise open dozens of
    formats, some (EPS) by running another program."""
    Image.init()
    return [name for name in _FORMATS if name in Image.OPEN]


def open_picture(data: bytes, *, max_pixels: int = 100_000_000) -> Image.Image:
    """Decode a JPEG, PNG or HEIC upright, in RGB or L, refusing it before decoding if it is huge.

    The size is read from the header first: a small file can claim billions of pixels and
    would take all the memory if decoded. Damage is a file problem for the report, not a crash.
    """
    if not data:
        raise EmptyFileError("the picture is empty")
    if is_heif(data):
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=_formats())
            width, height = opened.size
            if width * height > max_pixels:
                raise TooComplexError("the picture has too many pixels", variant="image",
                                      pixels=width * height, limit=max_pixels)
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError as exc:
        raise TooComplexError("the picture has too many pixels", variant="image", limit=max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise DamagedFileError("the picture cannot be read") from exc
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError) as exc:
        raise DamagedFileError("the picture is damaged or cut short") from exc
    return _plain(image)


def _plain(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("1", "I;16", "I", "F"):
        return image.convert("L")
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _grey(image: Image.Image, side: int) -> Image.Image:
    """A greyscale copy whose longer side is ``side``, made by cheap reduction first."""
    factor = max(1, max(image.size) // (side * 2))
    small = image.reduce(factor) if factor > 1 else image
    small = small.convert("L")
    scale = side / max(small.size)
    size = (max(1, round(small.width * scale)), max(1, round(small.height * scale)))
    return small.resize(size, Image.Resampling.BOX if scale < 1 else Image.Resampling.BICUBIC)


def _percentile(histogram: list[int], share: float) -> int:
    total = sum(histogram)
    goal = total * share
    running = 0
    for level, count in enumerate(histogram):
        running += count
        if running >= goal:
            return level
    return 255


def _otsu(histogram: list[int]) -> int:
    total = sum(histogram)
    weighted = sum(level * count for level, count in enumerate(histogram))
    below = below_weighted = 0.0
    best, split = -1.0, 128
    for level, count in enumerate(histogram):
        below += count
        if below == 0 or below == total:
            continue
        below_weighted += level * count
        mean_below = below_weighted / below
        mean_above = (weighted - below_weighted) / (total - below)
        between = below * (total - below) * (mean_below - mean_above) ** 2
        if between > best:
            best, split = between, level
    return split


def sharpness(image: Image.Image) -> float:
    """Laplacian variance over gradient variance, in the busiest quarter of an 8 x 8 grid.

    Measured on a fixed-size greyscale copy so resolution does not count. Dividing by the
    gradient, and only where the text is, keeps a sparse page (a few lines on white paper)
    from looking blurred for having little ink: blur flattens the Laplacian much faster than
    the gradient, so the ratio falls towards 1 (rounding noise alone) on a blurred page.
    """
    grey = _grey(image, _BLUR_SIDE)
    laplacian = grey.filter(ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128))
    across = grey.filter(ImageFilter.Kernel((3, 3), [0, 0, 0, 0, -1, 1, 0, 0, 0], scale=1, offset=128))
    down = grey.filter(ImageFilter.Kernel((3, 3), [0, 0, 0, 0, -1, 0, 0, 1, 0], scale=1, offset=128))
    gradients = [(a + d) / 2 for a, d in zip(_tile_variances(across), _tile_variances(down), strict=True)]
    tiles = list(zip(gradients, _tile_variances(laplacian), strict=True))
    busiest = sorted(tiles, reverse=True)[: len(tiles) // 4]
    spread = sum(gradient for gradient, _ in busiest)
    return sum(lap for _, lap in busiest) / spread if spread > 0.01 else 0.0


def _tile_variances(image: Image.Image) -> list[float]:
    """The variance of each tile of an 8 x 8 grid: the mean of the squares less the square of
    the mean, both from box-shrunk copies (one pass each, not a crop and a count per tile)."""
    width, height = image.width // _TILES * _TILES, image.height // _TILES * _TILES
    values = image.crop((0, 0, width, height)).convert("F")
    squares = ImageMath.lambda_eval(lambda named: named["v"] * named["v"], v=values)
    means = values.resize((_TILES, _TILES), Image.Resampling.BOX)
    mean_squares = squares.resize((_TILES, _TILES), Image.Resampling.BOX)
    cells = [(x, y) for y in range(_TILES) for x in range(_TILES)]
    return [max(0.0, float(mean_squares.getpixel(cell)) - float(means.getpixel(cell)) ** 2)  # type: ignore[arg-type]
            for cell in cells]


def _too_small(image: Image.Image) -> Quality | None:
    short, long = min(image.size), max(image.size)
    card = long / max(short, 1) >= CARD_MIN_ASPECT
    needed = CARD_MIN_SHORT_SIDE if card else PAGE_MIN_SHORT_SIDE
    return Quality("image.too_small", None, float(short), float(needed)) if short < needed else None


def _exposure(grey: Image.Image) -> Quality | None:
    histogram = grey.histogram()
    mean = float(ImageStat.Stat(grey).mean[0])
    if mean < DARK_MAX_MEAN:
        return Quality("image.too_dark", None, mean, DARK_MAX_MEAN)
    paper = _percentile(histogram, 0.9)
    ink = _percentile(histogram, 0.0002)
    contrast = float(paper - ink)
    if mean >= WASHED_MIN_MEAN and contrast < WASHED_MAX_INK_CONTRAST:
        return Quality("image.too_dark", "washed_out", contrast, WASHED_MAX_INK_CONTRAST)
    return None


def _cut_off(grey: Image.Image) -> Quality | None:
    """Paper on two or more borders with text running into one of them.

    A photo of a whole page shows background around it; a flat scan or render shows paper on
    every border but a blank margin inside it. Only ink reaching a border that paper touches
    says part of the page is missing.
    """
    histogram = grey.histogram()
    paper_level = _percentile(histogram, 0.75)
    split = int(paper_level * 0.85)
    ink_below = paper_level * 0.7
    width, height = grey.size
    band = max(2, round(0.02 * max(width, height)))
    strips = {
        "top": ((0, 0, width, 1), (0, 0, width, band)),
        "bottom": ((0, height - 1, width, height), (0, height - band, width, height)),
        "left": ((0, 0, 1, height), (0, 0, band, height)),
        "right": ((width - 1, 0, width, height), (width - band, 0, width, height)),
    }
    touching: list[str] = []
    worst = 0.0
    for side, (edge, inner) in strips.items():
        edge_pixels = grey.crop(edge).histogram()
        if sum(edge_pixels[split + 1:]) < 0.5 * sum(edge_pixels):
            continue
        touching.append(side)
        worst = max(worst, _densest_ink(grey.crop(inner), int(ink_below)))
    if len(touching) >= 2 and worst >= CUT_MIN_INK:
        return Quality("image.cut_off", None, worst, CUT_MIN_INK)
    return None


def _densest_ink(band: Image.Image, ink_below: int) -> float:
    """The share of ink in the inkiest eighth of a border band: one cut line of text covers
    only part of a border, so averaging over all of it would hide it."""
    along_width = band.width >= band.height
    length = band.width if along_width else band.height
    densest = 0.0
    for part in range(_BORDER_PARTS):
        start, end = part * length // _BORDER_PARTS, (part + 1) * length // _BORDER_PARTS
        box = (start, 0, end, band.height) if along_width else (0, start, band.width, end)
        counts = band.crop(box).histogram()
        densest = max(densest, sum(counts[:ink_below]) / max(1, sum(counts)))
    return densest


def judge(image: Image.Image) -> tuple[Quality, ...]:
    """What stops this picture of a document from reading well, in the order to fix it; empty when fine.

    A dark or washed-out picture is not also called blurred or cut off: the one thing to fix
    is the light, and the other measures are unreliable on it. A picture too small is not
    also called blurred, since enlarging it to the working size blurs it.
    """
    found: list[Quality] = []
    small = _too_small(image)
    if small:
        found.append(small)
    grey = _grey(image, _EDGE_SIDE)
    exposure = _exposure(grey)
    if exposure:
        found.append(exposure)
        return tuple(found)
    measure = sharpness(image)
    if not small and measure < BLUR_MIN_SHARPNESS:
        found.append(Quality("image.blurry", None, measure, BLUR_MIN_SHARPNESS))
        return tuple(found)
    cut = _cut_off(grey)
    if cut:
        found.append(cut)
    return tuple(found)


def _ink(image: Image.Image) -> Image.Image:
    grey = _grey(image, _SKEW_SIDE)
    split = _otsu(grey.histogram())
    return grey.point(lambda level: 255 if level <= split else 0)


def _profile_score(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=False, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX)
    values = list(rows.tobytes())
    return float(sum((a - b) ** 2 for a, b in itertools.pairwise(values)))


def skew_angle(image: Image.Image, *, limit: float = 10.0) -> float:
    """The angle (degrees, counter-clockwise) that text lines lean by, within ``limit``.

    Level lines give rows that are all ink then all paper, so the row profile is sharpest at
    the true angle: whole degrees on a half-size copy (a line leans a pixel there only past
    about a degree), then quarter and tenth degrees around the best one at full size.
    """
    ink = _ink(image)
    small = ink.reduce(2)
    coarse = [float(step) for step in range(-round(limit), round(limit) + 1)]
    best = max(coarse, key=lambda angle: _profile_score(small, -angle))
    near = [best + step * 0.25 for step in range(-4, 5)]
    best = max(near, key=lambda angle: _profile_score(ink, -angle))
    fine = [best - 0.1, best, best + 0.1]
    best = max(fine, key=lambda angle: _profile_score(ink, -angle))
    return round(best, 1)


def deskew(image: Image.Image) -> Image.Image:
    """The picture turned so its text lines are level, the new corners filled with white.

    Small skew from a hand-held phone or a crooked scan costs OCR many words; 90 and 180
    degree turns are left to Tesseract's orientation detection.
    """
    angle = skew_angle(image)
    if abs(angle) < 0.2:
        return image
    fill: int | tuple[int, int, int] = 255 if image.mode == "L" else (255, 255, 255)
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def to_pdf(images: list[Image.Image]) -> bytes:
    """The pages as one PDF, for a clerk who wants one file to file or print."""
    if not images:
        raise UsageError("no pages to put in a PDF")
    pages = [_plain(image) for image in images]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150.0)
    return out.getvalue()


__all__ = [
    "Quality",
    "deskew",
    "is_heif",
    "judge",
    "open_picture",
    "sharpness",
    "skew_angle",
    "to_pdf",
]
