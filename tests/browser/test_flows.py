"""What staff and companies do every day, driven through chromium."""

import csv
import io
import re
from decimal import Decimal

import pytest

from companies.models import AnnualData, Company
from core.roles import Role
from rankings.models import CompanyScore
from tests.browser.conftest import login
from tests.factories import (
    AnnualDataFactory,
    CompanyFactory,
    industry,
    make_credit_code,
    make_user,
    region,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("gbk")  # as Chinese Excel saves it


def test_staff_creates_a_company_and_its_annual_data_and_sees_its_rank(page):
    make_user(Role.CITY, username="b-city")
    login(page, "b-city")
    assert page.url.endswith("/dashboard/")

    code = make_credit_code()
    page.goto(page.base_url + "/companies/add/")
    page.fill("#id_credit_code", code)
    page.fill("#id_name", "浏览器测试智能制造有限公司")
    page.select_option("#id_region", value=str(region("330784").pk))
    page.select_option("#id_industry", value=str(industry("34").pk))
    page.check("#id_above_size")
    page.fill("#id_land_area_mu", "40")
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(r"/companies/\d+/$"))
    company = Company.objects.get(credit_code=code)

    page.goto(page.base_url + f"/companies/{company.pk}/annual-data/add/")
    page.fill("#id_year", "2019")
    for field, value in {
        "main_revenue": "30000",
        "added_value": "8000",
        "tax_paid": "1200",
        "avg_employees": "300",
        "energy_use_tce": "900",
        "rd_expense": "900",
    }.items():
        page.fill(f"#id_{field}", value)
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(rf"/companies/{company.pk}/"))
    assert AnnualData.objects.filter(company=company, year=2019).exists()

    # The save committed; the in-process recompute ran on commit: the rank is there.
    score = CompanyScore.objects.get(company=company, run__kind="provisional", run__year=2019)
    assert score.city_rank == 1
    page.goto(page.base_url + "/en/rankings/?year=2019")
    row = page.locator("#ranking-table tbody tr").first
    assert "浏览器测试智能制造有限公司" in row.inner_text()
    assert row.locator("td").first.inner_text().strip() == "1"
    page.goto(page.base_url + f"/en/companies/{company.pk}/")
    assert "1 of 1 (above size)" in page.locator("main").inner_text()  # rankings.labels


def test_an_import_with_a_bad_row_shows_the_error_and_the_fixed_file_imports(page):
    own = CompanyFactory(region=region("330784"), name="永康导入企业")
    make_user(Role.COUNTY, region=region("330784"), username="b-county")
    login(page, "b-county")
    header = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)"]

    page.goto(page.base_url + "/en/imports/")
    page.select_option("#id_kind", value="annual_data")
    page.set_input_files(
        "#id_file",
        {
            "name": "annual.csv",
            "mimeType": "text/csv",
            "buffer": _csv(
                [
                    header,
                    [own.credit_code, "2018", "100", "5"],
                    [own.credit_code, "2019", "一百", "5"],
                ]
            ),
        },
    )
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    problems = page.locator("#import-problems tbody tr")
    assert problems.count() == 1
    cells = [c.strip() for c in problems.first.locator("td").all_inner_texts()]
    assert cells[0] == "3" and cells[1] == "主营业务收入(万元)" and "Enter a number" in cells[2]
    assert page.locator("#confirm-import").count() == 0
    assert not AnnualData.objects.exists()

    page.goto(page.base_url + "/en/imports/")
    page.select_option("#id_kind", value="annual_data")
    page.set_input_files(
        "#id_file",
        {
            "name": "annual-fixed.csv",
            "mimeType": "text/csv",
            "buffer": _csv(
                [
                    header,
                    [own.credit_code, "2018", "100", "5"],
                    [own.credit_code, "2019", "120", "5"],
                ]
            ),
        },
    )
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    assert "All 2 rows are valid" in page.locator("main").inner_text()
    assert not AnnualData.objects.exists()
    page.click("#confirm-import")
    page.wait_for_load_state()
    assert "Imported 2 rows" in page.locator("main").inner_text()
    assert sorted(AnnualData.objects.filter(company=own).values_list("year", flat=True)) == [
        2018,
        2019,
    ]


