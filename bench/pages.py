"""Dashboard and deep-page benchmark (issue 14 items 1 and 3), in-process on PostgreSQL.

    .venv/bin/python bench/pages.py                          # 10,000 companies
    .venv/bin/python bench/pages.py --full                   # province scale: 100,000
    .venv/bin/python bench/pages.py --json                   # also the `make bench` rows

Creates and migrates its own database (`<BENCH_DB_PREFIX>_pages`, shared with
bench/cycle.py, which needs the same data) when missing, loads
the demo dataset (`load_demo --companies N --reset`) when it holds another number of
companies, recomputes every year (which stores the dashboard figures with each run), runs
`VACUUM ANALYZE`, then times requests through Django's full middleware stack with DEBUG off
(django.test.Client, one process, no network):

- the dashboard (city staff, county staff) against floors measured in the same run: the
  account page (signed in, one small query, the same base template) and the API ping (no
  database); and what the dashboard used to cost, the figures computed live;
- page 1 against page 300 of the lists ordered by name or rank, the deep page read by
  keyset (`?cursor=`, as the "next" links past page 10 lead) and, for comparison, by offset
  (`?page=300`): the company list by name (25 a page), the city ranking (50 a page), the API
  company list by name and by city rank and the API scores (50 a page). A list shorter than
  300 pages is measured at its last page, and the page is printed.

Targets: dashboard p95 under 100 ms at 100,000 companies; page 300 at most 1.5× page 1.
The machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import benchlib  # noqa: E402

MAKE_BENCH = True  # run by `make bench` (bench/run.py), which reads the --json rows


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)  # recomputes in-process; no worker is needed
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("SECRET_KEY", "bench-pages-" + "x" * 40)
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # plain http on loopback
    sys.path.insert(0, str(ROOT))
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # Pages link static files by name: no collectstatic manifest needed for timing them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(companies: int) -> None:
    from django.db import connection

    from companies.models import Company
    from rankings.models import RankingRun, RunFigures
    from rankings.services import rankings_recompute_all, years_with_data

    if Company.objects.count() != companies:
        connection.close()  # the copy replaces this database
        benchlib.fill_with_demo(os.environ["DATABASE_URL"], companies)
    years = years_with_data()
    stored = set(RunFigures.objects.values_list("year", flat=True))
    runs = set(RankingRun.objects.provisional().values_list("year", flat=True))
    if not set(years) <= stored or not set(years) <= runs:
        started = time.perf_counter()
        rankings_recompute_all()
        print(
            f"recomputed {len(years)} years with their figures in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def timed(requests: list[tuple], n: int) -> list[dict]:
    """p50 and p95 of each (client, url), the requests taken in turn — a, b, c, a, b, c, … —
    so that every one of them meets the same load on a shared machine."""
    for client, url in requests * 3:  # warm caches and connections
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = [[] for _ in requests]
    for _ in range(n):
        for index, (client, url) in enumerate(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples[index].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    results = []
    for values in samples:
        values.sort()
        results.append(
            {
                "p50": statistics.median(values),
                "p95": values[max(0, int(round(0.95 * len(values))) - 1)],
            }
        )
    return results


def deep_pages(client, label, first_url, deep_url, offset_url, page, n, scale):
    first, deep, offset = timed([(client, first_url), (client, deep_url), (client, offset_url)], n)
    row(f"{label}, page 1", first)
    row(f"{label}, page {page} by cursor", deep, first, "target ≤ 1.5×")
    row(f"{label}, page {page} by offset (before)", offset, first)
    # The median: one stalled request on a shared machine must not decide a ratio of two pages.
    ratio = deep["p50"] / first["p50"]
    benchlib.row(
        f"{label}: page {page} by cursor vs page 1 ({scale})",
        round(deep["p50"], 1),
        unit="ms (median)",
        floor=round(first["p50"], 1),
        target="≤ 1.5× page 1",
        met=ratio <= 1.5,
        note=f"by offset: {offset['p50']:.1f} ms",
    )


def row(label: str, result: dict, floor: dict | None = None, note: str = "") -> None:
    """One line: p50, p95, and both against the floor (p50 ÷ p50 is the steadier on a
    loaded machine, where single requests stall)."""
    ratios = ""
    if floor:
        ratios = f"{result['p50'] / floor['p50']:.2f}× {result['p95'] / floor['p95']:.2f}×"
    print(f"{label:<58} {result['p50']:8.1f} {result['p95']:8.1f} {ratios:>14}  {note}")


def users():
    from django.contrib.auth import get_user_model

    from companies.models import Company, Region
    from companies.services import user_assign_role

    user_model = get_user_model()
    city, _ = user_model.objects.get_or_create(username="bench-pages-city")
    user_assign_role(user=city, role="city")
    region = Region.objects.get(
        pk=Company.objects.values("region_id")
        .order_by("region_id")
        .values_list("region_id", flat=True)
        .first()
    )
    county, _ = user_model.objects.get_or_create(username="bench-pages-county")
    user_assign_role(user=county, role="county", region=region)
    return city, county


def deep_cursor(queryset, keys, *, per_page: int, page: int):
    """The cursor the "next" links lead to for `page`: after the last row of page − 1."""
    from core.keyset import Cursor, key_of

    total = queryset.count()
    page = max(2, min(page, -(-total // per_page)))
    boundary = queryset[(page - 1) * per_page - 1]
    return Cursor(key_of(boundary, keys), False, page).encode(), page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=None, help="10,000; 100,000 with --full")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--page", type=int, default=300)
    parser.add_argument("--full", action="store_true", help="100,000 companies")
    parser.add_argument("--json", action="store_true", help="print the make-bench rows")
    args = parser.parse_args()
    args.companies = args.companies or (100_000 if benchlib.full() else 10_000)
    scale = f"{args.companies:,} companies"
    database_url = benchlib.database_url("pages")
    print(load())
    setup(database_url)
    prepare(args.companies)
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from companies.models import Company
    from core.api.pagination import DEFAULT_PAGE_SIZE
    from projects.models import KeyProject
    from rankings.models import CompanyScore
    from rankings.selectors import RANK_ORDER, default_year, run_current, with_result
    from rankings.views import SCORES_PER_PAGE
    from tracker.figures import compute_figures

    translation.activate("zh-hans")
    city, county = users()
    client = Client()
    client.force_login(city)
    n = args.requests
    year = default_year()
    run = run_current(year=year)
    print(
        f"\n{Company.objects.count():,} companies, {year} run #{run.pk} with "
        f"{run.rated_count:,} rated; {n} requests each; times in ms\n"
    )
    print(f"{'request':<58} {'p50':>8} {'p95':>8} {'÷ floor p50 p95':>14}")

    # --- item 1: the dashboard ------------------------------------------------------------
    county_client = Client()
    county_client.force_login(county)
    ping, account, dashboard, county_dashboard = timed(
        [
            (client, "/api/v1/ping/"),
            (client, reverse("account")),
            (client, reverse("dashboard")),
            (county_client, reverse("dashboard")),
        ],
        n,
    )
    row("floor: API ping (no database)", ping)
    row("floor: account page (signed in, base template)", account)
    row("dashboard, city staff", dashboard, account, "target p95 < 100 ms")
    row("dashboard, county staff", county_dashboard, account)
    for who, result in [("city staff", dashboard), ("county staff", county_dashboard)]:
        benchlib.row(
            f"Dashboard p95, {who} ({scale})",
            round(result["p95"], 1),
            unit="ms",
            floor=round(account["p95"], 1),
            target="p95 < 100 ms",
            met=result["p95"] < 100,
            note="floor: the account page (signed in, same base template)",
        )
    started = time.perf_counter()
    compute_figures(
        year=year, run=run, companies=Company.objects.all(), projects=KeyProject.objects.all()
    )
    live = (time.perf_counter() - started) * 1000
    print(f"{'before: the city figures computed live (once)':<58} {live:8.1f}")
    benchlib.row(
        f"Dashboard figures computed live, once (before; {scale})",
        round(live, 1),
        unit="ms",
        note="what every dashboard view cost before the figures were stored with the run",
    )

    # --- item 3: page 1 against page 300 ---------------------------------------------------
    print()
    companies = Company.objects.order_by("name_sort", "pk")
    cursor, page = deep_cursor(companies, ["name_sort", "pk"], per_page=25, page=args.page)
    url = reverse("companies:list") + "?sort=name"
    deep_pages(
        client,
        "company list by name",
        url,
        f"{url}&cursor={cursor}",
        f"{url}&page={page}",
        page,
        n,
        scale,
    )
    scores = CompanyScore.objects.filter(run=run, rated=True).order_by("position")
    cursor, page = deep_cursor(scores, ["position", "pk"], per_page=SCORES_PER_PAGE, page=args.page)
    url = reverse("rankings:city") + f"?year={year}"
    deep_pages(
        client, "city ranking", url, f"{url}&cursor={cursor}", f"{url}&page={page}", page, n, scale
    )

    per = DEFAULT_PAGE_SIZE
    # The API's rank order and its keyset (rankings.selectors.RANK_ORDER, then id).
    rank_keys = [*RANK_ORDER, "id"]
    ranked = with_result(Company.objects.all(), run.pk).filter(rank_position__isnull=False)
    ranked = ranked.order_by(*rank_keys)
    for label, api, queryset, keys in [
        (
            "API companies by name",
            "/api/v1/companies/?ordering=name",
            companies,
            ["name_sort", "id"],
        ),
        (
            "API companies by city rank",
            "/api/v1/companies/?ordering=city_rank",
            ranked,
            rank_keys,
        ),
        (
            "API scores by rank",
            f"/api/v1/rankings/{year}/scores/?rated=true",
            scores,
            ["position", "id"],
        ),
    ]:
        cursor, page = deep_cursor(queryset, keys, per_page=per, page=args.page)
        deep_pages(
            client,
            label,
            f"{api}&cursor=",
            f"{api}&cursor={cursor}",
            f"{api}&page={page}",
            page,
            n,
            scale,
        )
    print()
    print(load())


if __name__ == "__main__":
    main()
