"""Voiding and restoring records through the API: `POST …/{id}/void/` with a reason and
`POST …/{id}/restore/`, by the roles that may edit the record, with the reason in the history."""

import pytest

from rankings.models import RankingRun
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db

# (URL prefix, key in the `records` fixture) of every voidable resource.
RESOURCES = [
    ("annual-data", "annual"),
    ("certifications", "certification"),
    ("maturity-assessments", "maturity"),
    ("designations", "designation"),
    ("projects", "project"),
]


@pytest.mark.parametrize(("prefix", "key"), RESOURCES)
@pytest.mark.parametrize("role", ["city", "county"])
def test_an_editor_voids_and_restores_a_record(api, records, role, prefix, key):
    record = records["own"][key]
    client = api(role)
    response = client.post(
        f"/api/v1/{prefix}/{record.pk}/void/", {"reason": "entered twice"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["void_reason"] == "entered twice"
    assert response.json()["voided_at"] is not None
    record.refresh_from_db()
    assert record.is_voided
    assert record.voided_by.username == f"t-{role}"
    latest = record.history.order_by("-history_date").first()
    assert latest.history_change_reason == "entered twice"
    assert latest.history_user.username == f"t-{role}"

    response = client.post(f"/api/v1/{prefix}/{record.pk}/restore/", format="json")
    assert response.status_code == 200, response.content
    assert response.json()["voided_at"] is None
    record.refresh_from_db()
    assert not record.is_voided and record.void_reason == ""


@pytest.mark.parametrize(("prefix", "key"), RESOURCES)
def test_a_company_user_may_not_void_its_own_record(api, records, prefix, key):
    record = records["own"][key]
    response = api("company").post(
        f"/api/v1/{prefix}/{record.pk}/void/", {"reason": "mine"}, format="json"
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert not record.is_voided


@pytest.mark.parametrize(("prefix", "key"), RESOURCES)
def test_a_county_user_cannot_reach_another_regions_record(api, records, prefix, key):
    record = records["other"][key]
    client = api("county")
    assert (
        client.post(
            f"/api/v1/{prefix}/{record.pk}/void/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    record.refresh_from_db()
    assert not record.is_voided


@pytest.mark.parametrize(("prefix", "key"), RESOURCES)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_blank_reason_is_refused_naming_reason(api, records, prefix, key, reason):
    record = records["own"][key]
    body = {} if reason is None else {"reason": reason}
    response = api("city").post(
        f"/api/v1/{prefix}/{record.pk}/void/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Give the reason for voiding this record."]}
    record.refresh_from_db()
    assert not record.is_voided and record.version == 1


def test_a_stale_version_is_refused(api, records):
    record = records["own"]["annual"]
    client = api("city")
    client.patch(f"/api/v1/annual-data/{record.pk}/", {"tax_paid": "1"}, format="json")
    response = client.post(
        f"/api/v1/annual-data/{record.pk}/void/", {"reason": "x", "version": 1}, format="json"
    )
    assert response.status_code == 409
    record.refresh_from_db()
    assert not record.is_voided


def test_voiding_twice_and_restoring_a_live_record_are_refused(api, records):
    record = records["own"]["certification"]
    client = api("city")
    url = f"/api/v1/certifications/{record.pk}"
    assert client.post(f"{url}/restore/", format="json").status_code == 400
    assert client.post(f"{url}/void/", {"reason": "a"}, format="json").status_code == 200
    response = client.post(f"{url}/void/", {"reason": "b"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    record.refresh_from_db()
    assert record.void_reason == "a"


def test_a_year_voided_can_be_entered_again_but_not_restored_over_it(api, records):
    old = records["own"]["annual"]
    client = api("city")
    client.post(f"/api/v1/annual-data/{old.pk}/void/", {"reason": "wrong company"}, format="json")
    response = client.post(
        "/api/v1/annual-data/",
        {"company": old.company_id, "year": old.year, "tax_paid": "5", "main_revenue": "100"},
        format="json",
    )
    assert response.status_code == 201, response.content
    # Two live rows for one year would be a contradiction: restoring the old one is refused.
    response = client.post(f"/api/v1/annual-data/{old.pk}/restore/", format="json")
    assert response.status_code == 400
    old.refresh_from_db()
    assert old.is_voided


def test_city_staff_discard_a_stray_run_through_the_api(api, world):
    stray = AnnualDataFactory(company=world["own"], year=2035)
    run = rankings_recompute(year=2035)
    assert api("city").post(f"/api/v1/runs/{run.pk}/discard/").status_code == 400
    api("city").post(f"/api/v1/annual-data/{stray.pk}/void/", {"reason": "typo"}, format="json")
    assert api("county").post(f"/api/v1/runs/{run.pk}/discard/").status_code == 403
    assert api("company").post(f"/api/v1/runs/{run.pk}/discard/").status_code in (403, 404)
    assert api("city").post(f"/api/v1/runs/{run.pk}/discard/").status_code == 204
    assert not RankingRun.objects.filter(year=2035).exists()
