"""The reporting API's role matrix: a company never sees another's submission or attachment,
county staff only their region's; steps by the roles of the table; campaigns by the city."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from companies.models import AnnualData
from reporting.choices import SubmissionState as S
from reporting.models import Campaign
from reporting.services import attachment_add
from tests.api.conftest import client_for
from tests.reporting.conftest import PDF, YEAR, figures, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    return lambda role: client_for(world["users"][role] if role else None)


@pytest.fixture
def files(world, submissions):
    company = world["users"]["company"]
    admin = world["users"]["admin"]
    return {
        "own": attachment_add(submission=submissions["own"], user=company, upload=pdf()),
        "other": attachment_add(submission=submissions["other"], user=admin, upload=pdf()),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "sees_other"), [("admin", True), ("city", True), ("county", False), ("company", False)]
)
def test_submissions_and_attachments_follow_the_scope(api, submissions, files, role, sees_other):
    client = api(role)
    own, other = submissions["own"], submissions["other"]
    listed = ids(client.get("/api/v1/submissions/"))
    assert own.pk in listed and (other.pk in listed) is sees_other
    expected = 200 if sees_other else 404
    assert client.get(f"/api/v1/submissions/{other.pk}/").status_code == expected
    assert client.get(f"/api/v1/submissions/{other.pk}/attachments/").status_code == expected
    download = client.get(f"/api/v1/submissions/{other.pk}/attachments/{files['other'].pk}/")
    assert download.status_code == expected
    # Another submission's id in the path does not reach a file either.
    crossed = client.get(f"/api/v1/submissions/{own.pk}/attachments/{files['other'].pk}/")
    assert crossed.status_code == 404
    mine = client.get(f"/api/v1/submissions/{own.pk}/attachments/{files['own'].pk}/")
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content) == PDF


@pytest.mark.parametrize("role", [None, "norole"])
def test_strangers_get_nothing(api, submissions, role):
    response = api(role).get("/api/v1/submissions/")
    assert response.status_code in (401, 403)


def test_the_company_reports_through_the_api_and_the_roles_follow(api, world, submissions):
    own = submissions["own"]
    company, county, city = api("company"), api("county"), api("city")
    saved = company.post(
        f"/api/v1/submissions/{own.pk}/figures/", {"figures": figures()}, format="json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["state"] == S.DRAFT
    assert saved.json()["allowed_steps"] == ["submit"]
    bad = company.post(
        f"/api/v1/submissions/{own.pk}/figures/", {"figures": figures(tax_paid="-5")}, format="json"
    )
    assert bad.status_code == 400 and "tax_paid" in bad.json()
    upload = company.post(
        f"/api/v1/submissions/{own.pk}/attachments/",
        {"file": SimpleUploadedFile("../../etc/passwd.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["original_name"] == "passwd.pdf"
    fake = company.post(
        f"/api/v1/submissions/{own.pk}/attachments/",
        {"file": SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )
    assert fake.status_code == 400 and "file" in fake.json()
    step = lambda client, action, **extra: client.post(  # noqa: E731
        f"/api/v1/submissions/{own.pk}/step/", {"action": action, **extra}, format="json"
    )
    assert step(county, "county_accept").status_code == 400  # not submitted yet
    assert step(company, "submit").status_code == 200
    assert step(company, "county_accept").status_code == 403
    assert step(city, "county_accept").status_code == 403
    assert step(county, "county_accept").status_code == 200
    assert step(county, "city_confirm").status_code == 403
    confirmed = step(city, "city_confirm")
    assert confirmed.status_code == 200 and confirmed.json()["state"] == S.CONFIRMED
    assert AnnualData.objects.filter(company=world["own"], year=YEAR).exists()
    history = company.get(f"/api/v1/submissions/{own.pk}/history/").json()
    assert [h["action"] for h in history] == ["start", "submit", "county_accept", "city_confirm"]


@pytest.mark.parametrize(("role", "expected"), [("city", 201), ("county", 403), ("company", 403)])
def test_only_the_city_opens_campaigns(api, world, role, expected):
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = api(role).post(
        "/api/v1/campaigns/", {"year": 2019, "deadline": deadline}, format="json"
    )
    assert response.status_code == expected, response.content
    assert Campaign.objects.filter(year=2019).exists() is (expected == 201)


def test_campaign_progress_counts_the_callers_scope(api, campaign, submissions):
    total = api("city").get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    assert total[-1]["region"] is None and total[-1]["total"] == 2
    county = api("county").get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    assert county[-1]["total"] == 1 and county[-1]["counts"][S.NOT_STARTED] == 1


def test_the_schema_documents_the_new_endpoints(api, world):
    schema = api("city").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/campaigns/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/step/",
        "/api/v1/submissions/{id}/attachments/",
    ):
        assert path in schema["paths"], path
