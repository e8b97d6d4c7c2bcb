"""XFA: the data a LiveCycle form keeps in its ``datasets`` packet, mapped onto fields.

Pure XML work on bytes handed over by :mod:`intake.pdf`; parsed with defusedxml and no
DTDs at all, since an uploaded form is an untrusted XML document (XXE, entity bombs).
Static XFA forms also carry AcroForm fields: datasets only fill the gaps they leave.
Dynamic XFA forms have no AcroForm fields, so their data nodes become the fields.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

from intake.fields import FieldKind, FieldSource, FormField, clean_label, clean_text

_DATA_GROUP = "{http://www.xfa.org/schema/xfa-data/1.0/}dataNode"
_INDEX = re.compile(r"\[\d+\]")
MAX_PACKET_BYTES = 30 * 1024 * 1024


class XfaUnreadable(Exception):
    """The packet is not XML we are willing to read."""


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


def _parse(xml: bytes) -> Element:
    # Imported here: most forms have no XFA, and `intake fields` should start fast.
    from defusedxml import ElementTree as SafeET

    if len(xml) > MAX_PACKET_BYTES:
        raise XfaUnreadable("packet too large")
    try:
        return SafeET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except Exception as exc:  # defusedxml and expat raise several unrelated types
        raise XfaUnreadable(str(exc)) from exc


def packets_from_xdp(xdp: bytes) -> dict[str, bytes]:
    """Split a one-stream XDP into the same named packets the array form gives."""
    from xml.etree.ElementTree import tostring

    root = _parse(xdp)
    return {_local(child.tag): tostring(child) for child in root}


def data_values(datasets: bytes) -> list[DataValue]:
    root = _parse(datasets)
    data = next((c for c in root if _local(c.tag) == "data"), None)
    if data is None:
        return []
    return list(_leaves(data, ()))


def _leaves(node: Element, path: tuple[tuple[str, int], ...]) -> Iterator[DataValue]:
    counts: dict[tuple[int, str], int] = defaultdict(int)
    stack = [(node, path, iter(list(node)))]
    # Iterative walk: a hostile packet may nest far deeper than Python's recursion limit.
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


def template_labels(template: bytes) -> dict[str, str]:
    """Field name -> the tooltip, spoken text or caption the template gives it."""
    labels: dict[str, str] = {}
    for element in _parse(template).iter():
        if _local(element.tag) != "field" or not element.get("name"):
            continue
        label = None
        for child in element.iter():
            tag = _local(child.tag)
            if tag in ("toolTip", "speak") and child.text and child.text.strip():
                label = child.text
                break
            if tag == "caption" and label is None:
                label = " ".join(t.strip() for t in child.itertext() if t.strip()) or None
        if label:
            cleaned = clean_label(label)
            if cleaned:
                labels.setdefault(element.get("name", ""), cleaned)
    return labels


def merge(fields: list[FormField], values: Iterable[DataValue]) -> list[FormField]:
    """Fill AcroForm fields the datasets have a value for and the AcroForm left empty."""
    by_leaf: dict[str, list[int]] = defaultdict(list)
    split = [_segments(f.name) for f in fields]
    for i, segments in enumerate(split):
        if segments:
            by_leaf[segments[-1]].append(i)
    taken: set[int] = set()
    out = list(fields)
    for item in values:
        names = [n for n, _ in item.path]
        match = next((i for i in by_leaf.get(names[-1], ()) if i not in taken
                      and _subsequence(names[:-1], split[i][:-1])), None)
        if match is None:
            continue
        taken.add(match)
        if item.value is not None:
            out[match] = _fill(out[match], item.value)
    return out


def data_fields(values: Iterable[DataValue], labels: dict[str, str]) -> list[FormField]:
    """Fields for a dynamic XFA form, which has no AcroForm fields to fill."""
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


def _subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(h == n for h in it) for n in needle)
