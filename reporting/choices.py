from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    COUNTY_RETURNED = "county_returned", _("Returned by the county")
    COUNTY_ACCEPTED = "county_accepted", _("Accepted by the county")
    CITY_RETURNED = "city_returned", _("Returned by the city")
    CONFIRMED = "confirmed", _("Confirmed by the city")


class SizeClass(models.TextChoices):
    """The campaign's class filter: 规上 / 规下 (Company.above_size)."""

    ABOVE = "above", _("Above designated size")
    BELOW = "below", _("Below designated size")
