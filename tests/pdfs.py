"""Builders of small in-memory PDFs for the reader's unit tests; they make inputs and assert nothing.

Each builder returns the bytes of a valid PDF written by pypdf from generic objects, shaped
like one thing real forms do: a radio group whose states go through /Opt, two fields with
one name, a widget no field reaches, XFA data, an encrypted file, a scan with no text.
Building them here keeps the tests free of binary fixtures and says in code what each holds.
"""

from __future__ import annotations

import io
import re
from typing import Any, Literal
from xml.sax.saxutils import escape

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

Rect = tuple[float, float, float, float]

# Field flags (/Ff), PDF 32000-1 tables 221, 226, 228 and 230.
_READ_ONLY, _REQUIRED = 1 << 0, 1 << 1
_MULTILINE, _COMB = 1 << 12, 1 << 24
_RADIO, _PUSHBUTTON = 1 << 15, 1 << 16
_COMBO, _MULTI_SELECT = 1 << 17, 1 << 21

_DA = TextStringObject("/Helv 0 Tf 0 g")
_PRINT = NumberObject(4)  # annotation flag: widgets print with the page
_PAGE_SIZE = (612, 792)
_XDP_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'
_XDP_CLOSE = "</xdp:xdp>"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _name(value: str) -> NameObject:
    return NameObject("/" + value)


def _array(values: tuple[float, ...] | list[float]) -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in values)


