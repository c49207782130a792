"""Reads of the rankings app that pages, API and commands share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from companies.listing import listing_stamp, listing_stamp_expression
from companies.plausibility import unconfirmed_warnings
from core.compiled import CompiledValues
from rankings.choices import EvaluationScope, Grade, SizeClass
from rankings.labels import rank_label
from rankings.models import CompanyScore, DirtyYear, RankingRun, RunBaseline
from rankings.services import RUNNING_STALE_AFTER
from reporting.selectors import CampaignCoverage, campaign_coverage, unconfirmed_submissions


@dataclass(frozen=True)
class RankingsStatus:
    """ "Rankings as of <time>", and which years wait for or are in a recompute."""

    as_of: datetime.datetime | None
    pending: list[int] = field(default_factory=list)
    running: list[int] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.running


def rankings_status() -> RankingsStatus:
    as_of = RankingRun.objects.provisional().aggregate(latest=Max("finished_at"))["latest"]
    fresh = timezone.now() - RUNNING_STALE_AFTER
    pending, running = [], []
    for year, started_at in DirtyYear.objects.values_list("year", "started_at"):
        (running if started_at is not None and started_at >= fresh else pending).append(year)
    return RankingsStatus(as_of=as_of, pending=pending, running=running)


def _current_runs(year: int, published: bool = False):
    runs = RankingRun.objects.filter(year=year)
    runs = runs.published() if published else runs.provisional()
    return runs.order_by("-started_at", "-id")


def run_current(*, year: int, published: bool = False) -> RankingRun | None:
    """The provisional run of `year`, or its latest published run."""
    return _current_runs(year, published).first()


# The SQL is built with the year 9999 (any value would do that is no other parameter of it;
# an out-of-range one such as -1 makes Django refuse to compile the query).
_RUN_STAMPS = {
    published: CompiledValues(
        lambda year, published=published: _current_runs(year, published).values("id", "started_at"),
        9999,
    )
    for published in (False, True)
}


def run_current_stamp(*, year: int, published: bool = False) -> RankingRun | None:
    """`run_current`'s run holding only its id and start (what rankings.caching keys name),
    read by SQL compiled once: for a request answered from the cache."""
    row = _RUN_STAMPS[published].first(year)
    return (
        None if row is None else RankingRun(pk=row["id"], year=year, started_at=row["started_at"])
    )


def run_years() -> list[int]:
    return sorted(
        RankingRun.objects.provisional().values_list("year", flat=True).distinct(), reverse=True
    )


# A year's ranking is the one pages open on once it rates at least this share of the
# companies the best-covered year rated: a year that is still being reported (or a stray row
# of a mistyped year) rates a handful and would show every other company as "not rated".
DEFAULT_YEAR_COVERAGE = 0.5


def default_year() -> int | None:
    """The year a page opens on: the latest year whose provisional run rated at least
    DEFAULT_YEAR_COVERAGE of the companies the best-covered year rated.

    A year whose data were all voided, or that holds a few early or mistyped rows, still has
    a run until it is recomputed away or discarded; opening on it would show nearly every
    company as "not rated". Without any rated company at all, the latest run's year."""
    runs = list(
        RankingRun.objects.provisional().order_by("-year").values_list("year", "rated_count")
    )
    if not runs:
        return None
    best = max(rated for _year, rated in runs)
    if best == 0:
        return runs[0][0]
    return next(year for year, rated in runs if rated >= best * DEFAULT_YEAR_COVERAGE)


def publish_default_year() -> int | None:
    """The year the publish page opens on: the latest year computed but never published (the
    one the city is working towards), else the pages' default year. Opening on a published
    year would make a first click a correction."""
    published = set(RankingRun.objects.published().values_list("year", flat=True))
    unpublished = [year for year in run_years() if year not in published]
    return unpublished[0] if unpublished else default_year()


def score_population(score: CompanyScore) -> RunBaseline | None:
    """The population a rated score was graded in (RANKING.md part 2): its class over the
    city, or within its region in region scope — with its N, cut-offs and baselines."""
    if not hasattr(score, "_population"):  # one query per score, however many readers
        region_id = (
            score.region_id if score.run.evaluation_scope == EvaluationScope.REGION else None
        )
        score._population = RunBaseline.objects.filter(
            run_id=score.run_id, size_class=score.size_class, region_id=region_id
        ).first()
    return score._population


