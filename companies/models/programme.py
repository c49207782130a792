"""The programme's records about a company: demonstration batches, IMS certificates,
maturity assessments."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.choices import CertificationLevel, CertificationStatus, MaturityLevel
from companies.models.annual import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE
from companies.models.bounds import PROGRAMME_END, PROGRAMME_START, date_error, raise_for, today
from core.models import TrackedModel, VoidableModel, VoidableQuerySet


class DemonstrationBatch(TrackedModel):
    """A yearly batch of demonstration companies (示范企业批次) announced by the city."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["number"]
        verbose_name = _("demonstration batch")
        verbose_name_plural = _("demonstration batches")
        constraints = [
            models.CheckConstraint(
                name="batch_number_positive",
                condition=Q(number__gte=1),
                violation_error_message=_("The batch number starts at 1."),
            ),
            models.CheckConstraint(
                name="batch_year_range",
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return _("Batch %(number)s (%(year)s)") % {"number": self.number, "year": self.year}


class DesignationQuerySet(VoidableQuerySet):
    company_path = "company"


class Designation(VoidableModel, TrackedModel):
    """A company named in a demonstration batch."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="designations",
    )
    batch = models.ForeignKey(
        DemonstrationBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["batch__number", "company__name"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "batch"],
                condition=Q(voided_at__isnull=True),
                name="designation_unique_company_batch",
                violation_error_message=_("This company is already in this batch."),
            )
        ]

    def __str__(self):
        return f"{self.company} – {self.batch}"


class CertificationQuerySet(VoidableQuerySet):
    company_path = "company"

    def valid_on(self, day: datetime.date):
        """Certificates that count on `day`: issued on or before it, expiring after it,
        and neither suspended nor revoked (RANKING.md, block S)."""
        return self.filter(
            issued_on__lte=day,
            expires_on__gt=day,
        ).exclude(status__in=[CertificationStatus.SUSPENDED, CertificationStatus.REVOKED])


class Certification(VoidableModel, TrackedModel):
    """An assessment under the Integration Management System of Informatization and
    Industrialization (两化融合管理体系, GB/T 23001)."""

    # What a user enters about a certificate, in this order, on the page, in the admin and
    # through the API (the company is chosen apart).
    EDITABLE_FIELDS = (
        "standard",
        "level",
        "certificate_no",
        "issuing_body",
        "issued_on",
        "expires_on",
        "status",
    )

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    standard = models.CharField(_("standard"), max_length=40, default="GB/T 23001-2017")
    level = models.CharField(
        _("level"), max_length=3, choices=CertificationLevel.choices, blank=True, default=""
    )
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Defaults to three years after issue.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificationStatus.choices,
        default=CertificationStatus.ADOPTING,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CertificationQuerySet.as_manager()
    derived_fields = ("expires_on",)

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("IMS certification")
        verbose_name_plural = _("IMS certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no="") & Q(voided_at__isnull=True),
                name="certification_unique_number",
                violation_error_message=_("Another certificate already has this number."),
            ),
            models.CheckConstraint(
                name="certification_expiry_after_issue",
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gt=F("issued_on")),
                violation_error_message=_("The expiry date must come after the issue date."),
            ),
        ]

    def __str__(self):
        return self.certificate_no or f"{self.company} {self.standard}"

    def clean(self):
        super().clean()
        if self.status == CertificationStatus.CERTIFIED and not self.issued_on:
            raise ValidationError({"issued_on": _("A certified assessment needs an issue date.")})
        # Issued by now; the expiry is computed from the issue date (derive_fields), so both
        # stay where date arithmetic cannot overflow.
        raise_for(
            {
                "issued_on": date_error(self.issued_on, PROGRAMME_START, today()),
                "expires_on": date_error(self.expires_on, PROGRAMME_START, PROGRAMME_END),
            }
        )

    def derive_fields(self) -> None:
        # Certificates run three years unless the record says otherwise.
        if self.issued_on and not self.expires_on:
            self.expires_on = add_years(self.issued_on, 3)

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on <= datetime.date.today())


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


class MaturityAssessmentQuerySet(VoidableQuerySet):
    company_path = "company"


class MaturityAssessment(VoidableModel, TrackedModel):
    """A smart-manufacturing capability maturity assessment (GB/T 39116), level 1–5."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="maturity_assessments",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=MaturityLevel.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessor"), max_length=120, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MaturityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "id"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [
            models.CheckConstraint(
                name="maturity_level_range",
                condition=Q(level__gte=1, level__lte=5),
                violation_error_message=_("The maturity level lies between 1 and 5."),
            )
        ]

    def __str__(self):
        return f"{self.company} – {self.get_level_display()}"

    def clean(self):
        super().clean()
        raise_for({"assessed_on": date_error(self.assessed_on, PROGRAMME_START, today())})
