"""Deep pages by keyset (core.keyset): walking the cursor links of the web lists and of the
API gives exactly the rows of the offset pages, in the same order, forwards and backwards;
`?page=N` links stay valid; bad cursors and unsupported orders are refused clearly."""

import re
from html import unescape

import pytest
from django.urls import reverse

from companies.models import Company
from core import keyset
from rankings.services import rankings_recompute
from tests.api.conftest import client_for
from tests.factories import AnnualDataFactory, CompanyFactory
from tests.web.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(populated, yongkang):
    """About 40 companies: some rated (ranked), some without data (not rated), names that
    share a reading, and the ranking recomputed."""
    for index in range(30):
        company = CompanyFactory(region=yongkang, name=f"{'张长阿白'[index % 4]}记{index % 7}厂")
        if index % 3:
            AnnualDataFactory(company=company, year=YEAR, tax_paid=100 + 37 * (index % 11))
    rankings_recompute(year=YEAR)
    return populated


def _links(html):
    found = {}
    for rel in ("next", "prev"):
        match = re.search(r'<a href="([^"]*)" rel="' + rel + '"', html)
        found[rel] = unescape(match.group(1)) if match else None
    return found


def _walk_web(client, url, query, attr, *, limit=50):
    """Follow "next" from the first page, then "previous" back; returns both row lists."""
    response = client.get(url, query)
    forwards, pages, cursor_pages = [], [], 0
    for _step in range(limit):
        rows = [getattr(row, attr) for row in response.context["page_obj"].object_list]
        forwards += rows
        pages.append(response)
        link = _links(response.content.decode())["next"]
        if link is None:
            break
        cursor_pages += "cursor=" in link
        response = client.get(url + link)
    backwards = []
    for _step in range(limit):
        backwards = [
            getattr(row, attr) for row in response.context["page_obj"].object_list
        ] + backwards
        link = _links(response.content.decode())["prev"]
        if link is None:
            break
        response = client.get(url + link)
    assert cursor_pages, "the walk never reached the keyset pages"
    return forwards, backwards


@pytest.mark.parametrize("sort", ["name", "-name", "credit_code"])
def test_the_company_list_pages_by_keyset_past_the_first_pages(client, many, monkeypatch, sort):
    monkeypatch.setattr(keyset, "OFFSET_PAGES", 2)
    monkeypatch.setattr("companies.views.lists.FilteredListView.paginate_by", 4)
    client.force_login(many["users"]["city"])
    url = reverse("companies:list")
    forwards, backwards = _walk_web(client, url, {"sort": sort}, "pk")
    field = {"name": "name_sort", "-name": "-name_sort", "credit_code": "credit_code"}[sort]
    expected = list(
        Company.objects.order_by(field, "-pk" if sort.startswith("-") else "pk").values_list(
            "pk", flat=True
        )
    )
    assert forwards == expected
    assert backwards == expected
    # An offset link of a deep page is still valid and shows the same rows.
    deep = client.get(url, {"sort": sort, "page": 5})
    assert [c.pk for c in deep.context["page_obj"].object_list] == expected[16:20]
    assert deep.context["page_obj"].number == 5


def test_the_city_ranking_pages_by_keyset(client, many, monkeypatch):
    monkeypatch.setattr(keyset, "OFFSET_PAGES", 1)
    monkeypatch.setattr("rankings.views.SCORES_PER_PAGE", 3)
    client.force_login(many["users"]["city"])
    url = reverse("rankings:city")
    forwards, backwards = _walk_web(client, url, {"year": YEAR}, "company_id")
    first = client.get(url, {"year": YEAR})
    expected = [s.company_id for s in first.context["page_obj"].paginator.object_list]
    assert len(expected) > 9
    assert forwards == expected == backwards


def _walk_api(api, url, query):
    response = api.get(url, {**query, "cursor": ""})
    assert response.status_code == 200, response.content
    body = response.json()
    forwards = [row["id"] for row in body["results"]]
    assert "count" not in body and body["previous"] is None
    while body["next"]:
        body = api.get(body["next"]).json()
        forwards += [row["id"] for row in body["results"]]
    backwards = [row["id"] for row in body["results"]]
    while body["previous"]:
        body = api.get(body["previous"]).json()
        backwards = [row["id"] for row in body["results"]] + backwards
    offset = []
    page = 1
    while True:
        body = api.get(url, {**query, "page": page}).json()
        offset += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        page += 1
    return forwards, backwards, offset


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/companies/", {"ordering": "name"}),
        ("/api/v1/companies/", {"ordering": "-name"}),
        ("/api/v1/companies/", {}),
        ("/api/v1/companies/", {"ordering": "city_rank"}),
        ("/api/v1/companies/", {"ordering": "-city_rank", "region": "__yongkang__"}),
        (f"/api/v1/rankings/{YEAR}/scores/", {}),
        (f"/api/v1/rankings/{YEAR}/scores/", {"rated": "true"}),
    ],
)
def test_api_cursor_pages_equal_the_page_number_pages(many, yongkang, url, query):
    query = {k: (yongkang.pk if v == "__yongkang__" else v) for k, v in query.items()}
    api = client_for(many["users"]["city"])
    forwards, backwards, offset = _walk_api(api, url, {**query, "page_size": 4})
    assert len(offset) > 8
    assert forwards == offset == backwards


def test_api_cursor_refuses_bad_cursors_and_other_orders(many):
    api = client_for(many["users"]["city"])
    assert api.get("/api/v1/companies/", {"cursor": "not-a-cursor"}).status_code == 404
    response = api.get("/api/v1/companies/", {"cursor": "", "ordering": "founded_on"})
    assert response.status_code == 400
    assert "cursor" in response.json()
