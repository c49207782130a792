"""The language a real browser gets: its own (Accept-Language) until the visitor chooses one."""

import re

import pytest

from core.roles import Role
from tests.browser.conftest import login
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("page", ["en-US"], indirect=True)  # a browser set to English
def test_an_english_browser_gets_english_until_it_chooses_chinese(page):
    make_user(Role.CITY, username="b-english")
    page.goto(page.base_url + "/")
    page.wait_for_url(re.compile(r"/en/login/"))
    assert page.locator("html").get_attribute("lang") == "en"
    login(page, "b-english")  # the login form at /login/ leads it to /en/login/ as well
    page.wait_for_url(re.compile(r"/en/dashboard/$"))
    assert "Log out" in page.locator("header").inner_text()

    page.click("button.lang-btn[value=zh-hans]")
    page.wait_for_url(re.compile(r"^(?!.*/en/).*/dashboard/$"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The choice outlasts the browser's own language: / and a reload stay Chinese.
    page.goto(page.base_url + "/")
    page.wait_for_url(re.compile(r"^(?!.*/en/).*/dashboard/$"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "退出登录" in page.locator("header").inner_text()
