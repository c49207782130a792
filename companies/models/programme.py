"""The programme's records about a company: demonstration batches, IMS certificates,
maturity assessments, surveillance audits."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.choices import (
    AssessmentKind,
    AuditResult,
    BatchLevel,
    CertificateState,
    CertificationLevel,
    CertificationStatus,
    MaturityLevel,
)
from companies.models.annual import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE
from companies.models.bounds import PROGRAMME_END, PROGRAMME_START, date_error, raise_for, today
from core.models import TrackedModel, VoidableModel, VoidableQuerySet

# IMS grades (AAA/AA/A) exist from the graded assessment scheme on: the 2020 upgrade of the
# 两化融合管理体系 assessment (GB/T 23001-2017 with the alliance standard T/AIITRE 10001-2020,
# 评定分级 AAA/AA/A, applied to assessments from 2020). Before it an assessment was simply
# passed (达标/通过). The `search` tool's corpora held no source for the exact day (see
# docs/demo-data.md); the year is the one the bureau's own publications use.
IMS_GRADED_FROM = datetime.date(2020, 1, 1)
# A certified body must pass a surveillance audit (年度监督审核) each year of the three-year
# certificate: one dated after the previous anniversary and no later than this many days after
# the anniversary. Missing it suspends the certificate (Certification.audit_missed_on).
SURVEILLANCE_GRACE_DAYS = 90


class DemonstrationBatch(TrackedModel):
    """A yearly batch of demonstration companies (示范企业批次), announced by a document of the
    city or the province (its 文号, e.g. 金经信技术〔2019〕88号)."""

    # What a user enters about a batch: page form, API, admin.
    EDITABLE_FIELDS = ("number", "year", "level", "document_no", "title", "announced_on")

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(
        _("level"), max_length=10, choices=BatchLevel.choices, default=BatchLevel.CITY
    )
    document_no = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("文号 of the announcing document, e.g. 金经信技术〔2019〕88号."),
    )
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

    def clean(self):
        super().clean()
        # The document that announced the batch is of the batch's year.
        if self.announced_on and self.year and self.announced_on.year != self.year:
            raise ValidationError(
                {"announced_on": _("The announcement date lies in another year than the batch.")}
            )


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

    def expiring_within(self, days: int, day: datetime.date):
        """Certificates valid on `day` that expire within `days` days after it (renewal due)."""
        return self.valid_on(day).filter(expires_on__lte=day + datetime.timedelta(days=days))


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
        if self.level and not self.graded_scheme:
            raise ValidationError(
                {
                    "level": format_lazy(
                        _(
                            "Grades AAA/AA/A exist for assessments issued from {day} on; "
                            "an earlier certificate is passed without a grade."
                        ),
                        day=IMS_GRADED_FROM.isoformat(),
                    )
                }
            )
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
    def graded_scheme(self) -> bool:
        """Whether the standard in force at the issue date grades (AAA/AA/A); a certificate
        without an issue date is judged by today."""
        return (self.issued_on or today()) >= IMS_GRADED_FROM

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on <= today())

    def audit_missed_on(
        self, day: datetime.date, audits: list[SurveillanceAudit] | None = None
    ) -> datetime.date | None:
        """The first anniversary, before `day`, whose surveillance audit was missed, or None.

        The k-th anniversary's audit is missed when no passed audit is dated after the
        (k−1)-th anniversary (the issue date for k = 1) and on or before the anniversary plus
        SURVEILLANCE_GRACE_DAYS, and that deadline lies before `day`. Anniversaries before
        settings.IMS_AUDITS_CHECKED_FROM are not checked: audits were not recorded then.
        `audits` may be passed in (live audits of this certificate) to save a query."""
        if not self.issued_on or not self.expires_on:
            return None
        grace = datetime.timedelta(days=SURVEILLANCE_GRACE_DAYS)
        checked_from = settings.IMS_AUDITS_CHECKED_FROM
        anniversaries = []
        for k in range(1, 100):
            anniversary = add_years(self.issued_on, k)
            if anniversary >= self.expires_on or anniversary + grace >= day:
                break
            anniversaries.append(anniversary)
        if not any(anniversary >= checked_from for anniversary in anniversaries):
            return None  # nothing to check: no query
        if audits is None:
            # .all() reads a prefetch (lists prefetch "audits"), else queries once.
            audits = [a for a in self.audits.all() if a.voided_at is None] if self.pk else []
        passed = sorted(
            a.audited_on for a in audits if a.result == AuditResult.PASSED and a.voided_at is None
        )
        previous = self.issued_on
        for anniversary in anniversaries:
            deadline = anniversary + grace
            # The earliest passed audit in the window serves this anniversary, and only it:
            # an audit held late, within the grace, does not also serve the next one.
            found = next((d for d in passed if previous < d <= deadline), None)
            if found is not None:
                passed.remove(found)
            elif anniversary >= checked_from:
                return anniversary
            previous = anniversary
        return None

    def state_on(
        self, day: datetime.date, audits: list[SurveillanceAudit] | None = None
    ) -> CertificateState:
        """What the certificate is on `day`: its status read with its dates and audits. The
        one home of the displayed state (pages, API, admin, exports): a certified one past its
        expiry is expired, never "valid"."""
        if self.status == CertificationStatus.REVOKED:
            return CertificateState.REVOKED
        if self.status == CertificationStatus.ADOPTING:
            return CertificateState.ADOPTING
        if self.status == CertificationStatus.APPLIED:
            return CertificateState.APPLIED
        if self.expires_on and self.expires_on <= day:
            return CertificateState.EXPIRED
        if self.audit_missed_on(day, audits) is not None:
            return CertificateState.SUSPENDED_AUDIT
        if self.status == CertificationStatus.SUSPENDED:
            return CertificateState.SUSPENDED
        if self.issued_on and self.issued_on > day:
            return CertificateState.NOT_YET_VALID
        return CertificateState.VALID

    @property
    def state(self) -> CertificateState:
        """The state today (see state_on)."""
        return self.state_on(today())

    @property
    def state_display(self) -> str:
        return str(self.state.label)


class SurveillanceAuditQuerySet(VoidableQuerySet):
    company_path = "certification__company"


class SurveillanceAudit(VoidableModel, TrackedModel):
    """A yearly surveillance audit (年度监督审核) of an IMS certificate by its issuing body."""

    EDITABLE_FIELDS = ("certification", "audited_on", "result", "auditor", "note")

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("IMS certification"),
        on_delete=models.CASCADE,
        related_name="audits",
    )
    audited_on = models.DateField(_("audited on"))
    result = models.CharField(
        _("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.PASSED
    )
    auditor = models.CharField(_("auditor"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SurveillanceAuditQuerySet.as_manager()

    class Meta:
        ordering = ["certification_id", "-audited_on", "id"]
        verbose_name = _("surveillance audit")
        verbose_name_plural = _("surveillance audits")

    def __str__(self):
        return f"{self.certification} {self.audited_on}"

    def clean(self):
        super().clean()
        raise_for({"audited_on": date_error(self.audited_on, PROGRAMME_START, today())})
        certificate = self.certification if self.certification_id else None
        if certificate and certificate.issued_on and self.audited_on:
            if not certificate.issued_on < self.audited_on:
                raise ValidationError(
                    {"audited_on": _("A surveillance audit comes after the certificate's issue.")}
                )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


class MaturityAssessmentQuerySet(VoidableQuerySet):
    company_path = "company"


class MaturityAssessment(VoidableModel, TrackedModel):
    """A smart-manufacturing capability maturity assessment (GB/T 39116), level 1–5: a
    company's self-diagnosis (自评估/诊断) or an accredited third party's assessment (评估)."""

    # What a user enters about an assessment: page form, API, admin.
    EDITABLE_FIELDS = ("level", "kind", "assessed_on", "assessor")

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="maturity_assessments",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=MaturityLevel.choices)
    kind = models.CharField(
        _("kind of assessment"),
        max_length=12,
        choices=AssessmentKind.choices,
        default=AssessmentKind.THIRD_PARTY,
        help_text=_("Only third-party assessments (评估) score in the ranking."),
    )
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
