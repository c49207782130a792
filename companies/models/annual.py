from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models.base import money_field, quantity_field
from companies.models.bounds import MAX_YEAR, MIN_YEAR, raise_for, year_error
from core.models import TrackedModel, VoidableModel, VoidableQuerySet

YEAR_RANGE_MESSAGE = format_lazy(
    _("The year must lie between {min} and {max}."), min=MIN_YEAR, max=MAX_YEAR
)
PILOT_YEAR_RANGE_MESSAGE = format_lazy(
    _("The pilot year must lie between {min} and {max}."), min=MIN_YEAR, max=MAX_YEAR
)

# The reported figures of a year, in the order forms, the API and exports show them. The
# first two are facts of the year that RANKING.md part 2 reads (size class, land used); empty
# means "the company's current field".
FIGURE_FIELDS = (
    "above_size",
    "land_area_mu",
    "main_revenue",
    "industrial_output",
    "added_value",
    "total_profit",
    "tax_paid",
    "avg_employees",
    "unskilled_workers",
    "energy_use_tce",
    "emissions",
    "rd_expense",
    "electricity",
    "robots_in_service",
    "robots_added",
    "major_incident",
)

# Figures that may not be negative. Profit is left out on purpose: a loss is a real figure.
NON_NEGATIVE_FIELDS = tuple(
    name for name in FIGURE_FIELDS if name not in ("above_size", "total_profit", "major_incident")
)


class AnnualDataQuerySet(VoidableQuerySet):
    company_path = "company"

    def being_corrected(self, *, company_id: int, year: int) -> AnnualData | None:
        """The row a correction without loss replaces: the company's latest voided row of
        `year` while the year has no live row (voided, the corrected one not yet entered)."""
        rows = self.filter(company_id=company_id, year=year)
        if rows.live().exists():
            return None
        return rows.voided().order_by("-voided_at", "-pk").first()


class AnnualData(VoidableModel, TrackedModel):
    """A company's yearly figures (年度指标). Money in 万元 (10,000 RMB). An empty field means
    "not reported", which the ranking treats as undefined, never as zero."""

    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="annual_data",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    above_size = models.BooleanField(
        _("above designated size this year (规上)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the company's current size class."),
    )
    land_area_mu = models.DecimalField(
        _("land used this year (mu)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Own land plus land rented in, minus land rented out. Leave empty to use the "
            "company's land area; 0 means no land."
        ),
    )
    main_revenue = money_field(_("main business revenue (10k RMB)"))
    industrial_output = money_field(_("industrial output (10k RMB)"))
    added_value = money_field(_("industrial added value (10k RMB)"))
    total_profit = money_field(_("total profit (10k RMB)"), non_negative=False)
    tax_paid = money_field(_("tax paid (10k RMB)"))
    avg_employees = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    unskilled_workers = models.PositiveIntegerField(_("unskilled workers"), null=True, blank=True)
    energy_use_tce = quantity_field(_("energy use (tce)"))
    emissions = quantity_field(_("emissions (equivalent)"))
    rd_expense = money_field(_("R&D expense (10k RMB)"))
    electricity = quantity_field(_("electricity (10k kWh)"))
    robots_in_service = models.PositiveIntegerField(
        _("industrial robots in service"), null=True, blank=True
    )
    robots_added = models.PositiveIntegerField(_("industrial robots added"), null=True, blank=True)
    major_incident = models.BooleanField(_("major safety or environmental incident"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AnnualDataQuerySet.as_manager()

    class Meta:
        ordering = ["company_id", "-year"]
        verbose_name = _("annual data")
        verbose_name_plural = _("annual data")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"],
                # A voided row leaves its year free for the corrected one.
                condition=Q(voided_at__isnull=True),
                name="annualdata_unique_company_year",
                violation_error_message=_("This company already has data for this year."),
            ),
            models.CheckConstraint(
                name="annualdata_year_range",
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
            *[
                models.CheckConstraint(
                    name=f"annualdata_{field}_non_negative",
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    violation_error_message=_("This figure cannot be negative."),
                )
                for field in NON_NEGATIVE_FIELDS
            ],
        ]
        indexes = [models.Index(fields=["year", "company"])]

    def __str__(self):
        return f"{self.company} {self.year}"

    def check_write_by(self, user) -> None:
        """A stored row keeps the company and year it was entered for, on every path that
        writes as a person (pages, API, admin: core.services.check_may_write): moving it would
        empty one year and fill another without a reason. A row entered for the wrong company
        or year is voided with the reason and entered again."""
        if self.pk is None:
            return
        stored = type(self).objects.filter(pk=self.pk).values_list("company_id", "year").first()
        if stored is None:
            return
        if stored[0] != self.company_id:
            raise ValidationError(
                {"company": _("The company of a year's figures cannot be changed once entered.")}
            )
        if stored[1] != self.year:
            raise ValidationError(
                {
                    "year": _(
                        "The year of a row cannot be changed once entered: void the row giving "
                        "the reason, then enter the figures under the right year."
                    )
                }
            )

    def clean(self):
        """The figures must fit together (RANKING.md reads them as one picture of the year),
        and the year must be one that has happened."""
        super().clean()
        raise_for(
            {
                "year": year_error(self.year),
                "unskilled_workers": _exceeds(
                    self.unskilled_workers,
                    self.avg_employees,
                    _("Unskilled workers (%(value)s) cannot exceed average employees (%(limit)s)."),
                ),
                "robots_added": _exceeds(
                    self.robots_added,
                    self.robots_in_service,
                    _("Robots added (%(value)s) cannot exceed robots in service (%(limit)s)."),
                ),
                "added_value": _exceeds(
                    self.added_value,
                    self.industrial_output,
                    _("Added value (%(value)s) cannot exceed industrial output (%(limit)s)."),
                ),
                "main_revenue": self._missing_revenue(),
            }
        )

    def _missing_revenue(self):
        # 规上 is defined by main business revenue: a row of such a company without it cannot
        # be ranked and is a reporting gap, not "not reported". The company is in memory on
        # every write path (forms, API, imports), so this costs no query there.
        if self.main_revenue is not None or self.company_id is None:
            return None
        if not self.is_above_size():
            return None
        return _("A company above designated size must report its main business revenue.")

    def is_above_size(self) -> bool:
        """The company's size class in this year (RANKING.md part 2): the year's own figure,
        else the company's current one. The ranking SQL spells the same rule as
        `rankings.sql.common.YEAR_ABOVE_SIZE`."""
        if self.above_size is not None:
            return self.above_size
        return bool(self.company.above_size)


def _exceeds(value, limit, message):
    """`message` when both figures are given and `value` is greater than `limit`."""
    if value is None or limit is None or value <= limit:
        return None
    return message % {"value": value, "limit": limit}
