"""The studio's inputs for how citizens hand their papers in (a service's ``visit``): at an
office or by mail, the fees, what to bring, and the offices with their hours and booking page.

Read from the draft's keys and written back into them in place (``web.studio.versions``), so
what an admin does not change keeps its layout and comments. Nothing is checked here: the
saved draft goes through the service schema like every other key, and the lint's messages
are placed beside the input they are about (``web.studio.editor``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intake.services import VISIT_MODES
from web.studio.versions import block, flow, place, put, put_words, rows_into, words_into

OFFICE_KEYS = ("name", "address", "hours", "appointments")


def words(value: Any, lang: str) -> str:
    return str(value.get(lang) or "") if isinstance(value, Mapping) else ""


@dataclass
class BringRow:
    index: int | str
    en: str
    es: str
    problems: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"b-{self.index}"


@dataclass
class OfficeRow:
    index: int | str
    name: str
    address: str
    hours_en: str
    hours_es: str
    appointments: str
    problems: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"o-{self.index}"


@dataclass
class VisitView:
    mode: str
    fees_en: str
    fees_es: str
    bring: list[BringRow]
    offices: list[OfficeRow]
    problems: list[Any] = field(default_factory=list)
    modes: tuple[str, ...] = VISIT_MODES

    @property
    def key(self) -> str:
        return "visit"


def view(data: Mapping[str, Any]) -> VisitView:
    visit = data.get("visit")
    visit = visit if isinstance(visit, Mapping) else {}
    bring = [BringRow(i, words(item, "en"), words(item, "es"))
             for i, item in enumerate(_list(visit.get("bring")))]
    offices = [OfficeRow(i, _plain(office.get("name")), _plain(office.get("address")),
                         words(office.get("hours"), "en"), words(office.get("hours"), "es"),
                         _plain(office.get("appointments")))
               for i, office in enumerate(_list(visit.get("offices"))) if isinstance(office, Mapping)]
    mode = str(visit.get("mode") or "in_person")
    return VisitView(mode, words(visit.get("fees"), "en"), words(visit.get("fees"), "es"),
                     [*bring, BringRow("new", "", "")], [*offices, OfficeRow("new", "", "", "", "", "")])


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def apply(data: Any, answers: Mapping[str, str]) -> None:
    """Write the visit inputs into ``data`` (a round-trip mapping), when the form showed them."""
    if "visit-mode" not in answers:
        return
    old = data.get("visit")
    if old is not None and not isinstance(old, dict):
        return  # not a set of keys: the lint names it; the form never writes over it
    visit: Any = old if old is not None else block()
    chosen = answers.get("visit-mode", "")
    if chosen == "mail":
        put(visit, "mode", "mail")
    elif chosen in VISIT_MODES and "mode" in visit:
        del visit["mode"]
    put_words(visit, "fees", answers.get("visit-fees_en", ""), answers.get("visit-fees_es", ""))
    _bring(visit, answers)
    _offices(visit, answers)
    if old is None and visit:
        place(data, "visit", visit, ("forms", "documents", "points", "samples"))


def _bring(visit: Any, answers: Mapping[str, str]) -> None:
    items = visit.get("bring")
    if items is not None and not isinstance(items, list):
        return
    items = items if items is not None else []
    for i in reversed(range(len(items))):
        key = f"b-{i}"
        if f"{key}-en" not in answers:
            continue
        en, es = answers.get(f"{key}-en", ""), answers.get(f"{key}-es", "")
        if answers.get(f"{key}-remove") or not (en.strip() or es.strip()):
            del items[i]
        elif isinstance(items[i], dict):
            words_into(items[i], en, es)
        else:
            items[i] = flow({"en": en.strip(), "es": es.strip()})
    new_en, new_es = answers.get("b-new-en", "").strip(), answers.get("b-new-es", "").strip()
    if new_en or new_es:
        items.append(flow({"en": new_en, "es": new_es}))
    if items and "bring" not in visit:
        place(visit, "bring", items, ("offices",))


def _offices(visit: Any, answers: Mapping[str, str]) -> None:
    rows_into(visit, "offices", answers, "o", ("name", "address", "hours_en", "hours_es", "appointments"),
              _office, block, ())


def _office(office: Any, answers: Mapping[str, str], key: str) -> None:
    """One office's inputs into its mapping; a name left empty is left out, for the lint to ask
    for it."""
    for part in ("name", "address", "appointments"):
        given = (answers.get(f"{key}-{part}") or "").strip()
        if given and part not in office:
            place(office, part, given, OFFICE_KEYS[OFFICE_KEYS.index(part) + 1:])
        else:
            put(office, part, given)
    en, es = answers.get(f"{key}-hours_en", ""), answers.get(f"{key}-hours_es", "")
    if (en.strip() or es.strip()) and "hours" not in office:
        place(office, "hours", flow({"en": en.strip(), "es": es.strip()}), ("appointments",))
    else:
        put_words(office, "hours", en, es)
