"""Key projects in the admin: scoped lists, and status moves only through the service."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from companies.services import user_assign_role
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from projects.services import project_transition
from tests.companies.test_admin import change_form_data, url
from tests.factories import KeyProjectFactory, ProgressReportFactory

User = get_user_model()


@pytest.fixture
def people(world):
    def make(username, role, **binding):
        user = User.objects.create_user(username=username, password="pass-Word-123")
        user_assign_role(user=user, role=role, **binding)
        return User.objects.get(pk=user.pk)

    return {
        "admin": make("p-admin", "admin"),
        "city": make("p-city", "city"),
        "county": make("p-county", "county", region=world["own"].region),
        "company": make("p-company", "company", company=world["own"]),
    }


@pytest.fixture
def client_as(people):
    def login(role):
        client = Client()
        client.force_login(people[role])
        return client

    return login


@pytest.fixture
def projects(world):
    return {which: KeyProjectFactory(company=world[which]) for which in ("own", "other")}


SEES = {
    "admin": {"own", "other"},
    "city": {"own", "other"},
    "county": {"own"},
}


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SEES))
def test_project_lists_show_only_rows_in_scope(world, projects, client_as, role):
    reports = {w: ProgressReportFactory(project=projects[w]) for w in projects}
    for project in projects.values():
        project_transition(project=project, to_status=ProjectStatus.COUNTY_REVIEWED, user=None)
    changes = {w: projects[w].status_changes.get() for w in projects}
    client = client_as(role)
    for name, rows in [
        ("projects_keyproject", projects),
        ("projects_progressreport", reports),
        ("projects_projectstatuschange", changes),
    ]:
        response = client.get(url(f"{name}_changelist"))
        assert response.status_code == 200
        shown = {obj.pk for obj in response.context["cl"].result_list}
        assert shown == {rows[w].pk for w in SEES[role]}, name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county"])
def test_another_regions_project_is_not_shown(projects, client_as, role):
    other = projects["other"]
    client = client_as(role)
    response = client.get(url("projects_keyproject_change", other.pk), follow=True)
    assert other.name not in response.content.decode()
    assert client.get(url("projects_keyproject_transition", other.pk)).status_code == 404
    response = client.post(
        url("projects_keyproject_transition", other.pk),
        {"to_status": ProjectStatus.COUNTY_REVIEWED},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == ProjectStatus.DECLARED and not other.status_changes.exists()


@pytest.mark.django_db
def test_change_page_offers_the_status_button_to_those_who_may_move(projects, client_as):
    own = projects["own"]
    transition = url("projects_keyproject_transition", own.pk)
    county_page = client_as("county").get(url("projects_keyproject_change", own.pk))
    assert transition in county_page.content.decode()
    # Company users have no admin at all (core.roles.ADMIN_SITE_ROLES).
    assert client_as("company").get(url("projects_keyproject_change", own.pk)).status_code == 403


@pytest.mark.django_db
def test_transition_form_offers_only_the_allowed_moves(projects, client_as):
    response = client_as("county").get(url("projects_keyproject_transition", projects["own"].pk))
    assert response.status_code == 200
    offered = [value for value, _label in response.context["form"].fields["to_status"].choices]
    assert offered == [ProjectStatus.COUNTY_REVIEWED, ProjectStatus.CANCELLED]


@pytest.mark.django_db
def test_moving_through_the_form_calls_the_service_and_records_history(projects, client_as, people):
    own = projects["own"]
    response = client_as("county").post(
        url("projects_keyproject_transition", own.pk),
        {"to_status": ProjectStatus.COUNTY_REVIEWED, "comment": "材料齐全"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("projects_keyproject_change", own.pk)
    own.refresh_from_db()
    assert own.status == ProjectStatus.COUNTY_REVIEWED
    change = own.status_changes.get()
    assert (change.from_status, change.to_status) == (
        ProjectStatus.DECLARED,
        ProjectStatus.COUNTY_REVIEWED,
    )
    assert change.changed_by == people["county"] and change.comment == "材料齐全"
    assert any("County reviewed" in m for m in _messages(response))


@pytest.mark.django_db
def test_accepting_through_the_form_stamps_the_given_date(projects, client_as):
    own = projects["own"]
    for status in [
        ProjectStatus.COUNTY_REVIEWED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTANCE_REQUESTED,
    ]:
        project_transition(project=own, to_status=status, user=None)
    client_as("city").post(
        url("projects_keyproject_transition", own.pk),
        {"to_status": ProjectStatus.ACCEPTED, "accepted_on": "2019-11-30"},
    )
    own.refresh_from_db()
    assert own.status == ProjectStatus.ACCEPTED
    assert own.accepted_on == datetime.date(2019, 11, 30)


@pytest.mark.django_db
def test_an_illegal_move_shows_the_services_error_and_changes_nothing(projects, client_as):
    own = projects["own"]
    response = client_as("county").post(
        url("projects_keyproject_transition", own.pk),
        {"to_status": ProjectStatus.ACCEPTED, "comment": "跳步"},
    )
    assert response.status_code == 200
    messages = _messages(response)
    assert any("Allowed: County reviewed, Cancelled" in m for m in messages), messages
    own.refresh_from_db()
    assert own.status == ProjectStatus.DECLARED and not own.status_changes.exists()


@pytest.mark.django_db
def test_company_user_cannot_move_their_project(projects, client_as):
    own = projects["own"]
    response = client_as("company").post(
        url("projects_keyproject_transition", own.pk),
        {"to_status": ProjectStatus.COUNTY_REVIEWED},
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == ProjectStatus.DECLARED and not own.status_changes.exists()


@pytest.mark.django_db
def test_the_status_cannot_be_edited_as_a_field(projects, client_as):
    own = projects["own"]
    client = client_as("city")
    data = change_form_data(client.get(url("projects_keyproject_change", own.pk)))
    data.update({"status": ProjectStatus.ACCEPTED, "name": "新项目名"})
    response = client.post(url("projects_keyproject_change", own.pk), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "新项目名" and own.status == ProjectStatus.DECLARED


@pytest.mark.django_db
def test_bulk_action_moves_each_project_and_reports_refusals(world, projects, client_as):
    ahead = KeyProjectFactory(company=world["own"])
    project_transition(project=ahead, to_status=ProjectStatus.COUNTY_REVIEWED, user=None)
    selected = [projects["own"].pk, ahead.pk, projects["other"].pk]
    response = client_as("county").post(
        url("projects_keyproject_changelist"),
        {"action": "move_to_county_reviewed", "_selected_action": [str(pk) for pk in selected]},
        follow=True,
    )
    assert response.status_code == 200
    messages = _messages(response)
    assert any("1 project moved" in m for m in messages), messages
    # County staff may not approve into the pool (city staff do): only cancelling is left.
    assert any(ahead.name in m and "Allowed: Cancelled" in m for m in messages)
    statuses = dict(KeyProject.objects.values_list("pk", "status"))
    assert statuses[projects["own"].pk] == ProjectStatus.COUNTY_REVIEWED
    assert statuses[ahead.pk] == ProjectStatus.COUNTY_REVIEWED
    # The other region's project was never in the county user's list, so nothing moved.
    assert statuses[projects["other"].pk] == ProjectStatus.DECLARED
    assert ahead.status_changes.count() == 1
    assert ProjectStatusChange.objects.filter(project=projects["other"]).count() == 0
    latest = projects["own"].status_changes.get()
    assert latest.comment and latest.changed_by.username == "p-county"


@pytest.mark.django_db
def test_company_user_is_offered_no_status_actions(projects, client_as):
    response = client_as("company").get(url("projects_keyproject_changelist"))
    assert response.status_code == 403  # no admin for company users
    county = client_as("county").get(url("projects_keyproject_changelist"))
    offered = [name for name, _label in county.context["action_form"].fields["action"].choices]
    assert "move_to_county_reviewed" in offered
    # Approving into the pool and accepting are the city's steps (projects.workflow).
    assert "move_to_approved" not in offered and "move_to_accepted" not in offered
    city = client_as("city").get(url("projects_keyproject_changelist"))
    offered = [name for name, _label in city.context["action_form"].fields["action"].choices]
    assert "move_to_approved" in offered and "move_to_county_reviewed" not in offered


@pytest.mark.django_db
def test_status_history_is_read_only(projects, client_as):
    project_transition(project=projects["own"], to_status=ProjectStatus.COUNTY_REVIEWED, user=None)
    change = projects["own"].status_changes.get()
    client = client_as("admin")
    assert client.get(url("projects_projectstatuschange_add")).status_code == 403
    page = client.get(url("projects_projectstatuschange_change", change.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(
        url("projects_projectstatuschange_change", change.pk),
        {"comment": "rewritten", "to_status": ProjectStatus.ACCEPTED},
    )
    assert response.status_code == 403
    response = client.post(url("projects_projectstatuschange_delete", change.pk), {"post": "yes"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.comment == "" and change.to_status == ProjectStatus.COUNTY_REVIEWED


@pytest.mark.django_db
def test_progress_report_added_on_the_project_page_is_judged_against_the_plan(
    projects, client_as, people
):
    own = projects["own"]  # planned 2019-01-01 .. 2019-12-31
    # Under way: only such a project takes progress reports.
    type(own).objects.filter(pk=own.pk).update(status="in_progress")
    client = client_as("county")
    data = change_form_data(client.get(url("projects_keyproject_change", own.pk)))
    data.update(
        {
            "progress_reports-TOTAL_FORMS": "1",
            "progress_reports-0-year": "2019",
            "progress_reports-0-quarter": "3",
            "progress_reports-0-percent_complete": "20",
            "progress_reports-0-invested_to_date": "200",
        }
    )
    response = client.post(url("projects_keyproject_change", own.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    report = ProgressReport.objects.get(project=own)
    assert report.behind_schedule and report.expected_percent == 75
    assert report.created_by == people["county"]


@pytest.mark.django_db
def test_project_autocomplete_for_progress_reports_is_scoped(projects, client_as):
    query = "app_label=projects&model_name=progressreport&field_name=project"
    results = client_as("county").get(url("autocomplete", query=query)).json()["results"]
    assert [int(item["id"]) for item in results] == [projects["own"].pk]


@pytest.mark.django_db
def test_lagging_filter_lists_lagging_projects(world, client_as):
    lagging = KeyProjectFactory(
        company=world["own"], planned_completion=datetime.date(2019, 12, 31)
    )
    on_time = KeyProjectFactory(
        company=world["own"],
        planned_start=datetime.date(2019, 1, 1),
        planned_completion=datetime.date(2099, 12, 31),
    )
    for project in (lagging, on_time):
        for status in [
            ProjectStatus.COUNTY_REVIEWED,
            ProjectStatus.APPROVED,
            ProjectStatus.IN_PROGRESS,
        ]:
            project_transition(project=project, to_status=status, user=None)
    client = client_as("county")
    shown = client.get(url("projects_keyproject_changelist", query="lagging=yes"))
    assert [p.pk for p in shown.context["cl"].result_list] == [lagging.pk]
    assert shown.context["cl"].result_list[0].is_lagging
    shown = client.get(url("projects_keyproject_changelist", query="lagging=no"))
    assert [p.pk for p in shown.context["cl"].result_list] == [on_time.pk]


@pytest.mark.django_db
def test_project_changelist_query_count_does_not_grow_with_rows(
    world, client_as, django_assert_max_num_queries
):
    for _ in range(30):
        ProgressReportFactory(project=KeyProjectFactory(company=world["own"]))
    client = client_as("county")
    with django_assert_max_num_queries(20):
        response = client.get(url("projects_keyproject_changelist"))
    assert len(response.context["cl"].result_list) == 30
    with django_assert_max_num_queries(20):
        client.get(url("projects_progressreport_changelist"))


@pytest.mark.django_db
def test_deleting_a_company_with_project_history_is_for_administrators(world, projects, client_as):
    project_transition(project=projects["own"], to_status=ProjectStatus.COUNTY_REVIEWED, user=None)
    company = world["own"]
    county = client_as("county").post(url("companies_company_delete", company.pk), {"post": "yes"})
    assert county.status_code == 403
    assert KeyProject.objects.filter(pk=projects["own"].pk).exists()
    admin = client_as("admin").post(url("companies_company_delete", company.pk), {"post": "yes"})
    assert admin.status_code == 302
    assert not KeyProject.objects.filter(pk=projects["own"].pk).exists()
    assert not ProjectStatusChange.objects.filter(project_id=projects["own"].pk).exists()


@pytest.mark.django_db
def test_county_staff_delete_a_project_without_history(projects, client_as):
    response = client_as("county").post(
        url("projects_keyproject_delete", projects["own"].pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not KeyProject.objects.filter(pk=projects["own"].pk).exists()
