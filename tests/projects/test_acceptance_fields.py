"""What the city's acceptance decided — the date, and the kind and level that count in the
ranking — is not rewritten by county staff through the edit form or the API (attacker
review pass: county staff moved an accepted project's acceptance into the published year
before and raised its level from provincial to national)."""

import datetime

import pytest
from django.urls import reverse

from projects.choices import ProjectLevel, ProjectStatus
from tests.api.conftest import client_for
from tests.factories import KeyProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(world):
    return KeyProjectFactory(
        company=world["own"],
        status=ProjectStatus.ACCEPTED,
        accepted_on=datetime.date(2020, 2, 17),
        level=ProjectLevel.PROVINCE,
    )


@pytest.mark.parametrize(
    "change",
    [{"accepted_on": "2019-06-30"}, {"level": ProjectLevel.NATIONAL}, {"kind": "future_factory"}],
)
def test_county_staff_cannot_rewrite_an_acceptance_through_the_api(world, accepted, change):
    county = client_for(world["users"]["county"])
    response = county.patch(
        f"/api/v1/projects/{accepted.pk}/", {**change, "version": accepted.version}, format="json"
    )
    assert response.status_code == 403, response.content
    accepted.refresh_from_db()
    assert accepted.accepted_on == datetime.date(2020, 2, 17)
    assert accepted.level == ProjectLevel.PROVINCE


def test_county_staff_still_edit_the_rest_and_city_staff_may_correct(world, accepted):
    county = client_for(world["users"]["county"])
    response = county.patch(
        f"/api/v1/projects/{accepted.pk}/",
        {"actual_investment": "900", "version": accepted.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    city = client_for(world["users"]["city"])
    response = city.patch(
        f"/api/v1/projects/{accepted.pk}/",
        {"accepted_on": "2020-03-01", "version": response.json()["version"]},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_county_staff_cannot_date_an_acceptance_of_an_open_project(world, client):
    project = KeyProjectFactory(company=world["own"], status=ProjectStatus.IN_PROGRESS)
    client.force_login(world["users"]["county"])
    page = client.get(reverse("projects:update", args=[project.pk]))
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
        if not isinstance(value, bool)
    }
    data.update(accepted_on="2019-12-01", version=project.version)
    client.post(reverse("projects:update", args=[project.pk]), data)
    project.refresh_from_db()
    assert project.accepted_on is None


def test_no_progress_report_on_a_finished_project_from_the_portal_or_the_api(
    world, client, accepted
):
    """The project page hid the form, but the company's portal and the API still filed
    reports on accepted projects (which then showed as behind schedule)."""
    report = {"year": 2020, "quarter": 3, "invested_to_date": "10", "percent_complete": "50"}
    client.force_login(world["users"]["company"])
    client.post(reverse("reporting:portal_progress", args=[accepted.pk]), report)
    county = client_for(world["users"]["county"])
    response = county.post("/api/v1/progress-reports/", {**report, "project": accepted.pk})
    assert response.status_code == 400
    assert "project" in response.json()
    assert not accepted.progress_reports.exists()
    open_project = KeyProjectFactory(company=world["own"], status=ProjectStatus.IN_PROGRESS)
    response = county.post("/api/v1/progress-reports/", {**report, "project": open_project.pk})
    assert response.status_code == 201, response.content
