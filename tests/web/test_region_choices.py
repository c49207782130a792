"""The regions a user may pick are decided once (`core.scoping.selectable_regions`): every form
and filter that offers a region offers the same ones, county staff only their own."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from companies.models import Region
from companies.services import user_assign_role

pytestmark = pytest.mark.django_db

# (URL name, context key of the form holding the region field)
SURFACES = [
    ("companies:list", "filter_form"),
    ("companies:annual_list", "filter_form"),
    ("projects:list", "filter_form"),
    ("companies:create", "form"),
    ("admin:companies_company_add", "adminform"),
]


def log_in(client, role, **binding):
    # Given the role the way production does (permission groups), so the admin opens too.
    user = get_user_model().objects.create_user(username=f"r-{role}", password="pass-Word-123")
    user_assign_role(user=user, role=role, **binding)
    client.force_login(user)


def offered_regions(client, url_name, context_key):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    form = response.context[context_key]
    form = getattr(form, "form", form)  # the admin's wrapper holds the form
    return set(form.fields["region"].queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(("url_name", "context_key"), SURFACES)
def test_county_staff_are_offered_only_their_region(client, world, url_name, context_key):
    log_in(client, "county", region=world["own"].region)
    assert offered_regions(client, url_name, context_key) == {world["own"].region_id}


@pytest.mark.parametrize(("url_name", "context_key"), SURFACES)
def test_city_staff_are_offered_every_region(client, world, url_name, context_key):
    log_in(client, "city")
    every_region = set(Region.objects.values_list("pk", flat=True))
    assert len(every_region) > 1
    assert offered_regions(client, url_name, context_key) == every_region
