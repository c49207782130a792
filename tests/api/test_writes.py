"""Writes through the API: validation messages name the field, stale versions are refused."""

import pytest

from companies.models import Company
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db


def test_a_bad_credit_code_is_refused_naming_the_field(api, world):
    own = world["own"]
    valid = make_credit_code()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    response = api("city").patch(
        f"/api/v1/companies/{own.pk}/",
        {"credit_code": wrong},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]
    assert response.json()["credit_code"][0].startswith("The check digit is wrong")
    own.refresh_from_db()
    assert own.credit_code != wrong


def test_a_model_rule_checked_by_the_service_names_its_field(api, world):
    # `issued_on` is required only for a certified assessment: Certification.clean, run by
    # record_save's full_clean, not by the serializer.
    response = api("city").post(
        "/api/v1/certifications/",
        {"company": world["own"].pk, "status": "certified", "level": "AA"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"issued_on": ["A certified assessment needs an issue date."]}


def test_a_duplicate_year_is_refused_and_nothing_changes(api, records):
    response = api("city").post(
        "/api/v1/annual-data/",
        {"company": records["own"]["company"].pk, "year": 2019},
        format="json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert records["own"]["company"].annual_data.count() == 1


def test_negative_figures_name_the_field(api, world):
    response = api("city").post(
        "/api/v1/annual-data/",
        {"company": world["own"].pk, "year": 2020, "tax_paid": "-5"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"tax_paid"}


def test_a_stale_version_in_the_body_gives_409_naming_what_changed(api, world):
    own = world["own"]
    city = api("city")
    first = city.patch(
        f"/api/v1/companies/{own.pk}/", {"address": "A 路 1 号", "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = city.patch(
        f"/api/v1/companies/{own.pk}/", {"contact_person": "王五", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert body["your_version"] == 1
    assert "address" in body["changed_fields"]
    own.refresh_from_db()
    assert own.contact_person == ""


def test_if_match_carries_the_version_too(api, world):
    own = world["own"]
    city = api("city")
    first = city.patch(f"/api/v1/companies/{own.pk}/", {"address": "x"}, format="json")
    assert first.status_code == 200
    stale = city.patch(
        f"/api/v1/companies/{own.pk}/", {"address": "y"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 409
    fresh = city.patch(
        f"/api/v1/companies/{own.pk}/", {"address": "y"}, format="json", HTTP_IF_MATCH='W/"2"'
    )
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


def test_without_a_version_the_write_applies(api, world):
    own = world["own"]
    response = api("city").patch(f"/api/v1/companies/{own.pk}/", {"name": "新名"}, format="json")
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.name == "新名"


def test_a_malformed_version_is_a_400_on_the_version_field(api, world):
    response = api("city").patch(
        f"/api/v1/companies/{world['own'].pk}/", {"name": "x", "version": "abc"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_writes_record_who_made_them(api, world):
    code = make_credit_code()
    response = api("county").post(
        "/api/v1/companies/",
        {
            "credit_code": code,
            "name": "县里新增企业",
            "region": world["own"].region_id,
            "industry": world["own"].industry_id,
        },
        format="json",
    )
    assert response.status_code == 201
    company = Company.objects.get(credit_code=code)
    assert company.created_by.username == "t-county"
    assert company.updated_by.username == "t-county"


def test_a_region_in_use_cannot_be_deleted(api, world):
    response = api("admin").delete(f"/api/v1/regions/{world['own'].region_id}/")
    assert response.status_code == 409
    assert "detail" in response.json()


def test_a_region_patch_with_if_match_applies_the_change(api, yongkang):
    """Regions carry no version, so an If-Match header has nothing to check (it once gave
    a 500: FieldError on `version`); the change applies."""
    response = api("admin").patch(
        f"/api/v1/regions/{yongkang.pk}/",
        {"name_en": "Yongkang City"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["name_en"] == "Yongkang City"
    yongkang.refresh_from_db()
    assert yongkang.name_en == "Yongkang City"
