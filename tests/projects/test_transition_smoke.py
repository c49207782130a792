import pytest
from django.core.exceptions import ValidationError

from projects.choices import ProjectStatus
from projects.services import project_transition
from tests.factories import KeyProjectFactory


@pytest.mark.django_db
def test_project_walks_the_lifecycle_and_records_each_move(world):
    user = world["users"]["admin"]  # the administrator may take every step
    project = KeyProjectFactory(company=world["own"])
    for status in [
        ProjectStatus.COUNTY_REVIEWED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTANCE_REQUESTED,
        ProjectStatus.RECTIFICATION,
        ProjectStatus.ACCEPTANCE_REQUESTED,
        ProjectStatus.ACCEPTED,
    ]:
        project_transition(project=project, to_status=status, user=user, comment=f"to {status}")
    assert project.status == ProjectStatus.ACCEPTED
    assert project.accepted_on is not None
    moves = list(project.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert len(moves) == 7
    assert moves[0] == (ProjectStatus.DECLARED, ProjectStatus.COUNTY_REVIEWED, user.pk)


@pytest.mark.django_db
def test_a_skipped_step_is_refused_and_names_the_allowed_moves(world, settings):
    settings.LANGUAGE_CODE = "en"
    project = KeyProjectFactory(company=world["own"])
    with pytest.raises(ValidationError) as err:
        project_transition(
            project=project, to_status=ProjectStatus.ACCEPTED, user=world["users"]["admin"]
        )
    message = str(err.value)
    assert "County reviewed" in message and "Cancelled" in message
    project.refresh_from_db()
    assert project.status == ProjectStatus.DECLARED
    assert project.status_changes.count() == 0
