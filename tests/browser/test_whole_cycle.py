"""The whole yearly cycle across roles, driven through chromium in Chinese (issue 11, item 11).

The city opens a campaign; the company drafts, attaches evidence and submits; the county
returns one figure; the company fixes it and resubmits; the county accepts; the city confirms;
the provisional rank appears; the city publishes; the company objects; the county remarks; the
city corrects the record and upholds, which publishes a correction run; the company sees the
corrected official result. Each role logs in through the login form in a browser context of
its own and clicks the real buttons; only the starting data (companies, users, the previous
year, the other companies' staff-entered figures) is arranged directly.

Two other companies of the same class give the ranking something to order: before the
objection the company ranks 2nd of 3 (grade B), after the corrected R&D expense 1st (grade A).
"""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone, translation
from docx import Document
from playwright.sync_api import Page, expect

from companies.models import AnnualData
from core.roles import Role
from notices.choices import CountyOpinion, ObjectionState
from rankings.models import RankingRun
from reporting.choices import SubmissionState
from tests.browser.conftest import login
from tests.factories import AnnualDataFactory, CompanyFactory, make_user, region
from tests.reporting.conftest import PDF, PNG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

YEAR = 2020
NAME = "循环测试智能制造有限公司"
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
FIXED_TAX = "860"
CLAIMED_RD = "2650"
RETURN_COMMENT = "纳税额请与完税证明核对"


