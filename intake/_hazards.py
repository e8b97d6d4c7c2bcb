"""Look at every page for what would make a text extractor hang or blow up, before it runs.

pdfminer (under pdfplumber) follows chains of references without counting, expands font
width and ``ToUnicode`` ranges into dictionaries, loops over every code of an embedded
TrueType ``cmap`` and keeps one object per glyph. pypdf's own limits do not reach those
paths, so this walk goes over the page tree, each page's boxes, content streams, images,
form XObjects and fonts with pypdf (under the same limits) and refuses, with a specific
code, what pdfminer could not survive. Nothing is drawn, decoded as an image or run.
Private to :mod:`intake.pdf`.
"""

from __future__ import annotations

import math
import re
import struct
import weakref
from collections import Counter
from typing import Any

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from intake.errors import DamagedFileError, PageTooLargeError, TooComplexError, TooManyPagesError
from intake.files import Limits

# A real page tree is a few levels deep; a hand-made one thousands deep is damage, not paper.
_MAX_TREE_DEPTH = 64
# pdfminer resolves references in a loop with no count; a value is never this far away.
_MAX_HOPS = 8
# Direct (not referenced) nesting inside one dictionary; real files stay under ten.
_MAX_NESTING = 32
_MAX_NODES = 200_000
_MAX_FILTERS = 8
_MAX_XOBJECT_DEPTH = 12
# Codes a font may map (cmap, ToUnicode, widths); every real font maps far fewer.
_MAX_FONT_CODES = 1 << 18
_DEEP_ARRAY = re.compile(rb"\[(?:\s*\[){%d}" % (_MAX_NESTING - 1))
_INLINE_START = re.compile(rb"(?:^|\s)BI\s*/")
_INLINE_DATA = re.compile(rb"\sID[\s]")
_INLINE_END = re.compile(rb"\sEI(?=\s|$)")
_INLINE_SIZE = re.compile(rb"/(W|Width|H|Height)\s+(\d+)")
# A name may spell any byte as #xx (/W#69dth is /Width): undone before a name is matched.
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]*)\s*Do(?![^\s/\[\]()<>{}%])")
# What one use of a drawing costs the extractor or renderer, in visits, besides a visit per
# kilobyte of its instructions and per entry of its resources: about what a text extractor
# spends on sixteen font lookups.
_DRAW_VISITS = 16
_CMAP_BLOCK = re.compile(rb"begin(bf|cid)range(.*?)end\1range", re.DOTALL)
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]+)>\s*(?:<[0-9A-Fa-f\s]*>|\[[^\]]*\]|\d+)")
_RAW_OBJECT = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+obj\b")
_RAW_REFERENCE = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+R\b")
_CATALOG = re.compile(rb"(?<![\d.])(\d{1,7})\s+(\d{1,5})\s+obj\s*<<(?:(?!endobj).){0,4000}?/Type\s*/Catalog\b",
                      re.DOTALL)
_NEGATIVE_LENGTH = re.compile(rb"/Length\s+-\d")
_MAX_LENGTH_LOOKS = 5_000
_SFNT = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def deref(obj: Any) -> Any:
    """The value behind ``obj``; a reference to a reference to ... is damage past a few hops."""
    seen: set[int] = set()
    while isinstance(obj, IndirectObject):
        if obj.idnum in seen or len(seen) >= _MAX_HOPS:
            raise DamagedFileError("a chain of references that never reaches a value")
        seen.add(obj.idnum)
        obj = obj.pdf.get_object(obj)
    return obj


def check_bytes(data: bytes) -> None:
    """What pypdf repairs silently and leaves no trace of: a stream with a negative /Length.

    pypdf finds the end by scanning and drops the bad entry, but no real writer produces one,
    and another reader would trust it; so the file is damaged, not repaired.

    Every match starts at a "/Length", which ``bytes.find`` reaches far faster than the
    pattern's own scan over megabytes of compressed streams; past the number of lengths any
    real file declares, the pattern's scan takes over the rest, so a file made of nothing
    but "/Length" costs no more than before.
    """
    at = data.find(b"/Length")
    for _ in range(_MAX_LENGTH_LOOKS):
        if at < 0:
            return
        if _NEGATIVE_LENGTH.match(data, at):
            raise DamagedFileError("a stream declares a negative length")
        at = data.find(b"/Length", at + len(b"/Length"))
    if at >= 0 and _NEGATIVE_LENGTH.search(data, at):
        raise DamagedFileError("a stream declares a negative length")


