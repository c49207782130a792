"""The dashboard's figures, materialised per ranking run.

Computing the seed article's figures (`tracker.selectors.seed_figures`) for one scope takes
a dozen queries over its companies, so the dashboard does not compute them on every view:
once a year's provisional run is committed (`rankings.events.run_written`), a task of its
own (`tracker.tasks.store_figures`, so the recompute's worker is free meanwhile) computes
them for the city and every region at once — one grouped query a figure, from the same
selectors' filters and formulas, so their definitions have one home (`figures_by_scope`) —
together with the charts' inputs, and stores them as `rankings.models.RunFigures`. The
dashboard reads the stored row of its scope (the city for city-wide roles, the own region
for county staff).

They are never stale: every change to one of their inputs marks the years it affects dirty
(`tracker.figures_triggers`), and the recompute that follows stores them again. Between a
run's commit and its figures task's end the stored row still names the previous run: the
dashboard shows it with a note saying so (`stored_figures`' `is_current`), and a beat sweep
re-sends a figures task that was lost (`enqueue_missing_figures`).
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from companies.models import AnnualData, Certification, Company, DemonstrationBatch, Region
from core.roles import Role
from core.scoping import scope_of
from projects.models import KeyProject
from rankings.choices import Grade, RunKind
from rankings.models import CITY_SCOPE, CompanyScore, RankingRun, RunFigures
from tracker import selectors
from tracker.selectors import seed_figures

logger = logging.getLogger(__name__)


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
    """The figures of the city (`region_id` None) or of one region, each computed on its
    own (`seed_figures`); `figures_by_scope` computes all of them at once."""
    companies = Company.objects.all()
    projects = KeyProject.objects.all()
    if region_id is not None:
        # As visible_to(county staff of the region) restricts them (core.scoping).
        companies = companies.filter(region_id=region_id)
        projects = projects.filter(company__region_id=region_id)
    return compute_figures(year=year, run=run, companies=companies, projects=projects)


# --- every scope at once -------------------------------------------------------------------
#
# `seed_figures` and `investment_by_kind` compute one scope's figures with a dozen queries
# over its companies; storing them for the city and each region that way reads the whole
# data set once per scope (about 20 s at 100,000 companies). Every figure is a count or a sum
# over companies, and a company lies in exactly one region, so each is computed here once,
# grouped by region, and the city's is the sum of its regions' — the ratios and percentages
# are then made from the summed parts by the same functions `seed_figures` uses
# (tracker.selectors.comparison, rmb, share_pct). Which rows count is taken from the same
# querysets and filters; tests pin the result equal to `seed_figures` per scope.

REGION = "company__region_id"


def _grouped(rows: QuerySet, *keys: str, **aggregates) -> list[dict]:
    return list(rows.order_by().values(*keys).annotate(**aggregates))


def _add(a, b):
    """Sum of two parts where None is "nothing reported" (SQL SUM over no rows)."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


class Parts(dict):
    """One scope's counts and sums, before ratios are made; regions' parts add up to the
    city's (`+`)."""

    def __add__(self, other: Parts) -> Parts:
        total = Parts()
        for key in self.keys() | other.keys():
            mine, theirs = self.get(key), other.get(key)
            if isinstance(mine, dict) or isinstance(theirs, dict):
                mine, theirs = mine or {}, theirs or {}
                total[key] = {
                    k: _add(mine.get(k), theirs.get(k)) for k in mine.keys() | theirs.keys()
                }
            else:
                total[key] = _add(mine, theirs)
        return total


