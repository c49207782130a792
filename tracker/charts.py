"""Charts drawn on the server as SVG, so pages need no script and no asset from another host.

Two drawings serve every chart on the site, both with horizontal bars (long Chinese labels
stay readable on a phone): `bar_chart` draws one bar per series in each row (negative values
extend left of the zero line), `stacked_bar_chart` one bar per row split into segments.
Each chart carries a <title> and a <desc> listing every value, and is followed by the same
figures as a text table (folded under "view as a table", with the unit in its caption), so a
screen reader or a reader who wants the exact numbers gets them, not a picture. Colours are
SVG attributes: the site's CSP forbids inline styles.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ("#1f4e8c", "#d08a1e", "#3b8d5a", "#9b3d8c", "#5b6470", "#b3261e")
GRADE_COLOURS = {"A": "#1b6e3c", "B": "#1f4e8c", "C": "#c98a12", "D": "#b3261e"}

WIDTH = 600
FONT_SIZE = 13
VALUE_WIDTH = 70
ROW_GAP = 10
BAR_HEIGHT = 18
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


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Rough rendered width: CJK characters are one em wide, Latin about 0.58 em."""
    return sum(
        size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.58 for ch in text
    )


def _label_width(categories: Sequence[str]) -> float:
    widest = max((text_width(str(c)) for c in categories), default=0)
    return min(max(widest + 12, 60), WIDTH * 0.45)


