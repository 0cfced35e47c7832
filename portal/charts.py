"""Charts drawn on the server as SVG, with the same figures as a table.

Reports for board staff (the assurance report, the reach and impact report) show figures as
a chart for the eye and as a table for screen-reader users, both built from one list of
rows here, so they can never disagree. The SVG:

- is markup in the page (no script, no image request), `role="img"` with a `<title>` and
  `<desc>` that say what it shows;
- prints in greyscale: each series has a pattern as well as a colour (solid, vertical bars,
  dots, horizontal bars), shown in the legend too, and every figure is written as text;
- meets WCAG 2.2 non-text contrast: every fill is at least 3:1 against the white
  background, and neighbouring segments are kept apart by a white gap, so no two colours
  ever have to be told apart by contrast alone;
- uses presentation attributes (`fill=`, `font-size=`) and classes styled in static CSS,
  never `style=` (the CSP refuses inline styles);
- escapes every label: agency and review names are typed by staff.

Nothing here knows about reviews or learning: callers pass labels and numbers.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One series of a stacked chart: what it counts, and how it is drawn.
PATTERNS = ("solid", "hatch", "dots", "stripes", "cross")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str  # at least 3:1 against white (and white text on it at least 4.5:1)
    pattern: str = "solid"  # one of PATTERNS


@dataclass(frozen=True)
class Row:
    """One bar (or one column): its label and a value per series, in the series' order."""

    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class ChartTable:
    """The chart's figures as a table: caption, column headings, one row per bar, totals."""

    caption: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # label, values, row total
    totals: tuple[int, ...] | None = None
    grand_total: int = 0
    show_row_totals: bool = field(default=True)

    @property
    def cells(self) -> list[tuple[str, tuple[str, ...], str]]:
        """The rows with their figures written out ("1,234"): templates print strings as
        they are, where each number would go through Django's localisation (a fifth of the
        assurance page's time at 200 reviews)."""
        return [
            (label, tuple(_number(value) for value in values), _number(total))
            for label, values, total in self.rows
        ]

    @property
    def total_cells(self) -> tuple[tuple[str, ...], str] | None:
        if self.totals is None:
            return None
        return tuple(_number(value) for value in self.totals), _number(self.grand_total)


# WCAG-checked colours (contrast against white): blue 6.5:1, red 5.9:1, amber 5.0:1,
# green 6.2:1. Brighter "traffic light" shades (amber #f47738 is 2.7:1) fail 1.4.11.
BRAG_SERIES = (
    Series("blue", "Blue: complete", "#1d5fa8", "solid"),
    Series("red", "Red: overdue", "#c0281b", "hatch"),
    Series("amber", "Amber: due within 28 days", "#b45309", "dots"),
    Series("green", "Green: on track", "#00703c", "stripes"),
)
COLUMN_COLOUR = "#1d5fa8"

LABEL_WIDTH = 210
BAR_HEIGHT = 26
BAR_GAP = 10
CHART_WIDTH = 720
FONT_SIZE = 13
MAX_LABEL_CHARACTERS = 30


def _shorten(text: str, limit: int = MAX_LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: int) -> str:
    return f"{value:,}"


