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


# --- Regressions of the attacker pass on the tally (2026-12-07) ----------------------------


def test_a_companys_first_draft_shows_at_once(world, campaign, submissions):
    from reporting.services import submission_save
    from tests.reporting.conftest import figures

    city = world["users"]["city"]
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 2}
    assert api_count(world, "city", state=S.DRAFT) == 0
    assert page_count(world, campaign, "city", state=S.DRAFT) == 0
    # Saving a draft moves "not started" to "draft" without an explicit step.
    submission_save(
        submission=submissions["own"], user=world["users"]["company"], figures=figures()
    )
    assert totals(campaign, city)[None] == {S.NOT_STARTED: 1, S.DRAFT: 1}
    assert api_count(world, "city", state=S.DRAFT) == 1
    assert page_count(world, campaign, "city", state=S.DRAFT) == 1


def test_a_deadline_moved_while_a_page_counts_is_not_cached_under_the_new_key(world, campaign):
    import datetime

    from django.utils import timezone

    from reporting.models import Campaign
    from reporting.services import campaign_extend

    city = world["users"]["city"]
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(deadline=today - datetime.timedelta(days=1))
    stale = Campaign.objects.get(pk=campaign.pk)  # one request read the campaign: overdue
    campaign_extend(
        campaign=Campaign.objects.get(pk=campaign.pk),
        deadline=today + datetime.timedelta(days=10),
        user=city,
    )
    campaign_progress(stale, city)  # and counts after another request moved the deadline
    assert campaign_progress(Campaign.objects.get(pk=campaign.pk), city)[-1].overdue == 0


def test_a_renamed_region_shows_its_new_name_on_cached_progress(world, campaign, yongkang):
    city = world["users"]["city"]
    campaign_progress(campaign, city)
    yongkang.name_zh = "永康市（新）"
    yongkang.save()
    names = [line.region.name_zh for line in campaign_progress(campaign, city) if line.region]
    assert "永康市（新）" in names


def test_unknown_api_parameters_are_no_part_of_the_count_key(world, campaign, monkeypatch):
    from reporting import tally

    keys = []
    real = tally.tally_key
    monkeypatch.setattr(
        "reporting.api.views.tally_key", lambda *a, **k: keys.append(real(*a, **k)) or keys[-1]
    )
    api_count(world, "city", junk="1")
    api_count(world, "city", other="2")
    api_count(world, "city", state=S.DRAFT)
    assert keys[0] == keys[1] != keys[2]


@pytest.mark.parametrize(
    ("role", "where", "params"),
    [
        ("city", "publish", {"year": "²"}),
        ("county", "campaign", {"region": "²"}),
        ("city", "campaign", {"region": "٣²"}),
        ("city", "dashboard", {"year": "²"}),
    ],
)
def test_digits_that_are_not_ascii_are_no_error(world, campaign, role, where, params):
    client = Client(raise_request_exception=False)
    client.force_login(world["users"][role])
    url = {
        "publish": reverse("rankings:publish"),
        "campaign": reverse("reporting:campaign", args=[campaign.pk]),
        "dashboard": reverse("dashboard"),
    }[where]
    assert client.get(url, params).status_code == 200
