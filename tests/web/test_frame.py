"""The frame: login, logout, the front door by role, navigation by role, language switch."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders_with_charset_and_viewport(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_login_with_bad_password_shows_error_and_stays_anonymous(client, world):
    response = client.post("/login/", {"username": "t-city", "password": "wrong"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_logout(client, world):
    response = client.post("/login/", {"username": "t-city", "password": "pass-Word-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_home_sends_anonymous_users_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["admin", "city", "county"])
def test_home_sends_staff_to_dashboard(client, world, role):
    client.force_login(world["users"][role])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_home_sends_company_user_to_portal(client, world):
    client.force_login(world["users"]["company"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal")


def test_user_without_role_is_told_so(client, world):
    client.force_login(world["users"]["norole"])
    response = client.get("/")
    assert response.status_code == 403
    assert "registration/no_role.html" in [t.name for t in response.templates]


def _nav_links(response):
    nav = re.search(r'<nav class="mainnav".*?</nav>', response.content.decode(), re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def test_navigation_fits_the_role(client, world):
    client.force_login(world["users"]["city"])
    city_links = _nav_links(client.get(reverse("dashboard")))
    assert reverse("companies:list") in city_links
    assert reverse("projects:list") in city_links
    assert reverse("admin:index") in city_links

    client.force_login(world["users"]["county"])
    county_links = _nav_links(client.get(reverse("dashboard")))
    assert reverse("companies:list") in county_links
    # County staff use the admin (core.roles.ADMIN_SITE_ROLES), so the menu shows it.
    assert reverse("admin:index") in county_links

    client.force_login(world["users"]["company"])
    company_links = _nav_links(client.get(reverse("portal")))
    # The company's own pages only: its portal and its annual report (reporting).
    assert company_links == [reverse("portal"), reverse("reporting:portal")]


def test_language_switch_changes_the_page_language(client, world):
    client.force_login(world["users"]["city"])
    page = reverse("companies:list")
    chinese = client.get(page)
    assert '<html lang="zh-hans">' in chinese.content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302
    english_url = response["Location"]
    assert english_url.startswith("/en/")
    english = client.get(english_url)
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "Companies" in html

    # The switch on the English page sends its own path back; it leads to the Chinese page.
    next_value = re.search(r'name="next" value="([^"]+)"', html).group(1)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": next_value})
    assert response["Location"] == page
    assert '<html lang="zh-hans">' in client.get(page).content.decode()


def test_error_pages_use_the_site_frame(rf, world):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.views import defaults

    request = rf.get("/nowhere/")
    request.user = AnonymousUser()
    not_found = defaults.page_not_found(request, Http404())
    assert not_found.status_code == 404
    assert 'class="topbar"' in not_found.content.decode()
    forbidden = defaults.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403 and 'class="topbar"' in forbidden.content.decode()
    error = defaults.server_error(request)
    assert error.status_code == 500 and "服务器错误" in error.content.decode()
