"""Turn an uploaded spreadsheet into a header row and numbered data rows.

CSV comes from Chinese Excel as GBK (GB18030 is its superset, so we decode with that), from
other tools as UTF-8 with or without a byte-order mark; we try them in that order of
certainty. XLSX is read with openpyxl in read-only mode so a 10,000-row sheet does not build
a full object model. Row numbers are the ones the user sees in their spreadsheet (the
header is row 1), so every problem can be found again in the file.

Bounds (the IMPORT_MAX_* settings). A small upload can unpack into gigabytes or declare a
sheet of 17 billion cells, so before openpyxl parses anything the archive's declared sizes
and compression ratio are checked and every XML part is scanned for a text longer than a
cell may hold; then the sheet's declared dimension is compared with the row and column limits,
before any cell is read. A sheet without a dimension is stopped by the same limits while its
rows are read. Such a file raises ImportFileTooLarge, which fails the job with its message.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings

from tracker.imports.messages import Text as _

MAX_FILE_BYTES = 20 * 1024 * 1024
# Parts smaller than this may compress any amount: they cannot hurt.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# The XML of one cell's text is at most this many bytes per character: the longest escape is
# a numeric character reference such as &#x10FFFF;.
XML_BYTES_PER_CHAR = 10
SCAN_CHUNK_BYTES = 1024 * 1024
# What zipfile and openpyxl raise for a damaged archive or XML part (an XML parse error is a
# SyntaxError, from ElementTree or lxml alike).
_BROKEN_ARCHIVE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
)

_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls format


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


class ImportFileTooLarge(Exception):
    """The file is beyond a bound (rows, columns, unpacked size, compression, cell length).
    Not an ImportFileError, which a dry run lists as a problem: this one fails the job."""


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
    """Read CSV or XLSX bytes. Raises ImportFileError for a file that cannot be read at all,
    ImportFileTooLarge for one beyond the bounds."""
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
    headers: list[str] | None = None
    rows: list[tuple[int, list]] = []
    # Record by record, blank ones dropped at once: the limits hold while reading, so even
    # 20 MB of empty lines never becomes millions of rows in memory.
    try:
        for number, record in enumerate(reader, start=1):
            _check_width(len(record))
            if record and max(map(len, record)) > settings.IMPORT_MAX_CELL_CHARS:
                raise _cell_too_long()
            if headers is None:
                headers = [h.strip() for h in record]
            elif any(v.strip() for v in record):
                if len(rows) == settings.IMPORT_MAX_ROWS:
                    raise _too_many_rows()
                rows.append((number, [_csv_cell(v) for v in record]))
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near row %(row)d: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    return Table(headers=headers, rows=rows, encoding=encoding)


def _csv_cell(value: str):
    # A CSV has no formulas, but a cell starting with "=" is one the user meant as a formula
    # (or one a spreadsheet would run on re-export): treat it the same way as in XLSX.
    stripped = value.strip()
    return FormulaCell(stripped) if stripped.startswith("=") and len(stripped) > 1 else stripped


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _check_archive(data)
    if _plain_sheets(data):
        table = _read_with_calamine(data)
        if table is not None:
            return table
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _BROKEN_ARCHIVE as exc:
        raise _unopenable(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        # The dimension the sheet declares (A1:P10001), read before any cell. openpyxl pads
        # the rows to it, so A1:XFD1048576 with one cell in that corner meant 17 billion
        # empty cells to go through.
        if (sheet.max_row or 0) > settings.IMPORT_MAX_ROWS + 1:
            raise _too_many_rows()
        _check_width(sheet.max_column or 0)
        # From here on, only the rows and cells the file really has, whatever it declared.
        sheet.reset_dimensions()
        return _read_sheet(sheet)
    except SyntaxError as exc:  # the sheet's XML is cut short or malformed
        raise _unopenable(exc) from exc
    finally:
        workbook.close()


def _read_sheet(sheet) -> Table:
    cell_limit = settings.IMPORT_MAX_CELL_CHARS
    return _table_of(
        [_xlsx_cell(cell, cell_limit) for cell in cells] for cells in sheet.iter_rows(min_row=1)
    )


# Where a worksheet's XML holds a formula, a cell reference, a cell, its declared dimension.
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL = re.compile(rb"<(?:\w+:)?c[ >/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')


def _plain_sheets(data: bytes) -> bool:
    """Whether python-calamine may read the workbook (several times faster than openpyxl): no
    worksheet holds a formula (calamine would give the cached value, and formulas are refused
    by name, which openpyxl does), and every cell is addressed within the row and column
    limits, as is the declared dimension — so calamine, which lays the sheet out in full,
    never allocates past them. Anything else is left to openpyxl and its checks."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    for part in archive.infolist():
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        xml = archive.read(part)
        if _FORMULA.search(xml):
            return False
        refs = _CELL_REF.findall(xml)
        if len(refs) != len(_CELL.findall(xml)):
            return False  # a cell without a reference: its place is not known here
        dimension = _DIMENSION.search(xml)
        if dimension:
            refs += re.findall(rb"([A-Z]{1,3})([0-9]{1,7})", dimension.group(1))
        for column, row in refs:
            if int(row) > settings.IMPORT_MAX_ROWS + 1:
                return False
            if _column_number(column) > settings.IMPORT_MAX_COLUMNS:
                return False
    return True


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _read_with_calamine(data: bytes) -> Table | None:
    """The table, or None when calamine cannot read the file: openpyxl then says why."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)  # from A1: row numbers as the user's
    except Exception:  # noqa: BLE001 - calamine's errors are its own classes
        return None
    cell_limit = settings.IMPORT_MAX_CELL_CHARS
    return _table_of([_calamine_cell(value, cell_limit) for value in row] for row in values)


def _calamine_cell(value, cell_limit: int):
    """A calamine value as openpyxl gives it: None for an empty cell, whole numbers as int,
    a date without a time as a date."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str):
        if len(value) > cell_limit:
            raise _cell_too_long()
        return value.strip()
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _table_of(sheet_rows) -> Table:
    """The header and the numbered data rows of a sheet's rows of cell values."""
    headers: list[str] | None = None
    rows: list[tuple[int, list]] = []
    for index, values in enumerate(sheet_rows, start=1):
        # A row or cell past the limits exists only when the file declared no dimension or
        # a false one: stop there, before the rest of the sheet is read.
        if index > settings.IMPORT_MAX_ROWS + 1:
            raise _too_many_rows()
        _check_width(len(values))
        if headers is None:
            if not any(v not in (None, "") for v in values):
                continue  # blank lines above the header
            headers = ["" if v is None else str(v).strip() for v in values]
            continue
        if any(v not in (None, "") for v in values):
            rows.append((index, values))
    if headers is None:
        raise ImportFileError(_("The workbook's first sheet is empty."))
    return Table(headers=headers, rows=rows, encoding="xlsx")


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb from the sizes the archive declares, then any XML part holding a text
    too long for a cell, before openpyxl parses a byte of it. zipfile never inflates a part
    past its declared size (one that lies fails its CRC check), so the declared sizes bound
    all the work that follows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except _BROKEN_ARCHIVE as exc:
        raise _unopenable(exc) from exc
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise ImportFileTooLarge(
            _(
                "The workbook unpacks to %(size)s MB; the limit is %(limit)s MB. Copy the sheet "
                "alone into a new workbook, or save it as CSV."
            )
            % {
                "size": f"{unpacked // 1024 // 1024:,}",
                "limit": f"{settings.IMPORT_MAX_UNPACKED_MB:,}",
            }
        )
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size > RATIO_CHECKED_FROM_BYTES and part.file_size > ratio * max(
            part.compress_size, 1
        ):
            raise ImportFileTooLarge(
                _(
                    "The workbook is compressed more than %(ratio)s to 1, which no real sheet "
                    "is; it was refused as a possible zip bomb."
                )
                % {"ratio": ratio}
            )
    longest = settings.IMPORT_MAX_CELL_CHARS * XML_BYTES_PER_CHAR
    try:
        for part in parts:
            if part.filename.endswith(".xml"):
                with archive.open(part) as stream:
                    if _has_run_longer_than(stream, longest):
                        raise _cell_too_long()
    except _BROKEN_ARCHIVE as exc:
        raise _unopenable(exc) from exc


