"""Pictures of PDF pages for clerks: the right size, the right box marked, caps kept, and drawn
in the sandbox worker as well as in-process."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

import intake
from intake.pages import PageLimits, render_page
from intake.sandbox import Sandbox, SandboxLimits
from tests import shared_corpus
from tests.pdfs import FormBuilder, text_pdf

BOX = (100.0, 600.0, 300.0, 640.0)  # a field's rectangle in page space (points from bottom left)


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB")


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    return [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]  # type: ignore[misc]


def _is_marked(pixel: tuple[int, ...]) -> bool:
    """The see-through yellow over white paper: red and green high, blue clearly lower."""
    red, green, blue = pixel[:3]
    return red > 200 and green > 180 and blue < 200


def _rotated(data: bytes, degrees: int) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page).rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as worker:
        yield worker


def test_a_page_becomes_a_png_of_its_size_at_the_scale_asked() -> None:
    image = _image(render_page(text_pdf(["Hello"]), 1, scale=1.0))
    assert image.size == (612, 792)
    assert _image(render_page(text_pdf(["Hello"]), 1, scale=2.0)).size == (1224, 1584)


def test_the_highlighted_field_is_marked_and_the_rest_of_the_page_is_not() -> None:
    pdf = FormBuilder().add_text("Last name", "Doe", rect=BOX).build()
    image = _image(render_page(pdf, 1, highlight=[BOX], scale=1.0))
    inside = image.getpixel((200, 792 - 620))
    assert isinstance(inside, tuple) and _is_marked(inside)
    far = image.getpixel((500, 100))
    assert far == (255, 255, 255)
    plain = _image(render_page(pdf, 1, scale=1.0)).getpixel((200, 792 - 620))
    assert isinstance(plain, tuple) and not _is_marked(plain)


def test_the_mark_follows_a_rotated_page() -> None:
    corner = (0.0, 0.0, 100.0, 40.0)
    image = _image(render_page(_rotated(text_pdf(["Turned"]), 90), 1, highlight=[corner], scale=1.0))
    assert image.size == (792, 612)
    marked = [(x, y) for x in range(0, 792, 4) for y in range(0, 612, 4) if _is_marked(image.getpixel((x, y)))]
    xs, ys = [x for x, _y in marked], [y for _x, y in marked]
    assert marked and max(xs) - min(xs) < max(ys) - min(ys), "a wide box on a page turned a quarter stands up"
    assert max(xs) < 80 and max(ys) < 130, "the page's bottom left corner is drawn at the top left"


def test_a_huge_page_is_drawn_under_the_pixel_cap() -> None:
    writer = PdfWriter()
    writer.add_blank_page(14400, 14400)
    out = io.BytesIO()
    writer.write(out)
    image = _image(render_page(out.getvalue(), 1, scale=4.0, limits=PageLimits(max_pixels=1_000_000)))
    assert image.size[0] * image.size[1] <= 1_000_000 and image.size[0] >= 990


def test_a_page_that_is_not_there_or_a_zoom_out_of_range_is_a_usage_error() -> None:
    pdf = text_pdf(["one", "two"])
    for page in (0, 3):
        with pytest.raises(intake.UsageError) as raised:
            render_page(pdf, page)
        assert raised.value.params["pages"] == 2
    with pytest.raises(intake.UsageError):
        render_page(pdf, 1, scale=50)


def test_files_past_the_page_cap_or_not_pdfs_or_damaged_are_refused_with_their_codes() -> None:
    with pytest.raises(intake.TooManyPagesError):
        render_page(text_pdf(["a", "b", "c"]), 1, limits=PageLimits(max_pages=2))
    with pytest.raises(intake.NotPdfError):
        render_page(b"\x89PNG\r\n\x1a\n" + b"0" * 40, 1)
    with pytest.raises(intake.NotPdfError):
        render_page(b"", 1)
    with pytest.raises(intake.DamagedFileError):
        render_page(b"%PDF-1.7\n" + b"garbage " * 20, 1)


def test_an_encrypted_file_is_refused_as_encrypted() -> None:
    with pytest.raises(intake.EncryptedFileError):
        render_page(FormBuilder().add_text("Name", "x").encrypt(user_password="secret").build(), 1)


def test_the_values_typed_into_a_real_form_are_drawn(corpus: Path, filled: Callable[..., bytes]) -> None:
    blank = (corpus / shared_corpus.DS11).read_bytes()
    with_name = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    field = next(f for f in intake.read_fields(with_name) if f.name == "Applicant Last Name")
    assert field.page is not None and field.rect is not None
    x1, y1, x2, y2 = field.rect
    crop = (round(x1) + 2, round(792 - y2) + 2, round(x2) - 2, round(792 - y1) - 2)
    before = _image(render_page(blank, field.page, scale=1.0)).crop(crop)
    after = _image(render_page(with_name, field.page, scale=1.0)).crop(crop)
    dark = sum(1 for pixel in _pixels(after) if sum(pixel) < 300)
    assert dark > sum(1 for pixel in _pixels(before) if sum(pixel) < 300) + 20


def test_the_sandbox_draws_the_same_picture_as_the_library(sandbox: Sandbox) -> None:
    pdf = FormBuilder().add_text("Last name", "Doe", rect=BOX).build()
    assert sandbox.render(pdf, 1, highlight=[BOX], scale=1.0) == render_page(pdf, 1, highlight=[BOX], scale=1.0)


def test_a_refused_drawing_crosses_the_process_boundary_and_parsing_still_works(sandbox: Sandbox) -> None:
    pdf = text_pdf(["only page"])
    with pytest.raises(intake.UsageError):
        sandbox.render(pdf, 2)
    with pytest.raises(intake.NotPdfError):
        sandbox.render(b"not a pdf at all", 1)
    with pytest.raises(intake.EncryptedFileError):
        sandbox.render(FormBuilder().add_text("Name", "x").encrypt(user_password="secret").build(), 1)
    assert sandbox.read(intake.Upload("form.pdf", pdf)).page_count == 1


def test_a_drawing_that_takes_too_long_is_too_complex_and_the_worker_is_replaced() -> None:
    pdf = text_pdf(["a page"])
    with Sandbox(SandboxLimits(wall_seconds=0.001)) as slow:
        with pytest.raises(intake.TooComplexError):
            slow.render(pdf, 1, scale=4.0)
        assert slow.replaced == 1