def _marks(pattern: str, x: float, y: float, width: float, height: float) -> str:
    """The pattern's marks over a filled box: drawn shapes, not an SVG <pattern>, so that
    browsers and WeasyPrint draw them alike (WeasyPrint's tiled patterns showed seams).
    Marks are darker than the fill, so white text over them keeps its contrast."""
    shapes = []
    if pattern == "hatch":  # vertical bars
        position = x + 3
        while position < x + width - 1:
            shapes.append(f"M{position:.1f} {y:g}v{height:g}")
            position += 6
        if shapes:
            return (
                f'<path d="{"".join(shapes)}" stroke="#000" stroke-opacity="0.45" '
                f'stroke-width="2"/>'
            )
    elif pattern == "stripes":  # horizontal bars
        position = y + 3
        while position < y + height - 1:
            shapes.append(f"M{x:.1f} {position:g}h{width:.1f}")
            position += 6
        if shapes:
            return (
                f'<path d="{"".join(shapes)}" stroke="#000" stroke-opacity="0.45" '
                f'stroke-width="2"/>'
            )
    elif pattern == "dots":  # small squares, as one path: thousands of <circle>s were slow
        row = y + 3
        while row < y + height - 3:
            column = x + 3
            while column < x + width - 3:
                shapes.append(f"M{column:.1f} {row:g}h3v3h-3z")
                column += 7
            row += 7
        if shapes:
            return f'<path d="{"".join(shapes)}" fill="#000" fill-opacity="0.5"/>'
    elif pattern == "cross":
        return _marks("hatch", x, y, width, height) + _marks("stripes", x, y, width, height)
    return ""


def _box(one: Series, x: float, y: float, width: float, height: float, **attributes) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return (
        f'<rect x="{x:.1f}" y="{y:g}" width="{width:.1f}" height="{height:g}" '
        f'fill="{escape(one.colour)}"{extra}/>' + _marks(one.pattern, x, y, width, height)
    )


def swatch(one: Series, *, size: int = 16) -> SafeString:
    """A series' colour and pattern as a small SVG, for legends in HTML (summaries, tables)."""
    return mark_safe(  # noqa: S308 - colours and sizes are ours, not typed by anyone
        f'<svg class="chart-swatch" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" '
        f'focusable="false" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        + _box(one, 0.5, 0.5, size - 1, size - 1, stroke="#1b1b1b", stroke_width="1")
        + "</svg>"
    )


def _svg_open(*, prefix: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-size="{FONT_SIZE}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    rows: Sequence[Row],
) -> SafeString:
    """Horizontal bars, one per row, each split into its series; counts written in the
    segments wide enough to hold them and the total after each bar. Bars share one scale
    (the largest total), so lengths compare across rows."""
    prefix = escape(chart_id)
    legend_height = 30
    top = legend_height + 8
    # Many bars are drawn thinner, so 30 agencies still fit one A4 page when printed.
    bar, gap = (BAR_HEIGHT, BAR_GAP) if len(rows) <= 12 else (20, 5)
    height = top + max(1, len(rows)) * (bar + gap) + 6
    plot_width = CHART_WIDTH - LABEL_WIDTH - 60
    largest = max((row.total for row in rows), default=0)
    parts = [
        _svg_open(
            prefix=prefix, width=CHART_WIDTH, height=height, title=title, description=description
        ),
        _legend(series),
    ]
    if not rows or largest == 0:
        parts.append(
            f'<text x="0" y="{top + bar - 8}" class="chart__empty" fill="#1b1b1b">'
            "Nothing to show for these filters.</text>"
        )
    for position, row in enumerate(rows):
        y = top + position * (bar + gap)
        parts.append(f'<g class="chart__bar"><title>{escape(_row_title(row, series))}</title>')
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + bar / 2 + 4.5:g}" text-anchor="end" '
            f'fill="#1b1b1b">{escape(_shorten(row.label))}</text>'
        )
        x = float(LABEL_WIDTH)
        for index, value in enumerate(row.values):
            if value <= 0 or largest == 0:
                continue
            width = plot_width * value / largest
            # A white gap between neighbours: each segment borders white, never another colour.
            drawn = max(width - 2, 1)
            parts.append(_box(series[index], x, y, drawn, bar))
            label = _number(value)
            if drawn >= 9 * len(label) + 8:
                parts.append(
                    f'<text x="{x + drawn / 2:.1f}" y="{y + bar / 2 + 4.5:g}" '
                    f'text-anchor="middle" fill="#fff" font-weight="bold" '
                    f'class="chart__value">{label}</text>'
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar / 2 + 4.5:g}" fill="#1b1b1b" '
            f'class="chart__total">{_number(row.total)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def _row_title(row: Row, series: Sequence[Series]) -> str:
    counts = ", ".join(
        f"{one.label} {_number(value)}" for one, value in zip(series, row.values, strict=False)
    )
    return f"{row.label}: {counts}"


