"""Benchmark of the rankings engine on PostgreSQL (issue 3).

    DEBUG=1 .venv/bin/python bench/rankings.py [--sizes 10000 100000] [--database tracker_bench]
        [--quick]

Both size classes are rated (RANKING.md part 2: 规上 and 规下, each with its own baselines,
ranks and grades); the counts of each are printed with the figures, and the load average of
the machine beside them (the figures are only comparable on an idle machine).

For each size (rated companies, both classes) it loads demo data (`load_demo --companies … --reset`, run as a
subprocess without REDIS_URL), then prints:

- the full recompute of one year (median of 3);
- the floor: one bare statement that only re-ranks the same run's stored totals with RANK()
  window functions and writes the ranks back (median of 3), and the same ranking as a plain
  SELECT, for reference;
- a naive implementation: a per-row ORM loop (read the company's figures, compute its points
  in Python, save its row, then count the higher totals and save its ranks) on 1,000
  companies, extrapolated to all of them;
- at the first size: edit-to-visible latency with a real Celery worker and Redis (p50 and p95
  over 50 edits), and how many recomputes a burst of 1,000 edits causes;
- at the last size: the worker's peak resident memory (VmHWM) across a recompute.

`--quick` prints only the recompute and the floor (no naive loop, no worker).

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

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/5"
YEAR = 2019
# Share of demo companies rated in a year, both classes (measured: 规上 all but the few without
# data, 规下 about 60 %).
RATED_SHARE_OF_DEMO = 0.93


def setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # in-process tasks
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


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


def wait_settled(timeout=600):
    from rankings.models import DirtyYear

    deadline = time.monotonic() + timeout
    while DirtyYear.objects.filter(year=YEAR).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("recompute did not settle")
        time.sleep(0.05)


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


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", default="tracker_bench")
    parser.add_argument("--quick", action="store_true", help="Only the recompute and the floor.")
    args = parser.parse_args()
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {args.database}"],
        capture_output=True,
    )
    setup(args.database)
    from django.db import connection

    from rankings.models import DirtyYear
    from rankings.selectors import run_current
    from rankings.services import rankings_recompute

    manage("migrate", "--no-input", "-v0")
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, {os.cpu_count()} cores"
    )
    for index, size in enumerate(args.sizes):
        companies = math.ceil(size / RATED_SHARE_OF_DEMO)
        started = time.perf_counter()
        manage("load_demo", "--companies", str(companies), "--reset")
        DirtyYear.objects.all().delete()
        print(
            f"\n== {size:,} rated (target): load_demo --companies {companies} "
            f"in {time.perf_counter() - started:.0f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        recompute = timed(lambda: rankings_recompute(year=YEAR))
        run = run_current(year=YEAR)
        total = run.rated_count + run.rated_count_below
        print(
            f"rated companies in {YEAR}: {total:,} "
            f"(规上 {run.rated_count:,}, 规下 {run.rated_count_below:,}); "
            f"scope {run.evaluation_scope}; load average {_load()}"
        )
        print(f"full recompute of {YEAR}:           {recompute:8.2f} s")
        floor = floor_statement(run.pk)
        print(
            f"floor, bare RANK() UPDATE:          {floor:8.2f} s   (recompute = {recompute / floor:.2f}x)"
        )
        print(f"      bare RANK() SELECT:           {floor_select(run.pk):8.2f} s")
        print(f"load average after: {_load()}")
        if args.quick:
            continue
        naive, sample = naive_loop()
        print(
            f"naive ORM loop, {sample} rows:        {naive:8.2f} s   -> "
            f"{naive * run.rated_count / sample:8.1f} s extrapolated to {run.rated_count:,}"
        )
        if index == 0 or index == len(args.sizes) - 1:
            reset_queue()
            worker = Worker()
            try:
                if index == 0:
                    p50, p95 = edit_latency()
                    print(f"edit-to-visible over 50 edits:      p50 {p50:.2f} s, p95 {p95:.2f} s")
                    runs, elapsed = burst()
                    print(f"1,000-edit burst: {runs} recomputes, settled in {elapsed:.1f} s")
                if index == len(args.sizes) - 1:
                    idle = worker.rss_mb()
                    from rankings.services import rankings_mark_dirty

                    rankings_mark_dirty(years=[YEAR], reason="benchmark")
                    wait_settled()
                    print(
                        f"worker RSS: idle {idle:.0f} MB, peak across the recompute "
                        f"{worker.peak_rss_mb():.0f} MB"
                    )
            finally:
                worker.stop()


if __name__ == "__main__":
    main()
