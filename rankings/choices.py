from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    PUBLISHED = "published", _("Published")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETE = "complete", _("Complete")


class Grade(models.TextChoices):
    A = "A", _("A – priority development (优先发展)")
    B = "B", _("B – improving development (提升发展)")
    C = "C", _("C – regulated support (调控帮扶)")
    D = "D", _("D – forced rectification (倒逼整治)")


class NotRatedReason(models.TextChoices):
    NOT_ABOVE_SIZE = "not_above_size", _("Not above designated size (规上)")
    NO_DATA = "no_data", _("No annual data for the year")
    NO_LAND_AREA = "no_land_area", _("No land area")
    NOT_PARTICIPATING = "not_participating", _("Not taking part in the rating (参评)")
