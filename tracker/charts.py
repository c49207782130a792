"""Charts drawn on the server as SVG, so pages need no script and no asset from another host.

One drawing serves every chart on the site: horizontal bars, one row per category and one bar
per series in the row. Horizontal bars keep long Chinese labels readable on a phone, and
negative values (a fall in unskilled workers) extend to the left of the zero line.
Each chart carries a <title> and a <desc> listing every value, so screen readers read the
numbers, not a picture.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f4e8c", "#d08a1e", "#3b8d5a", "#9b3d8c", "#5b6470", "#b3261e")
GRADE_COLOURS = {"A": "#1b6e3c", "B": "#1f4e8c", "C": "#c98a12", "D": "#b3261e"}

WIDTH = 640
LABEL_WIDTH = 170
VALUE_WIDTH = 80
ROW_GAP = 10
BAR_HEIGHT = 16
TOP = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | Decimal | None]
    colour: str = ""


def _fmt(value, places: int) -> str:
    if value is None:
        return "–"
    return f"{float(value):,.{places}f}"


def _next_id() -> str:
    # Unique per chart so two charts on one page never share a <title> id.
    return f"chart-{uuid.uuid4().hex[:10]}"


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    places: int = 0,
    unit: str = "",
) -> SafeString:
    """A horizontal (grouped) bar chart as an inline <svg> element.

    `categories` label the rows; each series gives one value per category (None: no value,
    drawn as a dash). With one series the legend is left out.
    """
    chart_id = _next_id()
    series = [
        Series(s.name, list(s.values), s.colour or PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]
    numbers = [float(v) for s in series for v in s.values if v is not None]
    high = max([0.0, *numbers])
    low = min([0.0, *numbers])
    span = (high - low) or 1.0
    plot_left = LABEL_WIDTH
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    zero_x = plot_left + plot_width * (-low / span)
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP * 2 + row_height * max(len(categories), 1)

    parts = []
    desc_lines = []
    for row, category in enumerate(categories):
        y0 = TOP + row * row_height
        label_y = y0 + (BAR_HEIGHT * len(series)) / 2 + 4
        parts.append(
            f'<text x="{plot_left - 8}" y="{label_y:.1f}" text-anchor="end">{escape(category)}</text>'
        )
        values_text = []
        for index, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else None
            y = y0 + index * BAR_HEIGHT
            values_text.append(
                f"{s.name}: {_fmt(value, places)}{unit}" if len(series) > 1 else _fmt(value, places)
            )
            if value is None:
                continue
            x_end = plot_left + plot_width * ((float(value) - low) / span)
            x = min(zero_x, x_end)
            width = max(abs(x_end - zero_x), 1 if value else 0)
            tooltip = f"{category} · {s.name}: {_fmt(value, places)}{unit}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                f'fill="{s.colour}"><title>{escape(tooltip)}</title></rect>'
            )
            anchor_x = (x_end + 4) if float(value) >= 0 else (x_end - 4)
            anchor = "start" if float(value) >= 0 else "end"
            parts.append(
                f'<text x="{anchor_x:.1f}" y="{y + BAR_HEIGHT - 4:.1f}" text-anchor="{anchor}" '
                f'font-size="11">{_fmt(value, places)}{escape(unit)}</text>'
            )
        desc_lines.append(f"{category}: {'; '.join(values_text)}")
    parts.append(
        f'<line class="axis" x1="{zero_x:.1f}" y1="{TOP / 2}" x2="{zero_x:.1f}" '
        f'y2="{height - TOP / 2}"/>'
    )
    legend = ""
    if len(series) > 1:
        legend = (
            '<ul class="chart-legend">'
            + "".join(
                # An SVG swatch: the site's CSP forbids inline style attributes.
                f'<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
                f'<rect width="10" height="10" rx="2" fill="{s.colour}"/></svg>'
                f"{escape(s.name)}</li>"
                for s in series
            )
            + "</ul>"
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(" / ".join(desc_lines))}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return mark_safe(svg + legend)  # noqa: S308 - every text above is escaped


def meter(*, fraction: float, mark: float | None = None, label: str = "") -> SafeString:
    """A small horizontal gauge: `fraction` (0..1) filled, an optional tick at `mark` (0..1).
    Drawn as SVG because the site's CSP forbids inline style attributes."""
    filled = max(0.0, min(float(fraction), 1.0)) * 100
    tick = ""
    if mark is not None:
        x = max(0.0, min(float(mark), 1.0)) * 100
        tick = f'<rect x="{max(x - 0.6, 0):.1f}" y="0" width="1.2" height="10" fill="#1d2430"/>'
    return mark_safe(  # noqa: S308 - only numbers and an escaped label
        f'<svg class="meter" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}"><rect width="100" height="10" rx="2" fill="#e6e9ef"/>'
        f'<rect width="{filled:.1f}" height="10" rx="2" fill="#1f4e8c"/>{tick}</svg>'
    )