def region_parts(year: int) -> dict[int, Parts]:
    """Every figure's counts and sums for `year`, by region id (the regions with companies;
    a row of a company lies in its company's region). One grouped query a figure."""
    companies = Company.objects.all()
    parts = {
        row.pop("region_id"): Parts(row)
        for row in _grouped(
            companies,
            "region_id",
            total=Count("id"),
            above_size=Count("id", filter=Q(above_size=True)),
            pilots=Count("id", filter=Q(is_pilot=True)),
        )
    }

    def put(rows, key: str, name: str | None = None, by: str | None = None) -> None:
        """Each grouped row into the part of its region (column `key`): its values; or as a
        dict under `name`; or, with `by`, each value under its column's name keyed by the
        row's `by` column (a sum per year, per kind)."""
        for row in rows:
            part = parts[row.pop(key)]
            if by is not None:
                group = str(row.pop(by))
                for column, value in row.items():
                    part.setdefault(column, {})[group] = value
            elif name is not None:
                part[name] = row
            else:
                part.update(row)

    projects = KeyProject.objects.live()
    ims, demo = Q(**selectors.IMS_PROJECTS), Q(**selectors.DEMO_PROJECTS)
    invested = selectors.PROJECT_INVESTMENT
    put(
        _grouped(
            projects,
            REGION,
            ims_count=Count("id", filter=ims),
            ims_investment=Sum(invested, filter=ims),
            demo_count=Count("id", filter=demo),
            demo_investment=Sum(invested, filter=demo),
        ),
        REGION,
    )
    by_kind = {"planned": Sum("planned_investment"), "actual": Sum("actual_investment")}
    put(_grouped(projects, REGION, "kind", **by_kind), REGION, by="kind")
    annual = AnnualData.objects.live()
    robots = annual.filter(robots_added__isnull=False)
    put(_grouped(robots, REGION, "year", robots=Sum("robots_added")), REGION, by="year")
    transformed = selectors.transformed_companies(companies, year=year)
    put(_grouped(transformed, "region_id", cohort=Count("id")), "region_id")
    productive = annual.filter(selectors.PRODUCTIVITY_ROWS, year=year)
    sums = selectors.PRODUCTIVITY_SUMS
    put(_grouped(productive.filter(company__in=transformed), REGION, **sums), REGION, "transformed")
    put(_grouped(productive.filter(company__above_size=True), REGION, **sums), REGION, "above")
    paired = selectors.paired_rows(transformed, year)
    put(_grouped(paired, REGION, **selectors.paired_sums()), REGION, "paired")
    above = companies.filter(above_size=True)
    practising = selectors.practising_companies(above, year=year)
    put(_grouped(practising, "region_id", practising=Count("id")), "region_id")
    certified = Certification.objects.live().valid_on(datetime.date(year, 12, 31))
    put(_grouped(certified, REGION, certified=Count("company_id", distinct=True)), REGION)
    return parts


def figures_from_parts(parts: Parts, *, year: int, batches: int, grades: dict) -> dict:
    """One scope's stored figures (as `compute_figures` gives them) from its parts."""
    no_sums = dict.fromkeys(selectors.PRODUCTIVITY_SUMS)
    robots = parts.get("robots", {})
    planned, actual = parts.get("planned", {}), parts.get("actual", {})
    above_size = parts.get("above_size", 0)
    seed = {
        "year": year,
        "batches": batches,
        "pilot_companies": parts.get("pilots", 0),
        "companies_above_size": above_size,
        "companies_total": parts.get("total", 0),
        "ims_projects": {
            "count": parts.get("ims_count", 0),
            "investment_rmb": selectors.rmb(parts.get("ims_investment")),
        },
        "demo_projects": {
            "count": parts.get("demo_count", 0),
            "investment_rmb": selectors.rmb(parts.get("demo_investment")),
        },
        "robots_added": {key: robots[key] for key in sorted(robots)},
        "transformed_vs_rest": selectors.comparison(
            year=year,
            cohort=parts.get("cohort", 0),
            transformed=parts.get("transformed", no_sums),
            above=parts.get("above", no_sums),
            paired=parts.get("paired", dict.fromkeys(selectors.paired_sums())),
        ),
        "smart_practice_share_pct": selectors.share_pct(parts.get("practising", 0), above_size),
        "ims_certified_companies": parts.get("certified", 0),
    }
    return {
        "seed": seed,
        "investment_by_kind": {
            kind: {"planned": _float(planned.get(kind)), "actual": _float(actual.get(kind))}
            for kind in planned
        },
        "grade_counts": grades,
    }


def _float(amount):
    return None if amount is None else float(amount)