def _legend(series: Sequence[Series]) -> str:
    parts = ['<g class="chart__legend">']
    x = 0.0
    for one in series:
        parts.append(
            _box(one, x, 4, 18, 18, stroke="#1b1b1b", stroke_width="1")
            + f'<text x="{x + 24:.1f}" y="18" fill="#1b1b1b">{escape(one.label)}</text>'
        )
        x += 24 + 7.2 * len(one.label) + 18
    parts.append("</g>")
    return "".join(parts)


def nice_step(largest: int, *, lines: int = 4) -> int:
    """A round gridline step (1, 2, 5, 10, 20, 50...) giving about `lines` gridlines."""
    if largest <= lines:
        return 1
    raw = largest / lines
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Row],
    colour: str = COLUMN_COLOUR,
) -> SafeString:
    """Vertical columns over time (one value per point, such as discussions per month), with
    the value above each column, gridlines, and the labels under the axis."""
    prefix = escape(chart_id)
    left, top, bottom = 44, 20, 54
    plot_height = 200
    height = top + plot_height + bottom
    count = max(1, len(points))
    slot = max(18.0, (CHART_WIDTH - left - 10) / count)
    width = int(left + slot * count + 10)
    values = [point.values[0] if point.values else 0 for point in points]
    largest = max(values, default=0)
    step = nice_step(largest)
    ceiling = max(step, math.ceil(largest / step) * step) if largest else step
    parts = [
        _svg_open(prefix=prefix, width=width, height=height, title=title, description=description)
    ]
    for tick in range(0, ceiling + 1, step):
        y = top + plot_height - plot_height * tick / ceiling
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="#1b1b1b" font-size="11">{_number(tick)}</text>'
        )
    show_every = max(1, math.ceil(count / 24))  # at most 24 axis labels, whatever the span
    for index, (point, value) in enumerate(zip(points, values, strict=True)):
        x = left + index * slot
        column = plot_height * value / ceiling if ceiling else 0
        parts.append(f"<g><title>{escape(point.label)}: {_number(value)}</title>")
        if value:
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{top + plot_height - column:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{column:.1f}" fill="{escape(colour)}"/>'
                f'<text x="{x + slot / 2:.1f}" y="{top + plot_height - column - 4:.1f}" '
                f'text-anchor="middle" fill="#1b1b1b" font-size="11">{_number(value)}</text>'
            )
        if index % show_every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{top + plot_height + 16}" text-anchor="end" '
                f'fill="#1b1b1b" font-size="11" '
                f'transform="rotate(-40 {x + slot / 2:.1f} {top + plot_height + 16})">'
                f"{escape(_shorten(point.label, 12))}</text>"
            )
        parts.append("</g>")
    parts.append(
        f'<line x1="{left}" x2="{width - 10}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" stroke="#1b1b1b" stroke-width="1.5"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def chart_table(
    *,
    caption: str,
    row_heading: str,
    series: Sequence[Series] | Sequence[str],
    rows: Sequence[Row],
    totals: bool = True,
) -> ChartTable:
    """The chart's figures as a table (templates/portal/_chart_table.html renders it)."""
    columns = tuple(one.label if isinstance(one, Series) else one for one in series)
    table_rows = tuple((row.label, row.values, row.total) for row in rows)
    summed = None
    if totals and rows:
        summed = tuple(sum(row.values[i] for row in rows) for i in range(len(columns)))
    return ChartTable(
        caption=caption,
        row_heading=row_heading,
        columns=columns,
        rows=table_rows,
        totals=summed,
        grand_total=sum(row.total for row in rows),
        show_row_totals=len(columns) > 1,
    )
