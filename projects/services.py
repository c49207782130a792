"""Writes to key projects that do more than save a row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import check_may_write, stamp_author
from projects.choices import ALLOWED_TRANSITIONS, ProjectStatus
from projects.models import KeyProject, ProjectStatusChange


def allowed_moves(project: KeyProject) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS.get(project.status, ())


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
    current status. Accepting a project stamps its acceptance date (today unless given).
    """
    check_may_write(user=user, instance=project)
    # Lock the row so two simultaneous moves cannot both start from the same status.
    locked = KeyProject.objects.select_for_update().get(pk=project.pk)
    allowed = ALLOWED_TRANSITIONS.get(locked.status, ())
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
        locked.accepted_on = accepted_on or timezone.localdate()
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
