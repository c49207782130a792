import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from companies.models.annual import MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE
from companies.models.base import money_field
from companies.models.bounds import (
    PROGRAMME_START,
    date_error,
    latest_reported_year,
    raise_for,
    today,
    year_error,
)
from core.models import TrackedModel, VoidableModel, VoidableQuerySet
from core.scoping import ScopedQuerySet
from core.workflow import fsm_step
from projects import workflow
from projects.choices import UNDER_CONSTRUCTION, ProjectKind, ProjectLevel, ProjectStatus

# A project is lagging when its latest report is this many points behind the schedule
# (linear from planned start to planned completion), or when it is past its planned completion.
LAGGING_TOLERANCE_POINTS = 10


class KeyProjectQuerySet(VoidableQuerySet):
    company_path = "company"

    def with_list_relations(self):
        return self.select_related("company", "company__region", "batch")

    def lagging(self, today: datetime.date | None = None):
        return self.filter(self._lagging_q(today or datetime.date.today()))

    def not_lagging(self, today: datetime.date | None = None):
        return self.exclude(self._lagging_q(today or datetime.date.today()))

    def with_lagging(self, today: datetime.date | None = None):
        """Each project with `is_lagging`, the test of lagging() as a column to show and sort."""
        lagging = self._lagging_q(today or datetime.date.today())
        return self.annotate(
            is_lagging=ExpressionWrapper(lagging, output_field=models.BooleanField())
        )

    @staticmethod
    def _lagging_q(today: datetime.date) -> Q:
        # The latest report's verdict, computed when the report was saved (see ProgressReport).
        # A project without reports gives NULL here; coalesce it to False, or SQL's
        # three-valued logic would drop it from not_lagging() (NOT NULL is NULL).
        latest_behind = Coalesce(
            Subquery(
                ProgressReport.objects.filter(project=OuterRef("pk"))
                .order_by("-year", "-quarter")
                .values("behind_schedule")[:1],
                output_field=models.BooleanField(),
            ),
            Value(False),
            output_field=models.BooleanField(),
        )
        under_way = Q(status__in=UNDER_CONSTRUCTION)
        return under_way & (Q(latest_behind) | Q(planned_completion__lt=today))


