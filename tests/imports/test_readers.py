"""Reading CSV in every encoding Chinese offices produce, and XLSX."""

import codecs
import datetime

import pytest

from tests.imports.conftest import csv_bytes, xlsx_bytes
from tracker.imports import readers
from tracker.imports.readers import FormulaCell, ImportFileError, ImportFileTooLarge, read_table

ROWS = [["统一社会信用代码", "企业名称"], ["91330700MA28ABCD1X", "浙江永康五金有限公司"]]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (csv_bytes(ROWS, "utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + csv_bytes(ROWS, "utf-8"), "utf-8-sig"),
        (csv_bytes(ROWS, "gbk"), "gb18030"),
        (csv_bytes(ROWS, "gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_csv_encodings_are_detected_and_chinese_survives(data, encoding):
    table = read_table(data, "data.csv")
    assert table.encoding == encoding
    assert table.headers == ROWS[0]
    assert table.rows == [(2, ROWS[1])]


def test_xlsx_keeps_types_and_spreadsheet_row_numbers():
    data = xlsx_bytes(
        [
            ["年度", "成立日期", "用地面积"],
            [2019, datetime.datetime(2005, 6, 1), 12.5],
            [None, None, None],
            [2020, "2006-01-02", "7"],
        ]
    )
    table = read_table(data, "data.xlsx")
    assert table.headers == ["年度", "成立日期", "用地面积"]
    assert table.rows == [
        (2, [2019, datetime.date(2005, 6, 1), 12.5]),
        (4, [2020, "2006-01-02", "7"]),
    ]


def test_xlsx_formula_cells_are_flagged():
    table = read_table(xlsx_bytes([["a", "b"], [1, "=A2*2"]]), "f.xlsx")
    formula = table.rows[0][1][1]
    assert isinstance(formula, FormulaCell)
    assert formula.text == "=A2*2"


def test_csv_cell_starting_with_equals_is_a_formula():
    table = read_table(csv_bytes([["a"], ["=1+1"]]), "f.csv")
    assert isinstance(table.rows[0][1][0], FormulaCell)


def test_blank_csv_rows_are_skipped_but_numbering_is_kept():
    table = read_table(b"a,b\n1,2\n,\n3,4\n", "x.csv")
    assert table.rows == [(2, ["1", "2"]), (4, ["3", "4"])]


def test_semicolon_free_tab_separated_text_is_read():
    table = read_table(b"a\tb\n1\t2\n", "x.txt")
    assert table.headers == ["a", "b"]


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "x.csv", "empty"),
        (b"a,b\n", "x.csv", "no data rows"),
        (b"\xd0\xcf\x11\xe0rest-of-an-old-xls", "x.xls", ".xls"),
        (b"not a zip at all", "x.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04broken zip", "x.xlsx", "cannot be opened"),
        (b"a,b\n\x81\x30\xff\xff,1\n", "x.csv", "neither UTF-8 nor GBK"),
        (b"a,b\n\x00\x01,2\n", "x.csv", "not a text"),
    ],
    ids=["empty", "header-only", "xls", "fake-xlsx", "broken-xlsx", "bad-bytes", "binary"],
)
def test_unreadable_files_say_why(data, name, words):
    with pytest.raises(ImportFileError) as excinfo:
        read_table(data, name)
    assert words in str(excinfo.value)


def test_oversized_file_is_refused_with_the_limit():
    data = b"a\n" + b"1\n" * (readers.MAX_FILE_BYTES // 2 + 1)
    with pytest.raises(ImportFileError) as excinfo:
        read_table(data, "big.csv")
    assert "20 MB" in str(excinfo.value)


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert read_table(b"a\n1\n2\n3\n", "x.csv").rows[-1] == (4, ["3"])
    with pytest.raises(ImportFileTooLarge) as excinfo:
        read_table(b"a\n1\n2\n3\n4\n", "x.csv")
    assert "more than 3 data rows" in str(excinfo.value)
