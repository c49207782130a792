"""The year range (MIN_YEAR–MAX_YEAR) the forms check, and its message in both languages."""

import pytest
from django.urls import reverse

from companies.models import AnnualData, Company
from companies.models.annual import MAX_YEAR, MIN_YEAR
from companies.models.bounds import latest_reported_year
from tests.factories import make_credit_code
from tests.web.helpers import english

pytestmark = pytest.mark.django_db

MESSAGES = {
    "year": {
        "zh-hans": f"年度须在 {MIN_YEAR} 至 {MAX_YEAR} 之间。",
        "en": f"The year must lie between {MIN_YEAR} and {MAX_YEAR}.",
    },
    "pilot_year": {
        "zh-hans": f"试点年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间。",
        "en": f"The pilot year must lie between {MIN_YEAR} and {MAX_YEAR}.",
    },
}


def _post(client, url, language, data):
    return client.post(english(url) if language == "en" else url, data)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("year", [MIN_YEAR - 1, MAX_YEAR + 1])
def test_annual_data_form_refuses_a_year_outside_the_range(client, world, language, year):
    client.force_login(world["users"]["city"])
    url = reverse("companies:annual_create_for", args=[world["own"].pk])
    response = _post(client, url, language, {"year": str(year), "tax_paid": "1", "version": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [MESSAGES["year"][language]]
    assert not AnnualData.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_company_form_refuses_a_pilot_year_outside_the_range(client, world, language):
    client.force_login(world["users"]["city"])
    data = {
        "credit_code": make_credit_code(),
        "name": "金华年份企业有限公司",
        "region": world["own"].region_id,
        "industry": world["own"].industry_id,
        "is_pilot": "on",
        "pilot_year": str(MAX_YEAR + 1),
        "version": "",
    }
    response = _post(client, reverse("companies:create"), language, data)
    assert response.status_code == 200
    assert response.context["form"].errors["pilot_year"] == [MESSAGES["pilot_year"][language]]
    assert not Company.objects.filter(credit_code=data["credit_code"]).exists()


def test_the_bounds_themselves_are_accepted(client, world):
    # Annual figures report on a year that has happened: the upper bound is this year.
    client.force_login(world["users"]["city"])
    url = reverse("companies:annual_create_for", args=[world["own"].pk])
    bounds = {MIN_YEAR, latest_reported_year()}
    for year in bounds:
        data = {"year": str(year), "main_revenue": "1", "tax_paid": "1", "version": ""}
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
    assert set(AnnualData.objects.values_list("year", flat=True)) == bounds
    response = client.post(url, {"year": str(latest_reported_year() + 1), "main_revenue": "1"})
    assert "year" in response.context["form"].errors
