"""Filters, search, ordering and pagination of the companies app's lists."""

import datetime

import pytest

from companies.choices import CertificationStatus
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    MaturityFactory,
)

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_company_filters(api, world, yongkang):
    pilot = CompanyFactory(name="试点企业", region=yongkang, is_pilot=True, above_size=False)
    batch = BatchFactory(number=3)
    DesignationFactory(company=pilot, batch=batch)
    CertificationFactory(company=world["other"], level="AAA")
    MaturityFactory(company=pilot, level=4)
    city = api("city")
    assert names(city.get("/api/v1/companies/", {"region": yongkang.pk})) == [
        "永康自有企业",
        "试点企业",
    ]
    assert names(city.get("/api/v1/companies/", {"pilot": "true"})) == ["试点企业"]
    assert names(city.get("/api/v1/companies/", {"above_size": "false"})) == ["试点企业"]
    assert names(city.get("/api/v1/companies/", {"batch": batch.pk})) == ["试点企业"]
    assert names(city.get("/api/v1/companies/", {"certification_level": "AAA"})) == ["义乌他方企业"]
    assert names(city.get("/api/v1/companies/", {"maturity_level": 3})) == ["试点企业"]
    assert names(city.get("/api/v1/companies/", {"maturity_level": 5})) == []


def test_search_matches_name_and_credit_code(api, world):
    city = api("city")
    assert names(city.get("/api/v1/companies/", {"search": "义乌"})) == ["义乌他方企业"]
    code = world["own"].credit_code
    assert names(city.get("/api/v1/companies/", {"search": code[-8:]})) == ["永康自有企业"]


def test_ordering_and_page_size_cap(api, world):
    city = api("city")
    response = city.get("/api/v1/companies/", {"ordering": "-name", "page_size": 1})
    body = response.json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"] is not None
    CompanyFactory.create_batch(3)
    capped = city.get("/api/v1/companies/", {"page_size": 100000})
    assert capped.status_code == 200
    assert len(capped.json()["results"]) == 5


def test_a_bad_filter_value_names_the_filter(api, world):
    response = api("city").get("/api/v1/companies/", {"region": "abc"})
    assert response.status_code == 400
    assert "region" in response.json()


def test_certification_filters(api, world):
    CertificationFactory(
        company=world["own"], issued_on=datetime.date(2016, 1, 1), certificate_no="OLD"
    )
    CertificationFactory(
        company=world["own"],
        issued_on=datetime.date(2019, 1, 1),
        certificate_no="SUS",
        status=CertificationStatus.SUSPENDED,
    )
    city = api("city")
    old = city.get("/api/v1/certifications/", {"expires_before": "2020-01-01"}).json()
    assert [row["certificate_no"] for row in old["results"]] == ["OLD"]
    suspended = city.get("/api/v1/certifications/", {"status": "suspended"}).json()
    assert [row["certificate_no"] for row in suspended["results"]] == ["SUS"]


def test_annual_data_filters(api, world):
    AnnualDataFactory(company=world["own"], year=2018, tax_paid=100)
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=900)
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=50)
    city = api("city")
    rows = city.get("/api/v1/annual-data/", {"year": 2019, "tax_paid_min": 60}).json()["results"]
    assert [(r["company"], r["year"]) for r in rows] == [(world["own"].pk, 2019)]
    rows = city.get("/api/v1/annual-data/", {"region": world["other"].region_id}).json()
    assert rows["count"] == 1


def test_sync_walks_the_whole_table_with_a_cursor(api, world, yiwu):
    CompanyFactory.create_batch(4, region=yiwu)
    city = api("city")
    seen = []
    page = city.get("/api/v1/companies/sync/", {"page_size": 2}).json()
    while True:
        seen += [row["id"] for row in page["results"]]
        if not page["next"]:
            break
        page = city.get(page["next"]).json()
    assert len(seen) == 6
    assert seen == sorted(seen)
    county = api("county").get("/api/v1/companies/sync/").json()
    assert [row["name"] for row in county["results"]] == ["永康自有企业"]
