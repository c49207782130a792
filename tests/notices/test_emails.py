"""The objection events are mailed too, once committed: filing to the region's county staff
and the city staff, the decision to the company's users; each mail once."""

import pytest
from django.core import mail

from core.notifications import notifications_email
from notices.services import objection_reject

pytestmark = pytest.mark.django_db


def test_filing_and_decision_are_mailed_once(
    world, published, file_one, other_users, django_capture_on_commit_callbacks
):
    users = world["users"]
    for user in (*users.values(), *other_users.values()):
        user.email = f"{user.username}@example.org"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        objection = file_one()
    assert sorted(m.to[0] for m in mail.outbox) == ["t-city@example.org", "t-county@example.org"]
    assert all(f"/objections/{objection.pk}/" in m.body for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        objection_reject(objection=objection, user=users["city"], reason="材料不足")
    assert [m.to[0] for m in mail.outbox] == ["t-company@example.org"]
    assert notifications_email() == 0  # nothing left to send, nothing sent twice
