"""No lost updates, end to end: two people edit the same record from the same starting copy;
the second save is refused with a conflict that says what happened, and changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from companies.models import AnnualData
from companies.services import user_assign_role
from core.roles import Role
from tests.factories import AnnualDataFactory, UserFactory
from tests.production.forms import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_officials():
    first, second = UserFactory(username="clerk-a"), UserFactory(username="clerk-b")
    for user in (first, second):
        user_assign_role(user=user, role=Role.CITY)
    return first, second


@pytest.fixture
def row(world):
    return AnnualDataFactory(company=world["own"], year=2019, tax_paid=800)


def _state(row):
    fresh = AnnualData.objects.get(pk=row.pk)
    return fresh.tax_paid, fresh.version, fresh.history.count()


def test_the_second_of_two_form_edits_gets_a_conflict_and_changes_nothing(
    client, two_officials, row
):
    first, second = two_officials
    with translation.override("en"):
        url = reverse("companies:annual_update", args=[row.pk])
    other = client.__class__()
    client.force_login(first)
    other.force_login(second)
    form_a = form_values(client.get(url).content.decode())
    form_b = form_values(other.get(url).content.decode())
    assert form_a["version"] == form_b["version"] == "1"

    form_a["tax_paid"] = "900.00"
    assert client.post(url, form_a).status_code == 302
    saved = _state(row)
    assert saved[:2] == (Decimal("900.00"), 2)

    form_b["tax_paid"] = "1000.00"
    response = other.post(url, form_b)
    assert response.status_code == 200  # the form again, with the conflict
    page = response.content.decode()
    assert "changed by someone else" in page
    assert _state(row) == saved


def test_the_second_of_two_api_writes_gets_409_naming_what_changed(two_officials, row):
    first, second = two_officials
    api_a, api_b = APIClient(), APIClient()
    api_a.force_authenticate(first)
    api_b.force_authenticate(second)
    path = f"/api/v1/annual-data/{row.pk}/"
    version = api_b.get(path).json()["version"]

    assert (
        api_a.patch(path, {"tax_paid": "900.00", "version": version}, format="json").status_code
        == 200
    )
    saved = _state(row)

    response = api_b.patch(
        path, {"tax_paid": "1000.00", "version": version}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == version + 1 and body["your_version"] == version
    assert "tax_paid" in body["changed_fields"]
    assert _state(row) == saved

    # The same through an If-Match header instead of a body field.
    response = api_b.patch(
        path, {"tax_paid": "1000.00"}, format="json", HTTP_IF_MATCH=f'"{version}"'
    )
    assert response.status_code == 409
    assert _state(row) == saved
