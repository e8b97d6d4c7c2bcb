"""A picture of one PDF page as PNG, with boxes drawn round the fields a person should look at.

A clerk checks a form by eye: the values the checker read, beside the page they came from,
with the box that has a problem marked. pdfium draws the page (with the form's filled-in
values), Pillow marks the boxes and writes the PNG.

pdfium is a large C library reading untrusted bytes, and this module does not guard against
a file that hangs it or eats memory: a server must call it inside the sandbox worker
(:meth:`intake.sandbox.Sandbox.render`), never in its own process. What this module does
cap is what it makes: the file's page count and the image's size in pixels.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intake.errors import DamagedFileError, EncryptedFileError, NotPdfError, TooManyPagesError, UsageError
from intake.fields import Rect
from intake.files import sniff

# The highlight: a see-through yellow fill (the page stays readable under it) and a dark
# outline thick enough to see without colour vision.
_FILL = (255, 213, 0, 90)
_OUTLINE = (160, 40, 0, 255)


@dataclass(frozen=True)
class PageLimits:
    """What one rendering may make: pages in the file, pixels in the image, zoom."""

    max_pages: int = 500
    max_pixels: int = 4_000_000
    max_scale: float = 4.0


# Covered boxes: opaque, so nothing of the value shows through.
_MASK = (60, 60, 60, 255)


def render_page(data: bytes, page: int, *, highlight: Sequence[Rect] = (), scale: float = 1.5,
                limits: PageLimits | None = None, mask: Sequence[Rect] = ()) -> bytes:
    """The PNG of page ``page`` (1-based) of a PDF, with each rectangle of ``highlight`` marked
    and each of ``mask`` covered (the boxes of an SSN or a date of birth, which the text of a
    report masks too: a picture must not give away what the words hide).

    Rectangles are in PDF page space, as :class:`intake.fields.Widget` holds them. ``scale``
    is pixels per PDF point (1.5 is about 108 dpi); it is lowered so the image stays under
    the pixel cap, so a huge page gives a small picture, never a huge one.
    """
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    limits = limits or PageLimits()
    if not data:
        raise NotPdfError("the file is empty")
    if sniff(data) != "pdf":
        raise NotPdfError("only PDF pages can be drawn")
    if not 0 < scale <= limits.max_scale:
        raise UsageError(f"scale must be above 0 and at most {limits.max_scale}", scale=scale)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError("the file needs a password to open") from exc
        raise DamagedFileError("pdfium could not open the file") from exc
    try:
        count = len(document)
        if count > limits.max_pages:
            raise TooManyPagesError(f"the file has {count} pages, more than {limits.max_pages}",
                                    pages=count, limit=limits.max_pages)
        if not 1 <= page <= count:
            raise UsageError(f"there is no page {page}: the file has {count}", page=page, pages=count)
        document.init_forms()
        pdf_page = document[page - 1]
        try:
            width, height = pdf_page.get_size()
            if not (width > 0 and height > 0 and math.isfinite(width * height)):
                raise DamagedFileError("the page has no size", page=page)
            scale = min(scale, math.sqrt(limits.max_pixels / (width * height)))
            bitmap = pdf_page.render(scale=scale, may_draw_forms=True)
            try:
                image = bitmap.to_pil().convert("RGBA")
            finally:
                bitmap.close()
            boxes = [_device_box(pdf_page, image.size, rect) for rect in highlight]
            covered = [_device_box(pdf_page, image.size, rect) for rect in mask]
        finally:
            pdf_page.close()
    finally:
        document.close()
    return _png(image, [b for b in boxes if b is not None], [b for b in covered if b is not None])


def _device_box(pdf_page: Any, size: tuple[int, int], rect: Rect) -> tuple[int, int, int, int] | None:
    """A rectangle in page space as pixels of the image: pdfium's own transform, so the page's
    crop box and /Rotate are taken into account the way its drawing takes them."""
    import ctypes

    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    x1, y1, x2, y2 = (float(v) for v in rect)
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return None
    corners = []
    for x, y in ((x1, y1), (x2, y2)):
        dx, dy = ctypes.c_int(), ctypes.c_int()
        ok = pdfium_c.FPDF_PageToDevice(pdf_page.raw, 0, 0, size[0], size[1], 0, x, y,
                                        ctypes.byref(dx), ctypes.byref(dy))
        if not ok:
            return None
        corners.append((dx.value, dy.value))
    (ax, ay), (bx, by) = corners
    left, right = sorted((max(0, min(ax, size[0])), max(0, min(bx, size[0]))))
    top, bottom = sorted((max(0, min(ay, size[1])), max(0, min(by, size[1]))))
    if right - left < 1 or bottom - top < 1:
        return None
    return left, top, right, bottom


def _png(image: Any, boxes: list[tuple[int, int, int, int]],
         covered: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    from PIL import Image, ImageDraw

    if covered:
        draw = ImageDraw.Draw(image)
        for left, top, right, bottom in covered:
            draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=_MASK)
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        width = max(2, round(min(image.size) / 300))
        for left, top, right, bottom in boxes:
            draw.rectangle((left - width, top - width, right + width, bottom + width), fill=_FILL,
                           outline=_OUTLINE, width=width)
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG")
    return out.getvalue()
