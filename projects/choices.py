from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    IMS = "ims", _("IMS implementation")
    DIGITAL_WORKSHOP = "digital_workshop", _("Digital workshop")
    IOT_FACTORY = "iot_factory", _("IoT factory")
    SMART_FACTORY = "smart_factory", _("Smart factory")
    FUTURE_FACTORY = "future_factory", _("Future factory")
    MACHINES_REPLACE_MANPOWER = "machines", _("Machines replace manpower")
    ENTERPRISE_CLOUD = "cloud", _("Enterprise cloud")
    OTHER = "other", _("Other")


# The article's "demonstration projects for digital workshops and IoT factories".
DEMONSTRATION_KINDS = (ProjectKind.DIGITAL_WORKSHOP, ProjectKind.IOT_FACTORY)


class ProjectLevel(models.TextChoices):
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class ProjectStatus(models.TextChoices):
    DECLARED = "declared", _("Declared")
    COUNTY_REVIEWED = "county_reviewed", _("County reviewed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
    ACCEPTED = "accepted", _("Accepted")
    RECTIFICATION = "rectification", _("Rectification")
    CANCELLED = "cancelled", _("Cancelled")


# SPEC.md's lifecycle: the only moves a project's status may make.
_OPEN = (
    ProjectStatus.DECLARED,
    ProjectStatus.COUNTY_REVIEWED,
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE_REQUESTED,
    ProjectStatus.RECTIFICATION,
)
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStatus.DECLARED: (ProjectStatus.COUNTY_REVIEWED,),
    ProjectStatus.COUNTY_REVIEWED: (ProjectStatus.APPROVED,),
    ProjectStatus.APPROVED: (ProjectStatus.IN_PROGRESS,),
    ProjectStatus.IN_PROGRESS: (ProjectStatus.ACCEPTANCE_REQUESTED,),
    ProjectStatus.ACCEPTANCE_REQUESTED: (ProjectStatus.ACCEPTED, ProjectStatus.RECTIFICATION),
    ProjectStatus.RECTIFICATION: (ProjectStatus.ACCEPTANCE_REQUESTED,),
    ProjectStatus.ACCEPTED: (),
    ProjectStatus.CANCELLED: (),
}
for _status in _OPEN:
    ALLOWED_TRANSITIONS[_status] = (*ALLOWED_TRANSITIONS[_status], ProjectStatus.CANCELLED)


def takes_progress_reports(status: str) -> bool:
    """Whether a project in `status` still reports progress: not once it has reached a final
    status (accepted or cancelled, the statuses the lifecycle leaves no move from)."""
    return bool(ALLOWED_TRANSITIONS.get(status))
