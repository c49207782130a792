"""The dashboard's figures, materialised per ranking run.

Computing the seed article's figures (`tracker.selectors.seed_figures`) takes seconds at
province scale, so the dashboard does not compute them on every view: right after a year's
provisional run is written (`rankings.events.run_written`), `store_run_figures` computes
them once for the city and for each region — with the same selectors, so their definitions
have one home — together with the charts' inputs, and stores them as
`rankings.models.RunFigures`. The dashboard reads the stored row of its scope (the city for
city-wide roles, the own region for county staff).

They are never stale: every change to one of their inputs marks the years it affects dirty
(`tracker.figures_triggers`), and the recompute that follows stores them again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from companies.models import Company, Region
from core.roles import Role
from core.scoping import scope_of
from projects.models import KeyProject
from rankings.choices import Grade, RunKind
from rankings.models import CITY_SCOPE, CompanyScore, RankingRun, RunFigures
from tracker.selectors import seed_figures


def investment_by_kind(projects: QuerySet) -> dict[str, dict]:
    """Planned and actual investment (万元, as floats) of live key projects, by kind."""
    rows = (
        projects.live()
        .values("kind")
        .annotate(planned=Sum("planned_investment"), actual=Sum("actual_investment"))
        .order_by()
    )
    return {
        row["kind"]: {
            "planned": None if row["planned"] is None else float(row["planned"]),
            "actual": None if row["actual"] is None else float(row["actual"]),
        }
        for row in rows
    }


def grade_counts(run: RankingRun | None) -> dict[str, dict]:
    """Rated companies of `run` per grade, by region id (as a string: JSON keys). Every
    region's, for every scope: county staff compare their region with the others, as in the
    league table."""
    if run is None:
        return {}
    rows = (
        CompanyScore.objects.filter(run=run, rated=True)
        .values("region")
        .annotate(**{grade: Count("id", filter=Q(grade=grade)) for grade in Grade.values})
        .order_by()
    )
    return {str(row.pop("region")): row for row in rows}


def compute_figures(
    *, year: int | None, run: RankingRun | None, companies: QuerySet, projects: QuerySet
) -> dict:
    """Everything the dashboard shows for a year and a set of companies (and their key
    projects), from the raw data and the run's rows."""
    return {
        "seed": seed_figures(year=year, companies=companies),
        "investment_by_kind": investment_by_kind(projects),
        "grade_counts": grade_counts(run),
    }


def scope_figures(*, year: int, run: RankingRun | None, region_id: int | None) -> dict:
    """The figures of the city (`region_id` None) or of one region."""
    companies = Company.objects.all()
    projects = KeyProject.objects.all()
    if region_id is not None:
        # As visible_to(county staff of the region) restricts them (core.scoping).
        companies = companies.filter(region_id=region_id)
        projects = projects.filter(company__region_id=region_id)
    return compute_figures(year=year, run=run, companies=companies, projects=projects)


def store_run_figures(*, run: RankingRun) -> int:
    """Compute and store the figures of `run`'s year for the city and every region that has
    companies; returns the rows written. Does nothing when `run` is no longer its year's
    provisional run (a later recompute replaced it and stores its own)."""
    with transaction.atomic():
        # Locks the run's row: a later recompute of the year, which deletes it, waits until
        # these figures are stored, so its own figures land after them (PostgreSQL; SQLite
        # has a single writer).
        current = RankingRun.objects.provisional().select_for_update().filter(pk=run.pk).exists()
        if not current:
            return 0
        now = timezone.now()
        rows = [
            RunFigures(
                year=run.year,
                scope=scope,
                run_id=run.pk,
                computed_at=now,
                data=scope_figures(year=run.year, run=run, region_id=region_id),
            )
            for scope, region_id in [
                (CITY_SCOPE, None),
                # A region without companies has nothing to store: its dashboard computes
                # its (empty) figures in no time.
                *Region.objects.filter(pk__in=Company.objects.values("region_id"))
                .order_by()
                .values_list("code", "id"),
            ]
        ]
        RunFigures.objects.filter(year=run.year).delete()
        # Years whose run was discarded (no data left) lose their figures too.
        years = RankingRun.objects.provisional().values("year")
        RunFigures.objects.exclude(year__in=years).delete()
        RunFigures.objects.bulk_create(rows)
    return len(rows)


def on_run_written(sender, run, **kwargs):
    if run.kind == RunKind.PROVISIONAL:
        store_run_figures(run=run)


# --- reading -------------------------------------------------------------------------------


def figures_scope(user) -> str | None:
    """The stored scope a user's dashboard reads: the city for city-wide roles, the region's
    code for county staff, None for anyone else (they see no figures)."""
    scope = scope_of(user)
    if scope.is_city_wide:
        return CITY_SCOPE
    if scope.role == Role.COUNTY and scope.region_id is not None:
        return Region.objects.filter(pk=scope.region_id).values_list("code", flat=True).first()
    return None


def stored_figures(scope: str | None) -> dict[int, RunFigures]:
    """The stored figures of `scope` for every year that has a provisional run, by year."""
    if scope is None:
        return {}
    years = RankingRun.objects.provisional().values("year")
    return {row.year: row for row in RunFigures.objects.filter(scope=scope, year__in=years)}
