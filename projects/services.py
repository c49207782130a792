"""Writes to key projects that do more than save a row."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role
from core.services import check_may_write, stamp_author
from core.workflow import Step, steps_for
from projects import workflow
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProjectStatusChange, acceptance_date_error


def allowed_steps(
    project: KeyProject, user=None, *, resolve_reopen: bool = True
) -> dict[str, Step]:
    """target status → the step of projects.workflow that `user` may take to reach it from
    the project's status (the role-bound table; `None` is the system, which may take every
    step but reopening, which needs a person to answer for it). Reopening reaches the
    status the project was accepted from."""
    steps = {}
    for step in sorted(steps_for(project, user), key=workflow.PROJECT_STEPS.index):
        if step is workflow.REOPEN and user is None:
            continue
        reopening = step is workflow.REOPEN and resolve_reopen
        target = reopen_target(project) if reopening else step.target
        steps[target] = step
    return steps


def allowed_moves(project: KeyProject, user=None) -> tuple[str, ...]:
    """The statuses `user` may move the project to now (the buttons, the API, the admin)."""
    return tuple(allowed_steps(project, user))


def may_reopen(user) -> bool:
    """Reopening undoes an acceptance, which counts in the city's ranking: city staff only."""
    return user is not None and workflow.REOPEN.allows_role(user)


def reopen_target(project: KeyProject) -> str:
    """The status an accepted project returns to when reopened: the one it was accepted from."""
    accepted = project.status_changes.filter(to_status=ProjectStatus.ACCEPTED).last()
    return accepted.from_status if accepted else ProjectStatus.ACCEPTANCE_REQUESTED


@transaction.atomic
def project_transition(
    *,
    project: KeyProject,
    to_status: str,
    user,
    comment: str = "",
    accepted_on: datetime.date | None = None,
) -> KeyProject:
    """Move `project` one step along SPEC.md's lifecycle and record who, when and why.

    The step and the roles that may take it come from projects.workflow (county staff
    review, city staff approve into the pool and accept); a step the user's role may not
    take is refused (PermissionDenied naming the roles), any other move with a message
    naming the moves allowed from the current status. Accepting a project records its acceptance date: the one given, today
    when none is, never after today nor before the planned start. An accepted project is
    reopened (back to the status it was accepted from, its acceptance date cleared) only by
    city staff, and only with a reason in `comment`.
    """
    check_may_write(user=user, instance=project)
    # Lock the row so two simultaneous moves cannot both start from the same status.
    locked = KeyProject.objects.select_for_update().get(pk=project.pk)
    reopening = locked.status == ProjectStatus.ACCEPTED and to_status == reopen_target(locked)
    if reopening:
        _check_reopen(user=user, comment=comment)
    steps = allowed_steps(locked, user)
    allowed = tuple(steps)
    if to_status not in ProjectStatus.values:
        raise ValidationError(
            {"to_status": _("Unknown status “%(status)s”.") % {"status": to_status}}
        )
    if to_status not in allowed and user is not None:
        _check_role(locked, to_status, user)
    if to_status not in allowed:
        names = ", ".join(str(ProjectStatus(s).label) for s in allowed) or _("none")
        raise ValidationError(
            {
                "to_status": _(
                    "A project that is “%(current)s” cannot move to “%(target)s”. Allowed: %(allowed)s."
                )
                % {
                    "current": ProjectStatus(locked.status).label,
                    "target": ProjectStatus(to_status).label,
                    "allowed": names,
                }
            }
        )
    from_status = locked.status
    step = steps[to_status]
    if step is workflow.REOPEN:
        locked.reopen(to_status)
    else:
        getattr(locked, step.action)()
    if to_status == ProjectStatus.ACCEPTED:
        day = accepted_on or timezone.localdate()
        error = acceptance_date_error(locked, day)
        if error is not None:
            raise ValidationError({"accepted_on": error})
        locked.accepted_on = day
    elif reopening:
        locked.accepted_on = None
    stamp_author(locked, user)
    locked.save()
    ProjectStatusChange.objects.create(
        project=locked,
        from_status=from_status,
        to_status=to_status,
        changed_by=user if getattr(user, "pk", None) else None,
        comment=comment,
    )
    project.refresh_from_db()
    return project


def _check_role(project: KeyProject, to_status: str, user) -> None:
    """Refuse, naming the roles, a move the lifecycle allows but the user's role may not make
    (county staff cannot approve into the pool nor accept)."""
    everyone = allowed_steps(project, None)
    step = everyone.get(to_status)
    if step is not None and not step.allows_role(user):
        raise PermissionDenied(
            _("“%(step)s” is a step for: %(roles)s.")
            % {"step": step.label, "roles": role_names(step)}
        )


def role_names(step: Step) -> str:
    return ", ".join(str(Role(role).label) for role in step.roles if role != Role.ADMIN)


def _check_reopen(*, user, comment: str) -> None:
    if not may_reopen(user):
        raise PermissionDenied(_("Only city staff may reopen an accepted project."))
    if not comment.strip():
        raise ValidationError({"comment": _("Give the reason for reopening the accepted project.")})
