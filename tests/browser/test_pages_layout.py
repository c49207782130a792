"""Issue 13 items 2, 3, 4 and 7 in chromium: the phone layout (no page scrolls sideways at
390 px in any role, the menu folds into a button, a wide table keeps its name column in
view), the portal at 1366 px with nothing cut off, forms that name their company, and county
staff who see their region and another region's "belongs to another region" page."""

import datetime
import re

import pytest

from companies.services import user_assign_role
from core.roles import Role
from projects.choices import ProjectStatus
from projects.services import project_transition
from rankings.services import rankings_recompute
from tests.browser.conftest import login
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    ProgressReportFactory,
    make_user,
    region,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
YEAR = 2019


@pytest.fixture
def world():
    """A few companies in two counties, with every kind of record, a ranking and one user of
    each role."""
    yongkang, yiwu = region("330784"), region("330782")
    own = CompanyFactory(region=yongkang, name="永康版式测试智能装备股份有限公司", land_area_mu=40)
    other = CompanyFactory(region=yiwu, name="义乌他方版式企业")
    batch = BatchFactory(number=1)
    for index, company in enumerate([own, other, *CompanyFactory.create_batch(4, region=yongkang)]):
        for year in (YEAR - 1, YEAR):
            AnnualDataFactory(company=company, year=year, tax_paid=300 + 100 * index)
    DesignationFactory(company=own, batch=batch)
    CertificationFactory(
        company=own, issuing_body="中国电子技术标准化研究院认证中心（一个很长的发证机构名称）"
    )
    project = KeyProjectFactory(company=own, name="年产 50 万套智能锁具数字化车间建设项目")
    ProgressReportFactory(project=project, percent_complete=30)
    admin = make_user(Role.ADMIN, username="l-admin")
    for status in (ProjectStatus.COUNTY_REVIEWED, ProjectStatus.APPROVED):
        project_transition(project=project, to_status=status, user=admin, comment="ok")
    rankings_recompute(year=YEAR)
    users = {
        "admin": admin,
        "city": make_user(Role.CITY, username="l-city"),
        "county": _with_role_group(make_user(Role.COUNTY, region=yongkang, username="l-county")),
        "company": make_user(Role.COMPANY, company=own, username="l-company"),
    }
    return {"own": own, "other": other, "project": project, "batch": batch, "users": users}


def _with_role_group(user):
    """The permission group production gives the role (companies.services.user_assign_role),
    so the admin offers what county staff really get."""
    user_assign_role(user=user, role=Role.COUNTY, region=user.membership.region)
    return user


def main_pages(world, role) -> list[str]:
    own, project = world["own"], world["project"]
    if role == "company":
        return ["/portal/", "/account/"]
    pages = [
        "/dashboard/",
        "/companies/",
        f"/companies/{own.pk}/",
        f"/companies/{own.pk}/annual-data/add/",
        f"/companies/{own.pk}/edit/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/batches/",
        f"/batches/{world['batch'].pk}/",
        "/annual-data/",
        "/rankings/",
        "/rankings/league/",
        "/rankings/runs/",
        "/imports/",
        "/account/",
    ]
    return pages + [f"/en{url}" for url in ("/dashboard/", "/companies/", "/rankings/")]


def _sideways(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _set_viewport(page, size):
    page.set_viewport_size(size)


@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
def test_no_main_page_scrolls_sideways_on_a_phone(page, world, role):
    _set_viewport(page, PHONE)
    login(page, world["users"][role].username)
    for url in main_pages(world, role):
        response = page.goto(page.base_url + url)
        assert response.status == 200, url
        width, viewport = _sideways(page)
        assert width <= viewport, f"{url} is {width}px wide at {viewport}px"
        # The menu is folded: its button shows, its links do not until it is opened.
        assert page.locator(".nav-toggle-btn").is_visible(), url
        assert not page.locator(".mainnav").is_visible(), url


def test_the_phone_menu_opens_and_leads_somewhere(page, world):
    _set_viewport(page, PHONE)
    login(page, "l-county")
    page.goto(page.base_url + "/dashboard/")
    page.click(".nav-toggle-btn")
    nav = page.locator(".mainnav")
    assert nav.is_visible()
    links = nav.locator("a")
    assert links.count() >= 5
    for index in range(links.count()):  # every link fits the screen, none hidden sideways
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    nav.get_by_text("企业", exact=True).click()
    page.wait_for_url(re.compile(r"/companies/$"))
    assert _sideways(page)[0] <= PHONE["width"]


def test_a_wide_table_keeps_its_name_column_in_view_while_the_rest_scrolls(page, world):
    _set_viewport(page, PHONE)
    login(page, "l-city")
    for url, name_column in (("/companies/", 1), (f"/rankings/?year={YEAR}", 2)):
        page.goto(page.base_url + url)
        wrap = page.locator(".table-wrap").filter(has=page.locator("table.data tbody tr")).first
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), url  # it does scroll
        cell = wrap.locator(f"tbody tr:first-child > :nth-child({name_column})")
        before = cell.bounding_box()["x"]
        wrap.evaluate("e => e.scrollLeft = e.scrollWidth")
        after = cell.bounding_box()["x"]
        assert abs(after - before) < 1, url
        assert after >= 0 and after + 20 < PHONE["width"]