def with_trailer(data: bytes) -> bytes | None:
    """A file of whole objects with no cross-reference and no trailer, given a trailer naming
    its catalogue, so pypdf rebuilds the rest by scanning (as for wrong offsets); None when
    the file has a trailer of its own or no catalogue.

    Only a file that holds every object it refers to is worth reading: one cut off mid-upload
    refers to objects that never arrived, and that is damage, not something to repair.
    """
    if b"startxref" in data or b"trailer" in data:
        return None
    catalog = _CATALOG.search(data)
    if catalog is None:
        return None
    defined = {(int(n), int(g)) for n, g in _RAW_OBJECT.findall(data)}
    referenced = {(int(n), int(g)) for n, g in _RAW_REFERENCE.findall(data)}
    if referenced - defined:
        raise DamagedFileError("the file is cut short: it refers to parts that are not in it")
    size = max(n for n, _ in defined) + 1
    return data + b"\ntrailer\n<< /Root %s %s R /Size %d >>\nstartxref\n0\n%%%%EOF\n" % (
        catalog.group(1), catalog.group(2), size)


def count_pages(reader: PdfReader, limits: Limits) -> int:
    """Walk the page tree ourselves, never trusting ``/Count``; stop one past the limit."""
    root = deref(reader.trailer.get("/Root"))
    if not isinstance(root, DictionaryObject):
        raise DamagedFileError("the file has no catalogue")
    pending: list[tuple[Any, int]] = [(root.get("/Pages"), 0)]
    seen: set[int | tuple[int, int]] = set()
    count = 0
    while pending:
        ref, depth = pending.pop()
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
        if key in seen:
            raise DamagedFileError("the page tree loops back on itself")
        seen.add(key)
        if depth > _MAX_TREE_DEPTH:
            raise DamagedFileError("the page tree is nested too deeply", depth=depth)
        try:
            node = deref(ref)
        except LimitReachedError as exc:  # a /Kids array too long for the parser to hold
            raise TooManyPagesError("too many pages", limit=limits.max_pages, variant="over") from exc
        if not isinstance(node, DictionaryObject):
            continue
        kids = deref(node.get("/Kids")) if node.get("/Type") != "/Page" else None
        if not isinstance(kids, ArrayObject):
            count += 1
            if count > limits.max_pages:
                more = bool(pending)
                raise TooManyPagesError("too many pages", pages=count, limit=limits.max_pages,
                                        **({"variant": "over"} if more else {}))
            continue
        pending.extend((kid, depth + 1) for kid in reversed(kids))
    return count


def check_pages(reader: PdfReader, limits: Limits) -> None:
    """Every page's boxes and nesting: cheap, and needed before anything else reads the file.

    Content streams are not opened here: reading fields needs none of them, and whatever
    decodes one goes through ``page_content``, which checks its filters first.
    """
    for number, page in enumerate(reader.pages, start=1):
        _check_box(page, number, limits)
        if _too_deep(page):
            raise DamagedFileError("a page holds values nested too deeply", page=number)


def page_content(page: Any, limits: Limits, most: int | None = None) -> bytes:
    """A page's content, its streams decoded under our limits (each filter chain checked first);
    with ``most``, only that many bytes of each stream are kept."""
    return b"".join(_data(stream, limits)[:most] for stream in _streams(page.get("/Contents")))


def stream_data(stream: StreamObject, limits: Limits) -> bytes:
    """One stream's decoded bytes (a form XObject's, say), its filter chain checked first."""
    return _data(stream, limits)


def check_resources(reader: PdfReader, limits: Limits) -> None:
    """Before anything walks the pages' resources (finding text and images, extracting text):
    every page's resources, with those of the drawings they hold, count against the file's
    drawing budget at each use, so resources shared by many pages or drawings (which such a
    walk visits again each time) are refused before the walk. Reading fields walks none, so a
    fillable form pays for this only when its text is wanted. Once per open file.
    """
    if reader in _RESOURCES_CHECKED:
        return
    budget = _Budget(limits)
    for page in reader.pages:
        budget.spend(budget.entries(deref(page.get("/Resources")), path=(), depth=0))
    _RESOURCES_CHECKED.add(reader)


