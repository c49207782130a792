"""Rankings through the API: runs, scores of a run / a year / a company, the league table,
the status, the seed figures, and the company list ordered by rank."""

import pytest

from rankings.models import RankingRun
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world, yiwu):
    """2019 data for both companies (the other one pays far more tax) and a provisional run."""
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    CompanyFactory(name="未参评企业", region=yiwu, rated=False)
    return rankings_recompute(year=2019)


def test_year_scores_rank_the_companies(api, world, ranked):
    response = api("city").get("/api/v1/rankings/2019/scores/", {"rated": "true"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["company_name"], r["city_rank"]) for r in rows] == [
        ("义乌他方企业", 1),
        ("永康自有企业", 2),
    ]
    assert rows[0]["year"] == 2019
    assert rows[0]["grade"] == "A"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"永康自有企业", "义乌他方企业"}),
        ("city", {"永康自有企业", "义乌他方企业"}),
        ("county", {"永康自有企业", "义乌他方企业"}),
        ("company", {"永康自有企业"}),
    ],
)
def test_scores_are_scoped(api, ranked, role, expected):
    response = api(role).get("/api/v1/rankings/2019/scores/", {"rated": "true"})
    assert {r["company_name"] for r in response.json()["results"]} == expected
    by_run = api(role).get(f"/api/v1/runs/{ranked.pk}/scores/", {"rated": "true"})
    assert {r["company_name"] for r in by_run.json()["results"]} == expected


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ("/api/v1/rankings/2019/scores/", None, 401),
        ("/api/v1/rankings/2019/scores/", "norole", 403),
        ("/api/v1/rankings/2018/scores/", "city", 404),
        ("/api/v1/runs/999999/scores/", "city", 404),
        ("/api/v1/rankings/2019/league/", None, 401),
        ("/api/v1/rankings/2019/league/", "company", 200),
        ("/api/v1/rankings/2018/league/", "city", 404),
        ("/api/v1/runs/", "company", 200),
        ("/api/v1/runs/", "norole", 403),
        ("/api/v1/rankings/status/", "county", 200),
        ("/api/v1/rankings/status/", None, 401),
        ("/api/v1/figures/", "company", 200),
        ("/api/v1/figures/", None, 401),
    ],
)
def test_rankings_endpoints_by_role(api, ranked, path, role, expected):
    assert api(role).get(path).status_code == expected


def test_company_score_history(api, world, ranked):
    other = world["other"]
    history = api("city").get(f"/api/v1/companies/{other.pk}/scores/").json()["results"]
    assert [(h["year"], h["city_rank"]) for h in history] == [(2019, 1)]
    # County staff see all rankings, a company user only its own company's.
    assert api("county").get(f"/api/v1/companies/{other.pk}/scores/").status_code == 200
    assert api("company").get(f"/api/v1/companies/{other.pk}/scores/").status_code == 404
    own = api("company").get(f"/api/v1/companies/{world['own'].pk}/scores/")
    assert own.json()["count"] == 1


def test_runs_list_and_filters(api, ranked):
    runs = api("city").get("/api/v1/runs/", {"year": 2019, "kind": "provisional"}).json()
    assert [r["id"] for r in runs["results"]] == [ranked.pk]
    assert runs["results"][0]["rated_count"] == 2


def test_league_table(api, world, ranked):
    rows = api("county").get("/api/v1/rankings/2019/league/").json()
    by_region = {r["region_code"]: r for r in rows}
    assert by_region["330782"]["rated_count"] == 1
    assert by_region["330782"]["grade_a_count"] == 1


