from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("District")
    COUNTY_CITY = "county_city", _("County-level city")
    COUNTY = "county", _("County")
    FUNCTIONAL_AREA = "functional_area", _("Functional area")


class CertificationLevel(models.TextChoices):
    # Before the graded scheme (see companies.models.programme.IMS_GRADED_FROM) an assessment
    # was simply passed (达标/通过); AAA/AA/A exist only from then on.
    NONE = "", _("Passed (no grade)")
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


class CertificateState(models.TextChoices):
    """What a certificate is on a given day: its status read together with its dates and its
    surveillance audits (Certification.state_on, the one home)."""

    ADOPTING = "adopting", _("Adopting the standard")
    APPLIED = "applied", _("Assessment applied for")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    SUSPENDED_AUDIT = "suspended_audit", _("Suspended (surveillance audit missed)")
    REVOKED = "revoked", _("Revoked")


class AuditResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class AssessmentKind(models.TextChoices):
    """Who judged a maturity level: the company itself or an accredited third party. Only
    third-party assessments (评估) score in the ranking (RANKING.md part 2)."""

    SELF_DIAGNOSIS = "self", _("Self-diagnosis")
    THIRD_PARTY = "third_party", _("Third-party assessment")


class BatchLevel(models.TextChoices):
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
