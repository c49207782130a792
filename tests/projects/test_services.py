"""The key-project lifecycle: every allowed move, every refused one, and the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from projects.choices import ProjectStatus
from projects.services import allowed_moves, allowed_steps, project_transition
from projects.workflow import ALLOWED_TRANSITIONS
from tests.factories import KeyProjectFactory

S = ProjectStatus
# The shortest walk from "declared" to each status.
PATH_TO = {
    S.DECLARED: [],
    S.COUNTY_REVIEWED: [S.COUNTY_REVIEWED],
    S.APPROVED: [S.COUNTY_REVIEWED, S.APPROVED],
    S.IN_PROGRESS: [S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS],
    S.ACCEPTANCE_REQUESTED: [S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTANCE_REQUESTED],
    S.RECTIFICATION: [
        S.COUNTY_REVIEWED,
        S.APPROVED,
        S.IN_PROGRESS,
        S.ACCEPTANCE_REQUESTED,
        S.RECTIFICATION,
    ],
    S.ACCEPTED: [
        S.COUNTY_REVIEWED,
        S.APPROVED,
        S.IN_PROGRESS,
        S.ACCEPTANCE_REQUESTED,
        S.ACCEPTED,
    ],
    S.CANCELLED: [S.CANCELLED],
}
LIFECYCLE = {
    S.DECLARED: {S.COUNTY_REVIEWED, S.CANCELLED},
    S.COUNTY_REVIEWED: {S.APPROVED, S.CANCELLED},
    S.APPROVED: {S.IN_PROGRESS, S.CANCELLED},
    S.IN_PROGRESS: {S.ACCEPTANCE_REQUESTED, S.CANCELLED},
    S.ACCEPTANCE_REQUESTED: {S.ACCEPTED, S.RECTIFICATION, S.CANCELLED},
    S.RECTIFICATION: {S.ACCEPTANCE_REQUESTED, S.CANCELLED},
    S.ACCEPTED: set(),
    S.CANCELLED: set(),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def project_in(status, company):
    project = KeyProjectFactory(company=company)
    for step in PATH_TO[status]:
        project_transition(project=project, to_status=step, user=None, comment="setup")
    assert project.status == status
    return project


def test_the_table_is_spec_md_lifecycle():
    assert {k: set(v) for k, v in ALLOWED_TRANSITIONS.items()} == LIFECYCLE


ALLOWED = [(a, b) for a, targets in LIFECYCLE.items() for b in sorted(targets)]
# Accepted → acceptance requested is the reopening, which has its own rules
# (tests/projects/test_transition_dates.py).
REOPENING = (S.ACCEPTED, S.ACCEPTANCE_REQUESTED)
REFUSED = [
    (a, b) for a in LIFECYCLE for b in S.values if b not in LIFECYCLE[a] and (a, b) != REOPENING
]


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_move_is_made_and_recorded(world, from_status, to_status):
    project = project_in(from_status, world["own"])
    # County staff where the table lets them, city staff for the city's steps.
    step = allowed_steps(project, None)[to_status]
    user = world["users"]["county" if "county" in step.roles else "city"]
    before = timezone.now()
    project_transition(project=project, to_status=to_status, user=user, comment="按计划推进")
    project.refresh_from_db()
    assert project.status == to_status
    assert project.updated_by == user
    change = project.status_changes.order_by("-id").first()
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.changed_by == user and change.comment == "按计划推进"
    assert change.changed_at >= before


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_move_is_refused_naming_the_allowed_moves(world, from_status, to_status):
    project = project_in(from_status, world["own"])
    moves = project.status_changes.count()
    with pytest.raises(ValidationError) as err:
        project_transition(project=project, to_status=to_status, user=world["users"]["admin"])
    message = " ".join(err.value.message_dict["to_status"])
    # The table's moves; for an accepted project, the reopening.
    allowed = [str(S(s).label) for s in allowed_moves(project, world["users"]["admin"])]
    assert f"Allowed: {', '.join(allowed) or 'none'}." in message
    assert str(S(from_status).label) in message and str(S(to_status).label) in message
    project.refresh_from_db()
    assert project.status == from_status
    assert project.status_changes.count() == moves


@pytest.mark.django_db
@pytest.mark.parametrize("from_status", [s for s in S if s not in (S.ACCEPTED, S.CANCELLED)])
def test_cancel_from_every_open_state(world, from_status):
    project = project_in(from_status, world["own"])
    assert S.CANCELLED in allowed_moves(project)
    project_transition(project=project, to_status=S.CANCELLED, user=None, comment="撤销")
    assert project.status == S.CANCELLED


@pytest.mark.django_db
@pytest.mark.parametrize("from_status", [S.ACCEPTED, S.CANCELLED])
def test_no_cancel_once_accepted_or_cancelled(world, from_status):
    project = project_in(from_status, world["own"])
    assert allowed_moves(project) == ()
    with pytest.raises(ValidationError) as err:
        project_transition(project=project, to_status=S.CANCELLED, user=None)
    assert "Allowed: none." in " ".join(err.value.messages)
    project.refresh_from_db()
    assert project.status == from_status


@pytest.mark.django_db
def test_an_unknown_status_is_refused(world):
    project = project_in(S.DECLARED, world["own"])
    with pytest.raises(ValidationError) as err:
        project_transition(project=project, to_status="finished", user=None)
    assert "Unknown status" in " ".join(err.value.message_dict["to_status"])
    project.refresh_from_db()
    assert project.status == S.DECLARED and not project.status_changes.exists()


@pytest.mark.django_db
def test_accepting_stamps_todays_date_unless_given(world):
    today = project_in(S.ACCEPTANCE_REQUESTED, world["own"])
    assert today.accepted_on is None
    project_transition(project=today, to_status=S.ACCEPTED, user=None)
    assert today.accepted_on == timezone.localdate()
    given = project_in(S.ACCEPTANCE_REQUESTED, world["own"])
    project_transition(
        project=given, to_status=S.ACCEPTED, user=None, accepted_on=datetime.date(2019, 12, 20)
    )
    given.refresh_from_db()
    assert given.accepted_on == datetime.date(2019, 12, 20)


@pytest.mark.django_db
def test_rectification_loop_is_recorded_in_order(world):
    user = world["users"]["city"]
    project = project_in(S.ACCEPTANCE_REQUESTED, world["own"])
    for step, comment in [
        (S.RECTIFICATION, "验收不合格，整改"),
        (S.ACCEPTANCE_REQUESTED, "整改完成"),
        (S.ACCEPTED, "验收通过"),
    ]:
        project_transition(project=project, to_status=step, user=user, comment=comment)
    history = list(
        project.status_changes.values_list("from_status", "to_status", "changed_by", "comment")
    )
    assert len(history) == 7
    assert history[-3:] == [
        (S.ACCEPTANCE_REQUESTED, S.RECTIFICATION, user.pk, "验收不合格，整改"),
        (S.RECTIFICATION, S.ACCEPTANCE_REQUESTED, user.pk, "整改完成"),
        (S.ACCEPTANCE_REQUESTED, S.ACCEPTED, user.pk, "验收通过"),
    ]
    assert history[0][:2] == ("declared", S.COUNTY_REVIEWED)


@pytest.mark.django_db
def test_a_move_from_a_stale_copy_starts_from_the_stored_status(world):
    project = project_in(S.DECLARED, world["own"])
    stale = type(project).objects.get(pk=project.pk)
    project_transition(project=project, to_status=S.COUNTY_REVIEWED, user=None)
    # The stale copy still says "declared", but the service reads the locked row.
    with pytest.raises(ValidationError) as err:
        project_transition(project=stale, to_status=S.COUNTY_REVIEWED, user=None)
    assert "Allowed: Approved, Cancelled." in " ".join(err.value.messages)
    assert project.status_changes.count() == 1
