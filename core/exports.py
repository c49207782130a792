"""The one export module: rows of any list to CSV or XLSX, with the export logged.

Pages and the API both call `export_rows`. A spreadsheet runs a cell that starts with
``= + - @`` (or a tab / carriage return) as a formula, so every such text cell is written with a
leading single quote; plain numbers such as ``-150.00`` are numbers, not formulas, and are kept.
Each export writes one `tracker.models.ExportLog` row (who, what, format, filters, row count).

The pages describe their columns with `ExportColumn`, so a spreadsheet reads as its users
expect: headers in their language, yes/no as 是/否 (Yes/No), choice labels rather than codes,
credit codes and phone numbers kept as text (a number would lose leading zeros and show
9.13E+17), the header row frozen and the columns sized. The API's exports name their columns by
field (machine-readable keys); they get the same frozen, sized sheet.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core.models import ExportLog
from core.scoping import scope_region_name

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The most rows one export writes; the response says when it stopped there.
MAX_EXPORT_ROWS = 100_000

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# How an ExportColumn shows its value.
TEXT = "text"  # text as it is
CODE = "code"  # an identifier that looks like a number (credit code, phone): always text
NUMBER = "number"  # an amount or count: a number cell
BOOL = "bool"  # yes / no in the reader's language (是/否)
DATE = "date"  # ISO date, 2024-06-30
DATETIME = "datetime"  # local time to the minute, 2024-06-30 14:05
CHOICE = "choice"  # a stored code shown by its label (`labels`)
NAME = "name"  # a bilingual name: `<key>_zh`, or `<key>_en` in English when there is one
_RAW = "raw"  # the API's columns: the value as the serializer gave it

# Column widths (characters) by kind; text columns fit their header.
_WIDTHS = {CODE: 22, NUMBER: 14, BOOL: 8, DATE: 12, DATETIME: 17, CHOICE: 14, NAME: 16}
_MIN_TEXT_WIDTH, _MAX_WIDTH = 12, 48


@dataclass(frozen=True)
class ExportColumn:
    """One column of a page's export: the `values()` key it reads (or, for NAME, the
    stem of `<key>_zh` / `<key>_en`), its header (translated when the file is written), how
    the value is shown (`kind`), the labels of a CHOICE column, and an optional width."""

    key: str
    header: Any
    kind: str = TEXT
    labels: Mapping | None = None
    width: int | None = None

    def value_keys(self) -> list[str]:
        if self.kind == NAME:
            return [f"{self.key}_zh", f"{self.key}_en"]
        return [self.key]

    def cell(self, row: Mapping):
        """The value written for `row` (a mapping of `value_keys()`), before escaping."""
        if self.kind == NAME:
            english = (get_language() or "").startswith("en")
            return (english and row.get(f"{self.key}_en")) or row.get(f"{self.key}_zh") or ""
        value = row.get(self.key)
        if value is None or value == "":
            return None
        if self.kind == BOOL:
            return gettext_now("Yes") if value else gettext_now("No")
        if self.kind == CHOICE:
            return str((self.labels or {}).get(value, value))
        if self.kind in (CODE, TEXT):
            return str(value)
        if self.kind == DATETIME:
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return value

    def column_width(self) -> int:
        if self.width:
            return self.width
        header = _display_width(str(self.header)) + 2
        if self.kind == TEXT:
            return min(max(_MIN_TEXT_WIDTH, header, 24), _MAX_WIDTH)
        return min(max(_WIDTHS.get(self.kind, _MIN_TEXT_WIDTH), header), _MAX_WIDTH)


def _display_width(text: str) -> int:
    """Characters as a spreadsheet sizes them: a CJK character takes two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


Column = str | tuple[str, str] | ExportColumn


