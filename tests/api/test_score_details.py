"""County staff see every ranking's rank, score and grade, but the indicator figures behind a
score only for their own region's companies (SPEC.md, roles), on every surface that lists
scores: the API lists, their exports and the admin."""

import csv
import io

import pytest
from django.urls import reverse

from companies.services import user_assign_role
from rankings.models import CompanyScore
from rankings.models.scores import DETAIL_FIELDS
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db

SCORE_LISTS = ["/api/v1/rankings/2019/scores/", "/api/v1/runs/{run}/scores/"]


@pytest.fixture
def ranked(world):
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    return rankings_recompute(year=2019)


def rows_by_company(response) -> dict:
    assert response.status_code == 200
    return {row["company_name"]: row for row in response.json()["results"]}


@pytest.mark.parametrize("path", SCORE_LISTS)
def test_county_staff_see_other_regions_rank_and_grade_without_figures(api, ranked, path):
    rows = rows_by_company(api("county").get(path.format(run=ranked.pk), {"rated": "true"}))
    own, other = rows["永康自有企业"], rows["义乌他方企业"]
    for row in (own, other):
        assert row["city_rank"] and row["grade"] and row["total"] is not None
    assert own["tax_per_mu"] is not None and own["tax_per_mu_points"] is not None
    assert all(other[name] is None for name in DETAIL_FIELDS)


@pytest.mark.parametrize("role", ["admin", "city"])
def test_city_wide_roles_see_every_figure(api, ranked, role):
    rows = rows_by_company(api(role).get("/api/v1/rankings/2019/scores/", {"rated": "true"}))
    assert rows["义乌他方企业"]["tax_per_mu"] is not None


def test_history_and_export_of_another_region_hide_figures(api, world, ranked):
    other = world["other"]
    history = api("county").get(f"/api/v1/companies/{other.pk}/scores/")
    assert history.status_code == 200
    [row] = history.json()["results"]
    assert row["grade"] and row["tax_per_mu"] is None
    response = api("county").get(
        "/api/v1/rankings/2019/scores/", {"rated": "true", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    [other_row] = [row for row in rows if row["company_name"] == "义乌他方企业"]
    assert other_row["grade"] and other_row["tax_per_mu"] == ""


def test_admin_shows_county_staff_no_figures_of_another_region(client, world, ranked):
    county = world["users"]["county"]
    user_assign_role(user=county, role="county", region=world["own"].region)
    client.force_login(county)
    other = CompanyScore.objects.get(run=ranked, company=world["other"])
    own = CompanyScore.objects.get(run=ranked, company=world["own"])
    url = reverse("admin:rankings_companyscore_change", args=[other.pk])
    page = client.get(url).content.decode()
    assert "field-grade" in page and "field-tax_per_mu" not in page
    own_page = client.get(reverse("admin:rankings_companyscore_change", args=[own.pk]))
    assert "field-tax_per_mu" in own_page.content.decode()