def check_for_text(reader: PdfReader, limits: Limits, pages: list[int], checked: set[int] | None = None) -> None:
    """The pages the text extractor is about to read: content streams, images, form XObjects
    and fonts. Only these pages, and only before extraction: reading fields needs none of it,
    and a font on a page nobody reads can hurt no one.

    A form XObject is read again each time it is drawn (``Do``), and one drawing may draw
    another many times: ten drawings each drawing the next ten times are ten billion draws
    in three kilobytes. Every draw of every page read, and every annotation's appearance a
    renderer draws, counts against one budget per file, worked out from each drawing once,
    so such a file is refused in milliseconds, before the extractor or renderer starts.
    """
    checked = set() if checked is None else checked  # fonts and drawings pages share: once each
    check_resources(reader, limits)
    budget = _DRAWING.get(reader)
    if budget is None:
        budget = _DRAWING[reader] = _Budget(limits)
    for number in pages:
        page = reader.pages[number - 1]
        resources = deref(page.get("/Resources"))
        content = page_content(page, limits)
        _check_content(content, limits)
        budget.spend(0)  # a budget spent on an earlier call stays spent
        if number not in budget.pages:
            budget.pages.add(number)
            budget.spend(budget.drawn(content, resources, path=(), depth=0) + budget.appearances(page))
        _check_resources(resources, limits, checked, path=(), depth=0)


