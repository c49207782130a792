"""Benchmark: import an annual-data file (dry run + all-or-nothing import), on SQLite and on
PostgreSQL.

Each engine runs on a scratch database (a temporary SQLite file; the PostgreSQL database
`<BENCH_DB_PREFIX>_import`, dropped and created afresh), so your own data is never touched.
Prints the time to merely parse the file (the baseline measured in the same run), then the
dry run, then the import (which includes the in-process ranking recompute it triggers when
no REDIS_URL is set).

    .venv/bin/python bench/import.py                      # 10,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/import.py --engine sqlite      # one engine
    .venv/bin/python bench/import.py --full               # 100,000 rows (BENCH_FULL=1)
    .venv/bin/python bench/import.py --json               # also the `make bench` rows

Targets (issue 14): check + import of 10,000 rows under 10 s on either engine; 100,000 rows
under 90 s.
"""

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import benchlib  # noqa: E402

MAKE_BENCH = True  # run by `make bench` (bench/run.py), which reads the --json rows


def each_engine(args) -> None:
    """Run this script once per engine, each in its own process (one Django setup each)."""
    for engine in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--engine", engine, "--rows", str(args.rows)]
        if args.database_url:
            command += ["--database-url", args.database_url]
        if args.json:
            command.append("--json")
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode:
            sys.exit(result.returncode)


QUERY_TIMES: dict[str, list] = {}


def _query_timer(execute, sql, params, many, context):
    """Sum the wall time of the statements by their first words (for --profile)."""
    began = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        key = " ".join(sql.split()[:6])[:90]
        entry = QUERY_TIMES.setdefault(key, [0.0, 0])
        entry[0] += time.perf_counter() - began
        entry[1] += 1


