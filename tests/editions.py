"""Older-edition stand-ins of real forms, made in code: another revision line, other field names.

Nobody ships a 2011 W-9 in the corpus, so a test takes the current one, rewrites the
revision it prints on page 1 and renames its fields the way an older edition names them,
then fills it: to the checker this is a filled form of the same number but another edition.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject, TextStringObject

from intake._fill import fill_form


def older_edition(source: bytes, revisions: Mapping[bytes, bytes], rename: Mapping[str, str],
                  values: Mapping[str, Any] | None = None) -> bytes:
    """``source`` with page 1's printed ``revisions`` replaced, fields renamed (a pattern and its
    replacement, applied to each field's /T) and then ``values`` (new full names) filled."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    page = writer.pages[0]
    data = page.get_contents().get_data()  # type: ignore[union-attr]
    for old, new in revisions.items():
        data = data.replace(old, new)
    stream = ContentStream(None, writer)
    stream.set_data(data)
    page[NameObject("/Contents")] = writer._add_object(stream)
    for obj in _fields(writer):
        partial = str(obj.get("/T", ""))
        renamed = partial
        for old, new in rename.items():
            renamed = re.sub(old, new, renamed)
        if renamed != partial:
            obj[NameObject("/T")] = TextStringObject(renamed)
    out = io.BytesIO()
    writer.write(out)
    return fill_form(out.getvalue(), values or {})


def _fields(writer: PdfWriter) -> list[DictionaryObject]:
    """Every field and widget dictionary, from the AcroForm tree and from the pages' annotations."""
    acro = writer.root_object["/AcroForm"].get_object()  # type: ignore[union-attr]
    found: dict[int, DictionaryObject] = {}
    stack = list(acro.get("/Fields", []))
    for page in writer.pages:
        stack.extend(page.get("/Annots", []))
    while stack:
        node = stack.pop().get_object()
        if id(node) not in found:
            found[id(node)] = node
            stack.extend(node.get("/Kids", []))
            if "/Parent" in node:
                stack.append(node["/Parent"])
    return list(found.values())