class _Budget:
    """The (object, use) visits of one file's drawings, against ``Limits.max_drawing_visits``.

    A visit is one resource entry at one use or one kilobyte of a drawing's instructions at
    one draw; each draw costs ``_DRAW_VISITS`` more. What one use of a drawing costs is worked
    out once per drawing (and per resources it inherits), so the count itself is cheap however
    large the total it finds. A drawing that holds itself is damage.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.spent = 0
        self.pages: set[int] = set()
        self.costs: dict[tuple[int, int, bool], int] = {}
        self.held: list[Any] = []  # keeps inherited resources alive, so their ids stay theirs

    def spend(self, visits: int) -> None:
        self.spent += visits
        if self.spent > self.limits.max_drawing_visits:
            raise TooComplexError("drawing the pages would take too much work", variant="drawing",
                                  limit=self.limits.max_drawing_visits)

    def entries(self, resources: Any, path: tuple[int, ...], depth: int) -> int:
        """Resource entries reachable from ``resources``, each counted at every use."""
        if not isinstance(resources, DictionaryObject):
            return 0
        fonts = deref(resources.get("/Font"))
        total = len(fonts) if isinstance(fonts, DictionaryObject) else 0
        xobjects = deref(resources.get("/XObject"))
        if isinstance(xobjects, DictionaryObject):
            total += len(xobjects)
            for ref in dict.values(xobjects):
                total += self._use(ref, resources, path, depth, structure=True)
                if total > self.limits.max_drawing_visits:
                    break
        return total

    def drawn(self, content: bytes, resources: Any, path: tuple[int, ...], depth: int) -> int:
        """Visits to draw ``content`` once: its resources, and every drawing it draws, each time."""
        total = self.entries_here(resources)
        xobjects = deref(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
        for name, times in Counter(_DO.findall(content)).items():
            ref = xobjects.get(_name(name)) if isinstance(xobjects, DictionaryObject) else None
            if ref is not None:
                total += times * (_DRAW_VISITS + self._use(ref, resources, path, depth, structure=False))
            if total > self.limits.max_drawing_visits:
                break
        return total

    def appearances(self, page: DictionaryObject) -> int:
        """Visits to draw every annotation's normal appearance, as a renderer does."""
        annots = deref(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            return 0
        total = 0
        for ref in list(annots)[:self.limits.max_annotations]:
            annot = deref(ref)
            shown = deref(annot.get("/AP")) if isinstance(annot, DictionaryObject) else None
            normal = deref(shown.get("/N")) if isinstance(shown, DictionaryObject) else None
            if isinstance(normal, StreamObject):
                states = [normal]
            else:
                states = list(dict.values(normal)) if isinstance(normal, DictionaryObject) else []
            for state in states:
                total += _DRAW_VISITS + self._use(state, None, (), 0, structure=False)
            if total > self.limits.max_drawing_visits:
                break
        return total

    @staticmethod
    def entries_here(resources: Any) -> int:
        if not isinstance(resources, DictionaryObject):
            return 0
        fonts, xobjects = deref(resources.get("/Font")), deref(resources.get("/XObject"))
        return sum(len(d) for d in (fonts, xobjects) if isinstance(d, DictionaryObject))

    def _use(self, ref: Any, parent: Any, path: tuple[int, ...], depth: int, *, structure: bool) -> int:
        """One use of the drawing ``ref`` names (a form XObject without resources of its own
        uses those of whatever draws it, as readers do)."""
        idnum = ref.idnum if isinstance(ref, IndirectObject) else None
        if idnum is not None and idnum in path:
            raise DamagedFileError("a drawing that contains itself")
        xobject = deref(ref)
        if not isinstance(xobject, StreamObject) or xobject.get("/Subtype") != "/Form":
            return 0
        own = deref(xobject.get("/Resources"))
        resources = own if isinstance(own, DictionaryObject) else parent
        key = (id(xobject), 0 if structure else id(resources), structure)
        if key in self.costs:
            return self.costs[key]
        if depth >= _MAX_XOBJECT_DEPTH:
            raise TooComplexError("drawings nested too deeply", variant="drawing", depth=depth)
        inner = (*path, idnum) if idnum is not None else path
        if structure:
            cost = self.entries(own, inner, depth + 1)
        else:
            data = _data(xobject, self.limits)
            cost = len(data) // 1024 + self.drawn(data, resources, inner, depth + 1)
        self.held.append((xobject, resources))
        self.costs[key] = cost
        return cost


# The drawing budget of each open file, kept beside its reader as long as the reader lives.
_DRAWING: weakref.WeakKeyDictionary[PdfReader, _Budget] = weakref.WeakKeyDictionary()
# The open files whose pages' resources were counted (check_resources).
_RESOURCES_CHECKED: weakref.WeakSet[PdfReader] = weakref.WeakSet()


def _name(raw: bytes) -> str:
    """A name as written in a content stream, with its #xx escapes undone."""
    return "/" + _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _check_box(page: DictionaryObject, number: int, limits: Limits) -> None:
    box = deref(page.get("/MediaBox"))
    if box is None:  # no size anywhere up the tree: readers assume letter, and so do we
        return
    if not isinstance(box, ArrayObject) or len(box) != 4:
        raise DamagedFileError("a page has no usable size", page=number)
    try:
        x0, y0, x1, y1 = (float(deref(v)) for v in box)
        unit = float(deref(page.get("/UserUnit", 1)))
    except (TypeError, ValueError) as exc:
        raise DamagedFileError("a page size is not a number", page=number) from exc
    width, height = abs(x1 - x0) * unit, abs(y1 - y0) * unit
    if math.isnan(width) or math.isnan(height) or width < 1 or height < 1:
        raise DamagedFileError("a page has no area", page=number)
    longest = limits.max_page_inches * 72
    if width > longest or height > longest:
        raise PageTooLargeError("a page is too large", page=number, limit=round(limits.max_page_inches, 1),
                                width=_inches(width), height=_inches(height))
    deref(page.get("/CropBox"))


def _inches(points: float) -> float:
    return round(points / 72, 1) if points < 72e6 else float(1_000_000)


def _too_deep(obj: Any) -> bool:
    """Direct nesting deeper than any real file has (references are not followed)."""
    pending: list[tuple[Any, int]] = [(obj, 0)]
    nodes = 0
    while pending:
        value, depth = pending.pop()
        nodes += 1
        if depth > _MAX_NESTING or nodes > _MAX_NODES:
            return True
        if isinstance(value, DictionaryObject):
            pending.extend((v, depth + 1) for v in dict.values(value))
        elif isinstance(value, ArrayObject):
            pending.extend((v, depth + 1) for v in list.__iter__(value))
    return False


def _streams(contents: Any) -> list[StreamObject]:
    contents = deref(contents)
    items = list(contents) if isinstance(contents, ArrayObject) else [contents]
    return [s for s in (deref(item) for item in items) if isinstance(s, StreamObject)]


def _data(stream: StreamObject, limits: Limits) -> bytes:
    """A stream's decoded bytes, under pypdf's limits; a long chain of filters is damage."""
    _check_filters(stream)
    data = stream.get_data()
    if len(data) > limits.max_stream_bytes:
        raise TooComplexError("a stream is too big", variant="stream", limit_mb=limits.max_stream_bytes // 2**20)
    return data


def _check_filters(stream: StreamObject) -> None:
    filters = deref(stream.get("/Filter"))
    if isinstance(filters, ArrayObject) and len(filters) > _MAX_FILTERS:
        raise DamagedFileError("a stream declares too many filters", filters=len(filters))


def _check_content(content: bytes, limits: Limits) -> None:
    if _DEEP_ARRAY.search(content):
        raise DamagedFileError("drawing instructions nested too deeply")
    position = 0
    while True:
        start = _INLINE_START.search(content, position)
        if start is None:
            return
        data = _INLINE_DATA.search(content, start.end())
        if data is None:
            raise DamagedFileError("an inline image with no data")
        header = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), content[start.end() - 1:data.start()])
        sizes = {k.decode()[0]: int(v) for k, v in _INLINE_SIZE.findall(header)}
        _check_pixels(sizes.get("W", 0), sizes.get("H", 0), limits)
        end = _INLINE_END.search(content, data.end())
        if end is None:
            raise DamagedFileError("an inline image that never ends")
        position = end.end()


