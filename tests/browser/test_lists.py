"""Issue 13 item 1, in chromium: the company list sorts on the first click (blanks last),
filters by grade, and exports exactly the filtered rows."""

import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from rankings.models import CompanyScore
from rankings.services import rankings_recompute
from tests.browser.conftest import login
from tests.factories import AnnualDataFactory, CompanyFactory, make_user, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

YEAR = 2019


def names(page) -> list[str]:
    return [
        text.strip()
        for text in page.locator("table.data tbody tr td:first-child").all_inner_texts()
    ]


def test_company_list_sorts_filters_and_exports(page):
    yongkang = region("330784")
    for index in range(6):
        company = CompanyFactory(
            region=yongkang, name=f"排序测试企业{index}", land_area_mu=20 + index
        )
        AnnualDataFactory(company=company, year=YEAR, tax_paid=300 + 100 * index)
    CompanyFactory(region=yongkang, name="排序测试企业无地", land_area_mu=None)
    rankings_recompute(year=YEAR)
    make_user(Role.CITY, username="b-lists")
    login(page, "b-lists")

    page.goto(page.base_url + "/companies/?q=排序测试")
    opened = names(page)
    assert opened == sorted(opened)
    # The first click on 名称 (the default order) reverses it.
    page.click("table.data thead th >> text=名称")
    page.wait_for_load_state()
    assert names(page) == sorted(opened, reverse=True)

    # Land area: the company without one is last, ascending and descending.
    page.click("table.data thead th >> text=用地面积")
    page.wait_for_load_state()
    assert names(page)[-1] == "排序测试企业无地"
    page.click("table.data thead th >> text=用地面积")
    page.wait_for_load_state()
    assert names(page)[-1] == "排序测试企业无地"

    # The grade filter and its column.
    grade = (
        CompanyScore.objects.filter(
            run__year=YEAR, company__name__startswith="排序测试", rated=True
        )
        .order_by("position")
        .first()
        .grade
    )
    page.select_option("#id_grade", value=grade)
    page.click("form.filters [type=submit]")
    page.wait_for_load_state()
    shown = names(page)
    expected = set(
        CompanyScore.objects.filter(
            run__year=YEAR, company__name__startswith="排序测试", grade=grade
        ).values_list("company_name", flat=True)
    )
    assert set(shown) == expected
    grades = page.locator("table.data tbody tr .grade").all_inner_texts()
    assert set(grades) == {grade}

    # The export holds exactly the filtered rows.
    with page.expect_download() as download:
        page.click("form.filters a:text('XLSX')")
    content = download.value.path().read_bytes()
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    exported = {row[header.index("名称")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == expected
    assert sheet.title == "企业" and sheet.freeze_panes == "A2"
