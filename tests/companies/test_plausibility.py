"""Year-on-year jumps are warnings the user confirms, on the staff form and over the API;
the confirmation is the change reason in the row's history, and nothing is written until
it is given."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from companies.models import AnnualData
from companies.plausibility import JUMP_FACTOR, year_on_year_jumps
from tests.production.forms import form_values

pytestmark = pytest.mark.django_db


def _edit_url(row):
    with translation.override("en"):
        return reverse("companies:annual_update", args=[row.pk])


def _stored(row):
    return AnnualData.objects.get(pk=row.pk)


def test_the_rule_flags_a_jump_either_way_and_nothing_smaller(tax_years):
    row = tax_years[2019]
    for tax, flagged in ((7000, True), (6999, False), (70, True), (71, False)):
        row.tax_paid = tax
        assert ("tax_paid" in year_on_year_jumps(row)) is flagged, tax
    assert JUMP_FACTOR == 10


def test_the_form_shows_the_warning_and_saves_only_once_confirmed(client, world, tax_years):
    client.force_login(world["users"]["county"])
    url = _edit_url(tax_years[2019])
    data = {**form_values(client.get(url).content.decode()), "tax_paid": "9000"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["tax_paid"], dict(errors)
    assert "2018" in errors["tax_paid"][0] and "12.9" in errors["tax_paid"][0]
    assert 'type="checkbox" name="confirm_warnings"' in response.content.decode()
    assert _stored(tax_years[2019]).tax_paid == 800

    response = client.post(url, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302
    stored = _stored(tax_years[2019])
    assert stored.tax_paid == 9000
    latest = stored.history.first()
    assert latest.history_change_reason == "confirmed: tax_paid ×12.9 vs 2018"
    assert latest.history_user == world["users"]["county"]


def test_an_ordinary_form_edit_shows_no_confirmation(client, world, tax_years):
    client.force_login(world["users"]["county"])
    url = _edit_url(tax_years[2019])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="confirm_warnings"' not in page
    response = client.post(url, {**form_values(page), "tax_paid": "900"})
    assert response.status_code == 302
    assert _stored(tax_years[2019]).history.first().history_change_reason is None


def test_the_api_lists_the_warnings_under_their_fields_until_confirmed(world, tax_years):
    api = APIClient()
    api.force_authenticate(world["users"]["county"])
    path = f"/api/v1/annual-data/{tax_years[2019].pk}/"
    body = {"tax_paid": "9000", "main_revenue": "20000"}
    response = api.patch(path, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"tax_paid", "confirm_warnings"}, errors
    assert _stored(tax_years[2019]).tax_paid == 800
    assert _stored(tax_years[2019]).history.count() == 1

    response = api.patch(path, {**body, "confirm_warnings": True}, format="json")
    assert response.status_code == 200, response.content
    assert "confirm_warnings" not in response.json()
    stored = _stored(tax_years[2019])
    assert stored.tax_paid == 9000
    assert stored.history.first().history_change_reason == "confirmed: tax_paid ×12.9 vs 2018"


def test_an_unchanged_figure_is_not_warned_about_again(world, tax_years):
    tax_years[2019].tax_paid = 9000
    tax_years[2019].save()
    api = APIClient()
    api.force_authenticate(world["users"]["county"])
    response = api.patch(
        f"/api/v1/annual-data/{tax_years[2019].pk}/", {"rd_expense": "650"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_a_new_row_is_compared_with_the_latest_earlier_one(world, tax_years):
    api = APIClient()
    api.force_authenticate(world["users"]["county"])
    body = {"company": world["own"].pk, "year": 2020, "main_revenue": "20000", "tax_paid": "1"}
    response = api.post("/api/v1/annual-data/", body, format="json")
    assert response.status_code == 400
    assert "2019" in response.json()["tax_paid"][0]
    assert not AnnualData.objects.filter(year=2020).exists()
    response = api.post("/api/v1/annual-data/", {**body, "confirm_warnings": True}, format="json")
    assert response.status_code == 201, response.content