def test_companies_ordered_by_city_rank_and_filtered_by_grade(api, world, ranked):
    city = api("city")
    rows = city.get("/api/v1/companies/", {"ordering": "city_rank"}).json()["results"]
    assert [(r["name"], r["city_rank"], r["grade"]) for r in rows] == [
        ("义乌他方企业", 1, "A"),
        ("永康自有企业", 2, "B"),
        ("未参评企业", None, None),
    ]
    assert rows[0]["ranking_year"] == 2019
    descending = city.get("/api/v1/companies/", {"ordering": "-score"}).json()["results"]
    assert [r["name"] for r in descending][:2] == ["义乌他方企业", "永康自有企业"]
    assert descending[-1]["score"] is None
    graded = city.get("/api/v1/companies/", {"grade": "A"}).json()["results"]
    assert [r["name"] for r in graded] == ["义乌他方企业"]
    top = city.get("/api/v1/companies/", {"city_rank_max": 1}).json()["results"]
    assert [r["name"] for r in top] == ["义乌他方企业"]


def test_score_filters(api, ranked):
    city = api("city")
    high = city.get("/api/v1/rankings/2019/scores/", {"grade": "A"}).json()["results"]
    assert [r["company_name"] for r in high] == ["义乌他方企业"]
    not_rated = city.get("/api/v1/rankings/2019/scores/", {"rated": "false"}).json()["results"]
    # not 参评 is the first reason that applies (RANKING.md part 2's order)
    assert [(r["company_name"], r["not_rated_reason"], r["size_class"]) for r in not_rated] == [
        ("未参评企业", "not_participating", "above")
    ]
    total = high[0]["total"]
    at_least = city.get("/api/v1/rankings/2019/scores/", {"score_min": total}).json()
    assert at_least["count"] == 1


def test_status_reports_as_of(api, ranked):
    body = api("city").get("/api/v1/rankings/status/").json()
    assert body["as_of"] is not None
    assert set(body) == {"as_of", "pending", "running", "up_to_date"}


def test_figures_are_scoped_and_validate_the_year(api, world, ranked):
    city = api("city").get("/api/v1/figures/", {"year": 2019}).json()
    county = api("county").get("/api/v1/figures/", {"year": 2019}).json()
    assert city["companies_total"] == 3
    assert county["companies_total"] == 1
    bad = api("city").get("/api/v1/figures/", {"year": "1999"})
    assert bad.status_code == 400
    assert "year" in bad.json()


def test_a_published_run_is_served_on_request(api, world, ranked):
    from rankings.models import DirtyYear
    from rankings.services import rankings_publish

    # The factories' saves marked 2019 dirty; `ranked` recomputed it, as a worker would have.
    DirtyYear.objects.all().delete()
    published = rankings_publish(year=2019, user=world["users"]["city"])
    assert isinstance(published, RankingRun)
    response = api("city").get("/api/v1/rankings/2019/scores/", {"published": "true"})
    assert response.status_code == 200
    assert response.json()["results"][0]["run_kind"] == "published"


def test_figures_give_no_percentage_from_a_loss_but_the_reason_in_the_callers_language(
    api, world, ranked
):
    """Issue 12: a loss-making base year; the cohort is pilots with a demonstration project
    accepted by the end of the year before."""
    import datetime

    from projects.choices import ProjectKind, ProjectStatus
    from tests.factories import AnnualDataFactory, KeyProjectFactory

    pilot = world["own"]
    type(pilot).objects.filter(pk=pilot.pk).update(is_pilot=True, pilot_year=2015)
    KeyProjectFactory(
        company=pilot,
        kind=ProjectKind.DIGITAL_WORKSHOP,
        status=ProjectStatus.ACCEPTED,
        accepted_on=datetime.date(2018, 4, 1),
    )
    pilot.annual_data.filter(year=2019).update(total_profit=50)
    AnnualDataFactory(company=pilot, year=2018, total_profit=-20)
    body = api("city").get("/api/v1/figures/", {"year": 2019}, HTTP_ACCEPT_LANGUAGE="en").json()
    comparison = body["transformed_vs_rest"]
    assert comparison["cohort_companies"] == 1
    assert comparison["profit_change_pct"] is None
    assert comparison["not_applicable"]["profit_change_pct"] == "base_not_positive"
    assert "loss" in comparison["not_applicable_reasons"]["profit_change_pct"]