def figures_by_scope(*, year: int, run: RankingRun | None) -> dict[str, dict]:
    """The figures of the city (CITY_SCOPE) and of every region with companies (its code),
    all computed at once (see above)."""
    parts = region_parts(year)
    codes = dict(Region.objects.filter(pk__in=parts).values_list("id", "code"))
    common = {
        "year": year,
        "batches": DemonstrationBatch.objects.count(),
        "grades": grade_counts(run),
    }
    city = sum(parts.values(), Parts())
    return {
        CITY_SCOPE: figures_from_parts(city, **common),
        **{codes[region]: figures_from_parts(part, **common) for region, part in parts.items()},
    }


def store_run_figures(*, run_id: int) -> int:
    """Compute and store the figures of run `run_id`'s year for the city and every region
    that has companies; returns the rows written. Does nothing when the run is no longer its
    year's provisional run (a later recompute replaced it and stores its own)."""
    run = RankingRun.objects.provisional().filter(pk=run_id).first()
    if run is None:
        return 0
    # Computed before the lock below, so a recompute of the year that starts meanwhile does
    # not wait for it. An edit made meanwhile has marked the year dirty: its recompute makes
    # a new run, whose own figures replace these.
    by_scope = figures_by_scope(year=run.year, run=run)
    with transaction.atomic():
        # Locks the run's row: a later recompute of the year, which deletes it, waits until
        # these figures are stored, so its own figures land after them (PostgreSQL; SQLite
        # has a single writer).
        current = RankingRun.objects.provisional().select_for_update().filter(pk=run_id).exists()
        if not current:
            return 0
        now = timezone.now()
        rows = [
            RunFigures(year=run.year, scope=scope, run_id=run_id, computed_at=now, data=data)
            for scope, data in by_scope.items()
        ]
        RunFigures.objects.filter(year=run.year).delete()
        # Years whose run was discarded (no data left) lose their figures too.
        years = RankingRun.objects.provisional().values("year")
        RunFigures.objects.exclude(year__in=years).delete()
        RunFigures.objects.bulk_create(rows)
    return len(rows)


def on_run_written(sender, run, **kwargs):
    """Ask for the run's figures as a task of their own once the run is committed, so the
    recompute's worker is free for the next recompute meanwhile (in process, without a
    broker, the task runs right there)."""
    if run.kind == RunKind.PROVISIONAL:
        transaction.on_commit(partial(enqueue_run_figures, run.pk))


def enqueue_run_figures(run_id: int) -> None:
    """Send the figures task of a run. A dead broker is logged, never raised: the run is
    written, its figures follow with the sweep (`enqueue_missing_figures`), and until then
    the dashboard says its figures are those of the previous run."""
    from tracker.tasks import store_figures

    try:
        store_figures.delay(run_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure must not fail the run
        logger.warning("figures: could not enqueue the figures of run %s: %s", run_id, exc)


# A run's figures task that has not stored them after this long is assumed lost (broker
# down or flushed, worker killed) and the sweep sends another.
FIGURES_STALE_AFTER = datetime.timedelta(minutes=2)


def runs_without_figures() -> QuerySet:
    """Provisional runs whose figures are not stored (the city's row names another run)."""
    stored = RunFigures.objects.filter(scope=CITY_SCOPE, run_id=OuterRef("pk"))
    return RankingRun.objects.provisional().exclude(Exists(stored))


def enqueue_missing_figures() -> list[int]:
    """Re-send the figures task of every run finished more than FIGURES_STALE_AFTER ago
    whose figures are still not stored. Run by beat every minute."""
    due = timezone.now() - FIGURES_STALE_AFTER
    run_ids = list(runs_without_figures().filter(finished_at__lt=due).values_list("pk", flat=True))
    for run_id in run_ids:
        enqueue_run_figures(run_id)
    return run_ids


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
    """The stored figures of `scope` for every year that has a provisional run, by year:
    the current run's, or while its figures task has not finished, the previous run's
    (`is_current` tells which)."""
    if scope is None:
        return {}
    runs = dict(RankingRun.objects.provisional().values_list("year", "pk"))
    rows = {row.year: row for row in RunFigures.objects.filter(scope=scope, year__in=runs)}
    for row in rows.values():
        row.is_current = row.run_id == runs[row.year]
    return rows