def scratch_postgres(url: str | None) -> str:
    """A fresh PostgreSQL database for the bench (the former one dropped)."""
    import psycopg

    url = url or benchlib.database_url("import")
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="10,000; 100,000 with --full")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default=None)
    parser.add_argument("--full", action="store_true", help="100,000 rows")
    parser.add_argument("--json", action="store_true", help="print the make-bench rows")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of check + import to FILE (one engine)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_IMPORT_DATABASE_URL"),
        help="the scratch PostgreSQL database (dropped and created afresh)",
    )
    args = parser.parse_args()
    args.rows = args.rows or (100_000 if benchlib.full() else 10_000)
    if args.engine is None:
        each_engine(args)
        return

    scratch = tempfile.mkdtemp(prefix="bench-import-")
    if args.engine == "postgres":
        os.environ["DATABASE_URL"] = scratch_postgres(args.database_url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(scratch) / "media"
    call_command("migrate", verbosity=0)

    from companies.models import AnnualData, Company, Industry, Region
    from companies.services import user_assign_role
    from companies.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
    from tracker.imports.readers import read_table
    from tracker.imports.services import import_apply, import_check, import_job_create

    rng = random.Random(7)
    regions = list(Region.objects.all())
    industries = list(Industry.objects.all())
    codes = set()
    while len(codes) < args.rows:
        body = "913307" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(11))
        codes.add(body + credit_code_check_char(body))
    Company.objects.bulk_create(
        [
            Company(
                credit_code=code,
                name=f"基准企业{i}",
                region=rng.choice(regions),
                industry=rng.choice(industries),
                above_size=True,
                land_area_mu=rng.randint(10, 300),
                rated=True,
            )
            for i, code in enumerate(sorted(codes))
        ],
        batch_size=1000,
    )
    user = get_user_model().objects.create_user("bench-city")
    user_assign_role(user=user, role="city")

    header = [
        "统一社会信用代码", "年度", "主营业务收入(万元)", "工业总产值(万元)", "工业增加值(万元)",
        "利润总额(万元)", "实缴税金(万元)", "年平均职工人数", "普工人数", "综合能耗(吨标煤)",
        "排放当量", "R&D经费(万元)", "用电量(万千瓦时)", "工业机器人保有量", "新增机器人",
        "安全环保事故",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for code in sorted(codes):
        revenue = rng.randint(2000, 200000)
        # Within the cross-field rules: frontline workers <= employees, robots added <= robots.
        employees, robots = rng.randint(30, 3000), rng.randint(0, 200)
        writer.writerow(
            [
                code, 2019, revenue, round(revenue * 1.05, 2), round(revenue * 0.25, 2),
                round(revenue * rng.uniform(-0.05, 0.15), 2), round(revenue * 0.04, 2),
                employees, rng.randint(0, employees), rng.randint(100, 50000),
                rng.randint(1, 500), round(revenue * 0.03, 2), rng.randint(50, 20000),
                robots, rng.randint(0, robots), "否",
            ]
        )  # fmt: skip
    data = buffer.getvalue().encode("gb18030")  # as Chinese Excel saves it

    # Time the parts of the import: the bulk write (with history rows) and the ranking
    # recompute it triggers on commit (in-process here, as without a worker).
    import rankings.services
    from tracker.imports import services

    parts: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0) + time.perf_counter() - began

        return wrapper

    services._write = timed("write", services._write)
    rankings.services.rankings_recompute = timed("rankings", rankings.services.rankings_recompute)

    started = time.perf_counter()
    table = read_table(data, "annual.csv")
    parse_seconds = time.perf_counter() - started
    job = import_job_create(
        kind="annual_data", upload=SimpleUploadedFile("annual.csv", data), user=user
    )
    profiler = None
    if args.profile:
        import cProfile

        from django.db import connection

        profiler = cProfile.Profile()
        connection.execute_wrappers.append(_query_timer)
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    import_check(job=job)
    check_seconds = time.perf_counter() - started
    check_cpu = time.process_time() - cpu_started
    assert not job.errors, job.errors[:5]
    started, cpu_started = time.perf_counter(), time.process_time()
    # Generated figures may jump year on year; the bench measures the write, so confirm them.
    import_apply(job=job, user=user, confirm_warnings=True)
    apply_seconds = time.perf_counter() - started
    apply_cpu = time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
        print("slowest statements (wall seconds, count, statement start):")
        for statement, seconds, count in sorted(
            ((k, *v) for k, v in QUERY_TIMES.items()), key=lambda t: -t[1]
        )[:15]:
            print(f"  {seconds:7.2f} s {count:6d}x  {statement}")
    assert job.status == "done", job.message
    assert AnnualData.objects.count() == len(table.rows)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"rows: {len(table.rows)}  file: {len(data) / 1024 / 1024:.1f} MB (GB18030 CSV)  db: {engine}"
    )
    print(f"baseline, parse only:        {parse_seconds:7.2f} s")
    print(
        f"dry run (check):             {check_seconds:7.2f} s  ({check_seconds / parse_seconds:.1f}x parse)"
    )
    print(
        f"import (check + write + rankings): {apply_seconds:7.2f} s  ({apply_seconds / parse_seconds:.1f}x parse)"
    )
    write, ranking = parts.get("write", 0), parts.get("rankings", 0)
    print(f"  of which bulk write + history:  {write:7.2f} s")
    print(f"  of which ranking recompute:     {ranking:7.2f} s")
    print(f"  of which re-check of the file:  {apply_seconds - write - ranking:7.2f} s")
    print(
        f"CPU time of this process (what a busy machine cannot steal): check {check_cpu:.2f} s, "
        f"import {apply_cpu:.2f} s, load average now {os.getloadavg()[0]:.1f}"
    )
    total = check_seconds + apply_seconds
    limit = 10 if args.rows <= 10_000 else 90
    print(f"total, upload to imported:   {total:7.2f} s  (target {limit} s)")
    benchlib.row(
        f"import {args.rows:,} annual-data rows, check + import ({engine})",
        round(total, 2),
        unit="s",
        floor=round(parse_seconds, 2),
        target=f"< {limit} s",
        met=total < limit,
        note=(
            f"floor: parsing the file; of which write {write:.1f} s, ranking {ranking:.1f} s; "
            f"CPU {check_cpu + apply_cpu:.1f} s"
        ),
    )


if __name__ == "__main__":
    main()
