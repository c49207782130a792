"""Issue 13 items 1 and 5: every table exports exactly its filtered rows, as a spreadsheet user
expects — sheet and headers in the user's language, 是/否, codes and phones as text, a frozen
and sized header row, and the company's grade, score and ranks of the year."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ExportLog
from rankings.models import CompanyScore, DirtyYear, IndustryLeague, RegionLeague
from rankings.services import rankings_publish
from tests.web.helpers import english

pytestmark = pytest.mark.django_db

YEAR = 2019


def xlsx(response):
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def table(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def city(client, populated):
    client.force_login(populated["users"]["city"])
    own = populated["own"]
    own.contact_phone = "05798765432"
    own.above_size = True
    own.save()
    return client


def test_company_xlsx_reads_as_a_chinese_spreadsheet_user_expects(city, populated, yongkang):
    sheet = xlsx(city.get(reverse("companies:list"), {"region": yongkang.pk, "export": "xlsx"}))
    assert sheet.title == "企业"
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[letter].width for letter in "ABCDEF")
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["统一社会信用代码", "名称"]
    assert all(cell.font.b for cell in sheet[1])
    rows = {row["统一社会信用代码"]: row for row in table(sheet)}
    own = populated["own"]
    row = rows[own.credit_code]
    assert row["规上企业"] == "是" and row["试点企业"] == "否"
    assert row["联系电话"] == "05798765432"  # the leading zero kept
    code_col = header.index("联系电话")
    # The own company's phone cell (rows are in pinyin order: find its row by its code).
    cell = next(
        line[code_col] for line in sheet.iter_rows(min_row=2) if line[0].value == own.credit_code
    )
    assert cell.data_type == "s" and cell.number_format == "@"
    # The year's grade, score and ranks, as the ranking has them.
    score = CompanyScore.objects.get(company=own, run__year=YEAR, run__kind="provisional")
    assert row[f"{YEAR}年评价结果"] == score.grade
    assert row[f"{YEAR}年得分"] == float(score.total)
    assert (row[f"{YEAR}年全市排名"], row[f"{YEAR}年行政区排名"], row[f"{YEAR}年行业排名"]) == (
        score.city_rank,
        score.region_rank,
        score.industry_rank,
    )
    # Exactly the filtered rows.
    assert populated["other"].credit_code not in rows
    assert len(rows) == populated["own"].region.companies.count()


def test_company_export_in_english_and_with_the_grade_filter(city, populated):
    grade = CompanyScore.objects.get(company=populated["own"], run__year=YEAR).grade
    response = city.get(english(reverse("companies:list")), {"grade": grade, "export": "xlsx"})
    sheet = xlsx(response)
    assert sheet.title == "Companies"
    rows = table(sheet)
    assert rows and {row[f"{YEAR} grade"] for row in rows} == {grade}
    assert {row["above designated size"] for row in rows} <= {"Yes", "No"}
    expected = CompanyScore.objects.filter(run__year=YEAR, run__kind="provisional", grade=grade)
    assert len(rows) == expected.count()
    assert ExportLog.objects.get().filters == {
        "grade": grade,
        "export": "xlsx",
    } or ExportLog.objects.get().filters == {"grade": grade}


def test_company_csv_writes_the_same_rows_and_words(city, populated):
    rows = csv_rows(city.get(reverse("companies:list"), {"export": "csv", "sort": "-score"}))
    assert rows[0]["统一社会信用代码"]
    assert {row["参评"] for row in rows} <= {"是", "否"}
    scores = [float(row[f"{YEAR}年得分"]) for row in rows if row[f"{YEAR}年得分"]]
    assert scores == sorted(scores, reverse=True)
    assert not rows[-1][f"{YEAR}年得分"] or len(scores) == len(rows)  # unranked last


def test_project_export_labels_kinds_and_lagging(city, populated):
    sheet = xlsx(city.get(english(reverse("projects:list")), {"export": "xlsx"}))
    assert sheet.title == "Key projects"
    rows = table(sheet)
    assert {row["lagging"] for row in rows} <= {"Yes", "No"}
    own = populated["own_project"]
    row = next(r for r in rows if r["name"] == own.name)
    assert row["kind"] == own.get_kind_display()
    assert row["status"] == own.get_status_display()
    assert row["unified social credit code"] == own.company.credit_code


def test_ranking_export_is_the_filtered_table(city, populated, yiwu):
    url = english(reverse("rankings:city"))
    sheet = xlsx(city.get(url, {"year": YEAR, "region": yiwu.pk, "export": "xlsx"}))
    assert sheet.title == f"Ranking {YEAR}"
    rows = table(sheet)
    expected = CompanyScore.objects.filter(
        run__year=YEAR, run__kind="provisional", rated=True, region=yiwu
    )
    assert sorted(row["unified social credit code"] for row in rows) == sorted(
        expected.values_list("credit_code", flat=True)
    )
    assert "tax per mu" not in " ".join(cell.value for cell in sheet[1])  # no indicator figures
    rows = csv_rows(city.get(url, {"year": YEAR, "export": "csv", "sort": "-total"}))
    totals = [float(row["total"]) for row in rows]
    assert (
        totals == sorted(totals, reverse=True)
        and len(rows)
        == expected.model.objects.filter(
            run__year=YEAR, run__kind="provisional", rated=True
        ).count()
    )
    log = ExportLog.objects.filter(format="csv").get()
    assert log.resource == f"ranking-{YEAR}" and log.row_count == len(rows)


def test_league_exports_by_region_and_by_industry(city, populated):
    sheet = xlsx(city.get(reverse("rankings:league"), {"year": YEAR, "export": "xlsx"}))
    rows = table(sheet)
    assert len(rows) == RegionLeague.objects.filter(run__year=YEAR).count()
    assert sheet.title == f"行政区排行榜 {YEAR}"
    assert {row["行政区"] for row in rows} >= {populated["own"].region.name_zh}
    sheet = xlsx(
        city.get(english(reverse("rankings:industry_league")), {"year": YEAR, "export": "xlsx"})
    )
    assert sheet.title == f"Industry league table {YEAR}"
    rows = table(sheet)
    assert len(rows) == IndustryLeague.objects.filter(run__year=YEAR).count()
    assert sum(row["rated companies (above size)"] for row in rows) == sum(
        IndustryLeague.objects.filter(run__year=YEAR).values_list("rated_count", flat=True)
    )
    code_col = [cell.value for cell in sheet[1]].index("industry code")
    cell = next(sheet.iter_rows(min_row=2, min_col=code_col + 1, max_col=code_col + 1))[0]
    assert cell.data_type == "s"  # "13", not 13


def test_published_runs_export(city, populated):
    DirtyYear.objects.all().delete()
    rankings_publish(year=YEAR, user=populated["users"]["city"])
    rows = table(xlsx(city.get(english(reverse("rankings:runs")), {"export": "xlsx"})))
    assert len(rows) == 1
    assert rows[0]["year"] == YEAR and rows[0]["correction"] == "No"
    assert rows[0]["published by"] == populated["users"]["city"].username


@pytest.mark.parametrize("name", ["companies:list", "projects:list", "rankings:runs"])
def test_an_unknown_format_is_not_found(city, populated, name):
    assert city.get(reverse(name), {"export": "pdf"}).status_code == 404


def test_county_staff_export_only_their_region(client, populated):
    client.force_login(populated["users"]["county"])
    rows = csv_rows(client.get(reverse("companies:list"), {"export": "csv"}))
    codes = {row["统一社会信用代码"] for row in rows}
    assert populated["own"].credit_code in codes and populated["other"].credit_code not in codes


def test_annual_data_export_reads_yes_no_and_region_names(city, populated):
    sheet = xlsx(
        city.get(english(reverse("companies:annual_list")), {"year": YEAR, "export": "xlsx"})
    )
    assert sheet.title == "Annual data"
    rows = table(sheet)
    assert {row["major safety or environmental incident"] for row in rows} <= {"Yes", "No", None}
    own = next(r for r in rows if r["unified social credit code"] == populated["own"].credit_code)
    assert own["region"] == populated["own"].region.name_en
    assert isinstance(own["tax paid (10k RMB)"], int | float)


def test_a_published_runs_page_exports_its_filtered_scores(city, populated, yongkang):
    DirtyYear.objects.all().delete()
    run = rankings_publish(year=YEAR, user=populated["users"]["city"])
    url = reverse("rankings:run_detail", args=[run.pk])
    rows = csv_rows(city.get(url, {"region": yongkang.pk, "export": "csv"}))
    expected = CompanyScore.objects.filter(run=run, rated=True, region=yongkang)
    assert sorted(row["统一社会信用代码"] for row in rows) == sorted(
        expected.values_list("credit_code", flat=True)
    )
    page = city.get(url, {"region": yongkang.pk})
    assert f"参评企业 {expected.count()} 家。" in page.content.decode()
