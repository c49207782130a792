"""Writes to key projects that do more than save a row."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scoping import scope_of
from core.services import check_may_write, stamp_author
from projects.choices import ALLOWED_TRANSITIONS, ProjectStatus
from projects.models import KeyProject, ProjectStatusChange, acceptance_date_error


def allowed_moves(project: KeyProject, user=None) -> tuple[str, ...]:
    """The moves the lifecycle allows from the project's status; for an accepted project and
    a user who may reopen it, the move back to the status it was accepted from."""
    if project.status == ProjectStatus.ACCEPTED and may_reopen(user):
        return (reopen_target(project),)
    return ALLOWED_TRANSITIONS.get(project.status, ())


def may_reopen(user) -> bool:
    """Reopening undoes an acceptance, which counts in the city's ranking: city staff only."""
    return user is not None and scope_of(user).is_city_wide


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

    Any other move is refused with a message naming the moves that are allowed from the
    current status. Accepting a project records its acceptance date: the one given, today
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
    allowed = allowed_moves(locked, user)
    if to_status not in ProjectStatus.values:
        raise ValidationError(
            {"to_status": _("Unknown status “%(status)s”.") % {"status": to_status}}
        )
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
    locked.status = to_status
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


def _check_reopen(*, user, comment: str) -> None:
    if not may_reopen(user):
        raise PermissionDenied(_("Only city staff may reopen an accepted project."))
    if not comment.strip():
        raise ValidationError({"comment": _("Give the reason for reopening the accepted project.")})
