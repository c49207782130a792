"""Accepting takes its date (default today, never in the future, never before the planned
start), through the service, the staff page, the admin and the API; and an accepted project
is reopened only by city staff, with a reason, back to the status it was accepted from."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from projects.choices import ProjectStatus as S
from projects.models import ProjectStatusChange
from projects.services import project_transition
from tests.api.test_projects import move
from tests.factories import KeyProjectFactory

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def waiting(world):
    """A project of the county user's company whose acceptance was requested; planned
    2019-01-01 to 2019-12-31."""
    project = KeyProjectFactory(company=world["own"])
    for status in (S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE_REQUESTED):
        project_transition(project=project, to_status=status, user=None)
    return project


@pytest.fixture
def accepted(waiting):
    project_transition(
        project=waiting, to_status=S.ACCEPTED, user=None, accepted_on=datetime.date(2019, 12, 20)
    )
    return waiting


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _unchanged(project, status, accepted_on, changes):
    project.refresh_from_db()
    assert (project.status, project.accepted_on) == (status, accepted_on)
    assert project.status_changes.count() == changes


@pytest.mark.parametrize(
    "day",
    [TOMORROW, datetime.date(9999, 12, 31), datetime.date(2018, 12, 31)],
    ids=["tomorrow", "9999", "before-the-planned-start"],
)
def test_the_service_refuses_an_acceptance_date_in_the_future_or_before_the_start(waiting, day):
    changes = waiting.status_changes.count()
    with pytest.raises(ValidationError) as error:
        project_transition(project=waiting, to_status=S.ACCEPTED, user=None, accepted_on=day)
    assert "accepted_on" in error.value.message_dict
    _unchanged(waiting, S.ACCEPTANCE_REQUESTED, None, changes)


def test_the_start_day_and_today_are_both_acceptable(world):
    for day in (datetime.date(2019, 1, 1), timezone.localdate()):
        project = KeyProjectFactory(company=world["own"], status=S.ACCEPTANCE_REQUESTED)
        project_transition(project=project, to_status=S.ACCEPTED, user=None, accepted_on=day)
        project.refresh_from_db()
        assert project.accepted_on == day


def test_the_api_takes_the_acceptance_date_and_refuses_a_future_one(world, waiting):
    city = _api(world["users"]["city"])
    changes = waiting.status_changes.count()
    response = move(city, waiting, S.ACCEPTED, accepted_on=TOMORROW.isoformat())
    assert response.status_code == 400, response.content
    assert "accepted_on" in response.json()
    _unchanged(waiting, S.ACCEPTANCE_REQUESTED, None, changes)
    response = move(city, waiting, S.ACCEPTED, accepted_on="2019-12-20")
    assert response.status_code == 200, response.content
    assert response.json()["accepted_on"] == "2019-12-20"


def test_the_staff_page_asks_for_the_date_and_uses_it(client, world, waiting):
    client.force_login(world["users"]["city"])
    with translation.override("en"):
        detail = reverse("projects:detail", args=[waiting.pk])
        move = reverse("projects:transition", args=[waiting.pk])
    page = client.get(detail).content.decode()
    assert 'name="accepted_on"' in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page  # today by default
    changes = waiting.status_changes.count()
    client.post(move, {"to_status": S.ACCEPTED, "accepted_on": TOMORROW.isoformat()})
    _unchanged(waiting, S.ACCEPTANCE_REQUESTED, None, changes)
    client.post(move, {"to_status": S.ACCEPTED, "accepted_on": "2019-12-20"})
    waiting.refresh_from_db()
    assert (waiting.status, waiting.accepted_on) == (S.ACCEPTED, datetime.date(2019, 12, 20))


def test_the_admin_refuses_a_future_acceptance_date(client, world, waiting):
    client.force_login(world["users"]["admin"])
    changes = waiting.status_changes.count()
    response = client.post(
        f"/en/admin/projects/keyproject/{waiting.pk}/transition/",
        {"to_status": S.ACCEPTED, "accepted_on": TOMORROW.isoformat()},
        follow=True,
    )
    assert "The date must lie between" in response.content.decode()
    _unchanged(waiting, S.ACCEPTANCE_REQUESTED, None, changes)


def test_city_staff_reopen_an_accepted_project_with_a_reason(world, accepted):
    response = move(
        _api(world["users"]["city"]), accepted, S.ACCEPTANCE_REQUESTED, comment="验收日期录错"
    )
    assert response.status_code == 200, response.content
    accepted.refresh_from_db()
    assert (accepted.status, accepted.accepted_on) == (S.ACCEPTANCE_REQUESTED, None)
    last = accepted.status_changes.last()
    assert (last.from_status, last.to_status, last.comment) == (
        S.ACCEPTED,
        S.ACCEPTANCE_REQUESTED,
        "验收日期录错",
    )
    assert last.changed_by == world["users"]["city"]
    # Reopened, it can be accepted again, on the right day.
    project_transition(
        project=accepted, to_status=S.ACCEPTED, user=None, accepted_on=datetime.date(2019, 6, 3)
    )
    accepted.refresh_from_db()
    assert accepted.accepted_on == datetime.date(2019, 6, 3)


def test_reopening_returns_to_the_status_the_project_was_accepted_from(world):
    # Accepted straight from rectification's resubmission or from wherever the record says.
    project = KeyProjectFactory(company=world["own"], status=S.IN_PROGRESS)
    ProjectStatusChange.objects.create(
        project=project, from_status=S.IN_PROGRESS, to_status=S.ACCEPTED
    )
    project.status, project.accepted_on = S.ACCEPTED, datetime.date(2019, 5, 5)
    project.save()
    city = world["users"]["city"]
    with pytest.raises(ValidationError):  # not where it came from
        project_transition(
            project=project, to_status=S.ACCEPTANCE_REQUESTED, user=city, comment="x"
        )
    project_transition(project=project, to_status=S.IN_PROGRESS, user=city, comment="录入错误")
    project.refresh_from_db()
    assert (project.status, project.accepted_on) == (S.IN_PROGRESS, None)


def test_reopening_needs_a_reason(world, accepted):
    changes = accepted.status_changes.count()
    response = move(_api(world["users"]["city"]), accepted, S.ACCEPTANCE_REQUESTED, comment=" ")
    assert response.status_code == 400
    assert "comment" in response.json()
    _unchanged(accepted, S.ACCEPTED, datetime.date(2019, 12, 20), changes)


def test_a_county_user_may_not_reopen(world, accepted, client):
    county = world["users"]["county"]
    changes = accepted.status_changes.count()
    response = move(_api(county), accepted, S.ACCEPTANCE_REQUESTED, comment="想改")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        project_transition(
            project=accepted, to_status=S.ACCEPTANCE_REQUESTED, user=county, comment="想改"
        )
    _unchanged(accepted, S.ACCEPTED, datetime.date(2019, 12, 20), changes)
    # Nor is the move offered to them; city staff are offered it.
    with translation.override("en"):
        detail = reverse("projects:detail", args=[accepted.pk])
    client.force_login(county)
    assert 'value="acceptance_requested"' not in client.get(detail).content.decode()
    client.force_login(world["users"]["city"])
    assert 'value="acceptance_requested"' in client.get(detail).content.decode()
