"""Benchmark of the reporting cycle's pages (issue 11): the campaign page and the review queues.

    DEBUG=1 .venv/bin/python bench/cycle.py [--companies 10000] [--database sqlite:////tmp/cycle-bench.sqlite3]

Loads the demo data (`load_demo --companies N --reset`, which opens the 2020 campaign with a
mix of states), then prints, median of 5 requests through Django's test client (no server):

- the campaign page as city staff (progress of every region: one grouped query) and as
  county staff (its region), with the page's query count;
- the review queue as county staff and as city staff (a page of 50 with the flagged-figure
  counts: one query for the page, one for last year's figures);
- the API's campaign progress and submission list (page of 50) as city staff;
- the baseline measured in the same run: one bare `GROUP BY state` over the campaign's
  submissions, the least any progress count can cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, capture_output=True)


def timed(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--database", default="sqlite:////tmp/cycle-bench.sqlite3")
    parser.add_argument("--no-load", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()
    setup(args.database)
    if not args.no_load:
        started = time.perf_counter()
        manage("migrate", "--no-input")
        manage("load_demo", "--companies", str(args.companies), "--reset", "--as-of", "2020-04-14")
        print(f"load_demo --companies {args.companies}: {time.perf_counter() - started:.0f} s")

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reporting.models import Campaign, Submission

    campaign = Campaign.objects.get(year=2020)
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["city", "county"])
    }
    print(f"submissions: {Submission.objects.filter(campaign=campaign).count():,}")
    from django.db.models import Count

    baseline = timed(
        lambda: list(
            Submission.objects.filter(campaign=campaign)
            .values("state")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    print(f"baseline: bare GROUP BY state over the campaign: {baseline:.1f} ms")
    cases = [
        ("campaign page, city", "city", reverse("reporting:campaign", args=[campaign.pk])),
        ("campaign page, county", "county", reverse("reporting:campaign", args=[campaign.pk])),
        ("review queue, county", "county", reverse("reporting:queue")),
        ("review queue, city", "city", reverse("reporting:queue")),
        ("API progress, city", "city", f"/api/v1/campaigns/{campaign.pk}/progress/"),
        ("API submissions page, city", "city", "/api/v1/submissions/?page_size=50"),
        # For reference: an existing list page over a table of the same size.
        ("reference: annual-data list page, city", "city", reverse("companies:annual_list")),
    ]
    for label, username, url in cases:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(users[username])
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *a, q=queries: q.append(sql) or run(sql, *a)
        ):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms = timed(lambda url=url, client=client: client.get(url))
        print(f"{label}: {ms:.0f} ms median, {len(queries)} queries")


if __name__ == "__main__":
    main()
