"""Key-project pages: list with lagging flag, status moves as buttons, progress reports."""

import pytest
from django.urls import reverse

from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def test_list_flags_lagging_projects_and_is_scoped(client, populated):
    client.force_login(populated["users"]["county"])
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    projects = {p.pk: p for p in response.context["object_list"]}
    assert populated["other_project"].pk not in projects
    assert projects[populated["own_project"].pk].is_lagging  # 10 % done, past its completion

    lagging_only = client.get(reverse("projects:list"), {"lagging": "true"})
    assert [p.pk for p in lagging_only.context["object_list"]] == [populated["own_project"].pk]
    on_time = client.get(reverse("projects:list"), {"lagging": "false"})
    assert populated["own_project"].pk not in [p.pk for p in on_time.context["object_list"]]


def test_list_export_is_filtered(client, populated):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("projects:list"), {"status": "in_progress", "export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert populated["own_project"].name in text
    assert populated["other_project"].name not in text


def test_detail_offers_only_the_allowed_moves(client, populated):
    client.force_login(populated["users"]["city"])
    project = populated["own_project"]  # in progress
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    assert {status for status, _label in response.context["moves"]} == {
        ProjectStatus.ACCEPTANCE_REQUESTED,
        ProjectStatus.CANCELLED,
    }
    html = response.content.decode()
    assert 'value="acceptance_requested"' in html and 'value="cancelled"' in html
    assert 'value="accepted"' not in html
    # status history with who and the comment
    assert len(response.context["status_changes"]) == 3


def test_move_records_who_and_the_comment(client, populated):
    city = populated["users"]["city"]
    client.force_login(city)
    project = populated["own_project"]
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"to_status": "acceptance_requested", "comment": "完工"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTANCE_REQUESTED
    change = ProjectStatusChange.objects.filter(project=project).latest("id")
    assert change.changed_by == city and change.comment == "完工"


def test_illegal_move_is_refused_and_changes_nothing(client, populated):
    client.force_login(populated["users"]["city"])
    project = populated["own_project"]
    before = ProjectStatusChange.objects.count()
    response = client.post(
        english(reverse("projects:transition", args=[project.pk])),
        {"to_status": "accepted"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "Allowed: Acceptance requested, Cancelled" in messages[0]
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    assert ProjectStatusChange.objects.count() == before


def test_county_cannot_see_or_move_another_regions_project(client, populated):
    client.force_login(populated["users"]["county"])
    other = populated["other_project"]
    page = client.get(reverse("projects:detail", args=[other.pk]))
    assert page.status_code == 403 and other.name not in page.content.decode()
    assert "这条记录属于其他区县" in page.content.decode()
    response = client.post(
        reverse("projects:transition", args=[other.pk]), {"to_status": "county_reviewed"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == ProjectStatus.DECLARED


def test_add_progress_report(client, populated):
    client.force_login(populated["users"]["county"])
    project = populated["own_project"]
    url = reverse("projects:report_create", args=[project.pk])
    response = client.post(
        url, {"year": "2020", "quarter": "1", "percent_complete": "60", "note": "顺利"}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(project=project, year=2020, quarter=1).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": "2020", "quarter": "5", "percent_complete": "60"}, "quarter"),
        ({"year": "2020", "quarter": "1", "percent_complete": "160"}, "percent_complete"),
        ({"year": "1990", "quarter": "1", "percent_complete": "10"}, "year"),
    ],
)
def test_bad_progress_report_is_refused_next_to_the_field(client, populated, data, field):
    client.force_login(populated["users"]["city"])
    before = ProgressReport.objects.count()
    response = client.post(
        reverse("projects:report_create", args=[populated["own_project"].pk]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ProgressReport.objects.count() == before


def test_create_and_edit_project(client, populated):
    client.force_login(populated["users"]["city"])
    own = populated["own"]
    data = {
        "name": "智能工厂改造",
        "kind": "smart_factory",
        "level": "province",
        "planned_investment": "5000",
        "planned_start": "2020-01-01",
        "planned_completion": "2021-06-30",
        "version": "",
    }
    response = client.post(reverse("projects:create_for", args=[own.pk]), data)
    assert response.status_code == 302
    project = KeyProject.objects.get(name="智能工厂改造")
    assert project.company == own and project.status == ProjectStatus.DECLARED

    bad = {**data, "planned_completion": "2019-01-01", "version": project.version}
    response = client.post(reverse("projects:update", args=[project.pk]), bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    project.refresh_from_db()
    assert project.planned_completion.year == 2021

    good = {**data, "actual_investment": "4800", "version": project.version}
    assert client.post(reverse("projects:update", args=[project.pk]), good).status_code == 302
    project.refresh_from_db()
    assert project.actual_investment == 4800
