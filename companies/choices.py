from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("District")
    COUNTY_CITY = "county_city", _("County-level city")
    COUNTY = "county", _("County")
    FUNCTIONAL_AREA = "functional_area", _("Functional area")


class CertificationLevel(models.TextChoices):
    NONE = "", _("No level")
    A = "A", "A"
    AA = "AA", "AA"
    AAA = "AAA", "AAA"


class CertificationStatus(models.TextChoices):
    ADOPTING = "adopting", _("Adopting the standard")
    APPLIED = "applied", _("Assessment applied for")
    CERTIFIED = "certified", _("Certified")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class MaturityLevel(models.IntegerChoices):
    PLANNING = 1, _("Level 1 – planning")
    STANDARD = 2, _("Level 2 – standardised")
    INTEGRATED = 3, _("Level 3 – integrated")
    OPTIMISED = 4, _("Level 4 – optimised")
    LEADING = 5, _("Level 5 – leading")
