"""Issue 13 item 1 (batch tables export exactly what they show; the dashboard's league table
links to the league page's export) and issue 12 (publish summary per class, the portal's
next-grade sentence in region scope, the ranked company list ordered class first)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ExportLog
from rankings.models import ScoringScheme
from rankings.selectors import publish_summary
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory, DesignationFactory
from tests.web.conftest import YEAR
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:200]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- batches --------------------------------------------------------------------------------


def test_batch_list_exports_every_batch_with_its_visible_company_count(client, populated):
    client.force_login(populated["users"]["county"])
    page = client.get(reverse("companies:batch_list")).content.decode()
    assert "?export=xlsx" in page and "?export=csv" in page
    response = client.get(reverse("companies:batch_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "示范批次" and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    (row,) = list(sheet.iter_rows(min_row=2, values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["批次号"] == populated["batch"].number
    assert record["企业"] == 1  # the county's own company only, as the page counts
    log = ExportLog.objects.get()
    assert (log.resource, log.format, log.row_count) == ("batches", "xlsx", 1)
    assert client.get(reverse("companies:batch_list"), {"export": "pdf"}).status_code == 404


def test_batch_detail_exports_exactly_the_designations_the_page_lists(client, populated):
    batch = populated["batch"]
    revoked = CompanyFactory(region=populated["own"].region, name="已撤销企业")
    DesignationFactory(company=revoked, batch=batch, active=False, revoked_reason="停产")
    client.force_login(populated["users"]["county"])
    url = reverse("companies:batch_detail", args=[batch.pk])
    assert "?export=csv" in client.get(url).content.decode()
    rows = csv_rows(client.get(english(url), {"export": "csv"}))
    assert [(r["company"], r["active"]) for r in rows] == [
        (populated["own"].name, "Yes"),
        ("已撤销企业", "No"),
    ]  # the other region's company is not in the county's file
    assert rows[1]["reason for revocation"] == "停产"
    assert rows[0]["unified social credit code"] == populated["own"].credit_code


def test_dashboard_league_table_links_to_the_league_page_export(client, populated):
    client.force_login(populated["users"]["city"])
    page = client.get(reverse("dashboard")).content.decode()
    link = f"{reverse('rankings:league')}?year={YEAR}&amp;export=xlsx"
    assert link in page
    response = client.get(reverse("rankings:league"), {"year": YEAR, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- issue 12 -------------------------------------------------------------------------------


@pytest.fixture
def two_classes(populated, yongkang):
    """`populated` (eight 规上 companies rated) plus two rated 规下 companies."""
    small = [
        CompanyFactory(region=yongkang, above_size=False, land_area_mu=5, name=f"规下企业{i}")
        for i in range(2)
    ]
    for index, company in enumerate(small):
        AnnualDataFactory(company=company, year=YEAR, tax_paid=10 + index, electricity=20)
    rankings_recompute(year=YEAR)
    return {**populated, "small": small}


def test_publish_summary_counts_grades_per_class(client, two_classes):
    summary = publish_summary(year=YEAR)
    assert sum(row.above for row in summary.grade_counts) == 8
    assert sum(row.below for row in summary.grade_counts) == 2
    client.force_login(two_classes["users"]["city"])
    page = client.post(reverse("rankings:publish"), {"year": YEAR, "notice_days": "7"})
    html = page.content.decode()
    below_a = next(row for row in summary.grade_counts if row.below)
    assert f"规上 {below_a.above} · 规下 {below_a.below}" in html


def test_portal_next_grade_sentence_names_the_region_in_region_scope(client, populated):
    client.force_login(populated["users"]["company"])
    assert "全市排名前" in client.get(reverse("portal")).content.decode()
    ScoringScheme.objects.filter(active=True).update(evaluation_scope="region")
    rankings_recompute(year=YEAR)
    page = client.get(reverse("portal"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "永康市排名前" in page and "全市排名前" not in page
    # The lagging indicators are measured against the region's baselines.
    assert "低于永康市基准值最多的指标" in page and "低于全市基准值" not in page
    english_page = client.get(english(reverse("portal"))).content.decode()
    assert "or better in Yongkang" in english_page and "in the city." not in english_page


def test_ordering_by_rank_puts_the_above_size_class_first(client, two_classes):
    small = {company.pk for company in two_classes["small"]}
    client.force_login(two_classes["users"]["city"])
    body = client.get("/api/v1/companies/", {"ordering": "city_rank", "page_size": 5}).json()
    rows = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        rows += body["results"]
    ranked = [r for r in rows if r["city_rank"] is not None]
    classes = ["below" if r["id"] in small else "above" for r in ranked]
    assert classes == ["above"] * 8 + ["below"] * 2
    assert [r["city_rank"] for r in ranked] == sorted(r["city_rank"] for r in ranked[:8]) + [1, 2]
    # Descending is the same list reversed (规下 last ranks first).
    backwards = client.get("/api/v1/companies/", {"ordering": "-city_rank", "page_size": 50})
    reversed_ranked = [r["id"] for r in backwards.json()["results"] if r["city_rank"] is not None]
    assert reversed_ranked == [r["id"] for r in reversed(ranked)]
    # The company list page sorts the same way.
    page = client.get(reverse("companies:list"), {"sort": "city_rank"})
    listed = [c.pk for c in page.context["object_list"] if c.city_rank is not None]
    assert listed == [r["id"] for r in ranked]
