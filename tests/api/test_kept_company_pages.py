"""The API company list keeps each page in the cache under a key naming the latest run, the
company list stamp (companies.listing), the caller's scope, the query and the language: a
repeated request is answered from the cache, and any change of what the page shows is seen
by the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from core.services import records_bulk_write
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, BatchFactory, DesignationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/companies/"
PARAMS = {"ordering": "city_rank", "page_size": 50}


@pytest.fixture
def ranked(world):
    for company in (world["own"], world["other"]):
        AnnualDataFactory(company=company, year=2019)
    rankings_recompute(year=2019)
    return world


def names(client, params=PARAMS):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    return {row["id"]: row["name"] for row in response.json()["results"]}


def queries_of(client, params=PARAMS) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_a_repeated_page_is_answered_from_the_cache(api, ranked):
    client = api("city")
    first = queries_of(client)
    # The token (with user and membership), then the run with the stamp: nothing else.
    assert queries_of(client) == 2 < first


def test_a_company_saved_shows_at_once(api, ranked):
    client = api("city")
    own = ranked["own"]
    assert names(client)[own.pk] == own.name
    own.name = "永康改名企业"
    own.save()
    assert names(client)[own.pk] == "永康改名企业"


def test_companies_written_in_bulk_show_at_once(api, ranked):
    client = api("city")
    own = ranked["own"]
    names(client)
    own.name = "批量改名企业"
    records_bulk_write(model=Company, updates=[own], fields=["name"])
    assert names(client)[own.pk] == "批量改名企业"


def test_a_region_renamed_shows_at_once(api, ranked):
    client = api("city")
    own = ranked["own"]
    client.get(URL, PARAMS)
    region = own.region
    region.name_zh = "永康新区"
    region.save()
    rows = {row["id"]: row for row in client.get(URL, PARAMS).json()["results"]}
    assert rows[own.pk]["region_name"] == "永康新区"


def test_a_company_deleted_leaves_the_page_at_once(api, ranked):
    client = api("city")
    other = ranked["other"]
    assert other.pk in names(client)
    other.delete()
    assert other.pk not in names(client)


def test_a_kept_page_is_not_shown_to_another_scope(api, ranked):
    assert set(names(api("city"))) == {ranked["own"].pk, ranked["other"].pk}
    assert set(names(api("county"))) == {ranked["own"].pk}


def test_a_page_filtered_by_other_records_is_read_afresh(api, ranked):
    """A designation is not a company write (no new stamp): a page filtered by one is never
    kept."""
    client = api("city")
    batch = BatchFactory(number=1)
    params = {**PARAMS, "batch": batch.pk}
    assert names(client, params) == {}
    DesignationFactory(company=ranked["own"], batch=batch)
    assert set(names(client, params)) == {ranked["own"].pk}
