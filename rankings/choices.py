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
    # Part 1 only: kept so runs computed before RANKING.md part 2 still read. Part 2 rates
    # companies below designated size in their own class and never gives this reason.
    NOT_ABOVE_SIZE = "not_above_size", _("Not above designated size (规上)")
    NO_DATA = "no_data", _("No annual data for the year")
    NO_LAND_AREA = "no_land_area", _("No land area")
    LAND_BELOW_THRESHOLD = "land_below_min", _("Land under the threshold")
    NOT_PARTICIPATING = "not_participating", _("Not taking part in the rating (参评)")


class SizeClass(models.TextChoices):
    """RANKING.md part 2: the two classes, each rated on its own."""

    ABOVE = "above", _("above designated size (规上)")
    BELOW = "below", _("below designated size (规下)")


class EvaluationScope(models.TextChoices):
    """RANKING.md part 2: whose population the baselines and grades are taken over."""

    CITY = "city", _("city (市级)")
    REGION = "region", _("county / district (县级主体)")
