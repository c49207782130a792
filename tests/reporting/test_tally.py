"""The campaign's counts are kept in the cache under its tally version (reporting.tally):
every change of what they count — a step, a company moving region, a submission deleted,
companies added — shows at once on the progress, the campaign page's list and the API's
count, even to a caller holding an older copy of the campaign."""

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Company
from core.services import record_save
from reporting.choices import SubmissionState as S
from reporting.selectors import campaign_progress
from reporting.services import campaign_add_companies, submission_step
from tests.api.conftest import client_for
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def totals(campaign, user):
    return {
        (line.region.pk if line.region else None): dict(line.counts)
        for line in campaign_progress(campaign, user)
    }


def page_count(world, campaign, role, **query):
    client = Client()
    client.force_login(world["users"][role])
    response = client.get(reverse("reporting:campaign", args=[campaign.pk]), query)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def api_count(world, role, **query):
    response = client_for(world["users"][role]).get("/api/v1/submissions/", query)
    assert response.status_code == 200
    return response.json()["count"]


def test_a_step_shows_at_once_on_every_count(world, campaign, submissions):
    city = world["users"]["city"]
    # Read (and so cached) before the step, through the stale campaign object afterwards.
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 2}
    assert page_count(world, campaign, "city", state=S.DRAFT) == 0
    assert api_count(world, "city", state=S.DRAFT) == 0
    submission_step(submission=submissions["own"], action="start", user=world["users"]["company"])
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 1, S.DRAFT: 1}
    assert page_count(world, campaign, "city", state=S.DRAFT) == 1
    assert page_count(world, campaign, "county", state=S.DRAFT) == 1
    assert api_count(world, "city", state=S.DRAFT) == 1
    assert api_count(world, "city", state=S.NOT_STARTED) == 1


def test_a_company_moving_region_moves_its_count_at_once(world, campaign, yongkang, yiwu):
    county = world["users"]["county"]
    assert totals(campaign, county) == {yongkang.pk: {S.NOT_STARTED: 1}, None: {S.NOT_STARTED: 1}}
    assert page_count(world, campaign, "county") == 1
    assert api_count(world, "county") == 1
    own = Company.objects.get(pk=world["own"].pk)
    own.region = yiwu
    record_save(instance=own, user=world["users"]["city"])
    assert totals(campaign, county) == {}
    assert page_count(world, campaign, "county") == 0
    assert api_count(world, "county") == 0


def test_a_deleted_company_leaves_the_counts_at_once(world, campaign):
    city = world["users"]["city"]
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 2}
    assert api_count(world, "city") == 2
    Company.objects.get(pk=world["other"].pk).delete()
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 1}
    assert api_count(world, "city") == 1
    assert page_count(world, campaign, "city") == 1


def test_added_companies_count_at_once(world, campaign):
    city = world["users"]["city"]
    assert page_count(world, campaign, "city") == 2
    assert api_count(world, "city") == 2
    added = CompanyFactory(region=world["own"].region)
    campaign_add_companies(campaign=campaign, credit_codes=[added.credit_code], user=city)
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 3}
    assert page_count(world, campaign, "city") == 3
    assert api_count(world, "city") == 3
