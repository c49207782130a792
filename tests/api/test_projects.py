"""Key projects through the API: status moves, their history, and the project filters."""

import datetime

import pytest

from projects.choices import ProjectStatus
from projects.services import project_transition
from tests.factories import KeyProjectFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def move(client, project, to_status, **extra):
    return client.post(
        f"/api/v1/projects/{project.pk}/transition/",
        {"to_status": to_status, **extra},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_transition_moves_and_records_history(api, records):
    project = records["own"]["project"]
    county = api("county")
    response = move(county, project, ProjectStatus.COUNTY_REVIEWED, comment="材料齐全")
    assert response.status_code == 200
    assert response.json()["status"] == "county_reviewed"
    # Approving into the pool is the city's step: the county is offered only cancelling.
    assert response.json()["allowed_moves"] == ["cancelled"]
    history = api("company").get(f"/api/v1/projects/{project.pk}/history/")
    assert history.status_code == 200
    assert [
        (h["from_status"], h["to_status"], h["changed_by"], h["comment"]) for h in history.json()
    ] == [("declared", "county_reviewed", "t-county", "材料齐全")]


def test_an_illegal_move_is_400_naming_the_allowed_ones(api, records):
    project = records["own"]["project"]
    response = move(api("admin"), project, ProjectStatus.ACCEPTED)
    assert response.status_code == 400
    message = response.json()["to_status"][0]
    assert "County reviewed" in message and "Cancelled" in message
    project.refresh_from_db()
    assert project.status == ProjectStatus.DECLARED


def test_an_unknown_status_names_the_field(api, records):
    response = move(api("city"), records["own"]["project"], "finished")
    assert response.status_code == 400
    assert "to_status" in response.json()


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("city", 200, 200), ("county", 200, 404), ("company", 403, 403), (None, 401, 401)],
)
def test_transition_follows_the_scope(api, records, role, own, other):
    client = api(role)
    for side, expected in (("own", own), ("other", other)):
        project = records[side]["project"]
        assert move(client, project, ProjectStatus.CANCELLED).status_code == expected
        project.refresh_from_db()
        assert (project.status == ProjectStatus.CANCELLED) is (expected == 200)


def test_history_of_another_region_is_404(api, records):
    other = records["other"]["project"]
    assert api("county").get(f"/api/v1/projects/{other.pk}/history/").status_code == 404


def test_status_cannot_be_written_directly(api, records):
    project = records["own"]["project"]
    response = api("city").patch(
        f"/api/v1/projects/{project.pk}/", {"status": "accepted"}, format="json"
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == ProjectStatus.DECLARED


def test_project_filters(api, world):
    behind = KeyProjectFactory(
        company=world["own"],
        name="落后项目",
        planned_start=datetime.date(2019, 1, 1),
        planned_completion=datetime.date(2021, 12, 31),
        planned_investment=5000,
    )
    for status in ("county_reviewed", "approved", "in_progress"):
        project_transition(project=behind, to_status=status, user=None)
    ProgressReportFactory(project=behind, year=2020, quarter=4, percent_complete=0)
    KeyProjectFactory(
        company=world["other"], name="物联网工厂", kind="iot_factory", level="province"
    )
    city = api("city")

    def names(params):
        response = city.get("/api/v1/projects/", params)
        assert response.status_code == 200, response.content
        return sorted(row["name"] for row in response.json()["results"])

    assert names({"lagging": "true"}) == ["落后项目"]
    assert names({"lagging": "false"}) == ["物联网工厂"]
    assert names({"kind": "iot_factory"}) == ["物联网工厂"]
    assert names({"level": "province"}) == ["物联网工厂"]
    assert names({"status": "in_progress"}) == ["落后项目"]
    assert names({"planned_investment_min": 2000}) == ["落后项目"]
    assert names({"region": world["other"].region_id}) == ["物联网工厂"]
    reports = city.get("/api/v1/progress-reports/", {"behind_schedule": "true"}).json()
    assert [r["project"] for r in reports["results"]] == [behind.pk]
