"""The demo's 2020 campaign: in progress, a mix of states that differs across counties, the
`company` account's submission returned for one figure, the `county` account with a queue."""

import pytest
from django.db.models import Count

from reporting.choices import SubmissionState as S
from reporting.models import Campaign, Submission
from reporting.selectors import review_queue
from tests.tracker.test_demo_data import SMALL, load

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_PASSWORD = "demo-pass-123"


def test_the_demo_has_a_2020_campaign_in_every_role():
    from django.contrib.auth import get_user_model

    load(*SMALL)
    campaign = Campaign.objects.get(year=2020)
    rows = Submission.objects.filter(campaign=campaign)
    states = set(rows.values_list("state", flat=True))
    assert {S.NOT_STARTED, S.DRAFT, S.SUBMITTED, S.COUNTY_ACCEPTED} <= states
    assert S.CONFIRMED not in states  # confirming is left to the city (seed_figures unchanged)
    per_region = rows.values("company__region_id").annotate(n=Count("pk"))
    assert len(per_region) > 1
    users = {u.username: u for u in get_user_model().objects.all()}
    showcase = rows.get(company_id=users["company"].membership.company_id)
    assert showcase.state == S.COUNTY_RETURNED and showcase.returned_fields == ["tax_paid"]
    assert showcase.steps.last().taken_by == users["county"]
    assert review_queue(users["county"]).exists()
    assert review_queue(users["city"]).exists()
    # Loading again with --reset starts the campaign afresh.
    load(*SMALL, "--reset")
    assert Campaign.objects.filter(year=2020).count() == 1
