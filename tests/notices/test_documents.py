"""Official documents of a published run (issue 11, item 7): the notice, the notice package,
the result letters and their print pages. The DOCX and XLSX files are opened and read."""

import datetime
import io
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import ExportLog
from rankings.models import CompanyScore, DirtyYear, RunBaseline, ScoringScheme
from rankings.services import rankings_publish, rankings_recompute, scheme_revise
from tests.factories import AnnualDataFactory, CompanyFactory, make_user

pytestmark = pytest.mark.django_db

YEAR = 2019


@pytest.fixture
def run(world, yongkang):
    """2019 published under a scheme whose weights are not the defaults (tax per mu 31, 规下
    tax per unit electricity 45), with a 规下 company and a company not rated (no land)."""
    scheme = ScoringScheme.objects.get(active=True)
    scheme.weight_tax_per_mu = Decimal("31")
    scheme.weight_below_tax_per_electricity = Decimal("45")
    scheme_revise(scheme=scheme)
    AnnualDataFactory(company=world["own"], year=YEAR, tax_paid=300)
    AnnualDataFactory(company=world["other"], year=YEAR, tax_paid=900)
    for tax in (400, 500):
        AnnualDataFactory(company=CompanyFactory(region=yongkang), year=YEAR, tax_paid=tax)
    small = CompanyFactory(name="永康小微企业", region=yongkang, above_size=False, land_area_mu=8)
    AnnualDataFactory(company=small, year=YEAR, tax_paid=40, electricity=50)
    landless = CompanyFactory(name="永康无地企业", region=yongkang, land_area_mu=0)
    AnnualDataFactory(company=landless, year=YEAR)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=YEAR)
    published = rankings_publish(year=YEAR, user=world["users"]["city"], notice_days=10)
    published.small, published.landless = small, landless
    return published


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@override_settings(CITY_NAME="测试市", ISSUING_OFFICE="测试市经济和信息化局")
def test_the_notice_states_the_method_baselines_and_period_of_its_run(client, world, run):
    response = get(client, world["users"]["city"], reverse("documents:notice_docx", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = docx_text(response.content)
    assert "测试市" in text and "测试市经济和信息化局" in text
    assert "金华" not in text  # the city comes from the setting
    # The weights of the run's scheme version, not the defaults.
    assert run.scheme.weight_tax_per_mu == Decimal("31")
    table_cells = text.splitlines()
    assert "31" in table_cells and "45" in table_cells and "24" not in table_cells
    # The run's own baselines, as stored on its RunBaseline rows.
    above = RunBaseline.objects.get(run=run, size_class="above", region=None)
    below = RunBaseline.objects.get(run=run, size_class="below", region=None)
    assert f"{above.baseline_tax_per_mu:,.2f}" in table_cells
    assert f"{below.baseline_tax_per_electricity:,.4f}" in table_cells or (
        f"{below.baseline_tax_per_electricity:,.2f}" in table_cells
    )
    assert str(above.cutoff_a) in table_cells and str(above.rated_count) in table_cells
    assert f"第 {run.scheme_version} 版" in text or f"version {run.scheme_version}" in text
    # The notice period: from the publishing day to its end, ten days.
    start, end = timezone.localdate(run.started_at), run.notice_ends_on
    assert end == start + datetime.timedelta(days=10)
    assert chinese_date(start) in text and chinese_date(end) in text
    assert "异议" in text and "10 MB" in text
    assert "公示" in text


def test_the_notice_document_is_laid_out_as_an_official_document(client, world, run):
    content = get(
        client, world["users"]["city"], reverse("documents:notice_docx", args=[run.pk])
    ).content
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    title = document.paragraphs[0]
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "方正小标宋简体"
    )
    body = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert "仿宋" in body.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert "PAGE" in section.footer.paragraphs[0]._element.xml  # page numbers
    assert document.paragraphs[-1].text == chinese_date(timezone.localdate(run.started_at))


@override_settings(CITY_NAME="测试市")
def test_a_company_gets_its_own_letter_with_rank_grade_score_and_class(client, world, run):
    score = CompanyScore.objects.get(run=run, company=world["own"])
    url = reverse("documents:letter_docx", args=[run.pk, world["own"].pk])
    response = get(client, world["users"]["company"], url)
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "永康自有企业" in text and "测试市" in text
    assert score.credit_code in text
    assert score.get_grade_display() in text
    assert f"{score.total:.2f}" in text
    assert f"第 {score.city_rank} 名 / 4 家（规上）" in text  # four rated 规上 companies
    assert "规上" in text and "告知书" in text
    assert chinese_date(run.notice_ends_on) in text
    assert ExportLog.objects.filter(resource=f"result-letter-{YEAR}").count() == 1


def test_the_letter_of_a_company_below_size_says_its_class(client, world, run):
    url = reverse("documents:letter_docx", args=[run.pk, run.small.pk])
    text = docx_text(get(client, world["users"]["city"], url).content)
    assert "永康小微企业" in text
    assert "第 1 名 / 1 家（规下）" in text


def test_a_not_rated_companys_letter_gives_the_reason(client, world, run):
    user = make_user("company", company=run.landless, username="t-landless")
    url = reverse("documents:letter_docx", args=[run.pk, run.landless.pk])
    response = get(client, user, url)
    assert response.status_code == 200
    text = docx_text(response.content)
    score = CompanyScore.objects.get(run=run, company=run.landless)
    assert not score.rated
    assert score.get_not_rated_reason_display() in text
    assert "未参加" in text or "not rated" in text
    # It may also read the run's public notice, but not the bureau's package.
    assert get(client, user, reverse("documents:notice_docx", args=[run.pk])).status_code == 200
    assert get(client, user, reverse("documents:notice_package", args=[run.pk])).status_code == 404


def test_company_a_cannot_get_company_bs_letter(client, world, run):
    company_user = world["users"]["company"]
    other = world["other"]
    for name in ("letter_docx", "letter_print"):
        url = reverse(f"documents:{name}", args=[run.pk, other.pk])
        assert get(client, company_user, url).status_code == 404
        # Whether the other company exists or not reads the same.
        missing = reverse(f"documents:{name}", args=[run.pk, other.pk + 1000])
        assert get(client, company_user, missing).status_code == 404


def test_county_staff_get_their_regions_letters_only(client, world, run):
    county = world["users"]["county"]
    own = reverse("documents:letter_docx", args=[run.pk, world["own"].pk])
    other = reverse("documents:letter_docx", args=[run.pk, world["other"].pk])
    assert get(client, county, own).status_code == 200
    response = get(client, county, other)
    assert response.status_code == 403
    assert "义乌他方企业" not in response.content.decode()
    other_print = reverse("documents:letter_print", args=[run.pk, world["other"].pk])
    assert get(client, county, other_print).status_code == 403
    assert get(client, world["users"]["city"], other).status_code == 200


def test_letters_and_notices_only_of_published_runs(client, world, run):
    provisional = CompanyScore.objects.get(run__kind="provisional", company=world["own"]).run
    for url in (
        reverse("documents:letter_docx", args=[provisional.pk, world["own"].pk]),
        reverse("documents:notice_docx", args=[provisional.pk]),
        reverse("documents:notice_package", args=[provisional.pk]),
    ):
        assert get(client, world["users"]["city"], url).status_code == 404


def test_users_without_a_result_in_the_run_get_no_notice(client, world, run, yiwu):
    outsider = CompanyFactory(name="未参评企业", region=yiwu)  # created after the run
    user = make_user("company", company=outsider, username="t-outsider")
    url = reverse("documents:notice_docx", args=[run.pk])
    assert get(client, user, url).status_code == 404
    assert get(client, world["users"]["norole"], url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def _package(client, user, run):
    response = get(client, user, reverse("documents:notice_package", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _sheet_rows(archive, name_part):
    name = next(n for n in archive.namelist() if name_part in n and n.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(name))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_city_package_holds_the_notice_and_each_class_list(client, world, run):
    archive = _package(client, world["users"]["city"], run)
    names = archive.namelist()
    assert len(names) == 3 and sum(n.endswith(".docx") for n in names) == 1
    assert "公示" in docx_text(archive.read(next(n for n in names if n.endswith(".docx"))))
    above = _sheet_rows(archive, "规上")
    header, rows = above[0], above[1:]
    assert header[:3] == ["全市排名", "规模类别", "统一社会信用代码"]
    expected = list(
        CompanyScore.objects.filter(run=run, rated=True, size_class="above")
        .order_by("position")
        .values_list("company_name", flat=True)
    )
    assert [row[3] for row in rows] == expected and len(expected) == 4
    assert {row[1] for row in rows} == {"规上企业"} or all("规上" in row[1] for row in rows)
    below = _sheet_rows(archive, "规下")
    assert [row[3] for row in below[1:]] == ["永康小微企业"]
    assert ExportLog.objects.get(resource=f"notice-package-{YEAR}").row_count == 5


def test_the_county_package_lists_its_region_only(client, world, run):
    archive = _package(client, world["users"]["county"], run)
    above = _sheet_rows(archive, "规上")
    listed = [row[3] for row in above[1:]]
    assert "永康自有企业" in listed and "义乌他方企业" not in listed
    assert all("永康" in name for name in archive.namelist() if name.endswith(".xlsx"))


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", ["评价结果公示", "评价方法", "公示时间"]), ("/en", ["public notice", "Method"])],
)
def test_the_notice_print_page_in_both_languages(client, world, run, prefix, expected):
    url = prefix + reverse("documents:notice_print", args=[run.pk])
    html = get(client, world["users"]["company"], url).content.decode()
    assert '<meta charset="utf-8">' in html
    assert "documents.css" in html and "<nav" in html and 'class="site-nav' not in html
    for text in expected:
        assert text in html
    assert reverse("documents:notice_docx", args=[run.pk]) in html
    # The city's name in the page's language: an English notice does not mix in 金华市.
    assert ("金华市" in html, "Jinhua" in html) == ((True, False) if not prefix else (False, True))


@pytest.mark.parametrize(
    ("prefix", "expected"), [("", ["告知书", "评价等级"]), ("/en", ["notice of your result"])]
)
def test_the_letter_print_page_in_both_languages(client, world, run, prefix, expected):
    url = prefix + reverse("documents:letter_print", args=[run.pk, world["own"].pk])
    html = get(client, world["users"]["company"], url).content.decode()
    assert '<meta charset="utf-8">' in html
    assert "永康自有企业" in html
    for text in expected:
        assert text in html


def test_pages_link_the_documents(client, world, run):
    notice = reverse("documents:notice_print", args=[run.pk])
    letter = reverse("documents:letter_print", args=[run.pk, world["own"].pk])
    detail = get(client, world["users"]["city"], reverse("rankings:run_detail", args=[run.pk]))
    html = detail.content.decode()
    assert reverse("documents:notice_package", args=[run.pk]) in html and notice in html
    company_page = get(
        client, world["users"]["county"], reverse("companies:detail", args=[world["own"].pk])
    ).content.decode()
    assert letter in company_page
    portal = get(client, world["users"]["company"], reverse("portal")).content.decode()
    assert letter in portal and notice in portal


def test_a_correction_notice_names_the_run_it_corrects_and_why(client, world, run):
    correction = rankings_publish(
        year=YEAR, user=world["users"]["city"], reason="异议成立，更正永康自有企业税金"
    )
    text = docx_text(
        get(
            client, world["users"]["city"], reverse("documents:notice_docx", args=[correction.pk])
        ).content
    )
    assert "更正" in text and "异议成立，更正永康自有企业税金" in text
    assert chinese_date(timezone.localdate(run.started_at)) in text


def test_a_region_scope_notice_gives_each_regions_baselines_and_cut_offs(
    client, world, yongkang, yiwu
):
    scheme = ScoringScheme.objects.get(active=True)
    scheme.evaluation_scope = "region"
    scheme_revise(scheme=scheme)
    AnnualDataFactory(company=world["own"], year=YEAR, tax_paid=300)
    AnnualDataFactory(company=CompanyFactory(region=yongkang), year=YEAR, tax_paid=600)
    AnnualDataFactory(company=world["other"], year=YEAR, tax_paid=900)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=YEAR)
    run = rankings_publish(year=YEAR, user=world["users"]["city"])
    text = docx_text(
        get(client, world["users"]["city"], reverse("documents:notice_docx", args=[run.pk])).content
    )
    lines = text.splitlines()
    assert "不设全市排名" in text
    for region in (yongkang, yiwu):
        population = RunBaseline.objects.get(run=run, size_class="above", region=region)
        assert region.name in lines
        assert f"{population.baseline_tax_per_mu:,.2f}" in lines
    assert "全市" not in lines  # no city-wide population was graded
    letter = docx_text(
        get(
            client,
            world["users"]["company"],
            reverse("documents:letter_docx", args=[run.pk, world["own"].pk]),
        ).content
    )
    assert "不适用" in letter  # the city rank, in region scope
    assert "第 2 名 / 2 家（规上）" in letter  # the region rank
