"""The demo's 2020 campaign: in progress, a mix of states that differs across counties, the
`company` account's submission returned for one figure, the `county` account with a queue."""

import datetime

import pytest
from django.db.models import Count

from companies.models import AnnualData
from reporting.choices import SubmissionState as S
from reporting.models import Campaign, Submission, SubmissionStep
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
    # R5: the figures move each their own way (not one growth rate for every figure), and
    # every step happened before the demo's today, in order.
    previous = {
        row.company_id: row for row in AnnualData.objects.filter(year=2019, voided_at__isnull=True)
    }
    ratios = set()
    for row in rows.exclude(figures={})[:40]:
        before = previous[row.company_id]
        ratios |= {
            round(float(row.figures[name]) / float(getattr(before, name)), 2)
            for name in ("main_revenue", "tax_paid", "energy_use_tce")
            if getattr(before, name)
        }
    assert len(ratios) > 10
    as_of = datetime.datetime(2020, 4, 14, tzinfo=datetime.UTC)
    steps = SubmissionStep.objects.filter(submission__campaign=campaign)
    assert not steps.filter(taken_at__gte=as_of).exists()
    for submission in rows.exclude(state=S.NOT_STARTED)[:50]:
        times = list(submission.steps.values_list("taken_at", flat=True))
        assert times == sorted(times) and len(set(times)) == len(times)
        if submission.submitted_at:
            assert submission.submitted_at in times
    # Loading again with --reset starts the campaign afresh.
    load(*SMALL, "--reset")
    assert Campaign.objects.filter(year=2020).count() == 1


def test_the_demo_has_objections_on_the_published_2019_run_in_every_state():
    """Item 10: the 2019 ranking is published (its notice open from the load day, so the
    `company` account can file), with objections filed, remarked, rejected with a reason and
    upheld with the correction run naming them, all made through the services."""
    from django.contrib.auth import get_user_model

    from notices.choices import ObjectionState as O
    from notices.models import Objection
    from notices.selectors import notice_open, objectionable_runs, official_run

    load(*SMALL)
    users = {u.username: u for u in get_user_model().objects.all()}
    objections = Objection.objects.select_related("run", "company")
    assert {o.state for o in objections} == {O.FILED, O.REMARKED, O.REJECTED, O.UPHELD}
    county_region = users["county"].membership.region_id
    assert all(o.company.region_id == county_region for o in objections)
    rejected = objections.get(state=O.REJECTED)
    assert rejected.company_id == users["company"].membership.company_id
    assert rejected.decision_reason
    upheld = objections.get(state=O.UPHELD)
    official = official_run(2019)
    assert upheld.correction_run == official and str(upheld.pk) in official.reason
    assert notice_open(official)
    assert official in objectionable_runs(users["company"].membership.company_id)