def _coloured(series: Sequence[Series]) -> list[Series]:
    return [
        Series(s.name, list(s.values), s.colour or PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]


def _legend(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    items = "".join(
        f'<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
        f'<rect width="10" height="10" rx="2" fill="{s.colour}"/></svg>{escape(s.name)}</li>'
        for s in series
    )
    return f'<ul class="chart-legend">{items}</ul>'


def _data_table(
    title: str, categories: Sequence[str], series: Sequence[Series], places: int, unit_label: str
) -> str:
    """The chart's figures as an accessible table: one row per category, one column per
    series, the unit named in the caption."""
    caption = escape(title)
    if unit_label:
        caption += (
            f' <span class="muted">({escape(_("unit: %(unit)s") % {"unit": unit_label})})</span>'
        )
    head = "".join(f'<th scope="col" class="num">{escape(s.name)}</th>' for s in series)
    body = "".join(
        f'<tr><th scope="row">{escape(category)}</th>'
        + "".join(
            f'<td class="num">{_fmt(s.values[row] if row < len(s.values) else None, places)}</td>'
            for s in series
        )
        + "</tr>"
        for row, category in enumerate(categories)
    )
    return (
        f'<details class="chart-data"><summary>{escape(_("View the figures as a table"))}</summary>'
        f'<div class="table-wrap"><table class="data compact"><caption>{caption}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )


def _svg(chart_id: str, title: str, desc_lines: list[str], height: float, parts: list[str]):
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'font-size="{FONT_SIZE}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(" / ".join(desc_lines))}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    places: int = 0,
    unit: str = "",
    unit_label: str = "",
) -> SafeString:
    """A horizontal (grouped) bar chart as an inline <svg> element.

    `categories` label the rows; each series gives one value per category (None: no value,
    drawn as a dash). With one series the legend is left out. `unit` follows each value on
    the drawing ("%"); `unit_label` names the unit in the table's caption ("亿元").
    """
    chart_id = _next_id()
    series = _coloured(series)
    numbers = [float(v) for s in series for v in s.values if v is not None]
    high, low = max([0.0, *numbers]), min([0.0, *numbers])
    span = (high - low) or 1.0
    plot_left = _label_width(categories)
    plot_width = WIDTH - plot_left - VALUE_WIDTH - (VALUE_WIDTH if low < 0 else 0)
    if low < 0:
        plot_left += VALUE_WIDTH  # room for the values of bars that run left
    zero_x = plot_left + plot_width * (-low / span)
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP * 2 + row_height * max(len(categories), 1)

    parts, desc_lines = [], []
    for row, category in enumerate(categories):
        y0 = TOP + row * row_height
        label_y = y0 + (BAR_HEIGHT * len(series)) / 2 + FONT_SIZE * 0.35
        label_x = (plot_left - VALUE_WIDTH if low < 0 else plot_left) - 8
        parts.append(
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="end">{escape(category)}</text>'
        )
        values_text = []
        for index, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else None
            shown = f"{_fmt(value, places)}{unit}"
            values_text.append(f"{s.name}: {shown}" if len(series) > 1 else shown)
            if value is None:
                continue
            y = y0 + index * BAR_HEIGHT
            x_end = plot_left + plot_width * ((float(value) - low) / span)
            x = min(zero_x, x_end)
            width = max(abs(x_end - zero_x), 1 if value else 0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="{width:.1f}" height="{BAR_HEIGHT - 3}" '
                f'fill="{s.colour}"><title>{escape(f"{category} · {s.name}: {shown}")}</title></rect>'
            )
            negative = float(value) < 0
            value_x = x_end - 4 if negative else x_end + 4
            parts.append(
                f'<text x="{value_x:.1f}" y="{y + BAR_HEIGHT - 5:.1f}" '
                f'text-anchor="{"end" if negative else "start"}" font-size="{FONT_SIZE - 1}">'
                f"{escape(shown)}</text>"
            )
        desc_lines.append(f"{category}: {'; '.join(values_text)}")
    parts.append(
        f'<line class="axis" x1="{zero_x:.1f}" y1="{TOP / 2}" x2="{zero_x:.1f}" '
        f'y2="{height - TOP / 2:.1f}"/>'
    )
    svg = _svg(chart_id, title, desc_lines, height, parts)
    table = _data_table(title, categories, series, places, unit_label or unit)
    return mark_safe(svg + _legend(series) + table)  # noqa: S308 - every text above is escaped


def stacked_bar_chart(
    *, title: str, categories: Sequence[str], series: Sequence[Series], unit_label: str = ""
) -> SafeString:
    """One horizontal bar per category, split into one segment per series (counts), with the
    row's total at its end."""
    chart_id = _next_id()
    series = _coloured(series)
    totals = [sum(float(s.values[row] or 0) for s in series) for row in range(len(categories))]
    high = max([0.0, *totals]) or 1.0
    plot_left = _label_width(categories)
    plot_width = WIDTH - plot_left - VALUE_WIDTH
    row_height = BAR_HEIGHT + ROW_GAP
    height = TOP * 2 + row_height * max(len(categories), 1)
    parts, desc_lines = [], []
    for row, category in enumerate(categories):
        y = TOP + row * row_height
        parts.append(
            f'<text x="{plot_left - 8:.1f}" y="{y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35:.1f}" '
            f'text-anchor="end">{escape(category)}</text>'
        )
        x = plot_left
        pieces = []
        for s in series:
            value = float(s.values[row] or 0)
            pieces.append(f"{s.name} {value:,.0f}")
            if value <= 0:
                continue
            width = plot_width * value / high
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                f'fill="{s.colour}"><title>{escape(f"{category} · {s.name}: {value:,.0f}")}'
                f"</title></rect>"
            )
            if width >= text_width(f"{value:,.0f}", FONT_SIZE - 2) + 4:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + BAR_HEIGHT - 6:.1f}" '
                    f'text-anchor="middle" font-size="{FONT_SIZE - 2}" fill="#fff">'
                    f"{value:,.0f}</text>"
                )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 5:.1f}" font-size="{FONT_SIZE - 1}">'
            f"{totals[row]:,.0f}</text>"
        )
        desc_lines.append(f"{category}: {', '.join(pieces)}")
    svg = _svg(chart_id, title, desc_lines, height, parts)
    table = _data_table(title, categories, series, 0, unit_label)
    return mark_safe(svg + _legend(series) + table)  # noqa: S308 - every text above is escaped


def meter(*, fraction: float, mark: float | None = None, label: str = "") -> SafeString:
    """A small horizontal gauge: `fraction` (0..1) filled, an optional tick at `mark` (0..1)."""
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
