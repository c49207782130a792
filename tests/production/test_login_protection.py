"""Repeated failed logins are throttled (django-axes): per username and client IP, for 15
minutes, on every HTTP login path; an administrator can lift a lockout."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

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
    # The lockout holds on every URL of the account, whatever the language.
    response = client.post(
        "/en" + ADMIN_LOGIN, {"username": "guarded", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert response["Retry-After"] == "900"


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


# --- the API's token sign-in is throttled the same way ---------------------------------------

TOKEN_URL = "/api/v1/auth/token/"


def _token_login(client, username, password, ip="10.0.0.5"):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_the_api_token_sign_in_locks_after_the_same_number_of_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _token_login(client, "guarded", "wrong-password")
        assert response.status_code in (400, 429)
        assert "token" not in response.content.decode()
    response = _token_login(client, "guarded", PASSWORD)
    assert response.status_code == 429
    assert "token" not in response.json()
    # Another client IP is not affected; the lockout is per username and IP.
    assert _token_login(client, "guarded", PASSWORD, ip="10.0.0.99").status_code == 200


def test_failures_on_the_login_page_and_the_api_add_up(client, staff):
    half = settings.AXES_FAILURE_LIMIT // 2
    _fail(client, "guarded", half)
    for _ in range(settings.AXES_FAILURE_LIMIT - half):
        _token_login(client, "guarded", "wrong-password")
    assert _token_login(client, "guarded", PASSWORD).status_code == 429
    assert _admin_login(client, "guarded", PASSWORD).status_code == 429


def test_the_site_login_page_says_why_it_refuses(client, staff):
    with translation.override("en"):
        login_url = reverse("login")  # the English page: /en/login/
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": "guarded", "password": "wrong"}, REMOTE_ADDR="10.0.0.5")
    response = client.post(
        login_url, {"username": "guarded", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert 'name="password"' in page  # the login form again, to try later
