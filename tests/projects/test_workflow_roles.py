"""Role-bound project steps (projects.workflow): each step is offered to and taken by the roles
the table names, refused to the others, on the service, the page, the API and the admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.roles import Role
from projects.choices import ProjectStatus as S
from projects.services import allowed_moves, project_transition
from projects.workflow import PROJECT_STEPS, REOPEN
from tests.factories import KeyProjectFactory

PATH = {
    S.DECLARED: [],
    S.COUNTY_REVIEWED: [S.COUNTY_REVIEWED],
    S.APPROVED: [S.COUNTY_REVIEWED, S.APPROVED],
    S.IN_PROGRESS: [S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS],
    S.ACCEPTANCE_REQUESTED: [S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE_REQUESTED],
    S.ACCEPTED: [S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE_REQUESTED, S.ACCEPTED],
}


def project_in(status, company):
    project = KeyProjectFactory(company=company)
    for target in PATH[status]:
        project_transition(project=project, to_status=target, user=None, comment="setup")
    return project


CASES = [
    (step, role)
    for step in PROJECT_STEPS
    for role in ("admin", "city", "county")
    if step.sources[0] in PATH
]


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "role"), CASES, ids=lambda v: getattr(v, "action", v))
def test_each_step_is_offered_and_taken_by_its_roles_only(world, step, role):
    project = project_in(step.sources[0], world["own"])
    user = world["users"][role]
    may = role in step.roles
    assert (step.target in allowed_moves(project, user)) is may
    if may:
        project_transition(project=project, to_status=step.target, user=user, comment="ok")
        assert project.status == step.target
        assert project.status_changes.last().changed_by == user
    else:
        with pytest.raises(PermissionDenied):
            project_transition(project=project, to_status=step.target, user=user, comment="x")
        project.refresh_from_db()
        assert project.status == step.sources[0]


def test_county_reviews_and_the_city_approves_and_accepts():
    by_action = {step.action: set(step.roles) for step in PROJECT_STEPS}
    assert by_action["review"] == {Role.ADMIN, Role.COUNTY}
    assert by_action["approve"] == {Role.ADMIN, Role.CITY}
    assert by_action["accept"] == {Role.ADMIN, Role.CITY}
    assert REOPEN.needs_comment


@pytest.mark.django_db
def test_county_page_and_api_offer_no_approval(world, client):
    project = project_in(S.COUNTY_REVIEWED, world["own"])
    client.force_login(world["users"]["county"])
    county = client
    page = county.get(reverse("projects:detail", args=[project.pk]))
    assert page.status_code == 200
    assert [value for value, _label in page.context["moves"]] == [S.CANCELLED]
    api = county.get(reverse("api:project-detail", args=[project.pk]))
    assert api.json()["allowed_moves"] == [S.CANCELLED]
    refused = county.post(
        reverse("api:project-transition", args=[project.pk]),
        {"to_status": S.APPROVED},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(world["users"]["city"])
    city = client.get(reverse("api:project-detail", args=[project.pk]))
    assert city.json()["allowed_moves"] == [S.APPROVED, S.CANCELLED]
