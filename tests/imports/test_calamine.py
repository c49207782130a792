"""A workbook without formulas is read by python-calamine (several times faster than
openpyxl), and reads exactly as openpyxl reads it; one with a formula is left to openpyxl,
which names the formula cell."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tracker.imports import readers
from tracker.imports.readers import FormulaCell, read_table


def xlsx(rows, *, start_row=1) -> bytes:
    book = Workbook()
    sheet = book.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=start_row + offset, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROWS = [
    [" 统一社会信用代码 ", "年度", "主营业务收入(万元)", "日期", "是否"],
    ["91330784MA2ABCDE1X", 2019, 1234.5, datetime.date(2019, 6, 30), True],
    [None, None, None, None, None],
    ["  91330784MA2ABCDE2X ", 2020.0, Decimal("0.1"), datetime.datetime(2020, 1, 2), "否"],
    ["91330784MA2ABCDE3X", 2021, 7, None, False],
]


def test_a_plain_workbook_reads_the_same_with_calamine_as_with_openpyxl(monkeypatch):
    data = xlsx(ROWS, start_row=3)  # blank lines above the header
    assert readers._plain_sheets(data)
    fast = read_table(data, "plain.xlsx")
    monkeypatch.setattr(readers, "_plain_sheets", lambda data: False)
    slow = read_table(data, "plain.xlsx")
    assert fast.headers == slow.headers
    assert fast.rows == slow.rows
    assert [number for number, _cells in fast.rows] == [4, 6, 7]


@pytest.mark.parametrize("formula", ["=1+1", "=SUM(A1:A2)"])
def test_a_workbook_with_a_formula_is_read_by_openpyxl(formula):
    data = xlsx([["统一社会信用代码", "年度"], ["91330784MA2ABCDE1X", formula]])
    assert not readers._plain_sheets(data)
    table = read_table(data, "formula.xlsx")
    assert isinstance(table.rows[0][1][1], FormulaCell)
