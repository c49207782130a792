from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role
from core.scoping import scope_of
from rankings.choices import EvaluationScope, RunKind, RunStatus, SizeClass


def _baseline(verbose_name):
    return models.FloatField(verbose_name, null=True, blank=True, editable=False)


class RankingRunQuerySet(models.QuerySet):
    def provisional(self):
        return self.filter(kind=RunKind.PROVISIONAL)

    def published(self):
        return self.filter(kind=RunKind.PUBLISHED)

    def visible_to(self, user):
        """Staff (administrators, city and county staff) see every run; a company user only
        the published runs its company was rated in (参评; every company has a score row in
        every run, a not-rated one saying why); anyone else none. A provisional run is the
        bureau's working copy, and a run the company was not rated in says nothing about it.
        The company's own score rows, rated or not, stay readable through the scores."""
        scope = scope_of(user)
        if scope.role in STAFF_ROLES:
            return self.all()
        if scope.role == Role.COMPANY and scope.company_id is not None:
            # At most one score row per company and run: the join adds no duplicates.
            return self.published().filter(scores__company_id=scope.company_id, scores__rated=True)
        return self.none()


class RankingRun(models.Model):
    """One computation of a year's ranking. The provisional run of a year is replaced each
    time an input changes; a published run is a frozen copy that city staff put on public
    notice (公示) and that never changes afterwards. The baselines actually used are kept
    here, so every score of the run can be explained."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    scheme = models.ForeignKey(
        "rankings.ScoringScheme",
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    notice_ends_on = models.DateField(_("public notice ends on"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    rated_count = models.PositiveIntegerField(_("rated companies"), default=0)
    # RANKING.md part 2. `rated_count` and the baselines below are those of the 规上 class
    # over the city (city scope; empty in region scope); every class's and region's own
    # baselines, N and cut-offs are the run's `baselines` rows.
    rated_count_below = models.PositiveIntegerField(
        _("rated companies below designated size (规下)"), default=0
    )
    evaluation_scope = models.CharField(
        _("evaluation scope"),
        max_length=10,
        choices=EvaluationScope.choices,
        default=EvaluationScope.CITY,
    )

    baseline_tax_per_mu = _baseline(_("baseline: tax per mu"))
    baseline_added_value_per_mu = _baseline(_("baseline: added value per mu"))
    baseline_labour_productivity = _baseline(_("baseline: labour productivity"))
    baseline_added_value_per_energy = _baseline(_("baseline: added value per unit energy"))
    baseline_added_value_per_emission = _baseline(_("baseline: added value per unit emission"))
    baseline_rd_intensity = _baseline(_("baseline: R&D intensity"))
    baseline_robot_density = _baseline(_("baseline: robot density"))

    objects = RankingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-started_at", "-id"]
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(kind="provisional"),
                name="rankingrun_one_provisional_per_year",
            )
        ]
        indexes = [models.Index(fields=["year", "kind", "started_at"])]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()} #{self.pk}"

    def notice_is_open(self, today=None) -> bool:
        """Whether the run's public notice (公示) runs on `today` (default: today); its last
        day counts. Whether objections are taken also needs the run to be its year's latest
        (notices.selectors.notice_open)."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.notice_ends_on is not None and today <= self.notice_ends_on


class RunBaseline(models.Model):
    """The population a run graded one class over (RANKING.md part 2): the whole city (region
    empty) or one region (evaluation scope "region"). Its N, grade cut-offs and baselines
    are what every score of that class and population was computed against; the ranking SQL
    reads them from here."""

    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="baselines",
        db_constraint=False,  # written in the run's own transaction, as CompanyScore
    )
    size_class = models.CharField(_("size class"), max_length=5, choices=SizeClass.choices)
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rated_count = models.PositiveIntegerField(_("rated companies"))
    cutoff_a = models.PositiveIntegerField(_("last rank of grade A"))
    cutoff_b = models.PositiveIntegerField(_("last rank of grade B"))
    cutoff_c = models.PositiveIntegerField(_("last rank of grade C"))
    baseline_tax_per_mu = _baseline(_("baseline: tax per mu"))
    baseline_added_value_per_mu = _baseline(_("baseline: added value per mu"))
    baseline_labour_productivity = _baseline(_("baseline: labour productivity"))
    baseline_added_value_per_energy = _baseline(_("baseline: added value per unit energy"))
    baseline_added_value_per_emission = _baseline(_("baseline: added value per unit emission"))
    baseline_rd_intensity = _baseline(_("baseline: R&D intensity"))
    baseline_tax_per_electricity = _baseline(_("baseline: tax per unit electricity"))
    baseline_robot_density = _baseline(_("baseline: robot density"))

    class Meta:
        ordering = ["run", "size_class", "region"]
        verbose_name = _("run baseline")
        verbose_name_plural = _("run baselines")
        indexes = [models.Index(fields=["run", "size_class", "region"])]

    def __str__(self):
        return f"{self.run} {self.get_size_class_display()} {self.region or ''}".strip()


class LeagueFigures(models.Model):
    """The figures of one line of a run's league table (RANKING.md, "Region league table"),
    whatever the table is partitioned by: written by rankings.sql.league, one rule for both."""

    rated_count = models.PositiveIntegerField(_("rated companies"))
    grade_a_count = models.PositiveIntegerField(_("grade A companies"))
    grade_a_share = models.FloatField(_("grade A share"), null=True)
    ims_certified_count = models.PositiveIntegerField(_("companies with a valid IMS certificate"))
    projects_accepted = models.PositiveIntegerField(_("key projects accepted"))
    projects_accepted_investment = models.DecimalField(
        _("actual investment of accepted projects (10k RMB)"), max_digits=18, decimal_places=2
    )
    robots_added = models.PositiveIntegerField(_("robots added"))
    tax_per_mu = models.FloatField(_("tax per mu (10k RMB)"), null=True)
    # RANKING.md part 2: the same three figures for the class below designated size (规下);
    # the columns above are those of the 规上 class.
    rated_count_below = models.PositiveIntegerField(
        _("rated companies below designated size (规下)"), default=0
    )
    grade_a_count_below = models.PositiveIntegerField(_("grade A companies (规下)"), default=0)
    grade_a_share_below = models.FloatField(_("grade A share (规下)"), null=True)
    tax_per_mu_below = models.FloatField(_("tax per mu (规下, 10k RMB)"), null=True)

    class Meta:
        abstract = True


class RegionLeague(LeagueFigures):
    """One region's line in a run's league table (RANKING.md, "Region league table")."""

    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="league",
        db_constraint=False,  # written by set-based SQL only, as CompanyScore
    )
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["run", "-ims_certified_count", "region__sort_order"]
        verbose_name = _("region league row")
        verbose_name_plural = _("region league rows")
        constraints = [
            models.UniqueConstraint(fields=["run", "region"], name="regionleague_unique_run_region")
        ]

    def __str__(self):
        return f"{self.run} {self.region}"


class IndustryLeague(LeagueFigures):
    """One industry's (GB/T 4754 division's) line in a run's industry league table: the
    region league's figures, partitioned by the companies' industry instead of their region."""

    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="industry_league",
        db_constraint=False,  # written by set-based SQL only, as CompanyScore
    )
    industry = models.ForeignKey(
        "companies.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["run", "-ims_certified_count", "industry__code"]
        verbose_name = _("industry league row")
        verbose_name_plural = _("industry league rows")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "industry"], name="industryleague_unique_run_industry"
            )
        ]

    def __str__(self):
        return f"{self.run} {self.industry}"
