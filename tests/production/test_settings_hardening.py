"""Production settings: `check --deploy` is clean, a secret is required, headers are sent,
sessions expire, and no secret is committed."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import RequestFactory

from tests.factories import UserFactory
from tracker.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    # pytest-env's test-only switch would itself fail `check --deploy` (async.E001).
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tracker.jinhua.example",
}


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_a_weakened_production_setting():
    # The same check catches what an operator might switch off, so the clean run above means
    # something: here plain-HTTP cookies and a short secret.
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION_ENV, "SESSION_COOKIE_SECURE": "0", "SECRET_KEY": "short"},
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W012" in output and "security.W009" in output


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_turns_on_secure_cookies_hsts_and_ssl_redirect():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "True True True True ('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout
    # Behind a proxy that terminates TLS and forwards plain HTTP the redirect can be switched off.
    result = _manage("shell", "-c", code, **PRODUCTION_ENV, SECURE_SSL_REDIRECT="0")
    assert "True True False True" in result.stdout


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_an_inline_script_runs_only_with_the_nonce_of_its_response():
    template = Template('<script nonce="{{ request.csp_nonce }}">init()</script>')

    def view(request):
        return HttpResponse(template.render(RequestContext(request)))

    middleware = ContentSecurityPolicyMiddleware(view)
    first = middleware(RequestFactory().get("/"))
    second = middleware(RequestFactory().get("/"))
    nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in first["Content-Security-Policy"]
    assert nonce not in second["Content-Security-Policy"]


@pytest.mark.django_db
def test_session_ends_with_the_browser_and_after_a_working_day(client, settings):
    UserFactory(username="sess-user", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "sess-user", "password": "pass-Word-123"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.parametrize("weak", ["12345678", "password1", "abc", "金华"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


# --- no secret in the repository -----------------------------------------------------------

# Documentation writes `user:pass@host`; such stand-ins are not secrets.
PLACEHOLDER = r"(?![<$*{]|(?:pass|password|secret|change-?me|x+)@)"
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "password in a URL": re.compile(
        r"\b[a-z][a-z0-9+]*://[^\s:/@'\"]+:" + PLACEHOLDER + r"[^\s@/'\"]+@"
    ),
    "secret assignment": re.compile(
        r"(?i)\b(SECRET_KEY|DEMO_PASSWORD|API_KEY|TOKEN|PASSWORD)\s*[=:]\s*['\"]?"
        r"(?![<$*{])[A-Za-z0-9_\-+/!@#%^&]{24,}"
    ),
}


def find_secrets(text: str) -> list[str]:
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


def test_the_secret_scanner_recognises_secrets():
    fake_key = "k" * 10 + secrets.token_hex(12)
    assert find_secrets("SECRET_KEY=" + fake_key) == ["secret assignment"]
    assert find_secrets("postgres://tracker:" + "hunter2" + "@db/tracker") == ["password in a URL"]
    assert find_secrets("-----BEGIN RSA " + "PRIVATE KEY-----") == ["private key"]
    assert find_secrets("SECRET_KEY=<generate: python -c ...>") == []
    assert find_secrets("postgres://postgres@127.0.0.1:5432/tracker") == []
    assert find_secrets("postgres://user:pass@host:5432/tracker") == []


def test_no_secret_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    assert not [p for p in tracked if Path(p).name == ".env"], ".env must never be committed"
    found = {}
    for name in filter(None, tracked):
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (spreadsheets, images) hold no configuration
        if hits := find_secrets(text):
            found[name] = hits
    assert found == {}
