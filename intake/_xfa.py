"""XFA: the data a LiveCycle form keeps in its ``datasets`` packet, mapped onto fields.

Pure XML work on bytes handed over by :mod:`intake.pdf`. An uploaded form is an untrusted
XML document (XXE, entity bombs, a million elements in a few kilobytes of Flate), so a
packet is read by defusedxml (no DTD, no entity, nothing fetched), fed in chunks to a tree
builder that refuses it with ``file.too_complex`` the moment it passes a :class:`Limits`
cap on elements, nesting or answers. So no big tree is ever built, and nothing is merged
before the caps have held. Text cannot outgrow the packet's bytes, which are capped too.

Exports from real form tools are not always well-formed (a bare ``&`` in an answer, a
packet cut short). Such a packet is read again after a repair that stays safe: bare ``&``
and ``<`` escaped, a DOCTYPE without declarations dropped, bytes in the wrong encoding
decoded, and the elements still open where the XML breaks closed there. A packet that
declares entities is never repaired, and one with no element left to read is unreadable.

Static XFA forms also carry AcroForm fields: datasets only fill the gaps they leave.
Dynamic XFA forms have few AcroForm fields or none, so their other data nodes become fields.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

from intake.errors import TooComplexError
from intake.fields import FieldKind, FieldSource, FormField, clean_label, clean_text
from intake.files import Limits

_DATA_GROUP = "{http://www.xfa.org/schema/xfa-data/1.0/}dataNode"
_INDEX = re.compile(r"\[\d+\]")
_CHUNK = 64 * 1024
# The elements from a packet's root down to the answers, in a datasets packet and in an XDP.
_ANSWERS = ("datasets", "data")
_XDP_ANSWERS = ("xdp", "datasets", "data")
# Matching data paths that are not exactly a field's path is a search: it gets this many
# steps per field and value, so a hostile form cannot make the merge quadratic.
_SEARCH_STEPS = 16

# Repairs, on bytes: an `&` that starts no reference XML knows without a DTD, a `<` that
# starts no markup, control characters XML 1.0 forbids, a DOCTYPE that declares nothing.
_BARE_AMP = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")
_BARE_LT = re.compile(rb"<(?![A-Za-z_:/!?\x80-\xff])")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PLAIN_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*>")
_DECLARES = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[")
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


class XfaUnreadable(Exception):
    """The packet is not XML we are willing to read."""


class _Malformed(Exception):
    """The strict read failed on the syntax: the packet may be worth repairing."""


@dataclass(frozen=True)
class Packet:
    """One XFA packet read under our caps: its root element, and whether it needed a repair."""

    root: Element
    repaired: bool = False


@dataclass(frozen=True)
class DataValue:
    """One leaf of ``xfa:data``: its path with occurrence indices, and its text."""

    path: tuple[tuple[str, int], ...]
    value: str | None

    @property
    def name(self) -> str:
        return ".".join(f"{n}[{i}]" for n, i in self.path)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Packets:
    """The packets of one form's XFA, each read on first use: a static form never needs its template."""

    def __init__(self, streams: dict[str, bytes], limits: Limits) -> None:
        self._streams = streams
        self._limits = limits
        self._read: dict[str, Packet] = {}

    @classmethod
    def from_xdp(cls, xdp: bytes, limits: Limits) -> Packets:
        """Split a one-stream XDP into the same named packets the array form gives."""
        whole = read_packet(xdp, limits, answers=_XDP_ANSWERS)
        packets = cls({}, limits)
        for child in whole.root:
            packets._read.setdefault(_local(child.tag), Packet(child, whole.repaired))
        return packets

    def get(self, name: str) -> Packet | None:
        if name not in self._read and name in self._streams:
            answers = _ANSWERS if name == "datasets" else ()
            self._read[name] = read_packet(self._streams[name], self._limits, answers=answers)
        return self._read.get(name)