def zh(text) -> str:
    """A label of the product as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


@dataclass
class Desk:
    """One logged-in browser context per role, and what the walk arranged."""

    city: Page
    county: Page
    company: Page
    company_id: int
    base: str

    def at(self, page: Page, path: str) -> Page:
        page.goto(self.base + path)
        return page


def _signed_in(page: Page, username: str) -> Page:
    """A fresh browser context (its own cookies) logged in through the login form."""
    context = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    other = context.new_page()
    other.base_url = page.base_url
    login(other, username)
    expect(other.locator("#id_password")).to_have_count(0)
    return other


@pytest.fixture
def desk(page):
    yongkang = region("330784")
    company = CompanyFactory(region=yongkang, name=NAME, above_size=True)
    AnnualDataFactory(company=company, year=YEAR - 1)  # last year, beside this year's figures
    # Two companies of the same class whose figures the county office entered itself.
    leader = CompanyFactory(region=yongkang, name="领先对照机械有限公司")
    AnnualDataFactory(
        company=leader,
        year=YEAR,
        **{**FIGURES, "tax_paid": 1000, "rd_expense": 800, "added_value": 5600},
    )
    AnnualDataFactory(
        company=CompanyFactory(region=yongkang, name="后进对照五金有限公司"), year=YEAR
    )
    make_user(Role.CITY, username="w-city")
    make_user(Role.COUNTY, region=yongkang, username="w-county")
    make_user(Role.COMPANY, company=company, username="w-company")
    login(page, "w-city")
    desk = Desk(
        city=page,
        county=_signed_in(page, "w-county"),
        company=_signed_in(page, "w-company"),
        company_id=company.pk,
        base=page.base_url,
    )
    yield desk
    for other in (desk.county, desk.company):
        other.context.close()


def test_a_year_runs_from_campaign_to_corrected_official_result(desk):
    _city_opens_campaign(desk)
    _company_drafts_attaches_and_submits(desk)
    _county_returns_one_figure(desk)
    _company_fixes_and_resubmits(desk)
    _county_accepts(desk)
    _city_confirms(desk)
    _rank_appears(desk)
    _city_publishes(desk)
    _company_objects(desk)
    _county_remarks(desk)
    _city_corrects_the_record_and_upholds(desk)
    _company_sees_the_corrected_official_result(desk)
    _company_downloads_documents(desk)


def _state(page: Page):
    return page.locator("#submission-state")


def _city_opens_campaign(desk):
    page = desk.at(desk.city, "/reporting/campaigns/")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.click("#open-campaign [type=submit]")
    page.wait_for_url(re.compile(r"/reporting/campaigns/\d+/$"))
    # Every rated company is a target, none has started.
    total = page.locator("#progress-table tr.total td")
    expect(total.first).to_have_text("3")  # not started
    expect(total.last).to_have_text("3")  # total


def _company_drafts_attaches_and_submits(desk):
    page = desk.at(desk.company, "/portal/")
    expect(page.locator("#annual-report")).to_contain_text(zh(SubmissionState.NOT_STARTED.label))
    page.click("#annual-report a.btn-primary")
    page.wait_for_url(re.compile(r"/reporting/portal/$"))
    for field, value in FIGURES.items():
        page.fill(f"#id_{field}", value)
    page.click("#figures-form [name=save]")
    expect(_state(page)).to_have_text(zh(SubmissionState.DRAFT.label))
    expect(page.locator("#id_tax_paid")).to_have_value(FIGURES["tax_paid"])
    page.set_input_files(
        "#attach-form #id_file",
        {"name": "完税证明.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    page.click("#attach-form [type=submit]")
    expect(page.locator("#attachments")).to_contain_text("完税证明.pdf")
    page.click("#figures-form [name=submit]")
    expect(_state(page)).to_have_text(zh(SubmissionState.SUBMITTED.label))
    # Submitted figures wait for review: nothing of them is annual data yet.
    expect(page.locator("#figures-form")).to_have_count(0)
    assert not AnnualData.objects.filter(company_id=desk.company_id, year=YEAR).exists()


def _county_returns_one_figure(desk):
    page = desk.at(desk.county, "/reporting/queue/")
    page.click(f"#queue-table a:has-text('{NAME}')")
    page.wait_for_url(re.compile(r"/reporting/submissions/\d+/$"))
    # The reported figure beside last year's.
    tax = page.locator("#figures-table tr[data-field=tax_paid]")
    expect(tax).to_contain_text("840")
    expect(tax).to_contain_text("800")
    expect(page.locator("#attachments")).to_contain_text("完税证明.pdf")
    form = page.locator("#step-county_return")
    for box in form.locator("input[name=fields]").all():
        box.uncheck()
    form.locator("input[value=tax_paid]").check()
    form.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    form.locator("button[type=submit]").click()
    expect(_state(page)).to_have_text(zh(SubmissionState.COUNTY_RETURNED.label))
    expect(page.locator("#step-county_return")).to_have_count(0)


def _company_fixes_and_resubmits(desk):
    page = desk.at(desk.company, "/reporting/portal/")
    expect(_state(page)).to_have_text(zh(SubmissionState.COUNTY_RETURNED.label))
    note = page.locator("#returned-note")
    expect(note).to_contain_text(RETURN_COMMENT)
    tax_label = zh(AnnualData._meta.get_field("tax_paid").verbose_name)
    expect(note.locator(".returned-figure")).to_have_text([tax_label])
    page.fill("#id_tax_paid", FIXED_TAX)
    page.click("#figures-form [name=submit]")
    expect(_state(page)).to_have_text(zh(SubmissionState.SUBMITTED.label))


def _county_accepts(desk):
    page = desk.at(desk.county, "/reporting/queue/")
    page.click(f"#queue-table a:has-text('{NAME}')")
    expect(page.locator("#figures-table tr[data-field=tax_paid]")).to_contain_text(FIXED_TAX)
    page.click("#step-county_accept button[type=submit]")
    expect(_state(page)).to_have_text(zh(SubmissionState.COUNTY_ACCEPTED.label))
    # The county's part is done: the city's step is not offered to it.
    expect(page.locator("#review form")).to_have_count(0)


def _city_confirms(desk):
    page = desk.at(desk.city, "/reporting/queue/")
    row = page.locator("#queue-table tr", has_text=NAME)
    expect(row).to_contain_text(zh(SubmissionState.COUNTY_ACCEPTED.label))
    row.locator("a").click()
    page.click("#step-city_confirm button[type=submit]")
    expect(_state(page)).to_have_text(zh(SubmissionState.CONFIRMED.label))


def _rank_appears(desk):
    # The city's ranking of the year lists the company second of three.
    page = desk.at(desk.city, f"/rankings/?year={YEAR}")
    row = page.locator("#ranking-table tbody tr", has_text=NAME)
    expect(row.locator("td").first).to_have_text("2")
    expect(row.locator(".grade")).to_have_text("B")
    # The company sees it as a provisional evaluation, not an official result.
    page = desk.at(desk.company, "/portal/")
    expect(page.locator("#result-state")).to_contain_text("预评价")
    expect(page.locator("#grade .grade")).to_have_text("B")
    expect(page.locator("#grade")).to_contain_text("第 2 名 / 3 家")
    expect(page.locator("#history")).to_contain_text(
        zh("No result of yours has been published yet.")
    )


def _city_publishes(desk):
    page = desk.at(desk.city, f"/rankings/publish/?year={YEAR}")
    page.click("form.card button.btn-primary")
    # The confirmation counts the two companies whose figures the county entered and who
    # never reported through the campaign.
    summary = page.locator(".publish-summary")
    expect(summary.locator(f"#publish-coverage-{YEAR}")).to_contain_text("3 份中的 1 份")
    # Two of the campaign's three submissions are unconfirmed (over the tolerated share):
    # publishing asks the city to acknowledge it.
    page.click("button[name=confirm]")
    expect(page.locator("ul.messages, .errorlist").first).to_be_visible()
    assert not RankingRun.objects.published().filter(year=YEAR).exists()
    summary.locator(f"input[name=unconfirmed_acknowledged_{YEAR}]").check()
    page.click("button[name=confirm]")
    page.wait_for_url(re.compile(r"/rankings/runs/\d+/$"))
    run = RankingRun.objects.published().get(year=YEAR)
    expect(page.locator("ul.messages")).to_contain_text(run.notice_ends_on.isoformat())


def _company_objects(desk):
    run = RankingRun.objects.published().get(year=YEAR)
    page = desk.at(desk.company, "/portal/")
    state = page.locator("#result-state")
    expect(state).to_contain_text(f"{YEAR}")
    expect(state).to_contain_text(f"公示中，至 {run.notice_ends_on.isoformat()} 止")
    expect(page.locator("#result-state")).not_to_contain_text("预评价")
    expect(page.locator("#history tbody tr")).to_have_count(1)
    page.click("#result-state a[href$='/objections/new/']")
    page.select_option("#id_subject", "rd_expense")
    page.fill("#id_claimed_value", CLAIMED_RD)
    page.fill("#id_explanation", "研发费用漏计了研究院的支出，见审计报告。")
    page.set_input_files(
        "#id_files", {"name": "审计报告.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.click("form.card button.btn-primary")
    page.wait_for_url(re.compile(r"/objections/\d+/$"))
    expect(page.locator("#objection")).to_contain_text(zh(ObjectionState.FILED.label))
    expect(page.locator("#objection")).to_contain_text("审计报告.png")
    expect(page.locator("#timeline li")).to_have_count(2)  # filed; awaiting the next step
    expect(page.locator("#steps")).to_have_count(0)  # the company takes no step of its own


def _county_remarks(desk):
    page = desk.at(desk.county, "/objections/")
    row = page.locator("table.objections tbody tr", has_text=NAME)
    expect(row).to_contain_text(zh(ObjectionState.FILED.label))
    row.locator("a").first.click()
    page.check(f"input[name=opinion][value={CountyOpinion.SUPPORTED}]")
    page.fill("#id_remark", "经核对审计报告，研发费用应为2650万元，支持。")
    page.click("#steps button[type=submit]")
    expect(page.locator("#objection")).to_contain_text(zh(ObjectionState.REMARKED.label))
    expect(page.locator("#timeline")).to_contain_text(zh(CountyOpinion.SUPPORTED.label))
    expect(page.locator("#steps")).to_have_count(0)


def _city_corrects_the_record_and_upholds(desk):
    page = desk.at(desk.city, "/objections/")
    page.locator("table.objections tbody tr", has_text=NAME).locator("a").first.click()
    page.wait_for_url(re.compile(r"/objections/\d+/$"))
    objection_url = page.url
    expect(page.locator("#objection")).to_contain_text(zh(ObjectionState.REMARKED.label))
    expect(page.locator("#timeline")).to_contain_text(zh(CountyOpinion.SUPPORTED.label))
    # The year was confirmed, so it is locked: the correction without loss voids the row with
    # the reason and enters the corrected figures, starting from the voided ones.
    page.click("#objection a[href$='#annual']")
    row = page.locator("#annual tbody tr", has_text=str(YEAR))
    row.locator("details.void-control summary").click()
    row.locator("input[name=reason]").fill("异议成立：研发费用更正")
    row.locator("details.void-control button[type=submit]").click()
    page.locator("#annual a.correct-year").click()
    expect(page.locator("#id_year")).to_have_value(str(YEAR))
    expect(page.locator("#id_tax_paid")).to_have_value(re.compile(rf"^{FIXED_TAX}(\.00)?$"))
    page.fill("#id_rd_expense", CLAIMED_RD)
    page.click("form.card button.btn-primary")
    page.wait_for_url(re.compile(r"/companies/\d+/#annual$"))
    expect(page.locator("#annual tbody tr:not(.is-voided)", has_text=str(YEAR))).to_contain_text(
        "2,650"
    )
    page.goto(objection_url)
    page.fill("#id_reason", "县级复核支持，研发费用更正为2650万元。")
    page.click("#steps button.btn-primary")
    expect(page.locator("#objection")).to_contain_text(zh(ObjectionState.UPHELD.label))
    expect(page.locator("#timeline li")).to_have_count(3)  # filed, remarked, decided
    expect(page.locator("#timeline")).to_contain_text(f"更正后的 {YEAR} 年度结果已于")
    expect(page.locator("#steps")).to_have_count(0)
    # The correction run is published beside the first one, its reason naming the objection.
    number = objection_url.rstrip("/").rsplit("/", 1)[1]
    page = desk.at(desk.city, "/rankings/runs/")
    expect(page.locator("tbody tr", has_text=f"第 {number} 号异议")).to_contain_text("研发费用更正")


def _company_sees_the_corrected_official_result(desk):
    page = desk.at(desk.company, "/portal/")
    state = page.locator("#result-state")
    expect(state).to_contain_text(f"{YEAR}")
    expect(state).to_contain_text("公示中")
    expect(state).not_to_contain_text("预评价")
    expect(page.locator("#grade .grade")).to_have_text("A")
    expect(page.locator("#grade")).to_contain_text("第 1 名 / 3 家")
    # One official result of the year in the history: the corrected one.
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(1)
    expect(history.locator("td").nth(2)).to_have_text("1")
    # The corrected figure is the company's figure of the year.
    expect(page.locator("#annual tbody tr", has_text=str(YEAR))).to_contain_text("2,650")
    objection = page.locator("#objections tbody tr")
    expect(objection).to_contain_text(zh(ObjectionState.UPHELD.label))
    objection.locator("a").first.click()
    expect(page.locator("#timeline li")).to_have_count(3)
    expect(page.locator("#timeline")).to_contain_text("县级复核支持")


def _docx_text(download) -> str:
    with open(download.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _company_downloads_documents(desk):
    # The official documents of the corrected result: the result letter (print page and
    # Word file) and the public notice of the run, from the portal's result card.
    page = desk.at(desk.company, "/portal/")
    links = page.locator("#official-documents a")
    expect(links).to_have_count(4)
    with page.expect_download() as letter:
        links.nth(1).click()
    text = _docx_text(letter.value)
    assert NAME in text and settings.ISSUING_OFFICE in text
    assert "A" in text and "第 1 名" in text
    with page.expect_download() as notice:
        links.nth(3).click()
    text = _docx_text(notice.value)
    assert settings.CITY_NAME in text and str(YEAR) in text
    links.nth(0).click()
    page.wait_for_url(re.compile(r"/documents/runs/\d+/letters/\d+/$"))
    expect(page.locator("body")).to_contain_text(NAME)
    expect(page.locator("body")).to_contain_text("第 1 名")
