"""R1: a campaign year's ranking is published only when the city has confirmed most of the
campaign's submissions, or acknowledges the number still unconfirmed (the rule's home:
reporting.selectors.campaign_coverage, enforced by rankings.services.rankings_publish, so
the page, the admin action and every other caller obey it); the provisional pages say how
many confirmed submissions the result rests on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from rankings.models import DirtyYear, RankingRun
from rankings.services import rankings_publish, rankings_recompute
from reporting.choices import SubmissionState as S
from reporting.selectors import campaign_coverage
from reporting.services import submission_step
from tests.reporting.conftest import YEAR, figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages asserted on are the English ones; reverse() then gives /en/ pages.
    with translation.override("en"):
        yield


def confirm(submission, world):
    submission.figures, submission.state = figures(), S.COUNTY_ACCEPTED
    submission.save()
    submission_step(submission=submission, action="city_confirm", user=world["users"]["city"])


@pytest.fixture
def first_confirmed(world, submissions):
    """The first of the campaign's two submissions confirmed: a ranking of one company."""
    confirm(submissions["own"], world)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=YEAR)
    return submissions


def test_the_first_confirmation_alone_cannot_be_published(world, first_confirmed):
    coverage = campaign_coverage(year=YEAR)
    assert (coverage.confirmed, coverage.total, coverage.needs_acknowledgement) == (1, 2, True)
    with pytest.raises(ValidationError) as refused:
        rankings_publish(year=YEAR, user=world["users"]["city"])
    assert "unconfirmed_acknowledged" in refused.value.message_dict
    assert "1 of the 2 submissions" in refused.value.message_dict["unconfirmed_acknowledged"][0]
    # An acknowledgement of another number (the page was stale) is asked again.
    with pytest.raises(ValidationError):
        rankings_publish(year=YEAR, user=world["users"]["city"], unconfirmed_acknowledged=2)
    assert not RankingRun.objects.published().exists()
    run = rankings_publish(year=YEAR, user=world["users"]["city"], unconfirmed_acknowledged=1)
    assert run.kind == "published"
    # A correction of the published year is not held up again.
    rankings_publish(year=YEAR, user=world["users"]["city"], reason="异议更正")


def test_a_fully_confirmed_campaign_publishes_without_acknowledgement(world, first_confirmed):
    confirm(first_confirmed["other"], world)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=YEAR)
    assert not campaign_coverage(year=YEAR).needs_acknowledgement
    assert rankings_publish(year=YEAR, user=world["users"]["city"]).kind == "published"


def test_a_year_without_a_campaign_is_not_affected(world):
    assert campaign_coverage(year=YEAR - 1) is None


def test_the_publish_page_asks_for_the_acknowledgement(client, world, first_confirmed):
    client.force_login(world["users"]["city"])
    url = reverse("rankings:publish")
    summary = client.post(url, {"year": YEAR}).content.decode()
    assert f'name="unconfirmed_acknowledged_{YEAR}" value="1"' in summary
    refused = client.post(url, {"year": YEAR, "confirm": "1"})
    assert refused.status_code == 200 and not RankingRun.objects.published().exists()
    assert "1 of the 2 submissions" in refused.content.decode()
    done = client.post(url, {"year": YEAR, "confirm": "1", f"unconfirmed_acknowledged_{YEAR}": "1"})
    assert done.status_code == 302 and RankingRun.objects.published().filter(year=YEAR).exists()


def test_the_admin_action_obeys_the_same_rule(client, world, first_confirmed):
    client.force_login(world["users"]["admin"])
    run = RankingRun.objects.provisional().get(year=YEAR)
    changelist = reverse("admin:rankings_rankingrun_changelist")
    form = {"action": "publish_runs", "_selected_action": [run.pk], "apply": "1"}
    client.post(changelist, form)
    assert not RankingRun.objects.published().exists()
    client.post(changelist, {**form, f"unconfirmed_acknowledged_{YEAR}": "1"})
    assert RankingRun.objects.published().filter(year=YEAR).exists()


def test_the_provisional_pages_say_what_the_result_rests_on(client, world, first_confirmed):
    client.force_login(world["users"]["city"])
    page = client.get(reverse("rankings:city"), {"year": YEAR}).content.decode()
    assert 'id="coverage-banner"' in page and "1 of 2" in page
    league = client.get(reverse("rankings:league"), {"year": YEAR}).content.decode()
    assert 'id="coverage-banner"' in league
    client.force_login(world["users"]["company"])
    portal = client.get(reverse("portal")).content.decode()
    assert 'id="coverage-banner"' in portal
