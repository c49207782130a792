"""Repeated failed logins are throttled (django-axes): per username and client IP, for 15
minutes, on every HTTP login path; an administrator can lift a lockout."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command

from tests.factories import UserFactory

PASSWORD = "pass-Word-123"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def _admin_login(client, username, password, ip="10.0.0.5"):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username, times, ip="10.0.0.5"):
    for _ in range(times):
        response = _admin_login(client, username, "wrong-password", ip)
        assert not _logged_in(client)
    return response


@pytest.fixture
def staff(db):
    return UserFactory(username="guarded", is_staff=True, is_superuser=True)


def test_settings_lock_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_few_failures_do_not_lock_the_account(client, staff):
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT - 1)
    response = _admin_login(client, "guarded", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_after_the_limit_even_the_right_password_is_refused(client, staff):
    response = _fail(client, "guarded", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = _admin_login(client, "guarded", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    assert "too many login attempts" in response.content.decode().lower()


def test_lockout_is_per_username_and_ip(client, staff):
    UserFactory(username="colleague", is_staff=True)
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT)
    # The same account from another office, and a colleague behind the same IP, still get in.
    assert _admin_login(client, "guarded", PASSWORD, ip="10.0.0.99").status_code == 302
    client.logout()
    assert _admin_login(client, "colleague", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, staff):
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT)
    assert _admin_login(client, "guarded", PASSWORD).status_code == 429
    # Move the recorded failures past the cool-off instead of waiting 15 minutes.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert _admin_login(client, "guarded", PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lockout_with_axes_reset_username(client, staff):
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT)
    assert _admin_login(client, "guarded", PASSWORD).status_code == 429
    call_command("axes_reset_username", "guarded")
    assert _admin_login(client, "guarded", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, staff):
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT - 1)
    assert _admin_login(client, "guarded", PASSWORD).status_code == 302
    client.logout()
    _fail(client, "guarded", settings.AXES_FAILURE_LIMIT - 1)
    assert _admin_login(client, "guarded", PASSWORD).status_code == 302
