from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

# The scope of the whole city's figures; a region's figures use the region's code.
CITY_SCOPE = "city"


class RunFigures(models.Model):
    """The dashboard's figures of a year for one scope (the city, or one region), computed
    from the raw data right after the year's provisional run is written (tracker.figures)
    and read by the dashboard instead of computing them on every view. One row per year and
    scope, replaced by each run's computation; `run_id` names the run it was computed with.

    The rankings app stores them; what they contain is the site's (tracker.selectors), which
    this app may not import."""

    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("scope"), max_length=12)
    run_id = models.PositiveIntegerField(_("computed with run"))
    computed_at = models.DateTimeField(_("computed at"))
    data = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-year", "scope"]
        verbose_name = _("run figures")
        verbose_name_plural = _("run figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "scope"], name="runfigures_unique_year_scope")
        ]

    def __str__(self):
        return f"{self.year} {self.scope}"
