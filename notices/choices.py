from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectionState(models.TextChoices):
    FILED = "filed", _("Filed, awaiting the county's review")
    REMARKED = "remarked", _("Reviewed by the county, awaiting the city's decision")
    UPHELD = "upheld", _("Upheld: the result is corrected")
    REJECTED = "rejected", _("Rejected")


class CountyOpinion(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOT_SUPPORTED = "not_supported", _("Not supported")


# "The record or figure concerned" when it is not one of the year's reported figures.
OTHER_SUBJECT = "other"


def subject_choices():
    """The year's reported figures (by their field labels), then "another record"."""
    from companies.models import AnnualData
    from companies.models.annual import FIGURE_FIELDS

    figures = [(name, AnnualData._meta.get_field(name).verbose_name) for name in FIGURE_FIELDS]
    return [*figures, (OTHER_SUBJECT, _("another record, or the rank or grade itself"))]
