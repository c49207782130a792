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
