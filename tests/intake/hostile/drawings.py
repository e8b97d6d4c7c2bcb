"""Pages whose drawing multiplies work: drawings that draw drawings many times, resources
shared by many pages and drawings, drawings nested past any real depth, and an inline image
whose size hides behind #xx escapes in its keys. Each is a few kilobytes."""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject

from tests.intake.hostile.family import Family
from tests.pdfs import FormBuilder, _dict, _stream, _to_bytes

_BOX = ArrayObject(FloatObject(v) for v in (0, 0, 612, 792))


def _helvetica(writer: PdfWriter) -> IndirectObject:
    return writer._add_object(_dict({"/Type": NameObject("/Font"), "/Subtype": NameObject("/Type1"),
                                     "/BaseFont": NameObject("/Helvetica")}))


def _drawing(writer: PdfWriter, content: bytes, resources: DictionaryObject) -> IndirectObject:
    return writer._add_object(_stream(content, {"/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
                                                "/BBox": _BOX, "/Resources": resources}))


def _page(writer: PdfWriter, content: bytes, resources: DictionaryObject | IndirectObject) -> None:
    page = writer.add_blank_page(612, 792)
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = writer._add_object(_stream(content))


def fan_out(levels: int = 10, times: int = 10) -> bytes:
    """``levels`` drawings, each drawing the next ``times`` times: times**levels draws of a letter."""
    writer = PdfWriter()
    font = _dict({"/F1": _helvetica(writer)})
    inner = _drawing(writer, b"BT /F1 12 Tf 72 700 Td (x) Tj ET", _dict({"/Font": font}))
    for _ in range(levels):
        inner = _drawing(writer, b"/X Do " * times, _dict({"/XObject": _dict({"/X": inner})}))
    _page(writer, b"BT /F1 12 Tf 72 720 Td (Fan-out) Tj ET /X Do",
          _dict({"/Font": font, "/XObject": _dict({"/X": inner})}))
    return _to_bytes(writer)


def radio_beside_fan_out(levels: int = 6, times: int = 10) -> bytes:
    """A 3 KB blank form whose second page draws a drawing that draws the next ``times`` times,
    ``levels`` deep (a million letters), with a radio group on that page: reading the words
    printed beside its buttons with no caps keeps a process busy for minutes."""
    builder = FormBuilder(pages=2).add_text("Name", tooltip="Your name").add_radio("Choice", ["1", "2"], page=2)
    writer = builder._writer
    font = _dict({"/F1": _helvetica(writer)})
    inner = _drawing(writer, b"BT /F1 12 Tf 72 700 Td (x) Tj ET", _dict({"/Font": font}))
    for _ in range(levels):
        inner = _drawing(writer, b"/X Do " * times, _dict({"/XObject": _dict({"/X": inner})}))
    page = builder._pages[1]
    page[NameObject("/Resources")] = _dict({"/Font": font, "/XObject": _dict({"/X": inner})})
    page[NameObject("/Contents")] = writer._add_object(_stream(b"/X Do"))
    return builder.build()


def shared_page_resources(pages: int = 150, fonts: int = 2000) -> bytes:
    """One resources dictionary of ``fonts`` fonts (one font object) shared by every page."""
    writer = PdfWriter()
    font = _helvetica(writer)
    resources = writer._add_object(_dict({"/Font": _dict({f"/F{i}": font for i in range(fonts)})}))
    for number in range(pages):
        _page(writer, b"BT /F0 12 Tf 72 700 Td (Page %d) Tj ET" % number, resources)
    return _to_bytes(writer)


def shared_drawing_resources(levels: int = 6, names: int = 40) -> bytes:
    """Drawings whose resources name the next drawing ``names`` times over: walking the
    resources visits names**levels entries, though no drawing is ever drawn twice."""
    writer = PdfWriter()
    inner = _drawing(writer, b"", _dict({}))
    for _ in range(levels):
        inner = _drawing(writer, b"", _dict({"/XObject": _dict({f"/X{i}": inner for i in range(names)})}))
    _page(writer, b"/X0 Do", _dict({"/XObject": _dict({f"/X{i}": inner for i in range(names)})}))
    return _to_bytes(writer)


def deep_nesting(depth: int = 40) -> bytes:
    """A chain of ``depth`` drawings, each drawing the next once."""
    writer = PdfWriter()
    font = _dict({"/F1": _helvetica(writer)})
    inner = _drawing(writer, b"BT /F1 12 Tf 72 700 Td (deep) Tj ET", _dict({"/Font": font}))
    for _ in range(depth):
        inner = _drawing(writer, b"/X Do", _dict({"/XObject": _dict({"/X": inner})}))
    _page(writer, b"BT /F1 12 Tf 72 720 Td (Deep) Tj ET /X Do",
          _dict({"/Font": font, "/XObject": _dict({"/X": inner})}))
    return _to_bytes(writer)


def escaped_inline_image() -> bytes:
    """An inline image of 100,000 x 100,000 pixels whose /Width and /Height are spelt with
    #xx escapes, so a check that matches the plain names sees no size at all."""
    writer = PdfWriter()
    font = _dict({"/F1": _helvetica(writer)})
    content = (b"BT /F1 12 Tf 72 720 Td (Image) Tj ET\nq 100 0 0 100 72 72 cm\n"
               b"BI /W#69dth 100000 /H#65ight 100000 /#43S /G /BPC 8 /F /AHx ID\n00>\nEI\nQ\n")
    _page(writer, content, _dict({"/Font": font}))
    return _to_bytes(writer)


def escaped_short_inline_image() -> bytes:
    """The same image with the short keys escaped: /#57 and /#48 are /W and /H."""
    writer = PdfWriter()
    font = _dict({"/F1": _helvetica(writer)})
    content = (b"BT /F1 12 Tf 72 720 Td (Image) Tj ET\nq 100 0 0 100 72 72 cm\n"
               b"BI /#57 100000 /#48 100000 /CS /G /BPC 8 /F /AHx ID\n00>\nEI\nQ\n")
    _page(writer, content, _dict({"/Font": font}))
    return _to_bytes(writer)


FAMILIES = [
    Family("xobject_fan_out.pdf", fan_out, "file.too_complex", "drawing",
           why="ten drawings each drawing the next ten times: ten billion draws in three kilobytes"),
    Family("shared_page_resources.pdf", shared_page_resources, "file.too_complex", "drawing",
           why="one 2,000-font resources dictionary shared by 150 pages: 300,000 font lookups"),
    Family("shared_drawing_resources.pdf", shared_drawing_resources, "file.too_complex", "drawing",
           why="resources naming the next drawing 40 times, six deep: four billion entries to walk"),
    Family("xobject_deep_nesting.pdf", deep_nesting, "file.too_complex", "drawing",
           why="forty drawings nested in each other"),
    Family("inline_image_escaped_keys.pdf", escaped_inline_image, "file.too_complex", "image",
           why="/W#69dth and /H#65ight: a ten-gigapixel inline image"),
    Family("inline_image_escaped_short_keys.pdf", escaped_short_inline_image, "file.too_complex", "image",
           why="/#57 and /#48: a ten-gigapixel inline image"),
]
