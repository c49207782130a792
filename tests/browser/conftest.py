"""Playwright against Debian's chromium and pytest-django's live server.

The live server shares the test database; tests are transactional (the pages commit for
real, so on-commit hooks such as the ranking recompute fire) and restore the reference data
the migrations seeded. Without REDIS_URL, Celery runs tasks in-process, so a saved record's
rank appears on the next page load.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's password


def _chromium_missing() -> bool:
    return not (os.path.exists(CHROMIUM) and shutil.which("chromium"))


# One Playwright per process: a second sync_playwright() in the same thread refuses to start
# ("Sync API inside the asyncio loop"), and other test modules import `browser` from here,
# which gives them their own session fixture. All of them share this one.
_SHARED: dict = {}


def _shared_browser():
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        manager = sync_playwright()
        playwright = manager.start()
        _SHARED.update(
            manager=manager,
            browser=playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS),
        )
    return _SHARED["browser"]


def _stop_shared_browser():
    browser, manager = _SHARED.pop("browser", None), _SHARED.pop("manager", None)
    if browser is not None:
        browser.close()
    if manager is not None:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser(request):
    if _chromium_missing():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("chromium is not installed at /usr/bin/chromium (REQUIRE_SERVICES=1)")
        pytest.skip("needs Debian's chromium: apt-get install -y chromium fonts-wqy-zenhei")
    request.session.config.add_cleanup(_stop_shared_browser)
    return _shared_browser()


@pytest.fixture
def in_process_tasks(settings, monkeypatch):
    """No broker: Celery runs tasks in the request, as with `make run` and no REDIS_URL."""
    from tracker.celery import app

    monkeypatch.delenv("REDIS_URL", raising=False)
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def page(request, browser, live_server, reference_data, in_process_tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The browser's language; a test may ask for another with
    # @pytest.mark.parametrize("page", ["en-US"], indirect=True).
    locale = getattr(request, "param", "zh-CN")
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, password=PASSWORD):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form:has(#id_password) [type=submit]")
    page.wait_for_load_state()
