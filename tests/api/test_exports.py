"""`?format=csv|xlsx` on list endpoints: the whole filtered set, escaped, logged."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.exports import escape_cell
from core.models import ExportLog
from tests.factories import AnnualDataFactory, CompanyFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)"]


@pytest.fixture
def dangerous(world, yongkang):
    return [CompanyFactory(name=name, region=yongkang) for name in DANGEROUS]


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_escapes_formulas_honours_filters_and_is_logged(api, world, dangerous):
    region_id = world["own"].region_id
    response = api("city").get(
        "/api/v1/companies/", {"format": "csv", "region": region_id, "page_size": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    # Every row of the filter, not one page; the other region's company is not there.
    assert sorted(row["name"] for row in rows) == sorted(
        ["永康自有企业", *("'" + name for name in DANGEROUS)]
    )
    log = ExportLog.objects.get()
    assert log.user.username == "t-city"
    assert log.resource == "company"
    assert log.format == "csv"
    assert log.filters == {"region": str(region_id)}
    assert log.row_count == 5


def test_xlsx_export_writes_text_not_formulas(api, world, dangerous):
    response = api("city").get("/api/v1/companies/", {"format": "xlsx", "search": "+1"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    name_col = header.index("name")
    values = [row[name_col] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["'+1+2"]
    cells = [row[name_col] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert ExportLog.objects.get().format == "xlsx"


def test_exports_are_scoped_like_the_list(api, world, dangerous):
    rows = read_csv(api("company").get("/api/v1/companies/", {"format": "csv"}))
    assert [row["name"] for row in rows] == ["永康自有企业"]
    rows = read_csv(api("county").get("/api/v1/companies/", {"format": "csv"}))
    assert "义乌他方企业" not in {row["name"] for row in rows}


def test_annual_data_export_keeps_negative_profit_as_a_number(api, world):
    AnnualDataFactory(company=world["own"], total_profit=-150)
    response = api("city").get("/api/v1/annual-data/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[header.index("total_profit")] == -150


def test_anonymous_export_is_refused_and_not_logged(api, world):
    response = api(None).get("/api/v1/companies/", {"format": "csv"})
    assert response.status_code == 401
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 579", "'+86 579"),
        ("-cmd", "'-cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("-150.00", "-150.00"),
        ("金华", "金华"),
        (None, ""),
        (True, 1),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected
