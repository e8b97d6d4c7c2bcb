"""Pictures of documents: opened safely and upright, judged before OCR, straightened, bound as a PDF."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from intake import images
from intake.errors import DamagedFileError, EmptyFileError, TooComplexError, UsageError
from tests import pictures
from tests.cputime import cpu_seconds


@pytest.fixture(scope="module")
def labelled() -> list[pictures.Case]:
    """The labelled picture set of tests/pictures.py; skipped, with the reason, without the corpus."""
    if not pictures.available():
        pytest.skip(pictures.MISSING)
    return pictures.cases()


def _upright_page() -> Image.Image:
    """A tall white page with a black bar along its top edge, so "upright" can be checked."""
    page = Image.new("RGB", (300, 400), "white")
    ImageDraw.Draw(page).rectangle((0, 0, 299, 39), fill="black")
    return page


def _is_upright(image: Image.Image) -> bool:
    grey = image.convert("L")
    top = grey.crop((0, 0, grey.width, 30)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    bottom = grey.crop((0, grey.height - 30, grey.width, grey.height)).resize((1, 1), Image.Resampling.BOX)
    return grey.size == (300, 400) and top < 60 and bottom.getpixel((0, 0)) > 200  # type: ignore[operator]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header and holds no pixel data at all."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    iend = b"IEND"
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 0) + iend + struct.pack(">I", zlib.crc32(iend)))


def _codes(image: Image.Image) -> set[str]:
    return {quality.code for quality in images.judge(image)}


def test_a_jpeg_stored_sideways_with_an_exif_orientation_opens_upright() -> None:
    stored = _upright_page().rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.save(out, format="JPEG", quality=90, exif=exif)
    opened = images.open_picture(out.getvalue())
    assert opened.mode == "RGB"
    assert _is_upright(opened)


def test_a_heic_photo_is_recognised_and_opens_upright() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    _upright_page().save(out, format="HEIF", quality=90)
    data = out.getvalue()
    assert images.is_heif(data)
    opened = images.open_picture(data)
    assert opened.mode == "RGB"
    assert _is_upright(opened)


def test_avif_jpeg_and_short_bytes_are_not_taken_for_heif() -> None:
    avif = struct.pack(">I", 28) + b"ftypavif" + b"\x00\x00\x00\x00" + b"mif1miafMA1B"
    jpeg = io.BytesIO()
    _upright_page().save(jpeg, format="JPEG")
    heic_by_generic_brand = struct.pack(">I", 24) + b"ftypmif1" + b"\x00\x00\x00\x00" + b"mif1heic"
    assert not images.is_heif(avif)
    assert not images.is_heif(jpeg.getvalue())
    assert not images.is_heif(b"ftyp")
    assert images.is_heif(heic_by_generic_brand)


def test_a_picture_claiming_too_many_pixels_is_refused_from_its_header() -> None:
    with pytest.raises(TooComplexError) as caught:
        images.open_picture(_png_header(12_000, 12_000))
    assert caught.value.code == "file.too_complex"
    assert caught.value.params["variant"] == "image"
    assert caught.value.params["pixels"] == 144_000_000


def test_a_decompression_bomb_past_pillows_own_limit_is_refused_with_the_same_code() -> None:
    with pytest.raises(TooComplexError) as caught:
        images.open_picture(_png_header(100_000, 100_000), max_pixels=10**12)
    assert caught.value.code == "file.too_complex"
    assert caught.value.params["variant"] == "image"


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    out = io.BytesIO()
    Image.effect_noise((800, 600), 40).convert("RGB").save(out, format="JPEG", quality=90)
    with pytest.raises(DamagedFileError) as caught:
        images.open_picture(out.getvalue()[: len(out.getvalue()) // 2])
    assert caught.value.code == "file.damaged"


def test_bytes_that_are_no_picture_are_refused_as_damaged_and_nothing_as_empty() -> None:
    with pytest.raises(DamagedFileError):
        images.open_picture(b"this is not a picture at all" * 10)
    with pytest.raises(EmptyFileError):
        images.open_picture(b"")


def test_a_picture_in_a_format_no_phone_sends_is_refused() -> None:
    out = io.BytesIO()
    _upright_page().save(out, format="BMP")
    with pytest.raises(DamagedFileError):
        images.open_picture(out.getvalue())


def test_a_transparent_png_opens_on_white_paper() -> None:
    clear = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    clear.save(out, format="PNG")
    opened = images.open_picture(out.getvalue())
    assert opened.mode == "RGB"
    assert opened.getpixel((25, 25)) == (255, 255, 255)


def test_a_page_photographed_at_a_few_hundred_pixels_is_too_small() -> None:
    found = images.judge(Image.new("L", (300, 400), 255))
    small = [quality for quality in found if quality.code == "image.too_small"]
    assert small and small[0].measure == 300 and small[0].threshold == images.PAGE_MIN_SHORT_SIDE


def test_a_card_is_held_to_a_card_sized_minimum_not_a_page_one() -> None:
    assert "image.too_small" not in _codes(Image.new("L", (900, 520), 255))
    assert "image.too_small" in _codes(Image.new("L", (450, 260), 255))


def test_clean_renders_scans_and_photos_get_no_quality_problem(labelled: list[pictures.Case]) -> None:
    clean = [case for case in labelled if not case.expected_quality]
    assert len(clean) >= 20
    alarms = {case.name: images.judge(images.open_picture(case.data)) for case in clean}
    assert {name: found for name, found in alarms.items() if found} == {}


def test_each_degraded_picture_gets_its_quality_code(labelled: list[pictures.Case]) -> None:
    degraded = [case for case in labelled if case.expected_quality]
    assert {case.variant for case in degraded} == {"blurred", "dark", "washed_out", "cropped", "tiny"}
    wrong = {}
    for case in degraded:
        codes = _codes(images.open_picture(case.data))
        if codes != case.expected_quality:
            wrong[case.name] = sorted(codes)
    assert wrong == {}


def test_washed_out_pictures_are_too_dark_with_the_washed_out_variant(labelled: list[pictures.Case]) -> None:
    for case in labelled:
        found = images.judge(images.open_picture(case.data))
        variants = {quality.variant for quality in found if quality.code == "image.too_dark"}
        if case.variant == "washed_out":
            assert variants == {"washed_out"}, case.name
        elif case.variant == "dark":
            assert variants == {None}, case.name


def test_each_quality_problem_carries_a_measure_past_its_threshold(labelled: list[pictures.Case]) -> None:
    for case in labelled:
        for quality in images.judge(images.open_picture(case.data)):
            if quality.code == "image.cut_off":
                assert quality.measure >= quality.threshold, case.name
            else:
                assert quality.measure < quality.threshold, case.name


def test_deskew_straightens_a_page_skewed_by_four_degrees(labelled: list[pictures.Case]) -> None:
    skewed = [case for case in labelled if case.variant == "skewed4"]
    assert skewed
    for case in skewed:
        page = images.open_picture(case.data)
        assert images.skew_angle(page) == pytest.approx(4.0, abs=0.5), case.name
        assert images.skew_angle(images.deskew(page)) == pytest.approx(0.0, abs=0.5), case.name


def test_a_level_page_is_left_as_it_is(labelled: list[pictures.Case]) -> None:
    clean = next(case for case in labelled if case.variant == "clean" and case.kind == "png")
    page = images.open_picture(clean.data)
    assert images.skew_angle(page) == pytest.approx(0.0, abs=0.3)
    assert images.deskew(page).size == page.size


def test_to_pdf_gives_one_pdf_with_a_page_per_picture() -> None:
    pages = [_upright_page(), _upright_page().convert("L"), Image.new("RGBA", (200, 100), (0, 0, 255, 128))]
    data = images.to_pdf(pages)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    assert float(reader.pages[2].mediabox.width) > float(reader.pages[2].mediabox.height)


def test_to_pdf_with_no_pictures_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        images.to_pdf([])


def test_judging_a_twelve_megapixel_photo_does_not_hang(labelled: list[pictures.Case]) -> None:
    photo = next(case for case in labelled if case.variant == "photo")
    big = images.open_picture(photo.data).resize((3000, 4000), Image.Resampling.BILINEAR)
    started, wall = cpu_seconds(), time.monotonic()
    found = images.judge(big)
    assert cpu_seconds() - started < 2.0
    assert time.monotonic() - wall < 10.0
    assert found == ()
