"""Field types of service files, as marshmallow fields, and the schema built for one form.

Each type turns what a person typed into a clean value (an SSN into ``123-45-6789``, a
state name into ``IL``) or raises a ``Coded`` error: a stable problem code with its
parameters. Words for those codes live in :mod:`intake.messages`; nothing here is prose.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import Schema, ValidationError, fields

from intake.services import FieldSpec

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "AS": "American Samoa", "GU": "Guam",
    "MP": "Northern Mariana Islands", "PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}
_STATE_NAMES = {name.lower(): code for code, name in STATES.items()}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DIGITS = re.compile(r"\D")
_RELATIVE = re.compile(r"^today(?:([-+])(\d+)([dy]))?$")
_TOO_BIG = Decimal(10) ** 15
_DEFAULT_JOIN = {"ssn": "", "ein": "", "phone": "", "zip": "", "date": "/", "number": "", "money": ""}


class Coded(str):
    """A validation message that is really a problem code with parameters."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, **params: Any) -> Coded:
        obj = super().__new__(cls, code)
        obj.code = code
        obj.params = params
        return obj


def fail(code: str, **params: Any) -> ValidationError:
    return ValidationError(Coded(code, **params))


def resolve_date(bound: str, today: dt.date) -> dt.date:
    """``today``, ``today-18y``, ``today+30d`` or an ISO date, against the check's date."""
    match = _RELATIVE.match(bound)
    if not match:
        return dt.date.fromisoformat(bound)
    sign, amount, unit = match.groups()
    if not sign:
        return today
    n = int(amount) * (-1 if sign == "-" else 1)
    if unit == "d":
        return today + dt.timedelta(days=n)
    try:
        return today.replace(year=today.year + n)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year + n, day=28)


class _Typed(fields.Field):  # type: ignore[type-arg]
    """Shared constraints: length and pattern on the text, one_of on the clean value."""

    def __init__(self, spec: FieldSpec, today: dt.date, **kwargs: Any) -> None:
        super().__init__(allow_none=True, **kwargs)
        self.spec = spec
        self.today = today

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        text = value if isinstance(value, str) else str(value)
        spec = self.spec
        if spec.max_length is not None and len(text) > spec.max_length:
            raise fail("field.max_length", limit=spec.max_length, length=len(text))
        if spec.min_length is not None and len(text) < spec.min_length:
            raise fail("field.min_length", limit=spec.min_length, length=len(text))
        if spec.pattern and not re.fullmatch(spec.pattern, text):
            raise fail("field.format", variant="pattern")
        clean = self.parse(value)
        if spec.one_of and str(clean) not in spec.one_of:
            raise fail("field.choice", choices=spec.choices_text() if spec.choice_words else ", ".join(spec.one_of))
        return clean

    def parse(self, value: Any) -> Any:
        return value if isinstance(value, str) else str(value)


class Text(_Typed):
    pass


class Email(_Typed):
    def parse(self, value: Any) -> str:
        if not _EMAIL.match(str(value)):
            raise fail("field.format", variant="email")
        return str(value).lower()


class Phone(_Typed):
    def parse(self, value: Any) -> str:
        digits = _DIGITS.sub("", str(value).split("x")[0].split("ext")[0])
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10 or digits[0] in "01":
            raise fail("field.format", variant="phone")
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


class Zip(_Typed):
    def parse(self, value: Any) -> str:
        digits = _DIGITS.sub("", str(value))
        if len(digits) not in (5, 9) or not re.fullmatch(r"\d{5}(?:[- ]?\d{4})?", str(value).strip()):
            raise fail("field.format", variant="zip")
        return digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"


class SSN(_Typed):
    def parse(self, value: Any) -> str:
        digits = _DIGITS.sub("", str(value))
        if len(digits) != 9:
            raise fail("field.format", variant="ssn")
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
            raise fail("field.format", variant="ssn_issued")
        return f"{area}-{group}-{serial}"


class EIN(_Typed):
    def parse(self, value: Any) -> str:
        digits = _DIGITS.sub("", str(value))
        if len(digits) != 9 or digits[:2] in ("00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69",
                                              "70", "78", "79", "89", "96", "97"):
            raise fail("field.format", variant="ein")
        return f"{digits[:2]}-{digits[2:]}"


