"""An annual-data row keeps the company and year it was entered for (attack pass): the API
and the admin cannot move an unconfirmed row to another company or year either."""

import pytest

from companies.models import AnnualData
from tests.api.conftest import client_for
from tests.factories import AnnualDataFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def test_the_api_cannot_move_a_row_to_another_year_or_company(world):
    row = AnnualDataFactory(company=world["own"], year=2019)
    api = client_for(world["users"]["city"])
    url = f"/api/v1/annual-data/{row.pk}/"
    version = api.get(url).json().get("version")
    moved = api.patch(url, {"year": 2018, "version": version}, format="json")
    assert moved.status_code == 400 and "year" in moved.json()
    other = CompanyFactory(region=world["own"].region)
    moved = api.patch(url, {"company": other.pk, "version": version}, format="json")
    assert moved.status_code == 400 and "company" in moved.json()
    row.refresh_from_db()
    assert (row.company_id, row.year) == (world["own"].pk, 2019)
    # Its figures still change as before.
    changed = api.patch(url, {"tax_paid": "801", "version": version}, format="json")
    assert changed.status_code == 200, changed.content
    assert AnnualData.objects.get(pk=row.pk).tax_paid == 801
