"""Certificates expiring within 90 days are announced to the company's users and the
county staff of its region, once per certificate and expiry date."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from companies import reminders, tasks
from companies.choices import CertificationStatus
from core.models import Notification
from core.notifications import notifications_email
from tests.factories import CertificationFactory, make_user

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def certificate(company, expires_in, **kwargs):
    return CertificationFactory(
        company=company, issued_on=day(expires_in - 1000), expires_on=day(expires_in), **kwargs
    )


def told(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith="certificate-expiring:")


@pytest.fixture
def people(world, yiwu):
    users = dict(world["users"])
    users["other-company"] = make_user("company", company=world["other"], username="t-other-co")
    users["other-county"] = make_user("county", region=yiwu, username="t-county-yiwu")
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return users


def test_the_company_and_its_county_are_told_and_nobody_else(world, people):
    expiring = certificate(world["own"], 30)
    certificate(world["other"], 200)  # not yet
    certificate(world["other"], 20, status=CertificationStatus.REVOKED)  # does not count
    certificate(world["other"], -5)  # expired already
    for _run in range(2):
        tasks.send_certificate_expiry_reminders()
        notifications_email()
    [company] = told(people["company"])
    assert company.url == "/portal/"
    assert expiring.certificate_no in company.text and str(expiring.expires_on) in company.text
    [county] = told(people["county"])
    assert county.url == f"/companies/{world['own'].pk}/"
    assert world["own"].name in county.text
    for name in ("other-company", "other-county", "city", "admin"):
        assert not told(people[name]).exists(), name
    assert sorted(m.to[0] for m in mail.outbox) == ["t-company@example.org", "t-county@example.org"]


def test_the_ninety_day_edge_and_a_renewal(world, people):
    edge = certificate(world["own"], 90)
    assert reminders.certificate_expiry_reminders_send() == 2
    assert reminders.certificate_expiry_reminders_send(today=day(1)) == 2  # offered, not new
    assert told(people["company"]).count() == 1
    edge.expires_on = day(91)
    edge.save()
    assert reminders.certificate_expiry_reminders_send() == 0
    assert reminders.certificate_expiry_reminders_send(today=day(1)) == 2
    assert told(people["company"]).count() == 2  # the new expiry date is a new event
