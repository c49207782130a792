"""Turn an uploaded spreadsheet into a header row and numbered data rows.

CSV comes from Chinese Excel as GBK (GB18030 is its superset, so we decode with that), from
other tools as UTF-8 with or without a byte-order mark; we try them in that order of
certainty. XLSX is read with openpyxl in read-only mode so a 10,000-row sheet does not build
a full object model. Row numbers are the ones the user sees in their spreadsheet (the
header is row 1), so every problem can be found again in the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DATA_ROWS = 100_000

_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls format


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


class FormulaCell:
    """A spreadsheet cell holding a formula: we refuse those rather than guess their value."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"FormulaCell({self.text!r})"


@dataclass
class Table:
    headers: list[str]
    # (row number as the user sees it, cell values); values are str for CSV and typed for XLSX.
    rows: list[tuple[int, list]] = field(default_factory=list)
    encoding: str = ""


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV or XLSX bytes. Raises ImportFileError for a file that cannot be read at all."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB. Split it into smaller files.")
            % {"size": len(data) / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if data.startswith(_OLE2_MAGIC):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported. Save the sheet as .xlsx or CSV.")
        )
    if data.startswith(_XLSX_MAGIC):
        table = _read_xlsx(data)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    else:
        table = _read_csv(data)
    _drop_trailing_empty_headers(table)
    if not any(h.strip() for h in table.headers):
        raise ImportFileError(_("The file has no header row."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(table.rows) > MAX_DATA_ROWS:
        raise ImportFileError(
            _("The file has %(n)d data rows; the limit is %(limit)d. Split it into smaller files.")
            % {"n": len(table.rows), "limit": MAX_DATA_ROWS}
        )
    return table


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes, returning (text, encoding name)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise ImportFileError(_("This is not a text (CSV) file. Upload a CSV or XLSX file."))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file is neither UTF-8 nor GBK/GB18030 text (unreadable bytes at position "
                "%(pos)d). Save it again as CSV (UTF-8) or as XLSX."
            )
            % {"pos": exc.start}
        ) from exc


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file claims to be %(enc)s but has unreadable bytes at position %(pos)d.")
            % {"enc": encoding.upper(), "pos": exc.start}
        ) from exc


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near row %(row)d: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc
    if not records:
        raise ImportFileError(_("The file is empty."))
    headers = [h.strip() for h in records[0]]
    rows = [
        (number, [_csv_cell(v) for v in record])
        for number, record in enumerate(records[1:], start=2)
        if any(v.strip() for v in record)
    ]
    return Table(headers=headers, rows=rows, encoding=encoding)


def _csv_cell(value: str):
    # A CSV has no formulas, but a cell starting with "=" is one the user meant as a formula
    # (or one a spreadsheet would run on re-export): treat it the same way as in XLSX.
    stripped = value.strip()
    return FormulaCell(stripped) if stripped.startswith("=") and len(stripped) > 1 else stripped


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": exc.__class__.__name__}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(min_row=1)
        headers: list[str] | None = None
        rows: list[tuple[int, list]] = []
        for index, cells in enumerate(rows_iter, start=1):
            values = [_xlsx_cell(cell) for cell in cells]
            if headers is None:
                if not any(v not in (None, "") for v in values):
                    continue  # blank lines above the header
                headers = ["" if v is None else str(v).strip() for v in values]
                continue
            if any(v not in (None, "") for v in values):
                rows.append((index, values))
                if len(rows) > MAX_DATA_ROWS:
                    break
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError(_("The workbook's first sheet is empty."))
    return Table(headers=headers, rows=rows, encoding="xlsx")


def _xlsx_cell(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=") and len(value) > 1
    ):
        return FormulaCell(str(value))
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _drop_trailing_empty_headers(table: Table) -> None:
    while table.headers and not table.headers[-1].strip():
        table.headers.pop()