def _has_run_longer_than(stream, limit: int) -> bool:
    """Whether the XML holds more than `limit` bytes in a row without a "<": a text (or a tag)
    that long. Chunk by chunk, with searches that run in C, so a real sheet costs about what
    inflating it costs."""
    longer_run = re.compile(rb"<[^<]{%d}" % (limit + 1))
    run = 0  # bytes since the last "<" of the chunks before
    while chunk := stream.read(SCAN_CHUNK_BYTES):
        first = chunk.find(b"<")
        if first < 0:
            run += len(chunk)
            if run > limit:
                return True
            continue
        if run + first > limit or longer_run.search(chunk, first):
            return True
        run = len(chunk) - chunk.rfind(b"<") - 1
    return False


def _check_width(columns: int) -> None:
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileTooLarge(
            _("The file has more than %(limit)s columns; the import needs only the template's.")
            % {"limit": f"{settings.IMPORT_MAX_COLUMNS:,}"}
        )


def _too_many_rows() -> ImportFileTooLarge:
    return ImportFileTooLarge(
        _("The file has more than %(limit)s data rows. Split it into smaller files.")
        % {"limit": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _cell_too_long() -> ImportFileTooLarge:
    return ImportFileTooLarge(
        _("The file holds a text of more than %(limit)s characters; no cell may be that long.")
        % {"limit": f"{settings.IMPORT_MAX_CELL_CHARS:,}"}
    )


def _unopenable(exc: Exception) -> ImportFileError:
    return ImportFileError(
        _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
        % {"error": exc.__class__.__name__}
    )


def _xlsx_cell(cell, cell_limit: int):
    value = getattr(cell, "value", None)
    if isinstance(value, str) and len(value) > cell_limit:
        raise _cell_too_long()
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
