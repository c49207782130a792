"""A list page and its API endpoint filter alike: for every filter of the FilterSet they share,
the same query returns the same rows on both.

The filters are read from each FilterSet, so a filter added later fails `test_every_filter_
has_a_case` until it is given a value here that picks out some rows and not others."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from companies.filtersets import AnnualDataFilterSet
from companies.models import KeyIndustry
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.filtersets import KeyProjectFilterSet
from rankings.filtersets import CompanyScoreFilterSet, RankedCompanyFilterSet
from rankings.models import CompanyScore
from rankings.services import rankings_recompute
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    industry,
)

pytestmark = pytest.mark.django_db

YEAR = 2019


@pytest.fixture
def varied(world, yongkang, yiwu):
    """Companies, annual data, projects and a computed ranking that differ in every filtered
    field. `revoked` was named in `batch` and its designation revoked; `pilot` is named in it."""
    own, other = world["own"], world["other"]
    food = industry("13")
    batch = BatchFactory(number=7)
    pilot = CompanyFactory(
        name="试点企业",
        region=yongkang,
        industry=food,
        key_industry=KeyIndustry.objects.order_by("pk").first(),
        is_pilot=True,
        above_size=False,
        rated=False,
        founded_on=datetime.date(2015, 3, 1),
        land_area_mu=200,
    )
    revoked = CompanyFactory(name="撤销企业", region=yongkang, industry=food)
    DesignationFactory(company=pilot, batch=batch)
    DesignationFactory(company=revoked, batch=batch, active=False)
    CertificationFactory(company=own, level="AAA")
    CertificationFactory(company=other, status="suspended")
    MaturityFactory(company=pilot, level=4)
    MaturityFactory(company=own, level=2)

    AnnualDataFactory(company=own, year=YEAR - 1, tax_paid=300, major_incident=True)
    AnnualDataFactory(company=own, year=YEAR, tax_paid=900, main_revenue=60000)
    for company in (other, pilot, revoked):
        AnnualDataFactory(company=company, year=YEAR, tax_paid=400)
    for index in range(5):
        AnnualDataFactory(
            company=CompanyFactory(region=yongkang), year=YEAR, tax_paid=450 + 50 * index
        )
    # rated in the class below designated size (规下, RANKING.md part 2)
    AnnualDataFactory(
        company=CompanyFactory(region=yongkang, above_size=False, land_area_mu=10),
        year=YEAR,
        tax_paid=20,
    )

    KeyProjectFactory(company=own)
    KeyProjectFactory(
        company=other,
        kind=ProjectKind.IOT_FACTORY,
        level=ProjectLevel.PROVINCE,
        status=ProjectStatus.ACCEPTED,
        accepted_on=datetime.date(2021, 3, 1),
        batch=batch,
        meets_ims_standard=True,
        planned_investment=5000,
        actual_investment=4800,
        planned_start=datetime.date(2020, 1, 1),
        planned_completion=datetime.date(2020, 12, 31),
    )
    KeyProjectFactory(
        company=pilot,
        kind=ProjectKind.IMS,
        level=ProjectLevel.NATIONAL,
        status=ProjectStatus.IN_PROGRESS,  # and past its planned completion: lagging
        actual_investment=500,
    )
    rankings_recompute(year=YEAR)
    return {**world, "batch": batch, "pilot": pilot, "revoked": revoked, "food": food}


def _top_score(data) -> CompanyScore:
    return CompanyScore.objects.filter(run__year=YEAR, rated=True).order_by("position").first()


def _median_total(data) -> str:
    totals = sorted(
        CompanyScore.objects.filter(run__year=YEAR, rated=True).values_list("total", flat=True)
    )
    return str(totals[len(totals) // 2])


@dataclass
class Surface:
    """A list page and the API endpoint answering the same FilterSet. `values` gives each
    filter a value (or a function of the fixture's data giving one); `fixed` names the filters
    the page decides itself, with why; `page_query` / `api_query` is what the page's URL
    already says that the API must be told."""

    name: str
    filterset: type
    page: str
    api: str
    values: dict
    fixed: dict = field(default_factory=dict)
    page_query: dict = field(default_factory=dict)
    api_query: dict = field(default_factory=dict)

    def value(self, name, data):
        value = self.values[name]
        return str(value(data) if callable(value) else value)


SURFACES = [
    Surface(
        name="companies",
        # The list shows each company's result in the latest year's ranking, as the API does.
        filterset=RankedCompanyFilterSet,
        page="companies:list",
        api="/api/v1/companies/",
        values={
            "q": "自有",
            "region": lambda d: d["other"].region_id,
            "region_code": "330782",
            "industry": lambda d: d["food"].pk,
            "industry_code": "13",
            "key_industry": lambda d: d["pilot"].key_industry_id,
            "batch": lambda d: d["batch"].pk,
            "pilot": "true",
            "is_pilot": "true",
            "above_size": "false",
            "rated": "false",
            "certification_level": "AAA",
            "certification_status": "suspended",
            "maturity_level": 3,
            "founded_after": "2010-01-01",
            "founded_before": "2010-01-01",
            "land_area_min": 100,
            "land_area_max": 100,
            "grade": lambda d: _top_score(d).grade,
            "score_min": _median_total,
            "score_max": _median_total,
            "city_rank_max": 3,
        },
    ),
    Surface(
        name="annual data",
        filterset=AnnualDataFilterSet,
        page="companies:annual_list",
        api="/api/v1/annual-data/",
        values={
            "company": lambda d: d["own"].pk,
            "region": lambda d: d["other"].region_id,
            "industry": lambda d: d["food"].pk,
            "q": "自有",
            "year": YEAR - 1,
            "year_min": YEAR,
            "year_max": YEAR - 1,
            "main_revenue_min": 50000,
            "main_revenue_max": 50000,
            "tax_paid_min": 850,
            "tax_paid_max": 850,
            "major_incident": "true",
        },
    ),
    Surface(
        name="key projects",
        filterset=KeyProjectFilterSet,
        page="projects:list",
        api="/api/v1/projects/",
        values={
            "q": "义乌",
            "company": lambda d: d["own"].pk,
            "region": lambda d: d["other"].region_id,
            "industry": lambda d: d["food"].pk,
            "batch": lambda d: d["batch"].pk,
            "kind": ProjectKind.IOT_FACTORY,
            "level": ProjectLevel.NATIONAL,
            "status": ProjectStatus.IN_PROGRESS,
            "lagging": "true",
            "meets_ims_standard": "true",
            "accepted_year": 2021,
            "start_year": 2019,
            "planned_investment_min": 2000,
            "planned_investment_max": 2000,
            "actual_investment_min": 1000,
            "actual_investment_max": 1000,
        },
    ),
    Surface(
        name="city ranking",
        filterset=CompanyScoreFilterSet,
        page="rankings:city",
        api=f"/api/v1/rankings/{YEAR}/scores/",
        page_query={"year": YEAR},
        api_query={"rated": "true", "size_class": "above"},
        values={
            "size_class": "below",
            "region": lambda d: d["other"].region_id,
            "industry": lambda d: d["food"].pk,
            "grade": lambda d: _top_score(d).grade,
            "score_min": _median_total,
            "score_max": _median_total,
            "city_rank_max": 3,
        },
        fixed={
            "year": "the page's year chooses the run",
            "kind": "the page shows the provisional run",
            "rated": "the page lists the rated companies",
            "not_rated_reason": "the page lists the rated companies",
        },
    ),
]


def _cases():
    for surface in SURFACES:
        for name in surface.values:
            yield pytest.param(surface, name, id=f"{surface.name}-{name}")


def page_ids(client, surface, query) -> list[int]:
    response = client.get(reverse(surface.page), {**surface.page_query, **query})
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["page_obj"].paginator.object_list)


def api_ids(client, surface, query) -> list[int]:
    response = client.get(surface.api, {**surface.api_query, **query, "page_size": 500})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return sorted(row["id"] for row in body["results"])


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_every_filter_has_a_case(surface):
    assert set(surface.values) | set(surface.fixed) == set(surface.filterset.base_filters)
    assert not set(surface.values) & set(surface.fixed)


@pytest.mark.parametrize(("surface", "name"), list(_cases()))
@pytest.mark.parametrize("role", ["city", "county"])
def test_page_and_api_return_the_same_rows(client, varied, surface, name, role):
    client.force_login(varied["users"][role])
    query = {name: surface.value(name, varied)}
    on_page = page_ids(client, surface, query)
    assert on_page == api_ids(client, surface, query)
    if role == "city":
        # The value picks out some rows and not others, so the comparison says something.
        assert 0 < len(on_page) < len(page_ids(client, surface, {}))


def test_a_revoked_designation_is_not_in_the_batch(client, varied):
    client.force_login(varied["users"]["city"])
    companies = SURFACES[0]
    query = {"batch": varied["batch"].pk}
    expected = [varied["pilot"].pk]
    assert page_ids(client, companies, query) == api_ids(client, companies, query) == expected
