"""The account page: a user's own API token (made, expires), its revocation, and logging
out everywhere; linked from the user's name in the top bar."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_users_name_links_to_the_account_page(client, world):
    client.force_login(world["users"]["company"])
    html = client.get("/portal/").content.decode()
    assert 'class="who-name" href="/account/"' in html


def test_the_page_shows_the_token_and_revokes_it(client, world, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    user = world["users"]["county"]
    token = Token.objects.create(user=user)
    made = timezone.localtime(token.created)
    others = Token.objects.create(user=world["users"]["city"])
    client.force_login(user)
    html = client.get("/en/account/").content.decode()
    assert made.strftime("%Y-%m-%d %H:%M") in html
    assert (made + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M") in html
    assert token.key not in html
    assert "Revoke the API token" in html

    response = client.post("/en/account/revoke-token/")
    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(pk=others.pk).exists()
    html = client.get("/en/account/").content.decode()
    assert "Your API token is revoked." in html
    assert "You hold no API token" in html


def test_an_expired_token_is_marked(client, world):
    user = world["users"]["norole"]
    token = Token.objects.create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=400))
    client.force_login(user)
    assert '<span class="badge">已过期</span>' in client.get("/account/").content.decode()


def test_logging_out_everywhere_ends_every_session_and_the_token(client, world):
    user = world["users"]["city"]
    Token.objects.create(user=user)
    other_browser = Client()
    other_browser.force_login(user)
    client.force_login(user)
    response = client.post("/account/logout-all/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert not Token.objects.filter(user=user).exists()
    assert other_browser.get("/dashboard/").status_code == 302  # sent to sign in


def test_the_actions_take_a_post_from_a_signed_in_user(client, world):
    assert client.get("/account/").status_code == 302
    assert client.post("/account/revoke-token/").status_code == 302
    client.force_login(world["users"]["city"])
    assert client.get("/account/revoke-token/").status_code == 405
    assert client.get("/account/logout-all/").status_code == 405


def test_the_user_turns_e_mail_off_and_picks_its_language(client, world):
    from core.models import NotificationPreference

    user = world["users"]["company"]
    user.email = "factory@example.org"
    user.save()
    client.force_login(user)
    html = client.get("/en/account/").content.decode()
    assert "E-mails go to factory@example.org." in html
    assert 'name="email_enabled"' in html and "checked" in html  # on by default
    response = client.post("/en/account/notifications/", {"language": "en"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.email_enabled, preference.language) == (False, "en")
    assert "Your notification settings are saved." in client.get("/en/account/").content.decode()
    # Another user's preference is untouched, and a bad language changes nothing.
    assert not NotificationPreference.objects.exclude(user=user).exists()
    response = client.post("/en/account/notifications/", {"email_enabled": "on", "language": "fr"})
    assert response.status_code == 400
    assert "language" in response.content.decode()
    preference.refresh_from_db()
    assert (preference.email_enabled, preference.language) == (False, "en")


def test_an_account_without_an_address_is_told_so(client, world):
    client.force_login(world["users"]["city"])
    html = client.get("/en/account/").content.decode()
    assert "Your account has no e-mail address" in html
    # The e-mail box is greyed out, not ticked as if mail went somewhere, and a POST
    # cannot turn it on; the language is still saved.
    assert 'name="email_enabled"' in html and "disabled" in html
    assert "No e-mails are sent: your account has no e-mail address." in html
    from core.models import NotificationPreference

    client.post("/en/account/notifications/", {"email_enabled": "", "language": "en"})
    preference = NotificationPreference.objects.get(user=world["users"]["city"])
    assert preference.language == "en"
    assert preference.email_enabled is True  # kept for when an address is added
