"""The company list ordered by city rank (`ordering=city_rank` / `-city_rank`), which is read
in two parts (the ranked companies in the run's display order, then the companies without a
rank by id): every page, filter and page size must give the order of the whole list."""

import pytest

from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory

pytestmark = pytest.mark.django_db

# Equal tax figures give equal totals, hence tied city ranks; the land area separates the
# tied companies' tax per mu only for some of them.
TAX = [900, 300, 300, 300, 1200, 50, 700, 300, 1200, 10]


@pytest.fixture
def ranked_world(world, yongkang, yiwu):
    for n, tax in enumerate(TAX):
        company = CompanyFactory(region=yongkang if n % 3 else yiwu, land_area_mu=40 + n % 2)
        AnnualDataFactory(company=company, year=2019, tax_paid=tax)
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=400)
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=400)
    CompanyFactory(region=yongkang, rated=False)
    CompanyFactory(region=yiwu, rated=False)
    run = rankings_recompute(year=2019)
    # Registered after the run: no score row at all.
    CompanyFactory(region=yongkang)
    CompanyFactory(region=yiwu)
    return run


def whole(client, params):
    body = client.get("/api/v1/companies/", {**params, "page_size": 500}).json()
    assert body["next"] is None
    return body["results"]


def paged(client, params, size):
    rows, page = [], 1
    while True:
        body = client.get("/api/v1/companies/", {**params, "page_size": size, "page": page})
        assert body.status_code == 200, body.content[:300]
        rows += body.json()["results"]
        if body.json()["next"] is None:
            return rows, body.json()["count"]
        page += 1


def expected_order(client, region, *, descending=False):
    """The scores list of the run (display position order) for the region's current
    companies, then the region's companies without a rank by id."""
    companies = whole(client, {"region": region, "ordering": "id"})
    ids = {c["id"] for c in companies}
    scores = client.get("/api/v1/rankings/2019/scores/", {"page_size": 500}).json()["results"]
    ranked = [s["company"] for s in scores if s["company"] in ids and s["city_rank"] is not None]
    if descending:
        ranked.reverse()
    return ranked + sorted(ids - set(ranked))


@pytest.mark.parametrize("ordering", ["city_rank", "-city_rank"])
@pytest.mark.parametrize("region_name", ["yongkang", "yiwu"])
def test_every_page_size_gives_the_rank_order_with_unranked_last(
    api, request, ranked_world, ordering, region_name
):
    city = api("city")
    region = request.getfixturevalue(region_name).pk
    expected = expected_order(city, region, descending=ordering.startswith("-"))
    assert len(expected) >= 6
    params = {"region": region, "ordering": ordering}
    for size in (1, 2, 3, 4, 500):
        rows, count = paged(city, params, size)
        assert [r["id"] for r in rows] == expected, size
        assert count == len(expected)
    rows = whole(city, params)
    ranks = [r["city_rank"] for r in rows if r["city_rank"] is not None]
    assert ranks == sorted(ranks, reverse=ordering.startswith("-"))
    assert all(r["city_rank"] is None for r in rows[len(ranks) :])
    assert all(r["score"] is None and r["grade"] is None for r in rows[len(ranks) :])


def test_rank_order_has_ties_broken_by_display_position(api, ranked_world):
    city = api("city")
    rows = whole(city, {"ordering": "city_rank"})
    ranks = [r["city_rank"] for r in rows if r["city_rank"] is not None]
    assert len(ranks) > len(set(ranks)), "the fixture should produce tied ranks"
    scores = city.get("/api/v1/rankings/2019/scores/", {"page_size": 500}).json()["results"]
    assert [r["id"] for r in rows[: len(ranks)]] == [s["company"] for s in scores][: len(ranks)]


def test_rank_order_combines_with_filters_and_the_count(api, ranked_world):
    city = api("city")
    top = whole(city, {"ordering": "city_rank", "city_rank_max": 3})
    assert top and all(r["city_rank"] <= 3 for r in top)
    rows, count = paged(city, {"ordering": "city_rank", "grade": "A"}, 1)
    assert count == len(rows) and {r["grade"] for r in rows} == {"A"}
    searched, count = paged(city, {"ordering": "city_rank", "search": "永康"}, 1)
    assert [r["name"] for r in searched] == ["永康自有企业"] and count == 1


def test_a_page_past_the_end_is_not_found(api, ranked_world):
    response = api("city").get(
        "/api/v1/companies/", {"ordering": "city_rank", "page_size": 50, "page": 2}
    )
    assert response.status_code == 404


def test_county_and_company_users_see_only_their_companies_ranked(api, world, ranked_world):
    county, _ = paged(api("county"), {"ordering": "city_rank"}, 2)
    assert {r["region"] for r in county} == {world["own"].region_id}
    own, count = paged(api("company"), {"ordering": "-city_rank"}, 1)
    assert [r["id"] for r in own] == [world["own"].pk] and count == 1
    assert own[0]["city_rank"] is not None


def test_rank_order_without_any_run(api, world):
    rows, count = paged(api("city"), {"ordering": "city_rank"}, 1)
    assert [r["id"] for r in rows] == sorted([world["own"].pk, world["other"].pk])
    assert count == 2 and rows[0]["city_rank"] is None and rows[0]["ranking_year"] is None


def test_sync_and_export_ignore_the_paged_rank_reading(api, ranked_world):
    city = api("city")
    synced = city.get("/api/v1/companies/sync/", {"ordering": "city_rank"})
    assert synced.status_code == 200
    ids = [r["id"] for r in synced.json()["results"]]
    assert ids == sorted(ids) and len(ids) == 16
    exported = city.get("/api/v1/companies/", {"ordering": "city_rank", "format": "csv"})
    assert exported.status_code == 200


@pytest.mark.parametrize("role", ["city", "county"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "city_rank"},
        {"ordering": "name"},
        {"rated": "true"},
        {"search": "1"},
        {"grade": "A"},
        {"grade": ["A", "B"], "ordering": "city_rank"},
        {"score_min": "50"},
        {"city_rank_max": "3", "ordering": "-city_rank"},
    ],
)
def test_the_count_is_the_number_of_rows_listed(api, ranked_world, role, params):
    # The count leaves out the run's scores unless a filter reads them (RankedCompanyViewSet.
    # count_rows): with or without them, the count is what the pages hold, in the caller's
    # scope.
    client = api(role)
    rows, count = paged(client, params, 2)
    assert count == len(rows) == len(whole(client, params))
