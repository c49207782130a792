"""The reporting cycle's reminders: who gets the deadline reminder (companies that have not
submitted, 7 days and 1 day before) and the county digest, and that running a task twice
sends one notification and one e-mail per recipient."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification, NotificationPreference
from core.notifications import notifications_email
from reporting import reminders, tasks
from reporting.choices import SubmissionState as S
from reporting.models import Submission
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def due(campaign, submissions, world):
    """The campaign's deadline is 7 days away; each company has a user with an address."""
    campaign.deadline = day(7)
    campaign.save()
    other_user = make_user("company", company=world["other"], username="t-other-co")
    for user in (world["users"]["company"], other_user):
        user.email = f"{user.username}@example.org"
        user.save()
    return {"own": world["users"]["company"], "other": other_user, "campaign": campaign}


def reminded(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith="deadline:")


def test_companies_that_have_not_submitted_are_reminded_and_no_others(due, submissions):
    Submission.objects.filter(pk=submissions["other"].pk).update(state=S.SUBMITTED)
    tasks.send_deadline_reminders()
    [notification] = reminded(due["own"])
    assert notification.url == "/reporting/portal/"
    assert str(due["campaign"].deadline) in notification.text
    assert not reminded(due["other"]).exists()


@pytest.mark.parametrize("state", [S.NOT_STARTED, S.DRAFT, S.COUNTY_RETURNED, S.CITY_RETURNED])
def test_every_state_waiting_for_the_company_is_reminded(due, submissions, state):
    Submission.objects.filter(pk=submissions["own"].pk).update(state=state)
    tasks.send_deadline_reminders()
    assert reminded(due["own"]).count() == 1


def test_inactive_users_get_nothing_and_opted_out_users_no_mail(due):
    due["other"].is_active = False
    due["other"].save()
    NotificationPreference.objects.create(user=due["own"], email_enabled=False)
    tasks.send_deadline_reminders()
    notifications_email()
    assert reminded(due["own"]).count() == 1  # in the inbox
    assert not reminded(due["other"]).exists()
    assert mail.outbox == []


def test_run_twice_send_once(due):
    for _run in range(2):
        tasks.send_deadline_reminders()
        notifications_email()
    assert reminded(due["own"]).count() == 1
    assert reminded(due["other"]).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "t-company@example.org",
        "t-other-co@example.org",
    ]


@pytest.mark.parametrize(
    ("days_left", "window"), [(8, None), (7, 7), (3, 7), (2, 7), (1, 1), (0, 1), (-1, None)]
)
def test_the_windows(days_left, window):
    assert reminders.reminder_window(days_left) == window


def test_seven_days_then_one_day_before_then_nothing(due):
    deadline = due["campaign"].deadline
    sent = [
        reminders.deadline_reminders_send(today=deadline - datetime.timedelta(days=days_left))
        for days_left in (10, 7, 6, 3, 1, 0, -1)
    ]
    # Two recipients: the 7-day reminder on day 7, the 1-day reminder on day 1, nothing else.
    assert sent == [0, 2, 0, 0, 2, 0, 0]
    assert reminded(due["own"]).count() == 2


def test_an_extended_deadline_is_reminded_anew(due):
    reminders.deadline_reminders_send(today=day(0))
    due["campaign"].deadline = day(14)
    due["campaign"].save()
    assert reminders.deadline_reminders_send(today=day(7)) == 2
    assert reminded(due["own"]).count() == 2


@pytest.fixture
def county_users(world, yiwu):
    yiwu_staff = make_user("county", region=yiwu, username="t-county-yiwu")
    return {"yongkang": world["users"]["county"], "yiwu": yiwu_staff}


def digest(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith="county-digest:")


def test_the_county_digest_counts_its_own_regions_queue(campaign, submissions, county_users):
    Submission.objects.filter(pk=submissions["own"].pk).update(state=S.SUBMITTED)
    for _run in range(2):
        tasks.send_county_digest()
    [notification] = digest(county_users["yongkang"])
    assert notification.params == {"waiting": 1, "overdue": 0}
    assert notification.url == "/reporting/queue/"
    assert not digest(county_users["yiwu"]).exists()  # nothing waits there: no digest
    assert not digest_to_others(county_users)


def digest_to_others(county_users):
    return Notification.objects.filter(dedupe_key__startswith="county-digest:").exclude(
        user__in=county_users.values()
    )


def test_the_county_digest_counts_companies_past_the_deadline(campaign, submissions, county_users):
    campaign.deadline = day(-1)
    campaign.save()
    Submission.objects.filter(pk=submissions["own"].pk).update(state=S.SUBMITTED)
    reminders.county_digest_send()
    assert digest(county_users["yiwu"]).get().params == {"waiting": 0, "overdue": 1}
    assert digest(county_users["yongkang"]).get().params == {"waiting": 1, "overdue": 0}
    # A new day, a new digest.
    reminders.county_digest_send(today=day(1))
    assert digest(county_users["yiwu"]).count() == 2