def escape_cell(value):
    """The value a spreadsheet may hold safely: text that would start a formula gets a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _typed(columns: Sequence[Column]) -> list[ExportColumn]:
    """Plain keys and (key, header) pairs (the API's) as ExportColumns that keep the value
    as it is: booleans as 1/0, numeric text as numbers, as the API's clients read them."""
    typed = []
    for column in columns:
        if isinstance(column, ExportColumn):
            typed.append(column)
        elif isinstance(column, str):
            typed.append(ExportColumn(column, column, kind=_RAW))
        else:
            typed.append(ExportColumn(column[0], column[1], kind=_RAW))
    return typed


def _cells(row, columns: list[ExportColumn]) -> list:
    if not isinstance(row, Mapping):
        return [escape_cell(value) for value in row]
    return [
        escape_cell(row.get(column.key) if column.kind == _RAW else column.cell(row))
        for column in columns
    ]


def _numeric(value):
    """XLSX only: numbers that arrive as text (DRF renders decimals as strings) become numbers."""
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return decimal.Decimal(value)
    return value


def write_csv(headers: list[str], body: Iterable[list]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    # A byte-order mark so Excel on Chinese Windows opens UTF-8 as UTF-8, not GBK.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(h) for h in headers])
    count = 0
    for cells in body:
        writer.writerow(cells)
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", str(title))[:31] or "export"


def write_xlsx(
    headers: list[str],
    body: Iterable[list],
    title: str,
    *,
    columns: Sequence[ExportColumn] | None = None,
) -> tuple[bytes, int]:
    """One sheet named `title`: a bold, frozen header row, sized columns, then `body`.
    Cells of CODE columns are text cells (format @); numeric text becomes a number in NUMBER
    columns and in the API's (untyped) columns only."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = list(columns or [ExportColumn(h, h, kind=_RAW) for h in headers])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.column_width()
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=escape_cell(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    # Numeric text becomes a number only in number columns (and the API's, typed by value).
    modes = [
        "text" if column.kind == CODE else "number" if column.kind in (NUMBER, _RAW) else "keep"
        for column in columns
    ]
    count = 0
    for cells in body:
        row = []
        for value, mode in zip(cells, modes, strict=False):
            if mode == "text" and value != "":
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.number_format = "@"
                row.append(cell)
            else:
                row.append(_numeric(value) if mode == "number" else value)
        sheet.append(row)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_filename(*, user, resource: str, fmt: str) -> str:
    """`companies-永康市-20261206-2130.xlsx` for county staff (their rows are their region's),
    `companies-20261206-2130.xlsx` for city-wide roles."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    region = scope_region_name(user)
    return "-".join(part for part in (resource, region, stamp) if part) + f".{fmt}"


def export_rows(
    *,
    user,
    resource: str,
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[Mapping | Sequence],
    filters: Mapping | None = None,
    title: str | None = None,
) -> HttpResponse:
    """Write `rows` as a CSV or XLSX download and log the export.

    `columns` are ExportColumns (the pages'), keys of the row mappings or (key, header) pairs
    (the API's); rows may also be plain sequences in column order. `title` names the sheet
    (the page's title, in the reader's language; `resource` when not given). `filters` (the
    query that chose the rows) is stored in the log. The caller passes rows it is allowed to
    show: this function does no scoping.
    """
    if fmt not in FORMATS:
        raise ValueError(_("Unknown export format %(fmt)s.") % {"fmt": fmt})
    content, count = export_content(fmt=fmt, columns=columns, rows=rows, title=title or resource)
    log_export(user=user, resource=resource, fmt=fmt, filters=filters, count=count)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(user=user, resource=resource, fmt=fmt)
    )
    response["X-Export-Rows"] = str(count)
    return response


def export_content(
    *, fmt: str, columns: Sequence[Column], rows: Iterable[Mapping | Sequence], title: str
) -> tuple[bytes, int]:
    """The file `export_rows` sends, as bytes, and its row count: for a caller that puts
    it in a package of its own (the notice package of a published run) and logs it there."""
    typed = _typed(columns)
    headers = [str(column.header) for column in typed]
    body = (_cells(row, typed) for row in rows)
    if fmt == CSV:
        return write_csv(headers, body)
    return write_xlsx(headers, body, str(title), columns=typed)


def log_export(*, user, resource: str, fmt: str, filters: Mapping | None, count: int) -> None:
    """One ExportLog row: who exported what, in which format, with which filter."""
    ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        resource=resource[:60],
        format=fmt[:10],
        filters=dict(filters or {}),
        row_count=count,
    )


def value_keys(columns: Sequence[ExportColumn]) -> list[str]:
    """The `values()` keys that `columns` read, each once."""
    return list(dict.fromkeys(key for column in columns for key in column.value_keys()))
