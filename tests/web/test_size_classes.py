"""RANKING.md part 2 on the surfaces: the rankings page lists one class at a time (规上 by
default), the API and the CSV export carry the class, the company page and portal read
"第 12 名 / 873 家（规下）", and in region scope the city rank reads "not applicable"."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from companies.models import AnnualData
from core.roles import Role
from rankings.models import CompanyScore, ScoringScheme
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory, make_user
from tests.web.conftest import YEAR
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


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


def test_rankings_page_opens_on_the_above_size_list_and_switches_class(client, two_classes):
    client.force_login(two_classes["users"]["city"])
    page = client.get(reverse("rankings:city"), {"year": YEAR})
    assert {s.size_class for s in page.context["scores"]} == {"above"}
    assert len(page.context["scores"]) == 8
    below = client.get(english(reverse("rankings:city")), {"year": YEAR, "size_class": "below"})
    rows = list(below.context["scores"])
    assert [s.company_name for s in rows] == ["规下企业1", "规下企业0"]
    assert [s.city_rank for s in rows] == [1, 2]
    assert "below size" in below.content.decode()


def test_api_scores_and_export_carry_the_class(client, two_classes):
    client.force_login(two_classes["users"]["city"])
    body = client.get(
        f"/api/v1/rankings/{YEAR}/scores/", {"rated": "true", "size_class": "below"}
    ).json()
    assert body["count"] == 2 and {r["size_class"] for r in body["results"]} == {"below"}
    out = io.StringIO()
    call_command("export_scores", "--year", str(YEAR), stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["size_class"] for r in rows] == ["above"] * 8 + ["below"] * 2
    assert [r["position"] for r in rows[8:]] == ["1", "2"]


def test_company_page_and_portal_read_the_rank_with_its_class(client, two_classes):
    company = two_classes["small"][0]
    client.force_login(two_classes["users"]["city"])
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "第 2 名 / 2 家（规下）" in page
    client.force_login(make_user(Role.COMPANY, company=company, username="small-user"))
    portal = client.get(reverse("portal")).content.decode()
    assert "第 2 名 / 2 家（规下）" in portal
    english_portal = client.get(english(reverse("portal"))).content.decode()
    assert "2 of 2 (below size)" in english_portal


def test_region_scope_shows_the_city_rank_as_not_applicable(client, two_classes):
    ScoringScheme.objects.filter(active=True).update(evaluation_scope="region")
    rankings_recompute(year=YEAR)
    assert not CompanyScore.objects.filter(run__year=YEAR, city_rank__isnull=False).exists()
    client.force_login(two_classes["users"]["city"])
    page = client.get(reverse("rankings:city"), {"year": YEAR}).content.decode()
    assert "不适用" in page
    detail = client.get(
        english(reverse("companies:detail", args=[two_classes["own"].pk]))
    ).content.decode()
    assert "not applicable" in detail
    out = io.StringIO()
    call_command("export_scores", "--year", str(YEAR), stdout=out)
    assert {r["city_rank"] for r in csv.DictReader(io.StringIO(out.getvalue()))} == {""}


def test_annual_data_of_the_year_moves_a_company_between_classes(client, two_classes):
    own = two_classes["own"]
    AnnualData.objects.filter(company=own, year=YEAR).update(above_size=False, land_area_mu=4)
    rankings_recompute(year=YEAR)
    score = CompanyScore.objects.get(run__year=YEAR, run__kind="provisional", company=own)
    assert score.size_class == "below" and score.rated
