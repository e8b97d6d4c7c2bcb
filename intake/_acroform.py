"""Walk a pypdf document once: the AcroForm field tree, every page's annotations, and the
actions a file carries. Private to :mod:`intake.pdf`, the only other module that sees pypdf.

Actions are looked for wherever a reader would run one: the catalog's /OpenAction and /AA,
the outline, the /JavaScript name tree, every page's /AA, every annotation's /A and /AA
(widgets too) and every field's. Each chain is followed through /Next to its end, each
object once; every object looked at counts against one budget per file, so a hostile file
costs bounded work and is refused as too complex rather than half-checked.

The field tree is walked exactly once, by hand, with our own bounds on depth and count:
``get_fields()`` keeps only one of two fields with the same name and gives no pages, and
``get_form_text_fields()`` would walk the tree a second time. Widgets that no field in the
tree reaches (files re-saved by some viewers drop /AcroForm) are found through the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from intake.errors import DamagedFileError, TooComplexError
from intake.fields import (
    FieldKind,
    FieldSource,
    FormField,
    Option,
    Rect,
    Value,
    Widget,
    clean_label,
    clean_text,
    decode_bytes,
    looks_like_signature,
)
from intake.files import Limits

_INHERITED = ("/FT", "/Ff", "/V", "/DV", "/Opt", "/MaxLen")
_READ_ONLY, _REQUIRED = 1 << 0, 1 << 1
_MULTILINE, _COMB = 1 << 12, 1 << 24
_RADIO, _PUSHBUTTON = 1 << 15, 1 << 16
_COMBO, _EDIT = 1 << 17, 1 << 18
_DANGEROUS_ANNOTS = {"/FileAttachment": "embedded_file", "/RichMedia": "rich_media",
                     "/Screen": "rich_media", "/Movie": "rich_media", "/Sound": "rich_media"}
_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/SubmitForm": "submit_form",
            "/ImportData": "submit_form", "/RichMediaExecute": "rich_media", "/GoToE": "embedded_file"}
_MAX_ACTION_STEPS = 100_000
"""Objects looked at to find actions in one file: action dictionaries and /Next arrays, /AA
entries, outline items, name-tree nodes and entries. Real forms need a few thousand."""
# Actions whose /F names another file, and the ways a name reaches the clerk's own disk or
# network: file: and share URLs, \\host\share or //host/share, a drive (C:\ or C:/).
# A file specification may also be a PDF absolute path (/C/dir/x.pdf, or \dir\x.pdf).
# Opening one can read the clerk's disk or send their network credentials to a stranger.
_FILE_ACTIONS = frozenset({"/GoToR", "/GoToE", "/SubmitForm", "/ImportData", "/Thread"})
_LOCAL_URI = re.compile(r"^(?:(?:file|smb|cifs|nfs|afp)s?:|[\\/]{2}|[a-z]:[\\/])", re.IGNORECASE)
_LOCAL_PATH = re.compile(r"^(?:[\\/]|[a-z]:)", re.IGNORECASE)
_FILESPEC_KEYS = ("/F", "/UF", "/DOS", "/Mac", "/Unix")


@dataclass
class Walk:
    """What one pass over the document found."""

    fields: list[FormField] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)
    field_actions: set[str] = field(default_factory=set)
    encoding_problems: list[str] = field(default_factory=list)


def walk(reader: PdfReader, limits: Limits) -> Walk:
    return _Walker(reader, limits).run()


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _key(ref: Any, obj: Any) -> int | tuple[int, int]:
    if isinstance(ref, IndirectObject):
        return (ref.idnum, ref.generation)
    return id(obj)


def _string(obj: Any) -> tuple[str, bool]:
    obj = _resolve(obj)
    if isinstance(obj, ByteStringObject):
        return decode_bytes(bytes(obj))
    if isinstance(obj, TextStringObject):
        return _utf8_rescue(obj), False
    if isinstance(obj, str):
        return str(obj), False
    return "", False


def _utf8_rescue(text: TextStringObject) -> str:
    """Some writers store UTF-8 without a BOM; read as PDFDocEncoding that turns é into Ã©."""
    raw = getattr(text, "original_bytes", b"")
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe") or raw.isascii():
        return str(text)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return str(text)


def _name(obj: Any) -> str | None:
    obj = _resolve(obj)
    return str(obj)[1:] if isinstance(obj, NameObject) else None


class _Walker:
    def __init__(self, reader: PdfReader, limits: Limits) -> None:
        self.reader = reader
        self.limits = limits
        self.result = Walk()
        self.widget_pages: dict[int | tuple[int, int], int] = {}
        self.page_numbers: dict[int | tuple[int, int], int] = {}
        self.page_widgets: list[tuple[Any, DictionaryObject]] = []
        self.seen_widgets: set[int | tuple[int, int]] = set()
        self.seen_nodes: set[int | tuple[int, int]] = set()
        self.ancestors: set[int | tuple[int, int]] = set()
        self.nodes = 0
        self.steps = 0
        self.options = 0
        # Every action object and /Next array looked at, by identity (pypdf caches what it
        # resolves, so one object is one identity); kept alive here so no id is reused.
        self.seen_actions: dict[int, Any] = {}

    def run(self) -> Walk:
        root = _resolve(self.reader.trailer.get("/Root"))
        if isinstance(root, DictionaryObject):
            self._scan_catalog(root)
        self._scan_pages()
        if isinstance(root, DictionaryObject):
            acro = _resolve(root.get("/AcroForm"))
            if isinstance(acro, DictionaryObject):
                fields = _resolve(acro.get("/Fields"))
                if isinstance(fields, ArrayObject):
                    for ref in fields:
                        self._visit_top(ref)
        self._collect_orphans()
        return self.result

    def _scan_catalog(self, root: DictionaryObject) -> None:
        """First, so the open action is the first chain walked and always reads as one."""
        open_action = _resolve(root.get("/OpenAction"))
        if isinstance(open_action, DictionaryObject):
            kinds = self._actions(open_action)
            self.result.actions.update(kinds)
            if kinds:
                self.result.actions.add("open_action")
        if root.get("/AA") is not None:
            self.result.actions.add("additional_actions")
            self.result.actions.update(self._additional_actions(root.get("/AA")))
        self._scan_outline(root.get("/Outlines"))
        names = _resolve(root.get("/Names"))
        if isinstance(names, DictionaryObject):
            if names.get("/JavaScript") is not None:
                self.result.actions.add("javascript")
                self.result.actions.update(self._scan_name_tree(names.get("/JavaScript")))
            if names.get("/EmbeddedFiles") is not None:
                self.result.actions.add("embedded_file")

    def _scan_pages(self) -> None:
        total = 0
        for number, page in enumerate(self.reader.pages, start=1):
            if page.indirect_reference is not None:
                self.page_numbers[_key(page.indirect_reference, page)] = number
            if page.get("/AA") is not None:
                self.result.actions.update(self._additional_actions(page.get("/AA")))
            annots = _resolve(page.get("/Annots"))
            if not isinstance(annots, ArrayObject):
                continue
            total += len(annots)  # counted before any annotation is resolved
            if total > self.limits.max_annotations:
                raise TooComplexError("too many annotations", limit=self.limits.max_annotations)
            for ref in annots:
                annot = _resolve(ref)
                if not isinstance(annot, DictionaryObject):
                    continue
                subtype = annot.get("/Subtype")
                found = self._actions(annot.get("/A")) | self._additional_actions(annot.get("/AA"))
                if subtype == "/Widget":
                    self.widget_pages[_key(ref, annot)] = number
                    self.page_widgets.append((ref, annot))
                    self.result.field_actions |= found
                    continue
                self.result.actions |= found
                if subtype in _DANGEROUS_ANNOTS:
                    self.result.actions.add(_DANGEROUS_ANNOTS[subtype])

    def _step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > _MAX_ACTION_STEPS:
            raise TooComplexError("too many actions and links to check", variant="actions",
                                  limit=_MAX_ACTION_STEPS)

    def _first_visit(self, obj: Any) -> bool:
        if id(obj) in self.seen_actions:
            return False
        self.seen_actions[id(obj)] = obj
        return True

    def _actions(self, action: Any) -> set[str]:
        """The dangerous kinds in an action and its whole /Next chain; nothing is executed.

        /Next is one action or an array of them, to any length; each object is looked at
        once (loops end) and counts against the file's budget.
        """
        found: set[str] = set()
        start = _resolve(action)
        if not isinstance(start, DictionaryObject):
            return found
        pending: list[Any] = [start]
        while pending:
            self._step()
            current = _resolve(pending.pop())
            if not isinstance(current, (ArrayObject, DictionaryObject)) or not self._first_visit(current):
                continue
            if isinstance(current, ArrayObject):
                self._step(len(current))  # before any item is resolved
                pending.extend(reversed(current))
                continue
            kind_name = str(current.get("/S", ""))
            kind = _ACTIONS.get(kind_name)
            if kind:
                found.add(kind)
            if self._reaches_local_file(kind_name, current):
                found.add("remote_file")
            if current.get("/Next") is not None:
                pending.append(current.get("/Next"))
        return found

    def _reaches_local_file(self, kind: str, action: DictionaryObject) -> bool:
        if kind == "/URI":
            return _local_uri(_string(action.get("/URI"))[0])
        if kind not in _FILE_ACTIONS or action.get("/F") is None:
            return False
        spec = _resolve(action.get("/F"))
        if not isinstance(spec, DictionaryObject):
            return _local_path(_string(spec)[0])
        url = spec.get("/FS") == "/URL"
        names = [_string(spec.get(key))[0] for key in _FILESPEC_KEYS if spec.get(key) is not None]
        return any(_local_uri(n) if url else _local_path(n) for n in names)

    def _additional_actions(self, aa: Any) -> set[str]:
        """Every trigger of an /AA dictionary (no cut-off: the budget bounds the work)."""
        aa = _resolve(aa)
        found: set[str] = set()
        if isinstance(aa, DictionaryObject):
            self._step(len(aa))
            for trigger in aa.values():
                found |= self._actions(trigger)
        return found

    def _scan_outline(self, outlines: Any) -> None:
        """Every bookmark's action: the tree is walked by hand (/First, /Next), each item once."""
        outlines = _resolve(outlines)
        if not isinstance(outlines, DictionaryObject):
            return
        seen: dict[int, Any] = {}
        pending: list[Any] = [outlines.get("/First")]
        while pending:
            self._step()
            item = _resolve(pending.pop())
            if not isinstance(item, DictionaryObject) or id(item) in seen:
                continue
            seen[id(item)] = item
            self.result.actions |= self._actions(item.get("/A"))
            for link in ("/Next", "/First"):
                if item.get(link) is not None:
                    pending.append(item.get(link))

    def _scan_name_tree(self, tree: Any) -> set[str]:
        """The actions held in a name tree (/Kids nodes, /Names leaves of key, value pairs)."""
        found: set[str] = set()
        seen: dict[int, Any] = {}
        pending: list[Any] = [tree]
        while pending:
            self._step()
            node = _resolve(pending.pop())
            if not isinstance(node, DictionaryObject) or id(node) in seen:
                continue
            seen[id(node)] = node
            kids, leaves = _resolve(node.get("/Kids")), _resolve(node.get("/Names"))
            if isinstance(kids, ArrayObject):
                self._step(len(kids))
                pending.extend(kids)
            if isinstance(leaves, ArrayObject):
                self._step(len(leaves))
                for value in leaves[1::2]:
                    found |= self._actions(value)
        return found

    def _visit_top(self, ref: Any) -> None:
        """Some writers list terminal fields in /Fields directly; their /Parent gives the name."""
        node = _resolve(ref)
        parent = _resolve(node.get("/Parent")) if isinstance(node, DictionaryObject) else None
        if isinstance(parent, DictionaryObject):
            name, attrs = self._qualified(parent)
            self._visit(ref, name, attrs, 1)
        else:
            self._visit(ref, "", {}, 0)

    def _visit(self, ref: Any, parent: str, inherited: dict[str, Any], depth: int) -> None:
        node = _resolve(ref)
        if not isinstance(node, DictionaryObject):
            return
        key = _key(ref, node)
        if key in self.ancestors:
            raise DamagedFileError("a form field contains itself")
        if key in self.seen_nodes:
            return
        self.seen_nodes.add(key)
        self.nodes += 1
        self.result.field_actions |= self._actions(node.get("/A")) | self._additional_actions(node.get("/AA"))
        if depth > self.limits.max_field_depth:
            raise TooComplexError("form fields nested too deeply", limit=self.limits.max_field_depth)
        if self.nodes > self.limits.max_field_nodes:
            raise TooComplexError("too many form field objects", variant="fields", limit=self.limits.max_field_nodes)
        partial, _ = _string(node.get("/T")) if "/T" in node else ("", False)
        name = f"{parent}.{partial}" if parent and partial else (partial or parent)
        attrs = dict(inherited)
        for attr in _INHERITED:
            if attr in node:
                attrs[attr] = node[attr]
        kids = _resolve(node.get("/Kids"))
        child_fields: list[Any] = []
        widgets: list[tuple[Any, DictionaryObject]] = []
        if isinstance(kids, ArrayObject):
            for kid_ref in kids:
                kid = _resolve(kid_ref)
                if not isinstance(kid, DictionaryObject):
                    continue
                (child_fields if "/T" in kid else widgets).append(kid_ref if "/T" in kid else (kid_ref, kid))
        if child_fields:
            self.ancestors.add(key)
            for child in child_fields:
                self._visit(child, name, attrs, depth + 1)
            self.ancestors.discard(key)
            if not widgets:
                return
        if "/T" not in node and not parent:
            return
        if not widgets and (node.get("/Subtype") == "/Widget" or "/Rect" in node):
            widgets = [(ref, node)]
        self._add_terminal(node, name, attrs, widgets, FieldSource.ACROFORM)

    def _add_terminal(self, node: DictionaryObject, name: str, attrs: dict[str, Any],
                      widgets: list[tuple[Any, DictionaryObject]], source: FieldSource) -> None:
        if len(self.result.fields) >= self.limits.max_fields:
            raise TooComplexError("too many form fields", variant="fields", limit=self.limits.max_fields)
        for w_ref, w in widgets:
            self.seen_widgets.add(_key(w_ref, w))
            self.result.field_actions |= self._actions(w.get("/A")) | self._additional_actions(w.get("/AA"))
        self.result.field_actions |= self._additional_actions(node.get("/AA"))
        self.result.fields.append(self._build(node, name, attrs, widgets, source))

    def _build(self, node: DictionaryObject, name: str, attrs: dict[str, Any],
               widgets: list[tuple[Any, DictionaryObject]], source: FieldSource) -> FormField:
        ft = attrs.get("/FT")
        flags = _int(attrs.get("/Ff"))
        label, _ = _string(node.get("/TU")) if "/TU" in node else ("", False)
        placed = tuple(self._widget(w_ref, w, ft == "/Btn") for w_ref, w in widgets)
        max_len = _int(attrs.get("/MaxLen")) or None
        common: dict[str, Any] = {
            "name": name, "label": clean_label(label), "widgets": placed, "source": source,
            "required": bool(flags & _REQUIRED), "read_only": bool(flags & _READ_ONLY),
        }
        if ft == "/Btn":
            if flags & _PUSHBUTTON or _resets_form(node, widgets):
                return FormField(kind=FieldKind.BUTTON, **common)
            kind = FieldKind.RADIO if flags & _RADIO else FieldKind.CHECKBOX
            shown = [_name(w.get("/AS")) for _, w in widgets]
            value, exports = _button_value(attrs, self._options(attrs.get("/Opt")), placed, kind, shown)
            return FormField(kind=kind, value=value, exports=exports, **common)
        if ft == "/Ch":
            options = self._options(attrs.get("/Opt"))
            return FormField(kind=FieldKind.CHOICE, value=self._choice_value(attrs.get("/V"), name),
                             options=options, editable=bool(flags & _COMBO and flags & _EDIT), **common)
        if ft == "/Sig":
            signed = isinstance(_resolve(attrs.get("/V")), DictionaryObject)
            return FormField(kind=FieldKind.SIGNATURE, value=signed,
                             signed="digital" if signed else None, **common)
        text = self._text_value(attrs.get("/V"), name)
        typed = text is not None and looks_like_signature(name, common["label"])
        return FormField(kind=FieldKind.TEXT, value=text, multiline=bool(flags & _MULTILINE),
                         comb=bool(flags & _COMB) and max_len is not None, max_length=max_len,
                         signed="typed" if typed else None, **common)

    def _options(self, raw: Any) -> tuple[Option, ...]:
        """A field's /Opt list, counted against the file's limit before any choice is read: one
        list that many fields share is read again for each of them."""
        raw = _resolve(raw)
        if not isinstance(raw, ArrayObject):
            return ()
        self.options += len(raw)
        if self.options > self.limits.max_options:
            raise TooComplexError("too many choices in the form's lists", variant="options",
                                  limit=self.limits.max_options)
        return _options(raw)

    def _text_value(self, raw: Any, name: str) -> str | None:
        raw = _resolve(raw)
        if raw is None or isinstance(raw, (DictionaryObject, ArrayObject)):
            return None
        if isinstance(raw, NameObject):
            return clean_text(str(raw)[1:])
        text, guessed = _string(raw) if isinstance(raw, (str, bytes)) else (str(raw), False)
        if guessed:
            self.result.encoding_problems.append(name)
        return clean_text(text)

    def _choice_value(self, raw: Any, name: str) -> Value:
        raw = _resolve(raw)
        if isinstance(raw, ArrayObject):
            picked = tuple(v for v in (self._text_value(item, name) for item in raw) if v is not None)
            return picked or None
        return self._text_value(raw, name)

    def _widget(self, ref: Any, widget: DictionaryObject, button: bool) -> Widget:
        page = self.widget_pages.get(_key(ref, widget))
        if page is None:
            page_ref = widget.get("/P")
            if isinstance(page_ref, IndirectObject):
                page = self.page_numbers.get(_key(page_ref, None))
        on_state = _on_state(widget) if button else None
        return Widget(page=page, rect=_rect(widget.get("/Rect")), on_state=on_state)

    def _collect_orphans(self) -> None:
        """Fields whose widgets sit on pages but that the AcroForm tree does not reach."""
        groups: dict[int | tuple[int, int], tuple[DictionaryObject, list[tuple[Any, DictionaryObject]]]] = {}
        for ref, annot in self.page_widgets:
            if _key(ref, annot) in self.seen_widgets:
                continue
            owner_ref: Any = ref
            owner: DictionaryObject = annot
            if "/T" not in annot:
                parent = _resolve(annot.get("/Parent"))
                if not isinstance(parent, DictionaryObject):
                    continue
                owner_ref, owner = annot.get("/Parent"), parent
            groups.setdefault(_key(owner_ref, owner), (owner, []))[1].append((ref, annot))
        for owner, widgets in groups.values():
            name, attrs = self._qualified(owner)
            if name:
                self._add_terminal(owner, name, attrs, widgets, FieldSource.ANNOTATION)

    def _qualified(self, node: DictionaryObject) -> tuple[str, dict[str, Any]]:
        parts: list[str] = []
        attrs: dict[str, Any] = {}
        current: Any = node
        for _ in range(self.limits.max_field_depth):
            if not isinstance(current, DictionaryObject):
                break
            for attr in _INHERITED:
                if attr in current and attr not in attrs:
                    attrs[attr] = current[attr]
            if "/T" in current:
                parts.append(_string(current.get("/T"))[0])
            current = _resolve(current.get("/Parent"))
        return ".".join(reversed(parts)), attrs


