"""Objections (异议) to a published ranking result, and their attachments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.scoping import ScopedQuerySet
from notices.choices import CountyOpinion, ObjectionState, subject_choices
from notices.workflow import STEPS, role_may


def _step(name):
    step = STEPS[name]
    return transition(
        field="state",
        source=[str(s) for s in step.source],
        target=str(step.target),
        permission=role_may(name),
    )


class ObjectionQuerySet(ScopedQuerySet):
    company_path = "company"

    def with_relations(self):
        return self.select_related(
            "company",
            "company__region",
            "run",
            "filed_by",
            "remarked_by",
            "decided_by",
            "correction_run",
            "record",
        )


class Objection(models.Model):
    """A company's objection to its result in a published run, filed during the run's public
    notice (公示) and decided by the city after the county's review remark. Every step keeps
    who made it and when; the company sees them all."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    run = models.ForeignKey(
        "rankings.RankingRun",
        verbose_name=_("published ranking"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    subject = models.CharField(
        _("record or figure concerned"), max_length=40, choices=subject_choices
    )
    record = models.ForeignKey(
        "companies.AnnualData",
        verbose_name=_("annual data concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_value = models.CharField(_("value claimed"), max_length=200)
    explanation = models.TextField(_("explanation"))
    state = FSMField(
        _("state"), max_length=12, choices=ObjectionState.choices, default=ObjectionState.FILED
    )

    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    county_opinion = models.CharField(
        _("county's opinion"), max_length=14, choices=CountyOpinion.choices, blank=True
    )
    county_remark = models.TextField(_("county's remark"), blank=True)
    remarked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remarked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remarked_at = models.DateTimeField(_("remarked at"), null=True, blank=True)

    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    correction_run = models.ForeignKey(
        "rankings.RankingRun",
        verbose_name=_("correction run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upheld_objections",
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["state", "filed_at"])]

    def __str__(self):
        return _("Objection no. %(number)s") % {"number": self.pk}

    # The transitions (STEPS in notices/workflow.py). Call them through notices.services,
    # which checks the scope, fills the attribution and saves.
    @_step("remark")
    def remark(self, *, user, opinion, text):
        self.county_opinion, self.county_remark = opinion, text
        self.remarked_by, self.remarked_at = user, timezone.now()

    @_step("uphold")
    def uphold(self, *, user, reason, correction_run):
        self.decision_reason, self.correction_run = reason, correction_run
        self.decided_by, self.decided_at = user, timezone.now()

    @_step("reject")
    def reject(self, *, user, reason):
        self.decision_reason = reason
        self.decided_by, self.decided_at = user, timezone.now()

    @property
    def is_open(self) -> bool:
        return self.state in (ObjectionState.FILED, ObjectionState.REMARKED)


class AttachmentQuerySet(ScopedQuerySet):
    company_path = "objection__company"


class ObjectionAttachment(models.Model):
    """A file the company gave as evidence (PDF, JPG or PNG, checked by content; see
    core.uploads). Stored under a made-up name; served only to those who see the objection."""

    objection = models.ForeignKey(
        Objection,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=100)
    kind = models.CharField(_("file type"), max_length=4)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
