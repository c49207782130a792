"""The one export module: rows of any list to CSV or XLSX, with the export logged.

Pages and the API both call `export_rows`. A spreadsheet runs a cell that starts with
``= + - @`` (or a tab / carriage return) as a formula, so every such text cell is written with a
leading single quote; plain numbers such as ``-150.00`` are numbers, not formulas, and are kept.
Each export writes one `tracker.models.ExportLog` row (who, what, format, filters, row count).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
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

Column = str | tuple[str, str]


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


def _normalise_columns(columns: Sequence[Column]) -> list[tuple[str, str]]:
    return [(c, c) if isinstance(c, str) else (c[0], str(c[1])) for c in columns]


def _cells(row, keys: list[str]) -> list:
    if isinstance(row, Mapping):
        return [escape_cell(row.get(key)) for key in keys]
    return [escape_cell(value) for value in row]


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


def write_xlsx(headers: list[str], body: Iterable[list], title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "export")
    sheet.append([escape_cell(h) for h in headers])
    count = 0
    for cells in body:
        sheet.append([_numeric(c) for c in cells])
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
) -> HttpResponse:
    """Write `rows` as a CSV or XLSX download and log the export.

    `columns` are keys of the row mappings, or (key, header) pairs; rows may also be plain
    sequences in column order. `filters` (the query that chose the rows) is stored in the log.
    The caller passes rows it is allowed to show: this function does no scoping.
    """
    if fmt not in FORMATS:
        raise ValueError(_("Unknown export format %(fmt)s.") % {"fmt": fmt})
    pairs = _normalise_columns(columns)
    keys = [key for key, _header in pairs]
    headers = [header for _key, header in pairs]
    body = (_cells(row, keys) for row in rows)
    if fmt == CSV:
        content, count = write_csv(headers, body)
    else:
        content, count = write_xlsx(headers, body, resource)
    ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        resource=resource[:60],
        format=fmt,
        filters=dict(filters or {}),
        row_count=count,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(user=user, resource=resource, fmt=fmt)
    )
    response["X-Export-Rows"] = str(count)
    return response
