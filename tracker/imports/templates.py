"""The downloadable template workbook of each import kind, in the user's language:

- the data sheet (first, the one the importer reads): the header row the importer expects,
  required columns shaded, frozen and sized; credit codes and phone numbers formatted as
  text (a number would drop leading zeros and show 9.13E+17); a dropdown on every coded
  column (region, industry, key industry, batch, kind, level, yes/no) whose values the
  importer accepts — a typed code is still allowed, with a warning;
- an example sheet: the same header with one filled-in row (the data sheet stays empty, so
  a template uploaded as it is imports nothing);
- a notes sheet: per column, the names also accepted, whether it is required, its format,
  its values and the example; then how rows are matched and how empty cells are read;
- a hidden sheet holding the dropdowns' lists.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from companies.models import DemonstrationBatch, Industry, KeyIndustry, Region
from companies.models.annual import MAX_YEAR, MIN_YEAR
from companies.validators import credit_code_check_char
from tracker.imports.columns import COLUMNS, Column, key_headers

_TYPE_NOTES = {
    "text": gettext_lazy("text"),
    "credit_code": gettext_lazy("18 characters, GB 32100-2015"),
    "int": gettext_lazy("whole number, not negative"),
    "year": format_lazy(gettext_lazy("year, {min}–{max}"), min=MIN_YEAR, max=MAX_YEAR),
    "decimal": gettext_lazy("number, up to 2 decimal places"),
    "date": gettext_lazy("date, 2019-06-30"),
    "bool": gettext_lazy("是/否 (yes/no)"),
    "choice": gettext_lazy("one of the listed values"),
    "region": gettext_lazy("region code or name"),
    "industry": gettext_lazy("GB/T 4754 division code or name"),
    "key_industry": gettext_lazy("key subdivision industry code or name"),
    "batch": gettext_lazy("batch number"),
}

# Rows of the data sheet that carry the dropdowns.
TEMPLATE_ROWS = 5000
# Columns read as text whatever they hold (identifiers that look like numbers).
TEXT_FIELDS = frozenset({"credit_code", "contact_phone"})

_EXAMPLE_TEXT = {
    "name": (
        gettext_lazy("Jinhua Example Smart Manufacturing Co., Ltd."),
        gettext_lazy("Smart workshop for precision parts"),
    ),
    "address": (gettext_lazy("No. 1 Example Road, Yongkang"), None),
    "contact_person": (gettext_lazy("Zhang San"), None),
    "contact_phone": ("0579-87654321", None),
}
_EXAMPLE_CODE_BODY = "91330784MA2E00001"  # 17 characters; the 18th is its check character


def _is_english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def _bilingual(record) -> str:
    """A reference record's name in the user's language, as the importer reads it."""
    return (record.name_en if _is_english() and record.name_en else record.name_zh) or ""


def choice_list(column: Column) -> list[str]:
    """The values a coded column's dropdown offers (each accepted by the importer), or []."""
    english = _is_english()
    if column.kind == "bool":
        return [_("Yes"), _("No")] if english else ["是", "否"]
    if column.kind == "choice":
        return [en if english else zh for zh, en in column.choice_labels.values()]
    if column.kind == "region":
        return [_bilingual(region) for region in Region.objects.order_by("sort_order", "code")]
    if column.kind == "industry":
        return [_bilingual(industry) for industry in Industry.objects.order_by("code")]
    if column.kind == "key_industry":
        return [_bilingual(k) for k in KeyIndustry.objects.filter(active=True).order_by("code")]
    if column.kind == "batch":
        numbers = DemonstrationBatch.objects.order_by("number").values_list("number", flat=True)
        return [str(number) for number in numbers]
    return []


# The example row's dates; its pilot year is that of its designation date (Company.clean).
_EXAMPLE_DATE = datetime.date(2024, 6, 30)
_EXAMPLE_INVESTMENT_SPLIT = {
    "equipment_investment": Decimal("1000.00"),
    "construction_investment": Decimal("234.56"),
}