def test_the_rankings_table_shows_grade_and_total_on_a_phone_without_scrolling(page, world):
    """Rank, name, grade and total come first: on a 390 px phone the first row's grade and
    total are in view before the table is scrolled, and the blocks are named in words."""
    _set_viewport(page, PHONE)
    login(page, "l-city")
    page.goto(page.base_url + f"/rankings/?year={YEAR}")
    table = page.locator("#ranking-table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[2].startswith("评价结果") and headers[3].startswith("总分")
    assert not any(text.strip() in ("E", "S") for text in headers)
    assert any("亩均效益得分" in text for text in headers)
    assert any("智能制造得分" in text for text in headers)
    row = table.locator("tbody tr").first
    grade, total = row.locator("td").nth(2), row.locator("td").nth(3)
    assert re.fullmatch(r"[ABCD]", grade.locator(".grade").inner_text().strip())
    for cell in (grade, total):
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_portal_cuts_nothing_off(page, world, size):
    _set_viewport(page, size)
    login(page, "l-company")
    page.goto(page.base_url + "/portal/")
    assert _sideways(page)[0] <= size["width"]
    main = page.locator("main").inner_text()
    for words in ("指标说明", "亩均效益得分", "智能制造得分", "本企业历年数据"):
        assert words in main
    if size is LAPTOP:
        # At 1366 px every table fits its card: no column hidden behind a scrollbar.
        for wrap in page.locator("main .table-wrap").all():
            assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), wrap.inner_text()[:80]
    else:
        # On a phone the indicator and its points are both on screen.
        row = page.locator("#breakdown table.data tbody tr").first
        points = row.locator("td").first.bounding_box()
        assert points["x"] + points["width"] <= PHONE["width"]


def test_county_staff_see_their_region_and_forms_name_the_company(page, world):
    _set_viewport(page, LAPTOP)
    own, other = world["own"], world["other"]
    login(page, "l-county")
    page.goto(page.base_url + "/dashboard/")
    assert "永康市" in page.locator(".who-role").inner_text()
    assert "永康市" in page.locator("h1").inner_text()

    page.goto(page.base_url + f"/companies/{own.pk}/")
    page.get_by_role("link", name="添加年度指标").click()
    page.wait_for_url(re.compile(r"/annual-data/add/$"))
    assert own.name in page.locator("#record-owner").inner_text()
    assert "---------" not in page.content()

    response = page.goto(page.base_url + f"/companies/{other.pk}/")
    assert response.status == 403
    assert "这条记录属于其他区县" in page.locator("h1").inner_text()
    assert other.name not in page.content()

    # The admin: open to county staff (their menu shows it), but no bulk delete.
    response = page.goto(page.base_url + "/admin/companies/company/")
    assert response.status == 200 and own.name in page.content()
    options = page.locator("select[name=action] option").all_inner_texts()
    assert not any("删除" in option for option in options)


def test_accepted_project_has_no_report_form_and_history_reads_as_a_sentence(page, world):
    _set_viewport(page, LAPTOP)
    fresh = KeyProjectFactory(company=world["own"], name="尚未变更状态的项目")
    login(page, "l-city")
    page.goto(page.base_url + f"/projects/{fresh.pk}/")
    assert page.locator("#status-history").evaluate("e => e.tagName") == "P"
    project = world["project"]
    for status in (
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTANCE_REQUESTED,
        ProjectStatus.ACCEPTED,
    ):
        project_transition(
            project=project,
            to_status=status,
            user=world["users"]["admin"],
            accepted_on=datetime.date.today() if status == ProjectStatus.ACCEPTED else None,
        )
    page.goto(page.base_url + f"/projects/{project.pk}/")
    assert page.locator("#no-report-form").is_visible()
    assert page.locator("form[action$='/reports/add/']").count() == 0


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_rank_columns_header_is_not_hidden_under_the_name_column(page, world, size):
    """The rank column is narrow and sticky, with the sticky name column beside it: its
    header "全市排名 ▲" ran under the name column and read "全市排"."""
    _set_viewport(page, size)
    login(page, world["users"]["city"].username)
    page.goto(page.base_url + f"/rankings/?year={YEAR}")
    header = page.locator("#ranking-table thead th").first
    assert header.evaluate("e => e.scrollWidth <= e.clientWidth"), header.inner_text()
    assert "全市排名" in header.inner_text()


def test_the_company_list_shows_grade_score_and_rank_on_a_phone_without_scrolling(page, world):
    """Name, grade, score and city rank come first: on a 390 px phone they are in view
    before the table is scrolled (the new-user pass found them off to the right)."""
    _set_viewport(page, PHONE)
    login(page, "l-city")
    page.goto(page.base_url + "/companies/?sort=city_rank")
    headers = page.locator("main table.data thead th").all_inner_texts()
    assert [h.strip()[:2] for h in headers[1:4]] == ["评价", "得分", "全市"], headers
    row = page.locator("main table.data tbody tr").first
    for index in (1, 2):  # grade and score; the rank column may need a short scroll
        box = row.locator("td").nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (index, box)
