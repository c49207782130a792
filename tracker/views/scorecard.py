"""Explaining one company's score: each indicator against its baseline, the grade cut-offs,
and what would lift the company a grade. Shared by the company page and the portal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from rankings.choices import EvaluationScope, Grade, RunKind, SizeClass
from rankings.indicators import BELOW_INDICATORS, EMISSION_INDICATOR, INDICATORS
from rankings.models import CompanyScore, RankingRun
from rankings.selectors import default_year, score_population
from rankings.sql.parameters import grade_cutoff
from tracker.charts import meter

EXPIRY_WARNING_DAYS = 90
GRADE_ORDER = ("A", "B", "C", "D")
# Indicators whose value is a share, shown as a percentage.
PERCENT_INDICATORS = {"rd_intensity"}


@dataclass
class IndicatorLine:
    key: str
    label: str
    value: float | None
    baseline: float | None
    weight: float
    points: float
    max_points: float
    from_mean: bool = False

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def meter(self):
        return meter(
            fraction=self.points / self.max_points if self.max_points else 0,
            mark=self.weight / self.max_points if self.max_points else None,
            label=f"{self.points:.2f} / {self.max_points:.0f}",
        )

    @property
    def points_to_baseline(self) -> float:
        """Points the company would gain by reaching the baseline on this indicator."""
        return max(self.weight - self.points, 0.0) if self.baseline else 0.0

    @property
    def is_percent(self) -> bool:
        return self.key in PERCENT_INDICATORS

    def _shown(self, number: float | None) -> str | None:
        if number is None:
            return None
        return f"{number * 100:.2f}%" if self.is_percent else f"{number:,.2f}"

    @property
    def value_text(self) -> str | None:
        return self._shown(self.value)

    @property
    def baseline_text(self) -> str | None:
        return self._shown(self.baseline)


def indicator_lines(score: CompanyScore) -> list[IndicatorLine]:
    """The efficiency indicators of a score's class (block E for 规上, E_below for 规下) with
    its population's baselines and the scheme's weights (`score.run.scheme` must be loaded)."""
    scheme = score.run.scheme
    population = score_population(score)
    below = score.size_class == SizeClass.BELOW
    cap = float(scheme.below_points_cap if below else scheme.points_cap)
    lines = []
    for indicator in BELOW_INDICATORS if below else INDICATORS:
        prefix = "weight_below_" if below else "weight_"
        weight = float(getattr(scheme, f"{prefix}{indicator.key}"))
        lines.append(
            IndicatorLine(
                key=indicator.key,
                label=str(indicator.label),
                value=getattr(score, indicator.key),
                baseline=getattr(population, f"baseline_{indicator.key}", None),
                weight=weight,
                points=getattr(score, f"{indicator.key}_points") or 0.0,
                max_points=weight * cap,
                from_mean=indicator.key == EMISSION_INDICATOR and score.emission_points_from_mean,
            )
        )
    return lines


def smart_lines(score: CompanyScore) -> list[tuple[str, float]]:
    return [
        (_("IMS certificate"), score.ims_points),
        (_("maturity level"), score.maturity_points),
        (_("accepted key projects"), score.project_points),
        (_("robot density"), score.robot_points),
    ]


def current_score(*, user, company_id: int) -> CompanyScore | None:
    """The company's score in the provisional run of the year pages open on (the latest year
    with rated companies: see `rankings.selectors.default_year`)."""
    year = default_year()
    if year is None:
        return None
    return (
        CompanyScore.objects.visible_to(user)
        .filter(company_id=company_id, run__kind=RunKind.PROVISIONAL, run__year=year)
        .select_related("run", "run__scheme", "region", "industry")
        .first()
    )


def rank_history(*, user, company_id: int) -> list[dict]:
    """Every run that rated the company, oldest first, with the city-rank movement since the
    run before it (positive: moved up)."""
    scores = (
        CompanyScore.objects.visible_to(user)
        .filter(company_id=company_id)
        .select_related("run")
        .order_by("run__year", "run__started_at", "run_id")
    )
    history, previous = [], None
    for score in scores:
        movement = None
        if score.city_rank is not None and previous is not None:
            movement = previous - score.city_rank
        history.append({"score": score, "run": score.run, "movement": movement})
        if score.city_rank is not None:
            previous = score.city_rank
    return history


@dataclass
class GradeGap:
    next_grade: str
    cutoff_rank: int
    cutoff_total: Decimal | None
    gap: Decimal | None
    blocked_by_veto: bool
    # The region the cut-off is taken in (region scope), None when it is the city's.
    region_name: str | None = None


def grade_gap(score: CompanyScore) -> GradeGap | None:
    """What the company needs for the next better grade: the cut-off rank of that grade (the
    grading's own `grade_cutoff`) and the total of the lowest company still inside it. Reaching
    that total gives at least that rank, because ranks count only strictly higher totals. None
    for grade A, an unrated company, or when the scheme gives the better grade to nobody (a
    share of 0). The cut-off total is the one figure about other companies a company user is
    shown, by design (SPEC.md: "what would raise its grade")."""
    if not score.rated or not score.grade or score.grade == Grade.A:
        return None
    run: RankingRun = score.run
    population = score_population(score)
    if population is None:
        return None
    better = GRADE_ORDER[GRADE_ORDER.index(score.grade) - 1]
    # The grading's own cut-off: `grade_cutoff` of the class's share on the N of the
    # population the company was graded in, applied to the region rank in region scope.
    suffix = "" if score.size_class == SizeClass.ABOVE else "_below"
    share = getattr(run.scheme, f"grade_{better.lower()}_share{suffix}")
    cutoff_rank = grade_cutoff(share, population.rated_count)
    if cutoff_rank == 0:
        return None
    peers = CompanyScore.objects.filter(run=run, rated=True, size_class=score.size_class)
    if run.evaluation_scope == EvaluationScope.REGION:
        peers = peers.filter(region_id=score.region_id, region_rank__lte=cutoff_rank)
    else:
        peers = peers.filter(city_rank__lte=cutoff_rank)
    cutoff_total = peers.aggregate(lowest=Min("total")).get("lowest")
    gap = None
    if cutoff_total is not None and score.total is not None:
        gap = max(cutoff_total - score.total, Decimal("0.00"))
    # The veto caps a company with a major incident at C whatever it scores.
    blocked = score.veto_applied and better in ("A", "B")
    region_name = score.region.name if run.evaluation_scope == EvaluationScope.REGION else None
    return GradeGap(better, cutoff_rank, cutoff_total, gap, blocked, region_name)


def certification_state(certification, today: datetime.date) -> str:
    """expired / expiring (within 90 days) / valid, from the dates; "" without an expiry."""
    if certification.expires_on is None:
        return ""
    if certification.expires_on <= today:
        return "expired"
    if (certification.expires_on - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return "valid"
