"""Bounded uploads: files built to exhaust the reader are refused before their cells are read,
with a message that names the bound, and the job ends failed instead of "checking" for ever.

The bomb files are built by hand (bombs.py), as an attacker would: a 1.5 KB workbook that
declares a sheet of A1:XFD1048576 (17 billion cells), a 1 MB one that unpacks to a 1 GB string.
The work is bounded by counting what openpyxl is asked to do, and memory with tracemalloc;
no test times anything.
"""

import io
import secrets
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from companies.models import AnnualData, Company
from tests.imports.bombs import (
    FAR_CELL,
    HEADER_AND_ROW,
    MB,
    dimension_bomb,
    part,
    sheet,
    string_bomb,
    workbook,
)
from tests.imports.conftest import csv_bytes, xlsx_bytes
from tracker.imports.readers import ImportFileError, ImportFileTooLarge, read_table
from tracker.imports.services import import_job_create
from tracker.imports.tasks import import_check_task
from tracker.models import ImportJob, ImportStatus


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows openpyxl produced from any sheet: the work a bound has to cap. The real
    reader runs; this only counts what it yields."""
    produced = []
    real = ReadOnlyWorksheet._cells_by_row

    def counted(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            produced.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    return produced


def _refusal(data: bytes, name: str = "bomb.xlsx") -> str:
    with pytest.raises(ImportFileTooLarge) as refused:
        read_table(data, name)
    return str(refused.value)


def _refusal_and_peak_memory(data: bytes) -> tuple[str, int]:
    tracemalloc.start()
    try:
        return _refusal(data), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- the reader ------------------------------------------------------------------------


def test_the_handmade_workbook_is_a_real_one_that_reads():
    """So the refusals below are about the bounds, not a broken file."""
    table = read_table(workbook(sheet(HEADER_AND_ROW, "A1:A2")), "ok.xlsx")
    assert table.headers == ["统一社会信用代码"]
    assert table.rows == [(2, [1])]


def test_a_declared_dimension_of_17_billion_cells_is_refused_before_any_cell_is_read(rows_read):
    data = dimension_bomb()
    assert len(data) < 2048  # the 1.6 KB file of the report
    assert (
        _refusal(data) == "The file has more than 100,000 data rows. Split it into smaller files."
    )
    assert rows_read == []


def test_a_declared_dimension_too_wide_is_refused_before_any_cell_is_read(rows_read):
    data = workbook(sheet(HEADER_AND_ROW, "A1:BA2"))  # 53 columns
    assert "more than 50 columns" in _refusal(data)
    assert rows_read == []


@pytest.mark.parametrize("dimension", [None, "A1:A2"], ids=["undeclared", "false"])
def test_a_far_row_the_sheet_does_not_declare_stops_the_reading_at_the_limit(
    settings, rows_read, dimension
):
    settings.IMPORT_MAX_ROWS = 1000
    data = workbook(sheet(HEADER_AND_ROW + FAR_CELL, dimension))
    assert "more than 1,000 data rows" in _refusal(data)
    # Not a million rows of padding, nor 16,384 cells a row: the limit, and nothing wider.
    assert len(rows_read) == 1002
    assert max(rows_read) == 1


@pytest.mark.parametrize("dimension", [None, "A1:A2"], ids=["undeclared", "false"])
def test_a_far_column_the_sheet_does_not_declare_stops_the_reading_at_that_row(
    rows_read, dimension
):
    far = '<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>'
    data = workbook(sheet(HEADER_AND_ROW.split('<row r="2">')[0] + far, dimension))
    assert "more than 50 columns" in _refusal(data)
    assert len(rows_read) == 2


def test_a_real_sheet_over_the_row_limit_is_refused_from_its_dimension(settings, rows_read):
    settings.IMPORT_MAX_ROWS = 5
    header = ["统一社会信用代码", "年度"]
    assert read_table(xlsx_bytes([header] + [["x", 2019]] * 5), "ok.xlsx").rows
    rows_read.clear()
    refusal = _refusal(xlsx_bytes([header] + [["x", 2019]] * 6))
    assert refusal == "The file has more than 5 data rows. Split it into smaller files."
    assert rows_read == []


def test_a_real_sheet_over_the_column_limit_is_refused_from_its_dimension(rows_read):
    wide = [f"列{i}" for i in range(51)]
    assert "more than 50 columns" in _refusal(xlsx_bytes([wide, wide]))
    assert rows_read == []


def test_a_1_mb_workbook_holding_a_1_gb_string_is_refused_from_its_declared_size():
    data = string_bomb(1024)
    assert len(data) < 1.1 * MB
    refusal, peak = _refusal_and_peak_memory(data)
    assert refusal == (
        "The workbook unpacks to 1,024 MB; the limit is 256 MB. Copy the sheet alone into a "
        "new workbook, or save it as CSV."
    )
    assert peak < 8 * MB  # nothing was inflated


def test_a_workbook_within_the_size_limit_but_compressed_like_a_bomb_is_refused():
    data = string_bomb(100)
    assert len(data) < 200 * 1024
    refusal, peak = _refusal_and_peak_memory(data)
    assert "compressed more than 100 to 1" in refusal and "zip bomb" in refusal
    assert peak < 8 * MB


def test_a_text_longer_than_any_cell_is_refused_before_the_xml_is_parsed(rows_read):
    text = secrets.token_hex(200_000)  # 400,000 characters that do not compress
    data = workbook(
        sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>', "A1")
    )
    refusal, peak = _refusal_and_peak_memory(data)
    assert refusal == (
        "The file holds a text of more than 32,767 characters; no cell may be that long."
    )
    assert rows_read == []
    assert peak < 8 * MB  # the scan holds a chunk at a time, never the text


def test_a_cell_over_the_excel_limit_is_refused_as_it_is_read():
    long_cell = "数" * 32_768
    data = workbook(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>'
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>{long_cell}</t></is></c></row>',
            "A1:A2",
        )
    )
    assert "more than 32,767 characters" in _refusal(data)


def test_a_cell_at_the_excel_limit_is_read():
    table = read_table(xlsx_bytes([["企业名称"], ["数" * 32_767]]), "ok.xlsx")
    assert len(table.rows[0][1][0]) == 32_767


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([["a"] * 51, ["1"] * 51], "more than 50 columns"),
        ([["a"], ["x" * 32_768]], "more than 32,767 characters"),
    ],
    ids=["columns", "cell"],
)
def test_csv_has_the_same_bounds(rows, words):
    assert words in _refusal(csv_bytes(rows), "x.csv")


def test_csv_blank_lines_are_not_kept_while_reading(settings):
    """20 MB of empty lines would otherwise be millions of rows in memory before the limit."""
    settings.IMPORT_MAX_ROWS = 2
    table = read_table(b"a\n" + b"\n" * 100_000 + b"1\n2\n", "x.csv")
    assert table.rows == [(100_002, ["1"]), (100_003, ["2"])]


def test_a_damaged_part_is_still_a_file_that_cannot_be_opened():
    name, deflated, crc, size = part("xl/worksheets/sheet1.xml", sheet(HEADER_AND_ROW))
    broken = workbook(sheet(HEADER_AND_ROW)).replace(deflated, b"\x00" * len(deflated))
    with pytest.raises(ImportFileError) as excinfo:
        read_table(broken, "broken.xlsx")
    assert "cannot be opened" in str(excinfo.value)


# --- the job ---------------------------------------------------------------------------

BOMBS = {
    "dimension": (
        lambda: dimension_bomb(),
        "The file has more than 100,000 data rows. Split it into smaller files.",
        "文件超过 100,000 行数据上限。请拆分为较小的文件。",
    ),
    "string": (
        lambda: string_bomb(1024),
        "The workbook unpacks to 1,024 MB; the limit is 256 MB.",
        "该工作簿解压后为 1,024 MB，上限为 256 MB。",
    ),
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_bomb_fails_its_job_with_the_reason_and_imports_nothing(world, bomb):
    build, message, _ = BOMBS[bomb]
    companies, annual = Company.objects.count(), AnnualData.objects.count()
    job = import_job_create(
        kind="annual_data",
        upload=SimpleUploadedFile("bomb.xlsx", build()),
        user=world["users"]["city"],
    )
    import_check_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert message in job.message
    assert job.finished_at is not None
    assert (Company.objects.count(), AnnualData.objects.count()) == (companies, annual)


def test_a_sheet_cut_short_is_a_file_that_cannot_be_opened(world):
    data = workbook(sheet(HEADER_AND_ROW, "A1:A2")[:-40])
    with pytest.raises(ImportFileError) as excinfo:
        read_table(data, "cut.xlsx")
    assert "cannot be opened (ParseError)" in str(excinfo.value)


def test_an_unforeseen_error_fails_the_job_instead_of_leaving_it_checking(world):
    job = import_job_create(
        kind="annual_data",
        upload=SimpleUploadedFile("data.csv", csv_bytes([["统一社会信用代码"], ["x"]])),
        user=world["users"]["city"],
    )
    # A kind no code knows (left by a removed import kind, say): the check cannot even start.
    ImportJob.objects.filter(pk=job.pk).update(kind="retired")
    with pytest.raises(KeyError):  # re-raised, so the worker logs it
        import_check_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message == "The check failed unexpectedly; see the server log."


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("bomb", BOMBS)
def test_the_uploader_sees_the_reason_in_their_language(
    client, world, django_capture_on_commit_callbacks, bomb, language
):
    build, english, chinese = BOMBS[bomb]
    client.force_login(world["users"]["city"])
    with translation.override(language):
        start = reverse("imports:start")
    # Without a worker the check runs in the upload's request, in the uploader's language.
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            start, {"kind": "annual_data", "file": SimpleUploadedFile("bomb.xlsx", build())}
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (english if language == "en" else chinese) in page
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert not AnnualData.objects.exists()


def test_a_bomb_is_never_a_zip_the_standard_library_rejects():
    """The handmade archives are well formed: zipfile lists them and checks their CRCs."""
    archive = zipfile.ZipFile(io.BytesIO(workbook(sheet(HEADER_AND_ROW, "A1:A2"))))
    assert archive.testzip() is None
    bomb = zipfile.ZipFile(io.BytesIO(string_bomb(2)))
    assert bomb.testzip() is None
    assert bomb.getinfo("xl/sharedStrings.xml").file_size > 2 * MB


def test_with_the_broker_down_the_check_runs_in_the_request_and_still_fails_the_job(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(import_check_task, "delay", broker_down)
    client.force_login(world["users"]["city"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:start"),
            {"kind": "annual_data", "file": SimpleUploadedFile("bomb.xlsx", dimension_bomb())},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "more than 100,000 data rows" in job.message