def test_a_company_user_sees_its_portal_and_no_other_company(page):
    own = CompanyFactory(region=region("330784"), name="门户自有企业")
    other = CompanyFactory(region=region("330782"), name="门户他方企业")
    make_user(Role.COMPANY, company=own, username="b-company")
    login(page, "b-company")
    assert page.url.endswith("/portal/")
    text = page.locator("main").inner_text()
    assert "门户自有企业" in text and "门户他方企业" not in text
    response = page.goto(page.base_url + f"/companies/{other.pk}/")
    assert response.status == 404
    assert "门户他方企业" not in page.content()
    response = page.goto(page.base_url + "/rankings/")
    assert response.status == 404


def test_the_language_switch_changes_the_page_language_and_back(page):
    make_user(Role.CITY, username="b-lang")
    login(page, "b-lang")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.click("button.lang-btn[value=en]")
    page.wait_for_url(re.compile(r"/en/dashboard/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Log out" in page.locator("header").inner_text()
    page.click("button.lang-btn[value=zh-hans]")
    page.wait_for_url(re.compile(r"^(?!.*/en/).*/dashboard/$"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_the_job_page_follows_progress_until_the_worker_is_done(page):
    from playwright.sync_api import expect

    from tracker.models import ImportJob, ImportStatus

    user = make_user(Role.CITY, username="b-progress")
    job = ImportJob.objects.create(
        kind="annual_data",
        original_name="big.csv",
        created_by=user,
        status=ImportStatus.CHECKING,
        total_rows=10_000,
        processed_rows=2_500,
    )
    login(page, "b-progress")
    page.goto(page.base_url + f"/en/imports/{job.pk}/")
    assert page.locator("#import-progress").get_attribute("value") == "2500"
    # A worker moves on: the page polls the status view and shows it without a reload.
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=7_500)
    expect(page.locator("#import-progress-text")).to_contain_text("7500 of 10000 rows processed")
    assert page.locator("#import-progress").evaluate("bar => bar.value") == 7500
    # When the check is done, the page reloads onto the result.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKED, processed_rows=10_000, message="10000 of 10000 rows are ready."
    )
    page.wait_for_selector("#confirm-import")
    assert "All 10000 rows are valid" in page.locator("main").inner_text()


def test_import_upload_preview_apply_undo(page):
    own = CompanyFactory(region=region("330784"), name="永康撤销企业")
    data = AnnualDataFactory(company=own, year=2019)
    make_user(Role.COUNTY, region=region("330784"), username="b-undo")
    login(page, "b-undo")

    page.goto(page.base_url + "/en/imports/")
    page.select_option("#id_kind", value="annual_data")
    header = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)", "R&D经费(万元)"]
    rows = [
        header,
        [own.credit_code, "2019", "", "950", "-"],  # tax changed, R&D emptied, revenue kept
        [own.credit_code, "2020", "100", "5", ""],
    ]
    page.set_input_files(
        "#id_file", {"name": "annual.csv", "mimeType": "text/csv", "buffer": _csv(rows)}
    )
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))

    # The preview: totals, then each row's action and its fields old -> new.
    totals = page.locator("#preview-totals").inner_text()
    assert "1 to create" in totals and "1 to update" in totals and "0 with problems" in totals
    update = page.locator('#import-preview tr[data-action="update"]')
    assert update.locator("td").first.inner_text().strip() == "2"
    changes = update.locator("td").last.inner_text()
    assert "Tax paid: 800.00 → 950.00" in changes
    assert "R&D expense: 600.00 → —" in changes and "emptied" in changes
    assert "Main business revenue" not in changes  # an empty cell is no change
    assert page.locator('#import-preview tr[data-action="create"]').count() == 1
    assert not AnnualData.objects.filter(year=2020).exists()  # the check wrote nothing
    # 2020's revenue and tax are far below 2019's: warnings, imported once confirmed.
    assert page.locator("#import-warnings tbody tr").count() == 2
    page.check("#confirm-warnings")

    page.click("#confirm-import")
    page.wait_for_selector("#undo-import")
    data.refresh_from_db()
    assert (data.tax_paid, data.rd_expense, data.main_revenue) == (
        Decimal("950.00"),
        None,
        Decimal("20000.00"),
    )
    assert AnnualData.objects.filter(company=own, year=2020).exists()

    page.click("#undo-import")
    page.wait_for_selector("#import-undone")
    assert "b-undo" in page.locator("#import-undone").inner_text()
    assert page.locator("#undo-import").count() == 0
    data.refresh_from_db()
    assert (data.tax_paid, data.rd_expense, data.version) == (Decimal("800.00"), 600, 3)
    assert not AnnualData.objects.filter(company=own, year=2020).exists()