def partition_sizes(score: CompanyScore) -> dict[str, int | None]:
    """N for the three ranks, within the score's class: rated companies in the run, in the
    company's region and in its industry (within the region in region scope, where there is
    no city N). Counts only, so a company user learns no other company's data."""
    region_scope = score.run.evaluation_scope == EvaluationScope.REGION
    run_scores = CompanyScore.objects.filter(
        run_id=score.run_id, rated=True, size_class=score.size_class
    )
    in_industry = Q(industry_id=score.industry_id)
    if region_scope:
        in_industry &= Q(region_id=score.region_id)
    counts = run_scores.aggregate(
        city=Count("id"),
        region=Count("id", filter=Q(region_id=score.region_id)),
        industry=Count("id", filter=in_industry),
    )
    if region_scope:
        counts["city"] = None
    return counts


def rank_labels(score: CompanyScore) -> dict[str, str]:
    """The three ranks as they read ("第 12 名 / 873 家（规下）"; the city rank "not applicable"
    in region scope)."""
    sizes = partition_sizes(score)
    return {
        "city": rank_label(score.city_rank, sizes["city"], score.size_class),
        "region": rank_label(score.region_rank, sizes["region"], score.size_class),
        "industry": rank_label(score.industry_rank, sizes["industry"], score.size_class),
    }


def latest_run() -> RankingRun | None:
    """The run whose result a company list shows beside each company: the current
    (provisional) ranking of the latest year. The API's ranked company list and the company
    list page both show it, so a grade filter means the same on both."""
    return RankingRun.objects.provisional().order_by("-year", "-started_at", "-id").first()


# Read on every request of the API company list, most of them answered from the cache.
_LATEST_RUN_WITH_STAMP = CompiledValues(
    lambda: (
        RankingRun.objects.provisional()
        .order_by("-year", "-started_at", "-id")
        .values("id", "year", "started_at")
        .annotate(listing=listing_stamp_expression())
    )
)


def latest_run_with_listing_stamp() -> tuple[dict | None, str]:
    """The latest run (as `latest_run` finds it) as {"id", "year", "run"} (a RankingRun
    holding only its id and start, for rankings.caching keys), or None; and the company list
    stamp (companies.listing), read in the same query when there is a run."""
    row = _LATEST_RUN_WITH_STAMP.first()
    if row is None:
        return None, listing_stamp()
    run = RankingRun(pk=row["id"], year=row["year"], started_at=row["started_at"])
    return {"id": row["id"], "year": row["year"], "run": run}, row["listing"] or ""


# The result columns `with_result` adds to companies.
RESULT_FIELDS = (
    "city_rank",
    "region_rank",
    "industry_rank",
    "score",
    "grade",
    "size_class",
    "rank_position",
)


# Companies ordered by rank: each class ranks from 1 (RANKING.md part 2), so 规上 come before
# 规下 ("above" < "below", the order of the scores list), then the run's display position
# within the class. The company list page's sort and the API's `ordering=city_rank` both use
# it; the score index (run, size_class, position) serves it.
RANK_ORDER = ("size_class", "rank_position")


def with_result(companies, run_id: int | None):
    """`companies` with their result in the run `run_id`: city_rank, region_rank, industry_rank, score
    (the total), grade (NULL when not rated, never "") and rank_position (the run's display
    order), all NULL for a company without a rated row or when there is no run."""
    if run_id is None:
        # No run yet: nothing is ranked, but filters and ordering by rank still apply. Each
        # NULL is cast: PostgreSQL refuses a bare constant in ORDER BY ("non-integer
        # constant"), and the rank order sorts by two of them.
        integer, text = IntegerField(), CharField()

        def null(field):
            return Cast(Value(None), output_field=field)

        return companies.annotate(
            city_rank=null(integer),
            region_rank=null(integer),
            industry_rank=null(integer),
            score=null(DecimalField(max_digits=12, decimal_places=2)),
            grade=null(text),
            size_class=null(text),
            rank_position=null(integer),
        )
    # One LEFT JOIN to the run's rated score row (at most one per company: unique (run,
    # company)) rather than a correlated subquery per column, so PostgreSQL can drive a
    # ranked page from the score index instead of ranking every company first.
    return companies.annotate(
        latest_score=FilteredRelation(
            "ranking_scores",
            condition=Q(ranking_scores__run_id=run_id, ranking_scores__rated=True),
        ),
        city_rank=F("latest_score__city_rank"),
        region_rank=F("latest_score__region_rank"),
        industry_rank=F("latest_score__industry_rank"),
        score=F("latest_score__total"),
        grade=F("latest_score__grade"),
        size_class=F("latest_score__size_class"),
        rank_position=F("latest_score__position"),
    )