def example_value(column: Column, kind: str, lists: dict[str, list[str]]):
    """One plausible value of `column` for the example row (importable as it stands)."""
    if column.field == "pilot_year":
        return _EXAMPLE_DATE.year
    if column.field in _EXAMPLE_INVESTMENT_SPLIT:  # the parts add up to the planned 1234.56
        return _EXAMPLE_INVESTMENT_SPLIT[column.field]
    if column.field in _EXAMPLE_TEXT:
        company_text, project_text = _EXAMPLE_TEXT[column.field]
        text = project_text if kind == "projects" and project_text else company_text
        return str(text)
    values = lists.get(column.field)
    if values:
        return values[0]
    return {
        "credit_code": _EXAMPLE_CODE_BODY + credit_code_check_char(_EXAMPLE_CODE_BODY),
        "int": 12,
        "year": min(max(datetime.date.today().year - 1, MIN_YEAR), MAX_YEAR),
        "decimal": Decimal("1234.56"),
        "date": _EXAMPLE_DATE,
    }.get(column.kind, "")


def template_workbook(kind: str) -> bytes:
    """An XLSX file with the headers of `kind` in the active language (see the module)."""
    language = get_language() or "zh-hans"
    columns = COLUMNS[kind]
    workbook = Workbook()
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    headers = [column.header(language) for column in columns]

    sheet = workbook.active
    sheet.title = _("Data")[:31]
    example = workbook.create_sheet(_("Example")[:31])
    notes = workbook.create_sheet(_("Columns")[:31])
    lists_sheet = workbook.create_sheet("lists")
    lists_sheet.sheet_state = "hidden"

    for target in (sheet, example):
        target.append(headers)
        for cell, column in zip(target[1], columns, strict=True):
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            target.column_dimensions[cell.column_letter].width = max(14, len(cell.value) * 2 + 2)
        target.freeze_panes = "A2"

    lists = {column.field: choice_list(column) for column in columns}
    examples = [example_value(column, kind, lists) for column in columns]
    example.append(examples)
    for cell, column in zip(example[2], columns, strict=True):
        if column.kind == "date":
            cell.number_format = "yyyy-mm-dd"
        if column.field in TEXT_FIELDS:
            cell.number_format = "@"

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        # Column styles, not cells: the sheet stays empty, so rows typed in start at row 2.
        if column.field in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        values = lists[column.field]
        if not values:
            continue
        for row, value in enumerate(values, start=1):
            lists_sheet.cell(row=row, column=index, value=value)
        source = f"{quote_sheetname(lists_sheet.title)}!${letter}$1:${letter}${len(values)}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            # A code typed instead of a name is accepted too: warn, do not refuse.
            errorStyle="warning",
            errorTitle=column.header(language),
            error=_("Choose a value from the list (a code is accepted too)."),
        )
        validation.add(cells)
        sheet.add_data_validation(validation)

    notes.append(
        [_("Column"), _("Also accepted"), _("Required"), _("Format"), _("Values"), _("Example")]
    )
    for cell in notes[1]:
        cell.font = bold
    for column, value in zip(columns, examples, strict=True):
        labels = "、".join(f"{zh} / {en}" for zh, en in column.choice_labels.values())
        notes.append(
            [
                column.header(language),
                ", ".join([column.zh, column.en, *column.aliases]),
                _("yes") if column.required else "",
                str(column.note or _TYPE_NOTES[column.kind]),
                labels or ("是/否, Yes/No" if column.kind == "bool" else ""),
                value.isoformat() if isinstance(value, datetime.date) else str(value),
            ]
        )
    for letter, width in zip("ABCDEF", (22, 40, 8, 36, 48, 30), strict=True):
        notes.column_dimensions[letter].width = width
    notes.append([])
    notes.append(
        [
            _("Rows are matched to existing records by: %(keys)s. Matching rows update them.")
            % {"keys": " + ".join(key_headers(kind, language))}
        ]
    )
    notes.append(
        [
            _(
                "An empty cell leaves the stored value as it is (a new record takes the "
                "default). To empty a field, write a single - in its cell. A column left out "
                "leaves its field unchanged."
            )
        ]
    )
    notes.append(
        [
            _(
                "Fill in the first sheet; the example sheet shows one complete row. Columns "
                "with a dropdown take one of its values (a code is accepted too)."
            )
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