class State(_Typed):
    def parse(self, value: Any) -> str:
        text = str(value).strip().rstrip(".")
        if text.upper() in STATES:
            return text.upper()
        if text.lower() in _STATE_NAMES:
            return _STATE_NAMES[text.lower()]
        raise fail("field.format", variant="state")


class Number(_Typed):
    def parse(self, value: Any) -> Decimal:
        number = _decimal(value)
        if number is None:
            raise fail("field.format", variant=self.spec.type)
        if number.copy_abs() >= _TOO_BIG:  # no form asks for a quadrillion; copy_abs never overflows
            raise fail("field.range", variant="too_big")
        if self.spec.min is not None and number < Decimal(str(self.spec.min)):
            raise fail("field.range", variant="min", min=self.spec.min)
        if self.spec.max is not None and number > Decimal(str(self.spec.max)):
            raise fail("field.range", variant="max", max=self.spec.max)
        return number


class Money(Number):
    def parse(self, value: Any) -> Decimal:
        return super().parse(value).quantize(Decimal("0.01"))


class Date(_Typed):
    def parse(self, value: Any) -> dt.date:
        text = str(value).strip()
        for fmt in self.spec.formats:
            try:
                parsed = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise fail("field.format", variant="date", example=self.today.strftime(self.spec.formats[0]))
        latest = resolve_date(self.spec.not_after, self.today) if self.spec.not_after else None
        earliest = resolve_date(self.spec.not_before, self.today) if self.spec.not_before else None
        if latest and parsed > latest:
            raise fail("field.range", variant="latest", latest=latest.isoformat())
        if earliest and parsed < earliest:
            raise fail("field.range", variant="earliest", earliest=earliest.isoformat())
        return parsed


class Checkbox(_Typed):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> bool:
        return is_filled(value)


class Choice(_Typed):
    def parse(self, value: Any) -> str:
        return value if isinstance(value, str) else ", ".join(value) if isinstance(value, tuple) else str(value)


class Signature(_Typed):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> bool:
        return is_filled(value)


TYPES: dict[str, type[_Typed]] = {
    "text": Text, "number": Number, "money": Money, "date": Date, "checkbox": Checkbox, "choice": Choice,
    "email": Email, "phone": Phone, "ssn": SSN, "ein": EIN, "zip": Zip, "state": State, "signature": Signature,
}


def is_filled(value: Any) -> bool:
    return value not in (None, False, "", (), "Off")


def default_join(spec: FieldSpec) -> str:
    return spec.join if spec.join is not None else _DEFAULT_JOIN.get(spec.type, " ")


def form_schema(specs: Mapping[str, FieldSpec], today: dt.date) -> Schema:
    """A marshmallow schema for one form's values, built from its service file entry.

    Building one costs about as much as validating a whole form, and the same service file
    is checked again and again on the same day, so schemas are kept (the specs they were
    built from are kept with them, so an id is never reused while its entry lives).
    """
    key = (id(specs), today)
    with _SCHEMAS_LOCK:
        kept = _SCHEMAS.get(key)
        if kept is not None and kept[0] is specs:
            return kept[1]
    declared: dict[str, fields.Field[Any]] = {fid: TYPES[spec.type](spec, today) for fid, spec in specs.items()}
    schema = Schema.from_dict(declared, name="FormValues")(partial=True)
    with _SCHEMAS_LOCK:
        _SCHEMAS[key] = (specs, schema)
        while len(_SCHEMAS) > _MAX_SCHEMAS:
            del _SCHEMAS[next(iter(_SCHEMAS))]
    return schema


_SCHEMAS: dict[tuple[int, dt.date], tuple[Mapping[str, FieldSpec], Schema]] = {}
_SCHEMAS_LOCK = threading.Lock()
_MAX_SCHEMAS = 256


def _decimal(value: Any) -> Decimal | None:
    text = str(value).strip().replace(",", "").replace("$", "").replace(" ", "")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def mask(spec: FieldSpec, value: Any) -> Any:
    """What a report may show of a sensitive value: enough to recognise it, never the whole."""
    if value is None or not spec.sensitive:
        return value
    text = str(value)
    if spec.type == "ssn":
        return f"***-**-{text[-4:]}"
    if spec.type == "ein":
        return f"**-***{text[-4:]}"
    if isinstance(value, dt.date):
        return f"**/**/{value.year}"
    if len(text) <= 4:
        return "****"
    head, tail = text[:-4], text[-4:]
    return re.sub(r"[^\s/.-]", "*", head) + tail
