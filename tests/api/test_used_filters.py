"""The API builds only the filters a request names (core.api.filters): the same rows and the
same 400s as the full FilterSet, without a form field for every other filter."""

import pytest

from companies.filtersets import CompanyFilterSet
from core.api.filters import narrowed

pytestmark = pytest.mark.django_db


def test_only_the_named_filters_are_built():
    narrow = narrowed(CompanyFilterSet, frozenset({"region", "page_size", "land_area_min"}))
    assert set(narrow.base_filters) == {"region", "land_area_min"}
    assert issubclass(narrow, CompanyFilterSet)
    # A query naming no filter builds none; the same query gives the same class again.
    assert narrowed(CompanyFilterSet, frozenset({"page"})).base_filters == {}
    assert narrowed(CompanyFilterSet, frozenset({"region"})) is narrowed(
        CompanyFilterSet, frozenset({"region"})
    )


def test_a_narrowed_list_filters_and_refuses_as_before(api, world):
    client = api("city")
    own = world["own"]
    rows = client.get("/api/v1/companies/", {"region": own.region_id}).json()["results"]
    assert {row["id"] for row in rows} == {own.pk}
    response = client.get("/api/v1/companies/", {"region": "abc"})
    assert response.status_code == 400 and "region" in response.json()