class KeyProject(VoidableModel, TrackedModel):
    """A key smart-manufacturing project (重点项目) of a company, from declaration to acceptance."""

    # What a user enters about a project, in this order, on the page and through the API (the
    # company is chosen apart; the status moves only through project_transition).
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "level",
        "batch",
        "planned_investment",
        "equipment_investment",
        "construction_investment",
        "actual_investment",
        "planned_start",
        "planned_completion",
        "accepted_on",
        "robots_planned",
        "robots_added",
        "meets_ims_standard",
    )

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    level = models.CharField(
        _("level"), max_length=10, choices=ProjectLevel.choices, default=ProjectLevel.CITY
    )
    batch = models.ForeignKey(
        "companies.DemonstrationBatch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    planned_investment = money_field(_("planned investment (10k RMB)"))
    # The planned investment split the way the bureau's project forms split it: equipment and
    # software (设备及软件) against construction (土建). Both or neither; when both are given
    # they add up to the planned investment (filled in from them when left empty).
    equipment_investment = money_field(_("equipment and software investment (10k RMB)"))
    construction_investment = money_field(_("construction investment (10k RMB)"))
    actual_investment = money_field(_("actual investment (10k RMB)"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    robots_planned = models.PositiveIntegerField(_("robots planned"), null=True, blank=True)
    robots_added = models.PositiveIntegerField(_("robots added"), null=True, blank=True)
    meets_ims_standard = models.BooleanField(
        _("meets the IMS standard"),
        default=False,
        help_text=_("达标: for IMS implementation projects."),
    )
    status = FSMField(
        _("status"),
        max_length=24,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DECLARED,
        editable=False,  # moves only through projects.services.project_transition
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = KeyProjectQuerySet.as_manager()
    derived_fields = ("planned_investment",)

    class Meta:
        ordering = ["-planned_start", "id"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.CheckConstraint(
                name="keyproject_completion_not_before_start",
                condition=Q(planned_start__isnull=True)
                | Q(planned_completion__isnull=True)
                | Q(planned_completion__gte=F("planned_start")),
                violation_error_message=_(
                    "The planned completion cannot come before the planned start."
                ),
            ),
            models.CheckConstraint(
                name="keyproject_planned_investment_non_negative",
                condition=Q(planned_investment__isnull=True) | Q(planned_investment__gte=0),
                violation_error_message=_("The planned investment cannot be negative."),
            ),
            models.CheckConstraint(
                name="keyproject_actual_investment_non_negative",
                condition=Q(actual_investment__isnull=True) | Q(actual_investment__gte=0),
                violation_error_message=_("The actual investment cannot be negative."),
            ),
            models.CheckConstraint(
                name="keyproject_accepted_has_date",
                condition=~Q(status="accepted") | Q(accepted_on__isnull=False),
                violation_error_message=_("An accepted project needs an acceptance date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return self.name

    # One django-fsm method per step of projects.workflow.PROJECT_STEPS (sources, target and
    # roles come from the table); projects.services.project_transition calls them.
    @fsm_step(workflow.REVIEW)
    def review(self):
        pass

    @fsm_step(workflow.APPROVE)
    def approve(self):
        pass

    @fsm_step(workflow.START)
    def start(self):
        pass

    @fsm_step(workflow.REQUEST_ACCEPTANCE)
    def request_acceptance(self):
        pass

    @fsm_step(workflow.ACCEPT)
    def accept(self):
        pass

    @fsm_step(workflow.RECTIFY)
    def rectify(self):
        pass

    @fsm_step(workflow.CANCEL)
    def cancel(self):
        pass

    @fsm_step(workflow.REOPEN)
    def reopen(self, target):
        return target

    def clean(self):
        """Plans may look PLAN_HORIZON_YEARS ahead; an acceptance has happened, on or after
        the planned start."""
        super().clean()
        horizon = plan_horizon_end()
        errors = {
            "planned_start": date_error(self.planned_start, PROGRAMME_START, horizon),
            "planned_completion": date_error(self.planned_completion, PROGRAMME_START, horizon),
            "accepted_on": acceptance_date_error(self, self.accepted_on),
        }
        errors["equipment_investment"] = self.investment_split_error()
        raise_for(errors)

    def check_write_by(self, user) -> None:
        """Refuse (PermissionDenied) a change of what the acceptance decided — its date, the
        kind and the level that count in the ranking — by a role that may not accept
        (projects.workflow.ACCEPTANCE_FIELDS): county staff could otherwise move an
        acceptance into an earlier year or raise its level without the city."""
        if workflow.ACCEPT.allows_role(user):
            return
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("status", *workflow.ACCEPTANCE_FIELDS)
                .first()
            )
        if stored is None:
            refused = self.accepted_on is not None
        else:
            changed = [f for f in workflow.ACCEPTANCE_FIELDS if stored[f] != getattr(self, f)]
            refused = bool(changed) and (
                stored["status"] == ProjectStatus.ACCEPTED or "accepted_on" in changed
            )
        if refused:
            raise PermissionDenied(
                _(
                    "The acceptance date, kind and level of an accepted project (and any "
                    "acceptance date) are changed by city staff only."
                )
            )

    def investment_split_error(self):
        """Why the equipment/construction split does not fit the planned investment, or None."""
        parts = (self.equipment_investment, self.construction_investment)
        if all(part is None for part in parts):
            return None
        if any(part is None for part in parts):
            return _("Give both parts of the investment, or neither.")
        if any(part < 0 for part in parts):
            return _("An investment cannot be negative.")
        if self.planned_investment is not None and sum(parts) != self.planned_investment:
            return _(
                "Equipment and software plus construction must add up to the planned investment."
            )
        return None

    def derive_fields(self) -> None:
        # The total follows from the split when only the split was entered.
        parts = (self.equipment_investment, self.construction_investment)
        if self.planned_investment is None and all(part is not None for part in parts):
            self.planned_investment = sum(parts)


def plan_horizon_end() -> datetime.date:
    """The last day a planned date may name: the end of the year PLAN_HORIZON_YEARS ahead."""
    return datetime.date(
        min(MAX_YEAR, latest_reported_year() + settings.PLAN_HORIZON_YEARS), 12, 31
    )


def acceptance_date_error(project: KeyProject, day: datetime.date | None):
    """Why `day` cannot be the project's acceptance date, or None: it must have come, and not
    before the project's planned start."""
    if day is None:
        return None
    earliest = max(project.planned_start or PROGRAMME_START, PROGRAMME_START)
    return date_error(day, earliest, today())


class ProjectChildQuerySet(ScopedQuerySet):
    company_path = "project__company"


class ProjectStatusChange(models.Model):
    """One move of a project along its lifecycle: who, when, from, to and why."""

    project = models.ForeignKey(
        KeyProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=ProjectStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=ProjectStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("project status change")
        verbose_name_plural = _("project status changes")

    def __str__(self):
        return f"{self.project}: {self.from_status} → {self.to_status}"


class ProgressReport(TrackedModel):
    """A quarterly progress report (进度报告) on a key project."""

    project = models.ForeignKey(
        KeyProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    invested_to_date = money_field(_("invested to date (10k RMB)"))
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)
    # Stored on every write (apply_schedule), so "lagging" is a plain filter for lists and
    # the API.
    expected_percent = models.PositiveSmallIntegerField(
        _("expected percent"), null=True, editable=False
    )
    behind_schedule = models.BooleanField(_("behind schedule"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectChildQuerySet.as_manager()
    derived_fields = ("expected_percent", "behind_schedule")

    class Meta:
        ordering = ["project_id", "-year", "-quarter"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "quarter"],
                name="progressreport_unique_period",
                violation_error_message=_("This project already has a report for this quarter."),
            ),
            models.CheckConstraint(
                name="progressreport_quarter_range",
                condition=Q(quarter__gte=1, quarter__lte=4),
                violation_error_message=_("The quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                name="progressreport_percent_range",
                condition=Q(percent_complete__lte=100),
                violation_error_message=_("Percent complete cannot exceed 100."),
            ),
            models.CheckConstraint(
                name="progressreport_year_range",
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}Q{self.quarter}"

    def clean(self):
        super().clean()
        raise_for({"year": year_error(self.year)})

    def check_write_by(self, user) -> None:
        """A person files a new report only on a project whose work is under way (approved, in
        progress, under rectification: projects.workflow.takes_progress_reports): the page
        hides the form, the portal and the API refuse it the same way. Loaded history (no
        user) is not refused."""
        if self.pk is None and self.project_id is not None:
            project = self.project
            if not workflow.takes_progress_reports(project.status):
                raise ValidationError(
                    {
                        "project": _(
                            "“%(project)s” is %(status)s: it takes no more progress reports."
                        )
                        % {"project": project.name, "status": project.get_status_display()}
                    }
                )

    @property
    def period_end(self) -> datetime.date:
        month = self.quarter * 3
        next_month = datetime.date(self.year + (month == 12), month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)

    def schedule_percent(self) -> int | None:
        """Percent complete the plan expects at the end of this quarter (linear)."""
        start, end = self.project.planned_start, self.project.planned_completion
        if not start or not end:
            return None
        if end <= start:
            return 100 if self.period_end >= end else 0
        fraction = (self.period_end - start).days / (end - start).days
        return round(100 * min(max(fraction, 0.0), 1.0))

    def apply_schedule(self) -> None:
        """Store the schedule's verdict: the percent the plan expects by the end of the
        quarter, and whether the report is that far behind it."""
        self.expected_percent = self.schedule_percent()
        self.behind_schedule = (
            self.expected_percent is not None
            and self.percent_complete + LAGGING_TOLERANCE_POINTS < self.expected_percent
        )

    def derive_fields(self) -> None:
        self.apply_schedule()
