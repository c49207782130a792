"""The OpenAPI schema validates, and its documentation pages load from local files only."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/companies/",
        "/api/v1/projects/{id}/transition/",
        "/api/v1/auth/token/",
        "/api/v1/companies/sync/",
    ):
        assert f"  {path}:" in text


def test_schema_describes_errors_and_filters(api):
    schema = api("city").get("/api/schema/", {"format": "json", "lang": "en"}).json()
    companies = schema["paths"]["/api/v1/companies/"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(companies["responses"])
    params = {p["name"] for p in companies["parameters"]}
    assert {"region", "industry", "pilot", "search", "ordering", "page_size", "format"} <= params
    update = schema["paths"]["/api/v1/companies/{id}/"]["patch"]
    assert "409" in update["responses"]
    assert "county staff in their own region" in update["description"]


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_only_local_assets(world, page):
    client = APIClient()
    client.force_login(world["users"]["company"])
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "external asset"
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    # The Content-Security-Policy runs scripts from this site's files, or inline with its nonce.
    assert not re.search(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", html)
    if page == "/api/docs/":
        script = client.get(page, {"script": ""})
        assert script.status_code == 200
        assert '"validatorUrl": null' in script.content.decode()


def test_browsable_api_renders_no_dropdown_of_a_table(world, yiwu):
    from tests.factories import CompanyFactory

    CompanyFactory.create_batch(5, region=yiwu)
    client = APIClient()
    client.force_login(world["users"]["city"])
    for page in ("/api/v1/annual-data/", "/api/v1/companies/", "/api/v1/projects/"):
        html = client.get(page, HTTP_ACCEPT="text/html").content.decode()
        # Foreign keys (filters and the create form alike) are typed ids, never a <select>
        # listing companies, regions or batches.
        for select in re.findall(r"<select[^>]*name=\"([a-z_]+)\"", html):
            assert select not in {"company", "region", "industry", "batch", "key_industry"}, (
                page,
                select,
            )
        assert "义乌他方企业</option>" not in html
        assert re.search(r'<input[^>]*name="region"', html), page  # the filter form is there
