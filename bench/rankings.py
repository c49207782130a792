"""Benchmark of the rankings engine on PostgreSQL (issues 3 and 14). Takes part in `make bench`.

    .venv/bin/python bench/rankings.py [--json] [--full] [--size N] [--database-url URL]
        [--quick] [--naive]

It loads the demo data into its own scratch database (`bench_rankings`, created and migrated
here; loaded once per size and kept, so a second run starts at once) with about 10,000 rated
companies (100,602 with `--full`), both size classes (RANKING.md part 2), then measures:

- the recompute of one year until its rows are visible (median of 3; the dashboard figures
  stored after it are timed apart), against three floors measured in the same run on the
  same rows: one bare statement that re-ranks the run's stored totals with RANK() and writes
  the ranks back (UPDATE), the same ranking as a plain SELECT (nothing written), and the
  method's own arithmetic: the rated set and its score rows computed into a temporary table
  (no WAL, no index, nothing kept) — what any recompute by RANKING.md must spend;
- edit-to-visible with a real Celery worker and Redis: p50 and p95 over 50 lone edits, each
  from the save's commit until the new value is readable in the current ranking (the next
  edit is made once the worker is idle again: the run's dashboard figures stored);
- a burst of 1,000 edits saved back to back: how many recomputes it causes (coalesced);
- the worker's resident memory, idle and at its peak across a recompute (VmHWM).

`--quick` stops after the recompute and its floors; `--naive` adds a per-row ORM loop on
1,000 companies, extrapolated (what a typical implementation costs). The load average is
printed beside each figure: the figures are only comparable on a quiet machine.

The worker uses Redis database 5 on 127.0.0.1:6379 (its own queue; nothing else is touched).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

MAKE_BENCH = True  # run by `make bench` (bench/run.py), which reads the --json rows

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/5"
YEAR = 2019
# Share of demo companies rated in a year, both classes (measured: 规上 all but the few without
# data, 规下 about 60 %).
RATED_SHARE_OF_DEMO = 0.93


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> str:
    """A management command in its own process, tasks in-process (no worker)."""
    return benchlib.manage(*args, env=benchlib.django_env(os.environ["DATABASE_URL"]))


def timed(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def rank_floor_statement(*, run_id: int) -> str:
    """The floor: one statement that only re-ranks a run's stored totals, within each class."""
    from rankings.models import CompanyScore
    from rankings.sql.common import quoted_table

    table = quoted_table(CompanyScore)
    return f"""
    UPDATE {table} SET city_rank = r.city_rank, region_rank = r.region_rank,
      industry_rank = r.industry_rank
    FROM (
      SELECT id,
      RANK() OVER (PARTITION BY size_class ORDER BY total DESC) AS city_rank,
      RANK() OVER (PARTITION BY size_class, region_id ORDER BY total DESC) AS region_rank,
      RANK() OVER (PARTITION BY size_class, industry_id ORDER BY total DESC) AS industry_rank
      FROM {table} WHERE run_id = {int(run_id)} AND rated
    ) r WHERE {table}.id = r.id
    """


def floor_statement(run_id: int) -> float:
    from django.db import connection, transaction

    sql = rank_floor_statement(run_id=run_id)

    def once():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    return timed(once)


def floor_select(run_id: int) -> float:
    from django.db import connection

    from rankings.models import CompanyScore

    table = CompanyScore._meta.db_table
    sql = f"""SELECT count(*) FROM (SELECT id,
      RANK() OVER (PARTITION BY size_class ORDER BY total DESC),
      RANK() OVER (PARTITION BY size_class, region_id ORDER BY total DESC),
      RANK() OVER (PARTITION BY size_class, industry_id ORDER BY total DESC)
      FROM {table} WHERE run_id = %s AND rated) r"""

    def once():
        with connection.cursor() as cursor:
            cursor.execute(sql, [run_id])
            cursor.fetchone()

    return timed(once)


def floor_compute(run_id: int) -> float:
    """The method's arithmetic alone: the rated set and the score rows of the current run's
    baselines (`rankings.sql.compute`), computed into a temporary table — no WAL, no index,
    nothing kept (rolled back). A recompute cannot take less than computing its rows."""
    from django.db import connection, transaction

    from rankings.services import active_scheme
    from rankings.sql import compute

    params = compute.YearParameters.from_scheme(active_scheme(), YEAR)
    select, sql_params = compute._score_select(params)
    sql_params["run_id"] = run_id
    columns = ", ".join(compute.SCORE_COLUMNS)

    def once():
        with transaction.atomic():
            with compute.tuned(), compute.rated_set(params), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE bench_score_rows AS "
                    f"SELECT * FROM ({select}) AS s({columns})",
                    sql_params,
                )
            transaction.set_rollback(True)

    return timed(once)


