"""Once a week, county staff hear how many key projects of their region are lagging."""

import datetime

import pytest

from core.models import Notification
from projects import reminders, tasks
from projects.choices import ProjectStatus
from tests.factories import KeyProjectFactory, make_user

pytestmark = pytest.mark.django_db


def told(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith="lagging-projects:")


def test_county_staff_of_regions_with_lagging_projects_are_told_once_a_week(world, yiwu):
    yiwu_staff = make_user("county", region=yiwu, username="t-county-yiwu")
    past_due = datetime.date.today() - datetime.timedelta(days=10)
    for _n in range(2):
        KeyProjectFactory(
            company=world["own"], status=ProjectStatus.IN_PROGRESS, planned_completion=past_due
        )
    KeyProjectFactory(
        company=world["own"], status=ProjectStatus.CANCELLED, planned_completion=past_due
    )
    KeyProjectFactory(
        company=world["other"],
        status=ProjectStatus.IN_PROGRESS,
        planned_completion=datetime.date.today() + datetime.timedelta(days=300),
    )
    for _run in range(2):
        tasks.send_lagging_project_reminders()
    [notification] = told(world["users"]["county"])
    assert notification.params == {"count": 2}
    assert notification.url == "/projects/?lagging=true"
    assert not told(yiwu_staff).exists()
    assert not told(world["users"]["company"]).exists()
    assert not told(world["users"]["city"]).exists()
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    reminders.lagging_project_reminders_send(today=next_week)
    assert told(world["users"]["county"]).count() == 2