def _local_uri(text: str) -> bool:
    return bool(_LOCAL_URI.match(text.lstrip("\x00\t\n\r\x0c ")))


def _local_path(text: str) -> bool:
    """A file specification that names a place on a disk or a share, not one beside the file."""
    text = text.lstrip("\x00\t\n\r\x0c ")
    return bool(_LOCAL_URI.match(text) or _LOCAL_PATH.match(text))


def _int(obj: Any) -> int:
    obj = _resolve(obj)
    try:
        return int(obj) if obj is not None else 0
    except (TypeError, ValueError):
        return 0


def _rect(obj: Any) -> Rect | None:
    obj = _resolve(obj)
    if not isinstance(obj, ArrayObject) or len(obj) != 4:
        return None
    try:
        x0, y0, x1, y1 = (round(float(_resolve(v)), 2) for v in obj)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _resets_form(node: DictionaryObject, widgets: list[tuple[Any, DictionaryObject]]) -> bool:
    """A "Clear form" button drawn as a radio button or check box: its click empties the form, so it is
    no answer (forms made in some editors give reset buttons the radio flag)."""
    for holder in (node, *(w for _, w in widgets)):
        action = _resolve(holder.get("/A"))
        if isinstance(action, DictionaryObject) and _name(action.get("/S")) == "ResetForm":
            return True
    return False


