"""The yearly cycle across roles, driven through chromium: the city opens a campaign; the
company drafts, attaches evidence and submits; the county returns one figure; the company
fixes it and resubmits; the county accepts; the city confirms; the figures appear in the
company's annual data and in the provisional ranking."""

import datetime
import re

import pytest
from django.utils import timezone

from companies.models import AnnualData
from core.roles import Role
from rankings.models import CompanyScore
from reporting.models import Submission
from tests.browser.conftest import login
from tests.factories import AnnualDataFactory, CompanyFactory, make_user, region
from tests.reporting.conftest import PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIGURES = {
    "main_revenue": "21000",
    "industrial_output": "22000",
    "added_value": "5200",
    "total_profit": "1600",
    "tax_paid": "840",
    "avg_employees": "205",
    "unskilled_workers": "75",
    "energy_use_tce": "990",
    "rd_expense": "650",
    "electricity": "910",
    "robots_in_service": "12",
    "robots_added": "2",
}


def switch(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_a_year_runs_from_campaign_to_provisional_rank(page):
    yongkang = region("330784")
    company = CompanyFactory(region=yongkang, name="循环测试智能制造有限公司", above_size=True)
    AnnualDataFactory(company=company, year=2019)
    make_user(Role.CITY, username="c-city")
    make_user(Role.COUNTY, region=yongkang, username="c-county")
    make_user(Role.COMPANY, company=company, username="c-company")

    # The city opens the 2020 campaign for every rated company.
    login(page, "c-city")
    page.goto(page.base_url + "/en/reporting/campaigns/")
    page.fill("#id_year", "2020")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.fill("#id_deadline", deadline.isoformat())
    page.click("#open-campaign [type=submit]")
    page.wait_for_url(re.compile(r"/reporting/campaigns/\d+/$"))
    assert "1" in page.locator("#progress-table tr.total").inner_text()
    submission = Submission.objects.get(company=company)

    # The company drafts, attaches its evidence and submits.
    switch(page, "c-company")
    page.goto(page.base_url + "/en/portal/")
    page.click("#annual-report a.btn-primary")
    page.wait_for_url(re.compile(r"/reporting/portal/$"))
    for field, value in FIGURES.items():
        page.fill(f"#id_{field}", value)
    page.click("#figures-form [name=save]")
    page.wait_for_load_state()
    assert page.locator("#submission-state").inner_text().strip() == "Draft"
    page.set_input_files(
        "#attach-form #id_file",
        {"name": "完税证明.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    page.click("#attach-form [type=submit]")
    page.wait_for_load_state()
    assert "完税证明.pdf" in page.locator("#attachments").inner_text()
    page.click("#figures-form [name=submit]")
    page.wait_for_load_state()
    assert page.locator("#submission-state").inner_text().strip() == "Submitted"
    assert not AnnualData.objects.filter(company=company, year=2020).exists()

    # The county returns the tax figure with a comment.
    switch(page, "c-county")
    page.goto(page.base_url + "/en/reporting/queue/")
    page.click(f"#queue-table a:has-text('{company.name}')")
    page.wait_for_url(re.compile(rf"/reporting/submissions/{submission.pk}/$"))
    form = page.locator("#step-county_return")
    form.locator("input[value=tax_paid]").check()
    form.locator("textarea[name=comment]").fill("纳税额请与完税证明核对")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#submission-state").inner_text().strip() == "Returned by the county"

    # The company sees which figure, fixes it and resubmits.
    switch(page, "c-company")
    page.goto(page.base_url + "/en/reporting/portal/")
    note = page.locator("#returned-note").inner_text()
    assert "纳税额请与完税证明核对" in note and "tax paid" in note
    page.fill("#id_tax_paid", "860")
    page.click("#figures-form [name=submit]")
    page.wait_for_load_state()
    assert page.locator("#submission-state").inner_text().strip() == "Submitted"

    # The county accepts; the city confirms.
    switch(page, "c-county")
    page.goto(page.base_url + f"/en/reporting/submissions/{submission.pk}/")
    page.click("#step-county_accept button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#step-city_confirm").count() == 0
    switch(page, "c-city")
    page.goto(page.base_url + "/en/reporting/queue/")
    page.click(f"#queue-table a:has-text('{company.name}')")
    page.click("#step-city_confirm button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#submission-state").inner_text().strip() == "Confirmed by the city"

    # The figures are the company's 2020 annual data, and it has a provisional rank.
    row = AnnualData.objects.get(company=company, year=2020)
    assert row.tax_paid == 860
    score = CompanyScore.objects.get(company=company, run__kind="provisional", run__year=2020)
    assert score.city_rank == 1
    page.goto(page.base_url + "/en/annual-data/?year=2020")
    assert company.name in page.locator("main").inner_text()
    page.goto(page.base_url + "/en/rankings/?year=2020")
    assert company.name in page.locator("#ranking-table").inner_text()
