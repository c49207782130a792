"""The yearly reporting cycle: a campaign (填报任务) per year, a submission per target company,
each step of a submission recorded, and the evidence files attached to it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from companies.models.annual import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE, AnnualData
from core.scoping import ScopedQuerySet
from core.uploads import stored_name
from core.workflow import fsm_step
from reporting import workflow
from reporting.choices import SizeClass, SubmissionState


class CampaignQuerySet(models.QuerySet):
    def with_opener(self):
        return self.select_related("opened_by")


class Campaign(models.Model):
    """A reporting campaign (填报任务): city staff ask the target companies for their figures of
    `year` by `deadline`. The target set is chosen when it opens (every rated company, or
    those of some regions, one size class, one batch); companies can be added later."""

    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # The filter the target set was drawn with (regions, size class, batch), for the record.
    target_filter = models.JSONField(_("target filter"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Raised with every change of its submissions' states and regions (reporting.tally):
    # the cached progress counts are keyed by it.
    tally_version = models.PositiveIntegerField(_("count version"), default=0, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting campaign")
        verbose_name_plural = _("reporting campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="campaign_unique_year",
                violation_error_message=_("A campaign for this year is already open."),
            ),
            models.CheckConstraint(
                name="campaign_year_range",
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return str(_("Reporting campaign %(year)s") % {"year": self.year})

    @property
    def is_overdue(self) -> bool:
        return timezone.localdate() > self.deadline

    def filter_display(self) -> dict:
        return {
            "regions": self.target_filter.get("regions", []),
            "size_class": SizeClass(self.target_filter["size_class"]).label
            if self.target_filter.get("size_class")
            else "",
            "batch": self.target_filter.get("batch"),
        }


class SubmissionQuerySet(ScopedQuerySet):
    company_path = "company"
    region_path = "region_id"  # the copy below; the county's queue and counts use its indexes

    def with_list_relations(self):
        return self.select_related("company", "company__region", "campaign")

    def in_name_order(self, region_id: int | None = None):
        """In the companies' pinyin order. Given the one region these rows lie in (a county's
        scope, a region filter), the companies' (region, name) index walks that order a page
        at a time, where the name index alone would pass the other counties' companies."""
        rows = self
        if region_id is not None:
            rows = rows.filter(company__region_id=region_id)
        return rows.order_by("company__name_sort", "company_id")

    def waiting_for_company(self):
        return self.filter(state__in=workflow.WAITING_FOR_COMPANY)

    def overdue(self, today: datetime.date | None = None):
        return self.waiting_for_company().filter(
            campaign__deadline__lt=today or timezone.localdate()
        )


class Submission(models.Model):
    """A company's report for one campaign year: its annual figures (kept here, as entered,
    until the city confirms them; then they are written to its AnnualData), its evidence,
    and where it stands in the review (reporting.workflow)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    # The company's region, copied: a campaign's progress per region is then one GROUP BY
    # over an index of this table alone, where a join to 100,000 companies costs the page
    # its target. Set from the company on creation and kept in step with it by
    # reporting.signals on every write of a company (single and bulk), in the same
    # transaction; a county's scope reads it (SubmissionQuerySet.region_path), which a test
    # pins equal to the scope through the company.
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    state = FSMField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.NOT_STARTED,
        editable=False,  # moves only through reporting.services.submission_step
    )
    # The figures as entered (AnnualData's FIGURE_FIELDS → their values as text); they
    # reach AnnualData, and so a ranking, only when the city confirms them.
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    # The year-on-year warnings the company confirmed ("confirmed: …", companies.plausibility),
    # carried into the annual data's history.
    warnings_confirmed = models.CharField(
        _("confirmed warnings"), max_length=100, blank=True, editable=False
    )
    # The figures the latest return named, shown to the company beside them.
    returned_fields = models.JSONField(_("figures returned"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        # By the ids: the unique (campaign, company) index serves it ("campaign" would sort by
        # the campaign's own ordering, through a join, over the whole table).
        ordering = ["campaign_id", "company_id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "company"],
                name="submission_unique_company",
                violation_error_message=_("This company is already in the campaign."),
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            # Progress per region (reporting.selectors.campaign_progress), index-only.
            models.Index(fields=["campaign", "region", "state"], name="submission_progress"),
            # The review queues: a state's submissions oldest first, a page walked in order.
            models.Index(fields=["state", "submitted_at", "id"], name="submission_queue"),
            # A county's queue: its region's submissions in a state, oldest first.
            models.Index(
                fields=["region", "state", "submitted_at", "id"], name="submission_region_queue"
            ),
        ]

    def __str__(self):
        return f"{self.company} {self.campaign.year}"

    def save(self, *args, **kwargs):
        if self.region_id is None and self.company_id is not None:
            self.region_id = self.company.region_id
        super().save(*args, **kwargs)

    @property
    def year(self) -> int:
        return self.campaign.year

    @property
    def is_editable(self) -> bool:
        return self.state in workflow.EDITABLE

    # One django-fsm method per step of reporting.workflow.SUBMISSION_STEPS.
    @fsm_step(workflow.START, field_name="state")
    def start(self):
        pass

    @fsm_step(workflow.SUBMIT, field_name="state")
    def submit(self):
        pass

    @fsm_step(workflow.COUNTY_ACCEPT, field_name="state")
    def county_accept(self):
        pass

    @fsm_step(workflow.COUNTY_RETURN, field_name="state")
    def county_return(self):
        pass

    @fsm_step(workflow.CITY_CONFIRM, field_name="state")
    def city_confirm(self):
        pass

    @fsm_step(workflow.CITY_RETURN, field_name="state")
    def city_return(self):
        pass


class SubmissionChildQuerySet(ScopedQuerySet):
    company_path = "submission__company"


class SubmissionStep(models.Model):
    """One step of a submission: who, when, from, to, why, and the figures it names."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("step"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, choices=SubmissionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SubmissionState.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    fields = models.JSONField(_("figures concerned"), default=list, blank=True)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")

    def __str__(self):
        return f"{self.submission}: {self.from_state} → {self.to_state}"

    @property
    def label(self):
        step = workflow.STEPS_BY_ACTION.get(self.action)
        return step.label if step else self.action

    @property
    def field_labels(self) -> list[str]:
        """The figures the step names, as their labels (the stored codes mean nothing to a
        factory manager)."""
        labels = []
        for name in self.fields or []:
            try:
                labels.append(str(AnnualData._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return labels


def attachment_path(instance: Attachment, filename: str) -> str:
    """A stored name nobody chooses: the submission's folder, a random name, and the
    extension of the type the content was found to be (never the uploaded name)."""
    return stored_name(f"submissions/{instance.submission_id}", instance.kind)


class Attachment(models.Model):
    """An evidence file of a submission (PDF, JPG or PNG, at most 10 MB, its type read from
    its content). Served only to those who may see the submission."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    kind = models.CharField(_("type"), max_length=4, editable=False)
    original_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