def _on_state(widget: DictionaryObject) -> str | None:
    ap = _resolve(widget.get("/AP"))
    if not isinstance(ap, DictionaryObject):
        return None
    for appearance in ("/N", "/D"):
        states = _resolve(ap.get(appearance))
        if isinstance(states, DictionaryObject) and not isinstance(states, StreamObject):
            for state in states:
                if state != "/Off":
                    return str(state)[1:]
    return None


def _options(raw: Any) -> tuple[Option, ...]:
    raw = _resolve(raw)
    if not isinstance(raw, ArrayObject):
        return ()
    out: list[Option] = []
    for item in raw:
        item = _resolve(item)
        if isinstance(item, ArrayObject) and len(item) >= 2:
            export, display = _string(item[0])[0], _string(item[1])[0]
        else:
            export = display = _string(item)[0]
        out.append(Option(export=export.strip(), display=display.strip()))
    return tuple(out)


def _button_value(attrs: dict[str, Any], options: tuple[Option, ...], widgets: tuple[Widget, ...],
                  kind: FieldKind, shown: list[str | None]) -> tuple[Value, tuple[str, ...]]:
    """Map the on-state names to export values (through /Opt when it is there)."""
    states = list(dict.fromkeys(w.on_state for w in widgets if w.on_state))
    opt = [o.export for o in options]
    if len(set(opt)) != len(opt):
        opt = []  # an /Opt that cannot tell the choices apart ("Yes", "Yes") maps nothing
    exports_by_state = {s: _export(s, opt) for s in states}
    exports = tuple(dict.fromkeys(exports_by_state.values()))
    chosen = _name(attrs.get("/V"))
    if chosen is None:
        raw = _resolve(attrs.get("/V"))
        chosen = str(raw).lstrip("/") if isinstance(raw, str) and raw else None
    if chosen is None and len(widgets) == 1:
        chosen = shown[0]
    if chosen in (None, "Off", ""):
        selected = None
    else:
        assert chosen is not None
        selected = exports_by_state.get(chosen, _export(chosen, opt))
    if kind is FieldKind.CHECKBOX and len(exports) <= 1:
        return selected is not None, exports
    return selected, exports


def _export(state: str, opt: list[str]) -> str:
    """An on-state is its own export value, unless /Opt maps state indices to real values."""
    if opt and state.isdigit() and int(state) < len(opt):
        return opt[int(state)]
    return state