def naive_loop(sample: int = 1000) -> tuple[float, int]:
    """What a typical implementation does: one company at a time through the ORM."""
    from django.db import transaction

    from companies.models import AnnualData, Company
    from rankings.indicators import INDICATORS
    from rankings.models import CompanyScore, RankingRun
    from rankings.selectors import run_current

    source = run_current(year=YEAR)
    ids = list(
        Company.objects.filter(ranking_scores__run=source, ranking_scores__rated=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:sample]
    )
    baselines = {ind.key: getattr(source, f"baseline_{ind.key}") for ind in INDICATORS}
    weights = {ind.key: float(getattr(source.scheme, f"weight_{ind.key}")) for ind in INDICATORS}
    started = time.perf_counter()
    with transaction.atomic():
        run = RankingRun.objects.create(
            year=YEAR,
            kind="published",
            scheme=source.scheme,
            scheme_version=source.scheme_version,
            started_at=source.started_at,
        )
        rows = []
        for pk in ids:
            company = Company.objects.get(pk=pk)
            data = AnnualData.objects.get(company=company, year=YEAR)
            land = float(company.land_area_mu)
            e = 0.0
            values = {}
            for ind in INDICATORS:
                num = getattr(data, ind.numerator)
                den = land if ind.denominator == "land_area_mu" else getattr(data, ind.denominator)
                x = float(num) / float(den) if num is not None and den else None
                values[ind.key] = x
                if x is not None and baselines[ind.key]:
                    e += weights[ind.key] * min(max(x / baselines[ind.key], 0), 2)
            row = CompanyScore(
                run=run,
                company=company,
                credit_code=company.credit_code,
                company_name=company.name,
                region_id=company.region_id,
                industry_id=company.industry_id,
                rated=True,
                e_points=e,
                total=Decimal(e).quantize(Decimal("0.01")),
                **values,
            )
            row.save()
            rows.append(row)
        for row in rows:
            higher = CompanyScore.objects.filter(run=run, total__gt=row.total)
            row.city_rank = higher.count() + 1
            row.region_rank = higher.filter(region_id=row.region_id).count() + 1
            row.industry_rank = higher.filter(industry_id=row.industry_id).count() + 1
            row.save()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, len(ids)


class Worker:
    def __init__(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix="-worker.log")  # noqa: SIM115
        env = {**os.environ, "REDIS_URL": REDIS_URL, "CONN_MAX_AGE": "0"}
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "tracker",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while "ready." not in Path(self.log.name).read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("worker did not start")
            time.sleep(0.2)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def reset_queue():
    from rankings.models import DirtyYear

    subprocess.run(["redis-cli", "-n", "5", "FLUSHDB"], check=True, capture_output=True)
    DirtyYear.objects.all().delete()