def _pdf_string(text: str) -> bytes:
    """A literal string for a content stream, in the WinAnsi encoding the Helvetica font declares."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _dict(entries: dict[str, Any]) -> DictionaryObject:
    """A dictionary from plain-string keys, which read closer to the PDF than NameObject(...) keys."""
    return DictionaryObject({NameObject(key): value for key, value in entries.items()})


def _stream(data: bytes, entries: dict[str, Any] | None = None) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(_dict(entries or {}))
    return stream


def _to_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class FormBuilder:
    """A PDF of blank US-letter pages carrying the fields, actions and extras a test asks for.

    Objects go into the pypdf writer as each method is called, so the methods chain and read
    like the form they describe. Only the /AcroForm dictionary and the encryption wait for
    :meth:`build`: a builder given no field and no XFA writes a PDF with no AcroForm at all.
    Without an explicit ``rect`` each field gets its own box, in rows down the page.
    """

    def __init__(self, pages: int = 1) -> None:
        if pages < 1:
            raise ValueError("a PDF needs at least one page")
        self._writer = PdfWriter()
        self._pages: list[PageObject] = [self._writer.add_blank_page(*_PAGE_SIZE) for _ in range(pages)]
        self._rows = [0] * pages
        self._text_top = [750.0] * pages
        self._fields: list[IndirectObject] = []
        self._xfa: PdfObject | None = None
        self._acroform = DictionaryObject()
        self._font: IndirectObject | None = None
        self._blank: IndirectObject | None = None
        self._passwords: tuple[str, str] | None = None

    # Fields

    def add_text(self, name: str, value: str | None = None, *, page: int = 1, rect: Rect | None = None,
                 tooltip: str | None = None, required: bool = False, read_only: bool = False,
                 multiline: bool = False, comb: bool = False, max_len: int | None = None,
                 raw_value: bytes | None = None) -> FormBuilder:
        """A text field; ``raw_value`` stores /V as raw bytes, to test values in a broken encoding."""
        if value is not None and raw_value is not None:
            raise ValueError("give value or raw_value, not both")
        if comb and max_len is None:
            raise ValueError("a comb field needs max_len: the PDF spec ties comb to /MaxLen")
        flags = _flags(required, read_only) | (_MULTILINE if multiline else 0) | (_COMB if comb else 0)
        entries = _terminal(name, "/Tx", flags, tooltip)
        entries["/DA"] = _DA
        if max_len is not None:
            entries["/MaxLen"] = NumberObject(max_len)
        if raw_value is not None:
            entries["/V"] = ByteStringObject(raw_value)
        elif value is not None:
            entries["/V"] = TextStringObject(value)
        self._fields.append(self._widget(page, rect or self._box(page), entries))
        return self

    def add_checkbox(self, name: str, *, on: str = "Yes", checked: bool = False, page: int = 1,
                     rect: Rect | None = None, tooltip: str | None = None, required: bool = False) -> FormBuilder:
        """A checkbox whose on-state is ``on``: forms use Yes, 1, On or words in their own language."""
        state = _name(on) if checked else NameObject("/Off")
        entries = _terminal(name, "/Btn", _flags(required, False), tooltip)
        entries.update({"/V": state, "/AS": state, "/AP": self._states(on)})
        self._fields.append(self._widget(page, rect or self._box(page, 12, 12), entries))
        return self

    def add_radio(self, name: str, exports: list[str], *, selected: str | None = None,
                  opt: list[str] | None = None, page: int = 1, tooltip: str | None = None,
                  required: bool = False) -> FormBuilder:
        """A radio group, one kid widget per on-state; with ``opt`` the states are indices into /Opt."""
        flags = _RADIO | _flags(required, False)
        return self._button_group(name, exports, selected, flags, page, tooltip, opt)

    def add_checkbox_group(self, name: str, exports: list[str], *, selected: str | None = None,
                           page: int = 1) -> FormBuilder:
        """Checkboxes sharing one field with different on-states: a radio group without the radio flag."""
        return self._button_group(name, exports, selected, 0, page, None, None)

    def add_choice(self, name: str, options: list[tuple[str, str] | str], *,
                   value: str | list[str] | None = None, combo: bool = True, multi_select: bool = False,
                   page: int = 1, tooltip: str | None = None, required: bool = False) -> FormBuilder:
        """A combo box or list box; (export, display) pairs give /Opt entries whose two values differ."""
        flags = _flags(required, False) | (_COMBO if combo else 0) | (_MULTI_SELECT if multi_select else 0)
        entries = _terminal(name, "/Ch", flags, tooltip)
        entries["/DA"] = _DA
        entries["/Opt"] = ArrayObject(
            TextStringObject(o) if isinstance(o, str) else ArrayObject([TextStringObject(o[0]), TextStringObject(o[1])])
            for o in options)
        if isinstance(value, list):
            entries["/V"] = ArrayObject(TextStringObject(v) for v in value)
        elif value is not None:
            entries["/V"] = TextStringObject(value)
        self._fields.append(self._widget(page, self._box(page), entries))
        return self

    def add_signature(self, name: str, *, signed: bool = False, page: int = 1,
                      tooltip: str | None = None) -> FormBuilder:
        """A signature field; signed means a /Sig dictionary in /V, which looks signed but verifies nothing."""
        entries = _terminal(name, "/Sig", 0, tooltip)
        if signed:
            entries["/V"] = self._add(_dict({
                "/Type": NameObject("/Sig"), "/Filter": NameObject("/Adobe.PPKLite"),
                "/SubFilter": NameObject("/adbe.pkcs7.detached"),
                "/Contents": ByteStringObject(b"\x30\x80\x06\x09" + bytes(28)),
                "/M": TextStringObject("D:20240101120000+00'00'"), "/Name": TextStringObject("Test Signer"),
            }))
        self._fields.append(self._widget(page, self._box(page, 200, 30), entries))
        return self

    def add_button(self, name: str, *, page: int = 1) -> FormBuilder:
        """A push button: a field with a widget and an appearance but never a value."""
        return self._push_button(name, page, None)

    def add_hierarchy(self, parent: str, kids: dict[str, str | None], *, page: int = 1) -> FormBuilder:
        """A parent field with no widget of its own and text kids, so full names are ``parent.kid``."""
        node = _dict({"/T": TextStringObject(parent)})
        parent_ref = self._add(node)
        kid_refs = ArrayObject()
        for kid, value in kids.items():
            entries = _terminal(kid, "/Tx", 0, None)
            entries.update({"/Parent": parent_ref, "/DA": _DA})
            if value is not None:
                entries["/V"] = TextStringObject(value)
            kid_refs.append(self._widget(page, self._box(page), entries))
        node[NameObject("/Kids")] = kid_refs
        self._fields.append(parent_ref)
        return self

    def add_duplicate_text(self, name: str, values: tuple[str, str], *, page: int = 1) -> FormBuilder:
        """Two distinct top-level text fields with one /T; pypdf's ``get_fields`` keeps only one."""
        for value in values:
            self.add_text(name, value, page=page)
        return self

    def add_orphan_widget(self, name: str, value: str | None = None, *, page: int = 1,
                          kind: Literal["text", "checkbox"] = "text") -> FormBuilder:
        """A field on its page's /Annots that /AcroForm /Fields does not list, as some re-saved files have.

        For a checkbox, ``value`` is the on-state it is checked with; None leaves it off (on-state Yes).
        """
        if kind == "checkbox":
            self.add_checkbox(name, on=value or "Yes", checked=value is not None, page=page)
        elif kind == "text":
            self.add_text(name, value, page=page)
        else:
            raise ValueError(f"unknown orphan widget kind {kind!r}")
        self._fields.pop()
        return self

    # Document-level extras

    def with_xfa(self, datasets_xml: str, *, template_xml: str | None = None, as_array: bool = True,
                 needs_rendering: bool = False) -> FormBuilder:
        """XFA packets in /AcroForm /XFA, as named streams or as one XDP stream (both occur in the wild).

        ``needs_rendering`` marks the form dynamic, the way LiveCycle writes forms with no real fields.
        """
        packets = [("preamble", _XDP_OPEN)]
        if template_xml is not None:
            packets.append(("template", template_xml))
        packets += [("datasets", datasets_xml), ("postamble", _XDP_CLOSE)]
        if as_array:
            self._xfa = ArrayObject()
            for packet, xml in packets:
                self._xfa += [TextStringObject(packet), self._add(_stream(xml.encode("utf-8")))]
        else:
            # Inside one document a packet's own XML declaration would be malformed, so it goes.
            whole = _XDP_OPEN + "".join(_XML_DECLARATION.sub("", xml) for _, xml in packets[1:])
            self._xfa = self._add(_stream(whole.encode("utf-8")))
        if needs_rendering:
            self._writer.root_object[NameObject("/NeedsRendering")] = BooleanObject(True)
        return self

    def with_javascript(self) -> FormBuilder:
        """A script run when the file opens: common in government forms, and worth flagging."""
        self._writer.root_object[NameObject("/OpenAction")] = _action("/JavaScript", "/JS", "app.alert(1)")
        return self

    def with_launch_action(self) -> FormBuilder:
        """A link on page 1 that would start a program: the kind of action a reader must refuse."""
        link = _dict({"/Type": NameObject("/Annot"), "/Subtype": NameObject("/Link"),
                      "/Rect": _array([72, 36, 200, 56]), "/Border": _array([0, 0, 0]),
                      "/A": _action("/Launch", "/F", "evil.exe")})
        self._annotate(1, self._add(link))
        return self

    def with_submit_action(self) -> FormBuilder:
        """A push button named Submit whose widget action sends the form to a web address."""
        return self._push_button("Submit", 1, _action("/SubmitForm", "/F", "https://example.invalid/submit"))

    def with_embedded_file(self) -> FormBuilder:
        """An attachment in the catalog's /EmbeddedFiles name tree (file spec and embedded stream)."""
        self._writer.add_attachment("note.txt", b"an attached file\n")
        return self

    def with_text(self, text: str, *, page: int = 1) -> FormBuilder:
        """Real text in Helvetica below any drawn before on the page, so the page has a text layer."""
        target = self._page(page)
        lines = text.splitlines()
        if not lines:
            return self
        top = self._text_top[page - 1]
        self._text_top[page - 1] = top - 14 * len(lines) - 8
        shown = b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
        content = b"BT /Helv 12 Tf 14 TL 72 %.1f Td %s ET\n" % (top, shown)
        target[NameObject("/Resources")] = _dict({"/Font": _dict({"/Helv": self._helvetica()})})
        contents = target.get("/Contents")
        if contents is None:
            contents = target[NameObject("/Contents")] = ArrayObject()
        contents.append(self._add(_stream(content)))
        return self

    def encrypt(self, user_password: str = "", owner_password: str = "owner") -> FormBuilder:
        """Encrypt with AES-128 at build time; an empty user password opens without asking."""
        self._passwords = (user_password, owner_password)
        return self

    def build(self) -> bytes:
        """The finished PDF's bytes; the AcroForm, with /DA and a /DR holding Helv, exists only when needed."""
        root = self._writer.root_object
        if self._fields or self._xfa is not None:
            self._acroform.update(_dict({"/Fields": ArrayObject(self._fields), "/DA": _DA,
                                         "/DR": _dict({"/Font": _dict({"/Helv": self._helvetica()})})}))
            if self._xfa is not None:
                self._acroform[NameObject("/XFA")] = self._xfa
            if "/AcroForm" not in root:
                root[NameObject("/AcroForm")] = self._add(self._acroform)
        if self._passwords is not None:
            user, owner = self._passwords
            self._writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
        return _to_bytes(self._writer)

    # Internals

    def _add(self, obj: PdfObject) -> IndirectObject:
        return self._writer._add_object(obj)

    def _page(self, page: int) -> PageObject:
        if not 1 <= page <= len(self._pages):
            raise ValueError(f"page {page} is not in this {len(self._pages)}-page PDF")
        return self._pages[page - 1]

    def _box(self, page: int, width: float = 150, height: float = 18) -> Rect:
        """The next free row on the page: 25 rows down the left half, then 25 down the right."""
        self._page(page)
        row = self._rows[page - 1]
        self._rows[page - 1] += 1
        x, y = 72 + 260 * ((row // 25) % 2), 700 - 24 * (row % 25)
        return (x, y, x + width, y + height)

    def _annotate(self, page: int, annot: IndirectObject) -> None:
        target = self._page(page)
        annots = target.get("/Annots")
        if annots is None:
            annots = target[NameObject("/Annots")] = ArrayObject()
        annots.append(annot)

    def _widget(self, page: int, rect: Rect, entries: dict[str, Any]) -> IndirectObject:
        """A widget annotation on ``page`` (listed in its /Annots, /P pointing back), merged with ``entries``."""
        widget = _dict({"/Type": NameObject("/Annot"), "/Subtype": NameObject("/Widget"), "/Rect": _array(rect),
                        "/P": self._page(page).indirect_reference, "/F": _PRINT, **entries})
        ref = self._add(widget)
        self._annotate(page, ref)
        return ref

    def _button_group(self, name: str, exports: list[str], selected: str | None, flags: int, page: int,
                      tooltip: str | None, opt: list[str] | None) -> FormBuilder:
        """One parent field holding /V, with a kid widget per export whose on-state is that export."""
        if selected is not None and selected not in exports:
            raise ValueError(f"selected {selected!r} is not one of {exports}")
        parent = _dict(_terminal(name, "/Btn", flags, tooltip))
        parent[NameObject("/V")] = _name(selected) if selected is not None else NameObject("/Off")
        if opt is not None:
            parent[NameObject("/Opt")] = ArrayObject(TextStringObject(o) for o in opt)
        parent_ref = self._add(parent)
        x, y, _, _ = self._box(page)
        kids = ArrayObject()
        for index, export in enumerate(exports):
            left = x + 20 * index
            kids.append(self._widget(page, (left, y, left + 12, y + 12), {
                "/Parent": parent_ref,
                "/AS": _name(export) if export == selected else NameObject("/Off"),
                "/AP": self._states(export),
            }))
        parent[NameObject("/Kids")] = kids
        self._fields.append(parent_ref)
        return self

    def _push_button(self, name: str, page: int, action: DictionaryObject | None) -> FormBuilder:
        entries = _terminal(name, "/Btn", _PUSHBUTTON, None)
        entries["/AP"] = _dict({"/N": self._blank_appearance()})
        if action is not None:
            entries["/A"] = action
        self._fields.append(self._widget(page, self._box(page, 80, 20), entries))
        return self

    def _states(self, on: str) -> DictionaryObject:
        """/AP with a normal appearance per state: the on-state name is where readers find export values."""
        blank = self._blank_appearance()
        return _dict({"/N": _dict({"/" + on: blank, "/Off": blank})})

    def _blank_appearance(self) -> IndirectObject:
        if self._blank is None:
            self._blank = self._add(_stream(b"", {
                "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"), "/BBox": _array([0, 0, 12, 12]),
            }))
        return self._blank

    def _helvetica(self) -> IndirectObject:
        """One Helvetica font object, shared by the AcroForm's /DR and the pages that draw text."""
        if self._font is None:
            self._font = self._add(_dict({"/Type": NameObject("/Font"), "/Subtype": NameObject("/Type1"),
                                          "/BaseFont": NameObject("/Helvetica"),
                                          "/Encoding": NameObject("/WinAnsiEncoding")}))
        return self._font


def _flags(required: bool, read_only: bool) -> int:
    return (_REQUIRED if required else 0) | (_READ_ONLY if read_only else 0)


def _terminal(name: str, kind: str, flags: int, tooltip: str | None) -> dict[str, Any]:
    """The field entries of a dictionary: partial name, type, flags when set, tooltip when given."""
    entries: dict[str, Any] = {"/T": TextStringObject(name), "/FT": NameObject(kind)}
    if flags:
        entries["/Ff"] = NumberObject(flags)
    if tooltip is not None:
        entries["/TU"] = TextStringObject(tooltip)
    return entries


def _action(kind: str, key: str, value: str) -> DictionaryObject:
    return _dict({"/S": NameObject(kind), key: TextStringObject(value)})


def text_pdf(pages: list[str]) -> bytes:
    """A flat PDF, one page per string drawn in Helvetica: a text layer and no fields."""
    builder = FormBuilder(pages=len(pages))
    for number, text in enumerate(pages, start=1):
        builder.with_text(text, page=number)
    return builder.build()


def scanned_pdf(pages: int = 1) -> bytes:
    """Pages that only draw a grey 50x50 image, like a scan with no OCR: no font, no text operator."""
    pixels = _stream(bytes([128]) * 50 * 50, {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(50), "/Height": NumberObject(50),
        "/ColorSpace": NameObject("/DeviceGray"), "/BitsPerComponent": NumberObject(8),
    })
    writer = PdfWriter()
    image = writer._add_object(pixels.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(*_PAGE_SIZE)
        page[NameObject("/Resources")] = _dict({"/XObject": _dict({"/Im0": image})})
        page[NameObject("/Contents")] = writer._add_object(_stream(b"q 512 0 0 512 50 140 cm /Im0 Do Q\n"))
    return _to_bytes(writer)


def xfa_datasets(values: dict[str, str], root: str = "topmostSubform") -> str:
    """An XFA datasets packet from dotted paths: ``Page1.name`` becomes ``<Page1><name>..</name></Page1>``."""
    tree: dict[str, Any] = {}
    for path, value in values.items():
        *parents, leaf = path.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"{path}: {part} already holds a value")
        node[leaf] = value

    def render(node: dict[str, Any]) -> str:
        return "".join(f"<{tag}>{render(v) if isinstance(v, dict) else escape(v)}</{tag}>" for tag, v in node.items())

    return ('<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/">'
            f"<xfa:data><{root}>{render(tree)}</{root}></xfa:data></xfa:datasets>")