# Companies of `with_result(companies, run_id)` without a rated score in the run (no rank):
# the LEFT JOIN found no row, tested on its join column, which PostgreSQL turns into an
# anti-join walked along an index (companyscore_run_rated_company), where NULL tests on the
# result columns make it join every company first.
UNRANKED = Q(latest_score__company__isnull=True)


def scores_in_order(*, run: RankingRun, user=None):
    """A run's rated scores in display order — 规上 first, then 规下, each in its own order
    (rank, tax per mu, company id) — scoped to `user` when one is given."""
    scores = CompanyScore.objects.filter(run=run, rated=True)
    if user is not None:
        scores = scores.visible_to(user)
    return scores.select_related("region", "industry").order_by("size_class", "position")


class GradeCount(NamedTuple):
    """Rated companies of one grade, per class (规上 / 规下)."""

    label: str
    above: int
    below: int


@dataclass(frozen=True)
class PublishSummary:
    """What publishing `year` would freeze: the provisional run, its scheme version, rated
    companies per grade, and how many companies' grades differ from the run compared with
    (the year's latest published run, else the previous year's; None when neither exists)."""

    year: int
    run: RankingRun
    grade_counts: list[GradeCount]
    compared_with: RankingRun | None
    grade_changes: int | None
    unconfirmed_warnings: int = 0
    # Submissions of the year's reporting campaign the city has not confirmed yet.
    unconfirmed_submissions: int = 0
    # The campaign's confirmed and total submissions (None: no campaign for the year); when
    # too few are confirmed, publishing needs the acknowledgement (rankings_publish).
    coverage: CampaignCoverage | None = None

    @property
    def scheme_version(self) -> int:
        return self.run.scheme_version

    @property
    def notice_days(self) -> int:
        """The scheme's public-notice period, the default of the one asked for."""
        return self.run.scheme.notice_days


def publish_summary(*, year: int) -> PublishSummary | None:
    """The summary shown before `year` is published, or None when it has no computed run."""
    run = run_current(year=year)
    if run is None:
        return None
    grades = _rated_grades(run)
    # Each class is graded on its own (RANKING.md part 2), so the counts are per class.
    counts = {(grade, size_class): 0 for grade in Grade.values for size_class in SizeClass.values}
    per_class = (
        CompanyScore.objects.filter(run=run, rated=True)
        .values_list("grade", "size_class")
        .annotate(n=Count("id"))
        .values_list("grade", "size_class", "n")
    )
    for grade, size_class, n in per_class:
        counts[(grade, size_class)] = n
    compared_with = run_current(year=year, published=True) or run_current(
        year=year - 1, published=True
    )
    changes = None
    if compared_with is not None:
        before = _rated_grades(compared_with)
        changes = sum(1 for c in before.keys() | grades.keys() if before.get(c) != grades.get(c))
    return PublishSummary(
        year=year,
        run=run,
        grade_counts=[
            GradeCount(
                label=Grade(grade).label,
                above=counts[(grade, SizeClass.ABOVE)],
                below=counts[(grade, SizeClass.BELOW)],
            )
            for grade in Grade.values
        ],
        compared_with=compared_with,
        grade_changes=changes,
        unconfirmed_warnings=unconfirmed_warnings(year=year),
        unconfirmed_submissions=unconfirmed_submissions(year=year),
        coverage=campaign_coverage(year=year),
    )


def _rated_grades(run: RankingRun) -> dict[int, str]:
    return dict(CompanyScore.objects.filter(run=run, rated=True).values_list("company_id", "grade"))
