"""Surveillance audits in the admin for the roles that record them (attacker review pass:
the API let county staff write audits while the admin answered 403 to city and county)."""

import pytest
from django.contrib.auth import get_user_model

from companies.services import user_assign_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "status"), [("city", 200), ("county", 200)])
def test_staff_open_the_surveillance_audits_admin(client, yongkang, role, status):
    user = get_user_model().objects.create_user(username=f"t-{role}-audits", password="x-Pass-2020")
    user_assign_role(user=user, role=role, region=yongkang if role == "county" else None)
    client.force_login(user)
    assert client.get("/en/admin/companies/surveillanceaudit/").status_code == status
    assert client.get("/en/admin/companies/surveillanceaudit/add/").status_code == status