def read_packet(xml: bytes, limits: Limits, *, answers: tuple[str, ...] = ()) -> Packet:
    """Read one packet strictly, or else repaired; ``answers`` names the path down to ``xfa:data``.

    Raises :class:`TooComplexError` past a cap and :class:`XfaUnreadable` for XML beyond repair.
    """
    # Imported here: most forms have no XFA, and `intake fields` should start fast.
    from defusedxml import DefusedXmlException

    if len(xml) > limits.max_stream_bytes:
        raise TooComplexError("an XFA packet is too big", variant="stream", limit_mb=limits.max_stream_bytes // 2**20)
    try:
        return Packet(_read(xml, limits, answers, salvage=False))
    except (_Malformed, DefusedXmlException):
        pass  # a DOCTYPE that declares nothing is dropped by the repair; one that does is refused there
    try:
        return Packet(_read(_repair(xml), limits, answers, salvage=True), repaired=True)
    except DefusedXmlException as exc:
        raise XfaUnreadable(f"{type(exc).__name__}: {exc}") from exc


def _read(xml: bytes, limits: Limits, answers: tuple[str, ...], *, salvage: bool) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _Builder(limits, answers)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        for start in range(0, len(xml), _CHUNK):
            parser.feed(xml[start:start + _CHUNK])
        root: Element = parser.close()
        return root
    except (TooComplexError, DefusedXmlException, MemoryError):
        raise
    except Exception as exc:  # expat and the codecs raise several unrelated types
        if not salvage:
            raise _Malformed(str(exc)) from exc
        salvaged = builder.salvage()
        if salvaged is None:
            raise XfaUnreadable(str(exc)) from exc
        return salvaged


class _Builder:
    """The tree builder defusedxml feeds; it refuses the packet as soon as it passes a cap."""

    def __init__(self, limits: Limits, answers: tuple[str, ...]) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self._tree = TreeBuilder()
        self._limits = limits
        self._answers = answers
        self._tags: list[str] = []
        self._leaf: list[bool] = []  # per open element: no child element so far, and not a data group
        self._scope = 0  # how many open elements lead down to xfa:data
        self._nodes = 0
        self._leaves = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._nodes += 1
        depth = len(self._tags)
        if self._nodes > self._limits.max_xfa_nodes:
            raise TooComplexError("an XFA packet has too many elements", limit=self._limits.max_xfa_nodes)
        if depth >= self._limits.max_xfa_depth:
            raise TooComplexError("XFA elements nested too deeply", limit=self._limits.max_xfa_depth)
        if self._leaf:
            self._leaf[-1] = False
        if depth == self._scope < len(self._answers) and _local(tag) == self._answers[depth]:
            self._scope += 1
        self._tags.append(tag)
        self._leaf.append(attrs.get(_DATA_GROUP) != "dataGroup")
        return self._tree.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._tags.pop()
        leaf = self._leaf.pop()
        depth = len(self._tags)
        if depth < self._scope:
            self._scope = depth
        elif self._answers and leaf and self._scope == len(self._answers):
            self._leaves += 1
            if self._leaves > self._limits.max_fields:
                raise TooComplexError("too many XFA answers", variant="fields", limit=self._limits.max_fields)
        return self._tree.end(tag)

    def data(self, text: str) -> None:
        self._tree.data(text)

    def close(self) -> Element:
        return self._tree.close()

    def salvage(self) -> Element | None:
        """What was read before the XML broke, with the elements still open closed there."""
        while self._tags:
            self._tree.end(self._tags.pop())
        root: Element | None = self._tree.close()
        return root


def _repair(xml: bytes) -> bytes:
    """The packet with what commonly breaks real exports mended; never a packet that declares entities."""
    if _DECLARES.search(xml):
        raise XfaUnreadable("the packet declares a DTD or entities")
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in xml[:4]:
        return xml  # UTF-16: only the salvage of the tree applies
    parts = _CDATA.split(_as_utf8(xml))
    for i in range(0, len(parts), 2):  # odd parts are CDATA sections, where & and < are text
        parts[i] = _BARE_LT.sub(b"&lt;", _BARE_AMP.sub(b"&amp;", _PLAIN_DOCTYPE.sub(b"", parts[i])))
    return _CONTROL.sub(b"", b"".join(parts))


def _as_utf8(xml: bytes) -> bytes:
    """UTF-8 throughout: a byte that is not UTF-8 is taken as Windows-1252, what exports fall back to."""
    declared = _ENCODING.match(xml)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return xml
    text = xml.decode("utf-8", errors="surrogateescape")
    if not _ESCAPED_BYTE.search(text):
        return xml
    fixed = _ESCAPED_BYTE.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", errors="replace"), text)
    return fixed.encode("utf-8")


def data_values(datasets: Packet, limits: Limits) -> list[DataValue]:
    data = next((c for c in datasets.root if _local(c.tag) == "data"), None)
    if data is None:
        return []
    values: list[DataValue] = []
    for item in _leaves(data, ()):
        if len(values) >= limits.max_fields:
            raise TooComplexError("too many XFA answers", variant="fields", limit=limits.max_fields)
        values.append(item)
    return values


def _leaves(node: Element, path: tuple[tuple[str, int], ...]) -> Iterator[DataValue]:
    counts: dict[tuple[int, str], int] = defaultdict(int)
    stack = [(node, path, iter(list(node)))]
    # Iterative walk: a packet may nest deeper than Python's recursion limit allows.
    while stack:
        current, current_path, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        name = _local(child.tag)
        index = counts[(id(current), name)]
        counts[(id(current), name)] += 1
        child_path = (*current_path, (name, index))
        if len(child):
            stack.append((child, child_path, iter(list(child))))
        elif child.get(_DATA_GROUP) != "dataGroup":
            yield DataValue(child_path, clean_text(child.text or ""))


class _Label:
    """What a template field says about itself: its tooltip or spoken text, and its captions."""

    def __init__(self) -> None:
        self.tip: str | None = None
        self.captions: list[list[str]] = []

    def best(self) -> str | None:
        if self.tip:
            return self.tip
        texts = (" ".join(t.strip() for t in parts if t.strip()) for parts in self.captions)
        return next((t for t in texts if t), None)


def template_labels(template: Packet) -> dict[str, str]:
    """Field name -> the tooltip, spoken text or caption the template gives it.

    One walk over the tree: what lies inside a nested field belongs to that field alone, so
    the work stays linear however deep fields nest.
    """
    found: list[tuple[str, _Label]] = []
    # Each item: an element or the tail text after one, the field it belongs to, the caption it adds to.
    stack: list[tuple[Element | str, _Label | None, list[str] | None]] = [(template.root, None, None)]
    while stack:
        element, owner, caption = stack.pop()
        if isinstance(element, str):
            if caption is not None:
                caption.append(element)
            continue
        tag = _local(element.tag)
        if tag == "field" and element.get("name"):
            owner, caption = _Label(), None
            found.append((element.get("name", ""), owner))
        elif owner is not None:
            if tag in ("toolTip", "speak") and owner.tip is None and element.text and element.text.strip():
                owner.tip = element.text
            if tag == "caption" and caption is None:
                caption = []
                owner.captions.append(caption)
        if caption is not None and element.text:
            caption.append(element.text)
        for child in reversed(list(element)):
            if child.tail and caption is not None:
                stack.append((child.tail, owner, caption))
            stack.append((child, owner, caption))
    labels: dict[str, str] = {}
    for name, label in found:
        cleaned = clean_label(label.best())
        if cleaned:
            labels.setdefault(name, cleaned)
    return labels


def merge(fields: list[FormField], values: Iterable[DataValue]) -> tuple[list[FormField], list[DataValue]]:
    """Fill AcroForm fields the datasets have a value for and the AcroForm left empty.

    Also gives the values no AcroForm field takes. A value takes the first free field whose
    path is its own, else the first free one whose path holds its names in order (a field
    sits under subforms that keep no data); each field is taken once.
    """
    out = list(fields)
    left: list[DataValue] = []
    split = [tuple(_segments(f.name)) for f in fields]
    exact: dict[tuple[str, ...], deque[int]] = defaultdict(deque)
    groups: dict[str, dict[tuple[str, ...], deque[int]]] = defaultdict(dict)
    for i, segments in enumerate(split):
        exact[segments].append(i)
        groups[segments[-1]].setdefault(segments[:-1], deque()).append(i)
    taken: set[int] = set()
    values = list(values)
    search = _Search(groups, taken, _SEARCH_STEPS * (len(fields) + len(values) + 1))
    for item in values:
        names = tuple(n for n, _ in item.path)
        match = _first_free(exact.get(names), taken)
        if match is None:
            match = search.first(names)
        if match is None:
            left.append(item)
            continue
        taken.add(match)
        if item.value is not None:
            out[match] = _fill(out[match], item.value)
    return out, left


class _Search:
    """The first free field whose parents hold a value's parents in order, within a step budget.

    Fields with the same leaf and parents are one group, and whether a group fits a path is
    worked out once; past the budget only exact paths match.
    """

    def __init__(self, groups: dict[str, dict[tuple[str, ...], deque[int]]], taken: set[int], steps: int) -> None:
        self._groups = groups
        self._taken = taken
        self._steps = steps
        self._fits: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    def first(self, names: tuple[str, ...]) -> int | None:
        best: int | None = None
        for parents, queue in self._groups.get(names[-1], {}).items():
            if self._steps <= 0:
                return None
            self._steps -= 1
            candidate = _first_free(queue, self._taken)
            if candidate is None or (best is not None and candidate > best):
                continue
            key = (names[:-1], parents)
            if key not in self._fits:
                self._steps -= len(parents)
                self._fits[key] = _subsequence(names[:-1], parents)
            if self._fits[key]:
                best = candidate
        return best


def _first_free(queue: deque[int] | None, taken: set[int]) -> int | None:
    while queue and queue[0] in taken:
        queue.popleft()
    return queue[0] if queue else None


def data_fields(values: Iterable[DataValue], labels: dict[str, str]) -> list[FormField]:
    """Fields for the data nodes of a dynamic XFA form that no AcroForm field takes."""
    return [
        FormField(name=item.name, kind=FieldKind.TEXT, value=item.value,
                  label=labels.get(item.path[-1][0]), source=FieldSource.XFA)
        for item in values
    ]


def _fill(field: FormField, value: str) -> FormField:
    if field.kind is FieldKind.TEXT and field.value is None:
        return replace(field, value=value, source=FieldSource.XFA)
    if field.kind is FieldKind.CHOICE and field.value is None:
        return replace(field, value=value, source=FieldSource.XFA)
    if field.kind in (FieldKind.CHECKBOX, FieldKind.RADIO) and field.value in (None, False) \
            and value in field.exports:
        single = field.kind is FieldKind.CHECKBOX and len(field.exports) == 1
        return replace(field, value=True if single else value, source=FieldSource.XFA)
    return field


def _segments(name: str) -> list[str]:
    return _INDEX.sub("", name).split(".")


def _subsequence(needle: tuple[str, ...], haystack: tuple[str, ...]) -> bool:
    it = iter(haystack)
    return all(any(h == n for h in it) for n in needle)
