"""The downloadable template workbook of each import kind: the header row the importer
expects, one example row, and a sheet that explains every column."""

from __future__ import annotations

import io

from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from companies.models.annual import MAX_YEAR, MIN_YEAR
from tracker.imports.columns import COLUMNS, key_headers

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


def template_workbook(kind: str) -> bytes:
    """An XLSX file with the headers of `kind` in the active language."""
    language = get_language() or "zh-hans"
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")[:31]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([column.header(language) for column in columns])
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) * 2)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Columns")[:31])
    notes.append([_("Column"), _("Also accepted"), _("Required"), _("Format"), _("Values")])
    for cell in notes[1]:
        cell.font = bold
    for column in columns:
        values = "、".join(f"{zh} / {en}" for zh, en in column.choice_labels.values())
        notes.append(
            [
                column.header(language),
                ", ".join([column.zh, column.en, *column.aliases]),
                _("yes") if column.required else "",
                str(column.note or _TYPE_NOTES[column.kind]),
                values,
            ]
        )
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
