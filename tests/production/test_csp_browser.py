"""Every kind of page works under the Content-Security-Policy in a real browser: no script,
style or image is refused, and the pages that depend on scripts (API docs) still render."""

import re

import pytest

from companies.services import user_assign_role
from core.roles import Role
from rankings.services import rankings_recompute
from tests.browser.conftest import (  # noqa: F401 - fixtures
    browser,
    in_process_tasks,
    login,
)
from tests.factories import AnnualDataFactory, CompanyFactory, KeyProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(browser, live_server, reference_data, in_process_tasks, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.violations = []
    page.on("console", lambda message: _record_violation(page, message.text))
    yield page
    context.close()


# A third-party page may try to fetch from the internet (ReDoc's logo from its CDN): the policy
# blocking that is the point — nothing may load from outside the intranet — not a breakage.
EXTERNAL_LOAD = re.compile(r"Loading the \w+ 'https?://(?!localhost|127\.0\.0\.1)")


def _record_violation(page, text: str) -> None:
    if "Content Security Policy" in text and not EXTERNAL_LOAD.search(text):
        page.violations.append(f"{page.url}: {text}")


def test_no_page_breaks_the_content_security_policy(page):
    city = UserFactory(username="csp-city", is_superuser=True, is_staff=True)
    user_assign_role(user=city, role=Role.ADMIN)
    company = CompanyFactory(name="内容安全策略企业")
    AnnualDataFactory(company=company, year=2019)
    project = KeyProjectFactory(company=company)
    rankings_recompute(year=2019)
    login(page, "csp-city")

    paths = [
        "/",
        "/dashboard/",
        "/companies/",
        f"/companies/{company.pk}/",
        f"/companies/{company.pk}/edit/",
        "/annual-data/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/rankings/",
        "/rankings/league/",
        "/imports/",
        "/admin/",
        f"/admin/companies/company/{company.pk}/change/",
        "/en/dashboard/",
    ]
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response.status < 400, path
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in (
            response.headers
        )
        page.wait_for_load_state("networkidle")

    # The API docs run their own scripts: they must render, not just load.
    page.goto(page.base_url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=30_000)
    page.goto(page.base_url + "/api/redoc/")
    page.wait_for_selector("redoc, #redoc-container, .api-content", state="attached")
    page.wait_for_load_state("networkidle")

    assert page.violations == [], "\n".join(v[:300] for v in page.violations)
