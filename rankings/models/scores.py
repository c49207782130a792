from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role
from core.scoping import scope_of
from rankings.choices import Grade, NotRatedReason, SizeClass
from rankings.indicators import INDICATORS

# A score row's indicator values and points, and why the grade was moved (veto, protection):
# the company's own data (SPEC.md: county staff see every ranking's rank, score and grade, and
# full data of their own region's companies only).
DETAIL_FIELDS = (
    *(indicator.key for indicator in INDICATORS),
    *(f"{indicator.key}_points" for indicator in INDICATORS),
    "tax_per_electricity",
    "tax_per_electricity_points",
    "emission_points_from_mean",
    "ims_points",
    "maturity_points",
    "project_points",
    "robot_density",
    "robot_points",
    "s_uncapped",
    "veto_applied",
    "protection_applied",
)


def score_details_visible(user, region_id) -> bool:
    """Whether `user` may see the DETAIL_FIELDS of a score row of a company in `region_id`:
    city-wide roles always, county staff for their own region, a company user for its own
    rows (the only ones it sees)."""
    scope = scope_of(user)
    if scope.is_city_wide or scope.role == Role.COMPANY:
        return True
    return scope.role == Role.COUNTY and region_id is not None and region_id == scope.region_id


class CompanyScoreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rankings are public inside the administration: administrators, city and county
        staff see every row (SPEC.md: county staff see all rankings); a company user sees
        only its own company's rows; anyone else sees none."""
        scope = scope_of(user)
        if scope.role in STAFF_ROLES:
            return self.all()
        if scope.role == Role.COMPANY and scope.company_id is not None:
            return self.filter(company_id=scope.company_id)
        return self.none()

    def rated(self):
        return self.filter(rated=True)

    def not_rated(self):
        return self.filter(rated=False)

    def in_display_order(self):
        """City-rank order; ties by tax per mu (descending), then company id (RANKING.md)."""
        return self.order_by("position")


def _value(verbose_name):
    return models.FloatField(verbose_name, null=True, blank=True)


def _points(verbose_name):
    return models.FloatField(verbose_name, default=0)


class CompanyScore(models.Model):
    """One company's result in a run: every indicator's value and points, the blocks E and S,
    the total, its three ranks and grade — or why the company was not rated. The company's
    credit code, name, region and industry are captured as they were when the run was made,
    so a published run still explains itself after the company changes or is deleted.

    Values and points are unrounded doubles (RANKING.md: only the total is rounded).

    The foreign keys carry no database constraint: rows are written only by the set-based SQL
    in rankings.sql.compute, from rows that exist in the same transaction, and checking four
    deferred constraints per row at commit cost more than computing the whole ranking
    (measured: 1.4 s of a 4 s recompute at 10,000 companies). Django still applies on_delete
    (SET_NULL for a deleted company, CASCADE for a deleted run)."""

    run = models.ForeignKey(
        "rankings.RankingRun",
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="scores",
        db_index=False,  # the (run, company) unique index covers it
        db_constraint=False,  # see the class docstring
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="ranking_scores",
        db_constraint=False,
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    company_name = models.CharField(_("company name"), max_length=200)
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    industry = models.ForeignKey(
        "companies.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rated = models.BooleanField(_("rated"))
    # RANKING.md part 2: the company's class in the run's year; ranks, grades and display
    # positions are within the class.
    size_class = models.CharField(
        _("size class"), max_length=5, choices=SizeClass.choices, default=SizeClass.ABOVE
    )
    not_rated_reason = models.CharField(
        _("reason not rated"), max_length=20, choices=NotRatedReason.choices, blank=True
    )

    tax_per_mu = _value(_("tax per mu"))
    added_value_per_mu = _value(_("added value per mu"))
    labour_productivity = _value(_("labour productivity"))
    added_value_per_energy = _value(_("added value per unit energy"))
    added_value_per_emission = _value(_("added value per unit emission"))
    rd_intensity = _value(_("R&D intensity"))
    tax_per_mu_points = _points(_("tax per mu points"))
    added_value_per_mu_points = _points(_("added value per mu points"))
    labour_productivity_points = _points(_("labour productivity points"))
    added_value_per_energy_points = _points(_("added value per unit energy points"))
    added_value_per_emission_points = _points(_("added value per unit emission points"))
    emission_points_from_mean = models.BooleanField(
        _("emission points are the mean (no emissions figure)"), default=False
    )
    rd_intensity_points = _points(_("R&D intensity points"))
    tax_per_electricity = _value(_("tax per unit electricity"))
    tax_per_electricity_points = _points(_("tax per unit electricity points"))

    ims_points = _points(_("IMS certificate points"))
    maturity_points = _points(_("maturity points"))
    project_points = _points(_("accepted project points"))
    robot_density = _value(_("robot density"))
    robot_points = _points(_("robot density points"))
    s_uncapped = _points(_("smart-manufacturing points before the cap"))

    e_points = _points(_("efficiency block E"))
    s_points = _points(_("smart-manufacturing block S"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, null=True, blank=True)
    city_rank = models.PositiveIntegerField(_("city rank"), null=True, blank=True)
    region_rank = models.PositiveIntegerField(_("region rank"), null=True, blank=True)
    industry_rank = models.PositiveIntegerField(_("industry rank"), null=True, blank=True)
    position = models.PositiveIntegerField(
        _("display position"),
        null=True,
        blank=True,
        help_text=_("Order of the list: city rank, then tax per mu, then company id."),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    veto_applied = models.BooleanField(_("veto applied (major incident)"), default=False)
    protection_applied = models.BooleanField(_("protection applied (newly founded)"), default=False)

    objects = CompanyScoreQuerySet.as_manager()

    class Meta:
        ordering = ["run", "position", "company_name"]
        verbose_name = _("company score")
        verbose_name_plural = _("company scores")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "company"], name="companyscore_unique_run_company"
            ),
            models.CheckConstraint(
                name="companyscore_rated_or_reason",
                condition=Q(rated=True, not_rated_reason="")
                | (Q(rated=False) & ~Q(not_rated_reason="")),
                violation_error_message=_("A score is either rated or has a reason it is not."),
            ),
        ]
        indexes = [
            # With the id: a page by position is one index range in its order, and so are
            # the rows without a position (not rated) in id order, the end of the list.
            models.Index(fields=["run", "position", "id"], name="companyscore_run_position"),
            # The companies a run rated, by id: the company list by rank finds the ones it
            # did not rate (after the ranked ones) by an anti-join along it.
            models.Index(
                fields=["run", "company"],
                condition=Q(rated=True),
                name="companyscore_run_rated_company",
            ),
            models.Index(fields=["run", "size_class", "position"], name="companyscore_run_class"),
            models.Index(fields=["run", "region", "position"], name="companyscore_run_region"),
        ]

    def __str__(self):
        return f"{self.company_name} {self.run}"
