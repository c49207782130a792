from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    IMS = "ims", _("IMS implementation")
    DIGITAL_WORKSHOP = "digital_workshop", _("Digital workshop")
    IOT_FACTORY = "iot_factory", _("IoT factory")
    SMART_FACTORY = "smart_factory", _("Smart factory")
    FUTURE_FACTORY = "future_factory", _("Future factory")
    LIGHTWEIGHT_RETROFIT = "lightweight_retrofit", _("Lightweight smart retrofit")
    DIGITAL_RETROFIT = "digital_retrofit", _("Digital retrofit")
    INDUSTRIAL_INTERNET_PLATFORM = "iip", _("Industrial internet platform")
    # Kept for records made before issue 12 (机器换人, the 2013 action plan's projects); the
    # demo data no longer draws it. Scores 0 in S like every kind RANKING.md does not name.
    MACHINES_REPLACE_MANPOWER = "machines", _("Machines replace manpower")
    ENTERPRISE_CLOUD = "cloud", _("Enterprise cloud")
    OTHER = "other", _("Other")


# The article's "demonstration projects for digital workshops and IoT factories".
DEMONSTRATION_KINDS = (ProjectKind.DIGITAL_WORKSHOP, ProjectKind.IOT_FACTORY)
# Jinhua's ladder above the entry step (轻量化智改 → 数字化车间 → 智能工厂 → 未来工厂): the
# demonstration projects whose acceptance marks a company as transformed (the seed figures'
# cohort, tracker.selectors.transformed_companies).
TRANSFORMATION_KINDS = (
    ProjectKind.DIGITAL_WORKSHOP,
    ProjectKind.IOT_FACTORY,
    ProjectKind.SMART_FACTORY,
    ProjectKind.FUTURE_FACTORY,
)


class ProjectLevel(models.TextChoices):
    COUNTY = "county", _("County")
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


# The statuses in which work on a project is under way: approved into the pool, in progress,
# under rectification after a failed acceptance. Such a project may be lagging, and takes
# progress reports (projects.workflow.takes_progress_reports); a declared or county-reviewed
# one is not approved yet, one waiting for acceptance has finished its work, accepted and
# cancelled ones are closed.
UNDER_CONSTRUCTION = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.RECTIFICATION,
)

# Statuses from approval into the project pool on, cancelled ones excluded: the project is
# real (seed figures: demonstration projects counted, signs of practice).
PAST_APPROVAL = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE_REQUESTED,
    ProjectStatus.RECTIFICATION,
    ProjectStatus.ACCEPTED,
)