def _check_pixels(width: Any, height: Any, limits: Limits) -> None:
    try:
        pixels = int(width) * int(height)
    except (TypeError, ValueError) as exc:
        raise DamagedFileError("an image size is not a number") from exc
    if pixels > limits.max_image_pixels:
        raise TooComplexError("an image is too large", variant="image", megapixels=round(pixels / 1e6),
                              limit=round(limits.max_image_pixels / 1e6))


def _check_resources(resources: Any, limits: Limits, checked: set[int], path: tuple[int, ...],
                     depth: int) -> None:
    if not isinstance(resources, DictionaryObject):
        return
    fonts = deref(resources.get("/Font"))
    if isinstance(fonts, DictionaryObject):
        for ref in dict.values(fonts):
            if _first_time(ref, checked):
                _check_font(deref(ref), limits, checked)
    xobjects = deref(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for ref in dict.values(xobjects):
        idnum = ref.idnum if isinstance(ref, IndirectObject) else None
        if idnum is not None and idnum in path:
            raise DamagedFileError("a drawing that contains itself")
        if not _first_time(ref, checked):
            continue
        xobject = deref(ref)
        if not isinstance(xobject, StreamObject):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            _check_pixels(deref(xobject.get("/Width", 0)), deref(xobject.get("/Height", 0)), limits)
        elif subtype == "/Form":
            if depth >= _MAX_XOBJECT_DEPTH:
                raise TooComplexError("drawings nested too deeply", variant="drawing", depth=depth)
            _check_content(_data(xobject, limits), limits)
            inner = (*path, idnum) if idnum is not None else path
            _check_resources(deref(xobject.get("/Resources")), limits, checked, inner, depth + 1)


def _first_time(ref: Any, checked: set[int]) -> bool:
    """Shared fonts and drawings are checked once; direct objects every time."""
    if not isinstance(ref, IndirectObject):
        return True
    if ref.idnum in checked:
        return False
    checked.add(ref.idnum)
    return True


def _check_font(font: Any, limits: Limits, checked: set[int]) -> None:
    if not isinstance(font, DictionaryObject):
        return
    parts = [font]
    descendants = deref(font.get("/DescendantFonts"))
    if isinstance(descendants, ArrayObject):
        parts += [d for d in (deref(x) for x in list(descendants)[:4]) if isinstance(d, DictionaryObject)]
    for part in parts:
        for key, step in (("/W", 1), ("/W2", 3)):
            widths = deref(part.get(key))
            if isinstance(widths, ArrayObject) and _width_codes(widths, step) > _MAX_FONT_CODES:
                raise TooComplexError("a font declares too many widths", variant="font")
        for key in ("/ToUnicode", "/Encoding"):
            cmap = deref(part.get(key))
            fresh = isinstance(cmap, StreamObject) and _first_time(part.get(key), checked)
            if fresh and _cmap_codes(_data(cmap, limits)) > _MAX_FONT_CODES:
                raise TooComplexError("a font maps too many codes", variant="font")
        descriptor = deref(part.get("/FontDescriptor"))
        if isinstance(descriptor, DictionaryObject):
            program = deref(descriptor.get("/FontFile2"))
            if isinstance(program, StreamObject) and _first_time(descriptor.get("/FontFile2"), checked):
                _check_truetype(_data(program, limits))


def _width_codes(widths: ArrayObject, step: int) -> int:
    """Codes covered by a /W (or /W2) array: ``c [w ...]`` or ``first last w``."""
    items = [deref(v) for v in list(widths)[:_MAX_NODES]]
    total, i = 0, 0
    while i < len(items):
        if i + 1 < len(items) and isinstance(items[i + 1], ArrayObject):
            total += len(items[i + 1]) // step
            i += 2
            continue
        try:
            first, last = int(items[i]), int(items[i + 1])
        except (TypeError, ValueError, IndexError):
            return total
        total += max(0, last - first + 1)
        i += 2 + step
    return total


def _cmap_codes(data: bytes) -> int:
    total = 0
    for block in _CMAP_BLOCK.finditer(data):
        for low, high in _CMAP_RANGE.findall(block.group(2)):
            try:
                total += max(0, int(high.replace(b" ", b""), 16) - int(low.replace(b" ", b""), 16) + 1)
            except ValueError:
                continue
    return total


def _check_truetype(font: bytes) -> None:
    """The table directory must fit in the font; the cmap must map a real number of codes."""
    if font[:4] not in _SFNT:
        return
    if len(font) < 12:
        raise DamagedFileError("an embedded font is cut short")
    (tables,) = struct.unpack(">H", font[4:6])
    if 12 + 16 * tables > len(font):
        raise DamagedFileError("an embedded font lists more tables than it holds", tables=tables)
    for i in range(tables):
        tag, _, offset, length = struct.unpack(">4sLLL", font[12 + 16 * i:28 + 16 * i])
        if offset + length > len(font):
            raise DamagedFileError("an embedded font points past its end")
        if tag == b"cmap" and _truetype_cmap_codes(font, offset, length) > _MAX_FONT_CODES:
            raise TooComplexError("an embedded font maps too many codes", variant="font")


def _truetype_cmap_codes(font: bytes, offset: int, length: int) -> int:
    table = font[offset:offset + length]
    if len(table) < 4:
        return 0
    (subtables,) = struct.unpack(">H", table[2:4])
    total: int = 0
    for i in range(min(subtables, 64)):
        entry = table[4 + 8 * i:12 + 8 * i]
        if len(entry) < 8:
            break
        (start,) = struct.unpack(">L", entry[4:8])
        sub = table[start:]
        if len(sub) < 2:
            continue
        (fmt,) = struct.unpack(">H", sub[:2])
        if fmt == 4 and len(sub) >= 14:
            (segments,) = struct.unpack(">H", sub[6:8])
            segments //= 2
            ends = struct.unpack(f">{segments}H", sub[14:14 + 2 * segments]) if len(sub) >= 16 + 4 * segments else ()
            starts = struct.unpack(f">{segments}H", sub[16 + 2 * segments:16 + 4 * segments]) if ends else ()
            total += sum(max(0, e - s + 1) for s, e in zip(starts, ends, strict=False))
        elif fmt in (12, 13) and len(sub) >= 16:
            (groups,) = struct.unpack(">L", sub[12:16])
            for g in range(min(groups, _MAX_FONT_CODES)):
                group = sub[16 + 12 * g:28 + 12 * g]
                if len(group) < 12:
                    break
                first, last, _ = struct.unpack(">LLL", group)
                total += max(0, last - first + 1)
                if total > _MAX_FONT_CODES:
                    return total
    return total
