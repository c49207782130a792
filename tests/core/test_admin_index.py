"""R9: county staff's admin index lists only what they work with (companies and their
records, projects, submissions); internal and reference tables stay off it, and the recompute
queue is the administrators' alone."""

import pytest
from django.urls import reverse

from companies.services import user_assign_role

pytestmark = pytest.mark.django_db

INTERNAL = {"DirtyYear", "CompanyScore", "RankingRun", "ScoringScheme", "ProjectStatusChange"}
REFERENCE = {"Region", "Industry", "KeyIndustry"}


def index_models(client, world, role):
    user = world["users"][role]
    if role != "admin":
        membership = user.membership
        user_assign_role(user=user, role=role, region=membership.region, company=None)
    client.force_login(user)
    page = client.get(reverse("admin:index"))
    return {m["object_name"] for app in page.context["app_list"] for m in app["models"]}


def test_the_county_index_shows_only_what_county_staff_use(client, world):
    shown = index_models(client, world, "county")
    assert {"Company", "AnnualData", "KeyProject", "Submission"} <= shown
    assert not shown & (INTERNAL | REFERENCE)
    assert client.get(reverse("admin:rankings_dirtyyear_changelist")).status_code == 403


def test_city_staff_see_the_rankings_but_not_the_recompute_queue(client, world):
    shown = index_models(client, world, "city")
    assert {"RankingRun", "CompanyScore", "Region"} <= shown and "DirtyYear" not in shown
    assert client.get(reverse("admin:rankings_dirtyyear_changelist")).status_code == 403


def test_the_administrator_sees_everything(client, world):
    shown = index_models(client, world, "admin")
    assert INTERNAL | REFERENCE <= shown