def _wait_until(done, failure: str, timeout=600) -> None:
    """Poll `done()` every 50 ms until it is true; RuntimeError(`failure`) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(failure)
        time.sleep(0.05)


def wait_settled(timeout=600):
    from rankings.models import DirtyYear

    _wait_until(
        lambda: not DirtyYear.objects.filter(year=YEAR).exists(),
        "recompute did not settle",
        timeout,
    )


def wait_figures(timeout=600):
    """Until the dashboard figures (the task a run sends when it commits) are those of the
    current run: the worker has nothing left to do."""
    from rankings.models import RunFigures
    from rankings.selectors import run_current

    def stored_for_current_run():
        run = run_current(year=YEAR)
        stored = set(RunFigures.objects.filter(year=YEAR).values_list("run_id", flat=True))
        return run is not None and stored == {run.pk}

    _wait_until(stored_for_current_run, "figures were not stored", timeout)


def edit_latency(edits=50) -> tuple[float, float]:
    from companies.models import AnnualData
    from rankings.models import CompanyScore

    rng = random.Random(7)
    rows = list(
        AnnualData.objects.filter(
            year=YEAR,
            company__ranking_scores__run__kind="provisional",
            company__ranking_scores__rated=True,
        )
        .exclude(tax_paid=None)
        .select_related("company")
        .order_by("?")[:edits]
    )
    latencies = []
    for row in rows:
        new_tax = (row.tax_paid or Decimal(1)) * Decimal(rng.choice(["0.5", "2", "3"]))
        row.tax_paid = new_tax.quantize(Decimal("0.01"))
        row.save()  # signals mark 2019 dirty; on commit the worker is asked
        saved = time.perf_counter()
        land = row.land_area_mu if row.land_area_mu is not None else row.company.land_area_mu
        expected = float(row.tax_paid) / float(land)
        while True:
            value = (
                CompanyScore.objects.filter(
                    run__kind="provisional", run__year=YEAR, company_id=row.company_id
                )
                .values_list("tax_per_mu", flat=True)
                .first()
            )
            if value is not None and math.isclose(value, expected, rel_tol=1e-9):
                break
            time.sleep(0.01)
        latencies.append(time.perf_counter() - saved)
        wait_settled()
        wait_figures()  # each edit is a lone edit: the worker idle, as a user's edit finds it
    latencies.sort()
    p95 = latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)]
    return statistics.median(latencies), p95


def burst(edits=1000) -> tuple[int, float]:
    from companies.models import AnnualData
    from rankings.models import RankingRun

    before = RankingRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = list(AnnualData.objects.filter(year=YEAR).exclude(tax_paid=None).order_by("?")[:edits])
    started = time.perf_counter()
    for row in rows:
        row.tax_paid = row.tax_paid + Decimal("1")
        row.save()
    wait_settled()
    elapsed = time.perf_counter() - started
    # Run ids come from one sequence and only the worker makes runs meanwhile.
    after = RankingRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    return after - before, elapsed


def timed_recompute() -> tuple[float, float, float]:
    """Median seconds of a recompute until its rows are visible (the run's own transaction);
    seconds of the figures task that follows it (`tracker.tasks.store_figures`, sent by
    `rankings.events.run_written` once the run commits), and of the same figures computed
    scope by scope as before (city and every region, each with `seed_figures`)."""
    from companies.models import Company, Region
    from rankings.events import run_written
    from rankings.models import RankingRun
    from rankings.services import rankings_recompute
    from tracker import tasks
    from tracker.figures import scope_figures

    receivers = run_written.receivers
    run_written.receivers = []  # the figures are timed apart
    try:
        recompute = timed(lambda: rankings_recompute(year=YEAR))
    finally:
        run_written.receivers = receivers
    run = RankingRun.objects.provisional().get(year=YEAR)
    figures = timed(lambda: tasks.store_figures(run.pk), repeat=1)
    regions = Region.objects.filter(pk__in=Company.objects.values("region_id"))

    def per_scope():
        for region_id in [None, *regions.values_list("pk", flat=True)]:
            scope_figures(year=YEAR, run=run, region_id=region_id)

    before = timed(per_scope, repeat=1)
    return recompute, figures, before


def loaded(companies: int) -> bool:
    from companies.models import Company
    from rankings.models import RankingRun

    return (
        Company.objects.count() == companies
        and RankingRun.objects.provisional().filter(year=YEAR).exists()
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="Figures as JSON lines (make bench).")
    parser.add_argument("--full", action="store_true", help="Province scale: 100,602 rated.")
    parser.add_argument("--size", type=int, help="Rated companies to aim at (both classes).")
    parser.add_argument(
        "--database-url", help="Scratch PostgreSQL database (default bench_rankings)."
    )
    parser.add_argument("--quick", action="store_true", help="Only the recompute and its floors.")
    parser.add_argument("--naive", action="store_true", help="Add the per-row ORM loop.")
    parser.add_argument("--edits", type=int, default=50, help="Edits timed to visible.")
    args = parser.parse_args()
    size = args.size or (100_602 if benchlib.full() else 10_000)
    url = args.database_url or benchlib.database_url("rankings")
    benchlib.ensure_database(url)
    setup(url)
    from django.db import connection

    from rankings.models import DirtyYear
    from rankings.selectors import run_current

    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, {benchlib.machine()}",
        flush=True,
    )
    # The demo sizes the other scripts load (one shared load per size, benchlib.fill_with_demo)
    # unless --size asks for another number of rated companies.
    if args.size:
        companies = math.ceil(size / RATED_SHARE_OF_DEMO)
    else:
        companies = 100_000 if benchlib.full() else 10_000
    if loaded(companies):
        print(f"{companies:,} demo companies already loaded in {url.rsplit('/', 1)[-1]}")
    else:
        connection.close()  # the copy replaces this database
        benchlib.fill_with_demo(url, companies)
    DirtyYear.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    recompute, figures, figures_before = timed_recompute()
    run = run_current(year=YEAR)
    rated = run.rated_count + run.rated_count_below
    scale = f"{rated:,} rated"
    print(
        f"rated companies in {YEAR}: {rated:,} (规上 {run.rated_count:,}, "
        f"规下 {run.rated_count_below:,}); scope {run.evaluation_scope}; load {_load()}",
        flush=True,
    )
    update_floor = floor_statement(run.pk)
    select_floor = floor_select(run.pk)
    compute_floor = floor_compute(run.pk)
    print(
        f"recompute {recompute:.2f} s; floors: RANK() UPDATE {update_floor:.2f} s, "
        f"RANK() SELECT {select_floor:.2f} s, rated rows computed, nothing stored "
        f"{compute_floor:.2f} s; dashboard figures after it {figures:.2f} s "
        f"(scope by scope, as before: {figures_before:.2f} s)",
        flush=True,
    )
    benchlib.row(
        f"Rankings: recompute of a year, rows visible ({scale})",
        round(recompute, 3),
        unit="s",
        floor=round(update_floor, 3),
        target="below the bare RANK() UPDATE floor",
        met=recompute < update_floor,
        note="floor: one UPDATE re-ranking the run's stored totals; median of 3",
    )
    benchlib.row(
        f"Rankings: recompute against the ranking as a SELECT ({scale})",
        round(recompute, 3),
        unit="s",
        floor=round(select_floor, 3),
        note="floor: the same RANK()s as a plain SELECT, nothing written",
    )
    benchlib.row(
        f"Rankings: recompute against computing its rated rows ({scale})",
        round(recompute, 3),
        unit="s",
        floor=round(compute_floor, 3),
        note=(
            "floor: the rated set and the score rows into a temporary table (no WAL, no "
            "index, no league); what any recompute by this method must spend"
        ),
    )
    benchlib.row(
        f"Rankings: dashboard figures stored after a run ({scale})",
        round(figures, 3),
        unit="s",
        floor=round(recompute, 3),
        target="well under the recompute (floor: the recompute itself)",
        met=figures < recompute / 2,
        note=(
            "tracker.tasks.store_figures, its own task sent when the run commits: not in "
            f"the rows' visibility; scope by scope (before) {figures_before:.2f} s"
        ),
    )
    if args.naive:
        naive, sample = naive_loop()
        print(
            f"naive ORM loop, {sample} rows: {naive:.2f} s -> "
            f"{naive * rated / sample:.1f} s extrapolated to {rated:,}"
        )
    if args.quick:
        return
    reset_queue()
    worker = Worker()
    try:
        p50, p95 = edit_latency(args.edits)
        print(f"edit-to-visible over {args.edits} edits: p50 {p50:.2f} s, p95 {p95:.2f} s")
        benchlib.row(
            f"Rankings: edit-to-visible p95, real worker ({scale})",
            round(p95, 3),
            unit="s",
            floor=round(recompute, 3),
            target="< 1.5 s",
            met=p95 < 1.5,
            note=(
                f"p50 {p50:.2f} s over {args.edits} edits; floor: the recompute alone; its "
                f"rated rows alone take {compute_floor:.2f} s"
            ),
        )
        runs, elapsed = burst()
        print(f"1,000-edit burst: {runs} recomputes, settled in {elapsed:.1f} s")
        benchlib.row(
            f"Rankings: recomputes caused by a 1,000-edit burst ({scale})",
            runs,
            unit="runs",
            target="coalesced: ≤ 20",
            met=runs <= 20,
            note=f"settled in {elapsed:.1f} s",
        )
        idle = worker.rss_mb()
        from rankings.services import rankings_mark_dirty

        rankings_mark_dirty(years=[YEAR], reason="benchmark")
        wait_settled()
        peak = worker.peak_rss_mb()
        print(f"worker RSS: idle {idle:.0f} MB, peak across a recompute {peak:.0f} MB")
        benchlib.row(
            f"Rankings: worker peak memory across a recompute ({scale})",
            round(peak),
            unit="MB",
            floor=round(idle),
            note="VmHWM of the Celery worker (solo pool); floor: its idle RSS",
        )
    finally:
        worker.stop()


def _load() -> str:
    return benchlib.load_average()


if __name__ == "__main__":
    main()
