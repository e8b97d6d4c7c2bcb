"""Pictures of paper documents: open them safely, judge them before OCR, straighten them.

Citizens send phone photos and scans; before Tesseract spends seconds on one, we refuse what
cannot be decoded safely and say plainly when a picture is too small, blurred, dark or cut off,
so the person can take it again while they still hold the paper. Pillow only: no numpy, no
OpenCV, no Flask, no I/O beyond the bytes handed in. Turning pages by 90 or 180 degrees is
left to Tesseract's orientation detection elsewhere.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageChops, ImageFilter, ImageMath, ImageOps, ImageStat, UnidentifiedImageError

from intake.errors import DamagedFileError, EmptyFileError, TooComplexError, UsageError
from intake.files import is_heif

QualityCode = Literal["image.too_small", "image.blurry", "image.too_dark", "image.cut_off"]

# Working sizes: every measure runs on a copy of fixed size, so it means the same for a
# 12-megapixel phone photo and a 150 dpi scan, and stays fast.
_BLUR_SIDE = 1000
_EDGE_SIDE = 400
_SKEW_SIDE = 800
_SKEW_STRIP = 8
"""Columns of the skew copy summed into one strip, each strip then moved as a whole."""
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


def open_picture(data: bytes, *, max_pixels: int = 100_000_000, grey: bool = False) -> Image.Image:
    """Decode a JPEG, PNG or HEIC upright, in RGB or L (only L when ``grey``), refusing it
    before decoding if it is huge.

    The size is read from the header first: a small file can claim billions of pixels and
    would take all the memory if decoded. Damage is a file problem for the report, not a crash.
    ``grey`` is for reading, which needs grey levels only: a JPEG then gives its own brightness
    channel as it is decoded, without building colour only to drop it (a quarter of the cost).
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
            if grey:
                opened.draft("L", opened.size)  # JPEG only; other formats ignore it
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError as exc:
        raise TooComplexError("the picture has too many pixels", variant="image", limit=max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise DamagedFileError("the picture cannot be read") from exc
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError) as exc:
        raise DamagedFileError("the picture is damaged or cut short") from exc
    plain = _plain(image)
    return plain.convert("L") if grey and plain.mode != "L" else plain


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
    across = _step(grey, 1, 0)
    down = _step(grey, 0, -1)  # Pillow lays a kernel's last row on the row above
    gradients = [(a + d) / 2 for a, d in zip(_tile_variances(across), _tile_variances(down), strict=True)]
    tiles = list(zip(gradients, _tile_variances(laplacian), strict=True))
    busiest = sorted(tiles, reverse=True)[: len(tiles) // 4]
    spread = sum(gradient for gradient, _ in busiest)
    return sum(lap for _, lap in busiest) / spread if spread > 0.01 else 0.0


def _step(grey: Image.Image, dx: int, dy: int) -> Image.Image:
    """The difference to the neighbour (dx, dy) away, plus 128, border pixels kept: what a 3 x 3
    kernel of -1 and 1 gives, pixel for pixel, as one subtraction instead of nine products."""
    width, height = grey.size
    if width < 3 or height < 3:
        return grey.copy()
    inner = (1, 1, width - 1, height - 1)
    moved = (1 + dx, 1 + dy, width - 1 + dx, height - 1 + dy)
    out = grey.copy()
    out.paste(ImageChops.subtract(grey.crop(moved), grey.crop(inner), scale=1, offset=128), (1, 1))
    return out


def _tile_variances(image: Image.Image) -> list[float]:
    """The variance of each tile of an 8 x 8 grid: the mean of the squares less the square of
    the mean, both from box-shrunk copies (one pass each, not a crop and a count per tile)."""
    width, height = image.width // _TILES * _TILES, image.height // _TILES * _TILES
    values = image.crop((0, 0, width, height)).convert("F")
    squares = ImageMath.lambda_eval(lambda named: named["v"] * named["v"], v=values)
    tile = (max(1, width // _TILES), max(1, height // _TILES))
    means = values.reduce(tile)
    mean_squares = squares.reduce(tile)
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


def _strips(ink: Image.Image) -> tuple[Image.Image, int]:
    """The ink summed into strips a few columns wide (as floats), and the strip width."""
    strip = max(1, min(_SKEW_STRIP, ink.width))
    width = ink.width // strip * strip
    return ink.crop((0, 0, width, ink.height)).convert("F").reduce((strip, 1)), strip


def _profile_score(strips: Image.Image, strip: float, angle: float) -> float:
    """How sharp the row profile is with the page turned clockwise by ``angle`` degrees.

    Each strip moves up or down by as much as the page's turn moves its middle column, so the
    rows are those of the turned page but for a line's lean within one strip (half a pixel on
    a page four degrees askew). Moving a hundred strips costs a tenth of turning every pixel.
    ``strip`` is a strip's width in rows of ``strips``.
    """
    turn = math.radians(angle)
    slope, stretch = math.tan(turn), 1 / math.cos(turn)
    middle_x, middle_y = strips.width * strip / 2, strips.height / 2
    # The source row for each output (column, row): the page's rotation about its middle.
    shear = (1.0, 0.0, 0.0, -strip * slope, stretch, middle_y * (1 - stretch) + middle_x * slope)
    turned = strips.transform(strips.size, Image.Transform.AFFINE, shear, resample=Image.Resampling.NEAREST,
                              fillcolor=0)
    rows = turned.reduce((strips.width, 1))
    height = rows.height
    if height < 2:
        return 0.0
    steps = ImageMath.lambda_eval(lambda named: (named["a"] - named["b"]) * (named["a"] - named["b"]),
                                  a=rows.crop((0, 1, 1, height)), b=rows.crop((0, 0, 1, height - 1)))
    return float(steps.reduce((1, height - 1)).getpixel((0, 0))) * (height - 1)


def skew_angle(image: Image.Image, *, limit: float = 10.0) -> float:
    """The angle (degrees, counter-clockwise) that text lines lean by, within ``limit``.

    Level lines give rows that are all ink then all paper, so the row profile is sharpest at
    the true angle: whole degrees on half as many rows (a line leans a pixel there only past
    about a degree), then quarter and tenth degrees around the best one on all of them, each
    angle's profile made from strips of the ink rather than by turning the picture.
    """
    strips, strip = _strips(_ink(image))
    small = strips.reduce((1, 2)) if strips.height >= 2 else strips
    scores: dict[float, float] = {}

    def score(angle: float) -> float:
        key = round(angle, 2)
        if key not in scores:
            scores[key] = _profile_score(strips, strip, key)
        return scores[key]

    coarse = [float(step) for step in range(-round(limit), round(limit) + 1)]
    best = max(coarse, key=lambda angle: _profile_score(small, strip * small.height / strips.height, angle))
    near = [best + step * 0.25 for step in range(-4, 5)]
    best = max(near, key=score)
    fine = [best - 0.1, best, best + 0.1]
    best = max(fine, key=score)
    return round(best, 1)


def deskew(image: Image.Image) -> Image.Image:
    """The picture turned so its text lines are level, the new corners filled with white.

    Small skew from a hand-held phone or a crooked scan costs OCR many words; 90 and 180
    degree turns are left to Tesseract's orientation detection. Bilinear, not bicubic: the
    words and confidences read off the labelled photos are the same, at half the cost.
    """
    angle = skew_angle(image)
    if abs(angle) < 0.2:
        return image
    fill: int | tuple[int, int, int] = 255 if image.mode == "L" else (255, 255, 255)
    return image.rotate(-angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=fill)


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
