"""API tokens: they expire, and a password change, a role change, deactivation or logging out
everywhere revoke them; a user sees and revokes only their own; the schema and its docs need
a signed-in user."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from companies.models import Membership
from companies.services import user_assign_role
from core.roles import Role
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's


def token_of(user) -> Token:
    return Token.objects.get_or_create(user=user)[0]


def age(token, *, days, seconds=0):
    """Make `token` look `days` (+ `seconds`) old, as the clock would."""
    created = timezone.now() - datetime.timedelta(days=days, seconds=seconds)
    Token.objects.filter(pk=token.pk).update(created=created)


def works(token) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client.get("/api/v1/companies/").status_code == 200


def sign_in(client=None, username="t-city"):
    client = client or APIClient()
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )


# --- lifetime ----------------------------------------------------------------------------


def test_a_token_works_until_its_lifetime_is_over(world, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = token_of(world["users"]["city"])
    age(token, days=29, seconds=86_000)
    assert works(token)
    age(token, days=30, seconds=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/companies/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


def test_the_lifetime_is_a_setting(world, settings):
    token = token_of(world["users"]["city"])
    age(token, days=3)
    settings.API_TOKEN_TTL_DAYS = 7
    assert works(token)
    settings.API_TOKEN_TTL_DAYS = 2
    assert not works(token)


@pytest.mark.parametrize(("environment", "days"), [({}, "30"), ({"API_TOKEN_TTL_DAYS": "7"}, "7")])
def test_the_lifetime_comes_from_the_environment(environment, days):
    env = {name: value for name, value in os.environ.items() if name != "API_TOKEN_TTL_DAYS"}
    env.update(DEBUG="1", SECRET_KEY="x", **environment)
    result = subprocess.run(
        [sys.executable, "-c", "from tracker import settings; print(settings.API_TOKEN_TTL_DAYS)"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == days, result.stderr


def test_signing_in_gives_the_same_token_until_it_expires_then_a_new_one(world, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    first = sign_in().json()
    assert sign_in().json()["token"] == first["token"]
    created = Token.objects.get(key=first["token"]).created
    expires = datetime.datetime.fromisoformat(first["expires"])
    assert expires == created + datetime.timedelta(days=30)
    age(Token.objects.get(key=first["token"]), days=31)
    # A client still sending its expired token may sign in: no 401 before the password.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    renewed = sign_in(client)
    assert renewed.status_code == 200
    assert renewed.json()["token"] != first["token"]
    assert not Token.objects.filter(key=first["token"]).exists()
    assert works(Token.objects.get(key=renewed.json()["token"]))


# --- password change ---------------------------------------------------------------------


def test_set_password_and_save_revokes_the_token(world):
    user = world["users"]["county"]
    token = token_of(user)
    user.set_password("another-Pass-456")
    user.save()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert not works(token)


def test_an_unusable_password_revokes_the_token(world):
    user = world["users"]["county"]
    token = token_of(user)
    user.set_unusable_password()
    user.save()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_an_administrator_changing_a_password_in_the_admin_revokes_the_token(world):
    user = world["users"]["company"]
    token = token_of(user)
    admin = APIClient()
    admin.force_login(world["users"]["admin"])
    response = admin.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "another-Pass-456", "password2": "another-Pass-456"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_changing_ones_own_password_revokes_the_token(world):
    user = world["users"]["city"]
    token = token_of(user)
    client = APIClient()
    client.force_login(user)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-Pass-456",
            "new_password2": "another-Pass-456",
        },
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


class CheapPBKDF2Hasher(PBKDF2PasswordHasher):
    iterations = 1000


def test_signing_in_keeps_the_token_even_when_the_hash_is_upgraded(world, settings):
    user = world["users"]["city"]
    token = token_of(user)
    # The stored hash is MD5 (the test suite's hasher); with PBKDF2 now preferred, signing in
    # re-hashes the same password: not a password change.
    settings.PASSWORD_HASHERS = [
        "tests.api.test_tokens.CheapPBKDF2Hasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = user.password
    client = APIClient()
    assert client.login(username="t-city", password=PASSWORD)
    user.refresh_from_db()
    assert user.password != old_hash
    assert user.password.startswith("pbkdf2_sha256$")
    assert Token.objects.filter(pk=token.pk).exists()
    assert sign_in().json()["token"] == token.key


def test_saving_other_fields_keeps_the_token(world):
    user = world["users"]["city"]
    token = token_of(user)
    user.first_name = "小明"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert works(token)


def test_deactivating_the_account_revokes_the_token(world):
    user = world["users"]["city"]
    token = token_of(user)
    user.is_active = False
    user.save()
    assert not Token.objects.filter(pk=token.pk).exists()


# --- role removal ------------------------------------------------------------------------


def test_removing_the_role_revokes_the_token(world):
    user = world["users"]["county"]
    token = token_of(user)
    Membership.objects.get(user=user).delete()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_removing_the_role_in_the_admin_revokes_the_token(world):
    user = world["users"]["county"]
    token = token_of(user)
    membership = Membership.objects.get(user=user)
    admin = APIClient()
    admin.force_login(world["users"]["admin"])
    response = admin.post(f"/admin/companies/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_a_new_role_revokes_the_token_and_the_same_role_again_keeps_it(world, yiwu):
    user = world["users"]["county"]
    token = token_of(user)
    user_assign_role(user=user, role=Role.COUNTY, region=world["own"].region)
    assert works(token)
    user_assign_role(user=user, role=Role.COUNTY, region=yiwu)
    assert not Token.objects.filter(pk=token.pk).exists()


def test_becoming_an_administrator_or_ceasing_to_be_one_revokes_the_token(world):
    user = world["users"]["city"]
    token = token_of(user)
    user_assign_role(user=user, role=Role.ADMIN)
    assert not Token.objects.filter(pk=token.pk).exists()
    token = token_of(user)
    user_assign_role(user=user, role=Role.CITY)
    assert not Token.objects.filter(pk=token.pk).exists()


def test_deleting_the_users_company_revokes_the_token(world):
    token = token_of(world["users"]["company"])
    world["own"].delete()
    assert not Token.objects.filter(pk=token.pk).exists()


# --- own tokens --------------------------------------------------------------------------


def test_a_user_sees_their_own_token_only(world, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    token = token_of(world["users"]["company"])
    token_of(world["users"]["city"])
    response = client_for(world["users"]["company"]).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == {"created", "expires", "expired", "current"}
    assert row["current"] is True
    assert row["expired"] is False
    assert token.key not in response.content.decode()
    created = datetime.datetime.fromisoformat(row["created"])
    expires = datetime.datetime.fromisoformat(row["expires"])
    assert expires - created == datetime.timedelta(days=30)


def test_signed_in_with_a_session_the_token_is_listed_not_current(world):
    user = world["users"]["norole"]  # no role needed to manage one's own credentials
    age(token_of(user), days=45)
    client = APIClient()
    client.force_login(user)
    [row] = client.get("/api/v1/auth/tokens/").json()
    assert row == {**row, "current": False, "expired": True}
    client.logout()
    assert client.get("/api/v1/auth/tokens/").status_code == 401


def test_a_user_revokes_their_own_token_and_not_anyone_elses(world):
    own = token_of(world["users"]["company"])
    others = token_of(world["users"]["city"])
    client = client_for(world["users"]["company"])
    # Naming someone else's token changes nothing: the endpoint only knows the caller's.
    response = client.delete(
        f"/api/v1/auth/tokens/?key={others.key}", {"key": others.key}, format="json"
    )
    assert response.status_code == 204
    assert not Token.objects.filter(pk=own.pk).exists()
    assert Token.objects.filter(pk=others.pk).exists()
    assert works(others)
    assert client.get("/api/v1/auth/tokens/").status_code == 401


# --- log out everywhere ------------------------------------------------------------------


def test_logging_out_everywhere_revokes_tokens_and_ends_every_session(world):
    user = world["users"]["county"]
    token = token_of(user)
    laptop, phone, colleague = APIClient(), APIClient(), APIClient()
    laptop.force_login(user)
    phone.force_login(user)
    colleague.force_login(world["users"]["city"])
    assert phone.get("/api/v1/companies/").status_code == 200

    response = client_for(user).post("/api/v1/auth/logout-all/")
    assert response.status_code == 204
    assert not Token.objects.filter(pk=token.pk).exists()
    assert laptop.get("/api/v1/companies/").status_code == 401
    assert phone.get("/api/v1/companies/").status_code == 401
    assert colleague.get("/api/v1/companies/").status_code == 200


def test_logging_out_everywhere_from_a_browser_session_ends_it_too(world):
    user = world["users"]["city"]
    token = token_of(user)
    browser = APIClient(enforce_csrf_checks=False)
    browser.force_login(user)
    assert browser.post("/api/v1/auth/logout-all/").status_code == 204
    assert browser.get("/api/v1/companies/").status_code == 401
    assert not works(token)


# --- schema and docs ---------------------------------------------------------------------


def test_the_schema_needs_a_signed_in_user(world):
    anonymous = APIClient().get("/api/schema/", {"format": "json"})
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    by_token = client_for(world["users"]["company"]).get("/api/schema/", {"format": "json"})
    assert by_token.status_code == 200
    assert "/api/v1/auth/tokens/" in by_token.json()["paths"]
    session = APIClient()
    session.force_login(world["users"]["norole"])
    assert session.get("/api/schema/", {"format": "json"}).status_code == 200


@pytest.mark.parametrize("page", ["/api/docs/", "/api/docs/?script=", "/api/redoc/"])
def test_the_docs_send_an_anonymous_browser_to_sign_in(world, page):
    response = APIClient().get(page)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/?next=/api/")
    client = APIClient()
    client.force_login(world["users"]["county"])
    assert client.get(page).status_code == 200


def test_an_expired_token_is_not_let_into_the_docs(world):
    token = token_of(world["users"]["city"])
    age(token, days=400)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/schema/").status_code == 401
