"""The geometry of the statistics page's bar charts, worked out on the server so the charts are
plain SVG that needs no script and that a test can measure.

Everything here is plain data in, plain data out: lists of (label, value) or per-day counts
become positioned bars in the coordinates of an SVG ``viewBox``; the template only draws them.
Charts are drawn at a fixed width of user units and scaled by the browser, so the same numbers
serve a phone and a wide screen. Labels sit above horizontal bars (not beside them) because a
long form title beside a bar would leave no room for the bar on a narrow screen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH = 400.0
LABEL_CHARS = 46  # about what fits across the chart at its font size; the table has the rest


@dataclass(frozen=True)
class Series:
    """One part of a stacked bar: its key, its colour, and a pattern (solid, stripes, dots…) so
    that colour is never the only way to tell the parts apart."""

    key: str
    colour: str
    pattern: str


# Each colour has at least 4.5:1 against white, above the 3:1 graphics need, so bars stay
# visible to people who see contrast poorly; the patterns tell them apart without colour.
STATUS_SERIES: tuple[Series, ...] = (
    Series("new", "#005ea2", "solid"),
    Series("in_review", "#6b3fa0", "diagonal"),
    Series("needs_documents", "#b35900", "dots"),
    Series("ready", "#1a7f37", "crosshatch"),
    Series("rejected", "#b50909", "horizontal"),
)
BAR_COLOUR = "#005ea2"
@dataclass(frozen=True)
class Box:
    """The plotting area inside the chart, in user units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Bar:
    """One rectangle: where it is, which category (``label``) and series it belongs to, and the
    number it stands for."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    series: str = ""
    colour: str = BAR_COLOUR


@dataclass(frozen=True)
class Text:
    """A piece of text placed in the chart: a category label, a scale value or a bar's number."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    """A whole chart: its size (the ``viewBox``), the bars, and the text to print around them.

    ``ticks`` are the values of the scale (with ``grid`` the y of each line across the plot);
    ``labels`` name the categories; ``values`` print each bar's number beside it.
    """

    width: float
    height: float
    plot: Box
    bars: tuple[Bar, ...]
    labels: tuple[Text, ...] = ()
    ticks: tuple[Text, ...] = ()
    values: tuple[Text, ...] = ()
    total: int = 0
    scale: int = 1

    @property
    def empty(self) -> bool:
        """Nothing to draw: the page says so in a sentence instead of showing blank axes."""
        return self.total == 0

    @property
    def view_box(self) -> str:
        return f"0 0 {_n(self.width)} {_n(self.height)}"


def nice_scale(maximum: int, steps: int = 4) -> tuple[int, int]:
    """The top of the value scale and the step between its lines: whole numbers of 1, 2 or 5
    times a power of ten, so the scale reads 0, 5, 10, 15 rather than 0, 3.75, 7.5."""
    if maximum <= 0:
        return 1, 1
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    whole = max(1, math.ceil(step))
    return whole * math.ceil(maximum / whole), whole


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut to what fits in the chart, marked with an ellipsis when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def stacked_columns(groups: Sequence[tuple[str, Mapping[str, int]]], series: Sequence[Series], *,
                    width: float = WIDTH, height: float = 220.0, label_every: int = 7) -> Chart:
    """One column per group (a day), stacked from the bottom in the order of ``series``.

    Only every ``label_every``-th group is named under the axis, counted back from the last so
    the newest day always is: thirty dates side by side would not fit on a phone. Parts with no
    value get no rectangle, and negative counts are treated as none.
    """
    plot = Box(left=36.0, top=10.0, right=width - 24.0, bottom=height - 28.0)
    totals = [sum(max(0, int(counts.get(part.key, 0))) for part in series) for _label, counts in groups]
    scale, step = nice_scale(max(totals, default=0))
    slot = plot.width / len(groups) if groups else plot.width
    bar_width = slot * 0.7
    bars: list[Bar] = []
    labels: list[Text] = []
    for index, (label, counts) in enumerate(groups):
        x = plot.left + index * slot + (slot - bar_width) / 2
        y = plot.bottom
        for part in series:
            value = max(0, int(counts.get(part.key, 0)))
            if not value:
                continue
            size = value / scale * plot.height
            y -= size
            bars.append(Bar(_r(x), _r(y), _r(bar_width), _r(size), label, value, part.key, part.colour))
        if (len(groups) - 1 - index) % max(1, label_every) == 0:
            labels.append(Text(_r(x + bar_width / 2), plot.bottom + 20, label))
    ticks = tuple(Text(plot.left - 6, _r(plot.bottom - value / scale * plot.height), str(value))
                  for value in range(0, scale + 1, step))
    return Chart(width, height, plot, tuple(bars), tuple(labels), ticks, total=sum(totals), scale=scale)


def rows(data: Sequence[tuple[str, int]], *, width: float = WIDTH, row: float = 42.0,
         bar_height: float = 16.0) -> Chart:
    """One horizontal bar per (label, value), in the order given, each named on the line above.

    Bars are measured against the largest value, which spans the plot less a margin on the
    right for its number; a zero value keeps its row and its number, with a bar of no width.
    """
    plot = Box(left=1.0, top=4.0, right=width - 44.0, bottom=4.0 + row * len(data))
    values = [max(0, int(value)) for _label, value in data]
    scale = max(values, default=0) or 1
    bars: list[Bar] = []
    labels: list[Text] = []
    numbers: list[Text] = []
    for index, ((label, _value), value) in enumerate(zip(data, values, strict=True)):
        top = plot.top + index * row
        length = value / scale * plot.width
        bars.append(Bar(plot.left, _r(top + row - bar_height - 6), _r(length), bar_height, str(label), value))
        labels.append(Text(plot.left + 4, _r(top + 15), shorten(str(label))))
        numbers.append(Text(_r(plot.left + length + 6), _r(top + row - 9), str(value)))
    return Chart(width, plot.bottom + 4, plot, tuple(bars), tuple(labels), values=tuple(numbers),
                 total=sum(values), scale=scale)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _r(value: float) -> float:
    """Two decimals are plenty for a screen and keep the markup short."""
    return round(value, 2)


def _n(value: float) -> str:
    return f"{value:g}"
