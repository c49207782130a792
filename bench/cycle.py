"""Benchmark of the reporting cycle's pages (issue 11): the campaign page and the review queues.

    .venv/bin/python bench/cycle.py                 # 10,000 companies
    .venv/bin/python bench/cycle.py --full          # province scale: 100,000
    .venv/bin/python bench/cycle.py --json          # also the `make bench` rows

Uses the scratch database of bench/pages.py (`<BENCH_DB_PREFIX>_pages`: the demo data at
that size, whose 2020 campaign has a submission for every rated company in a mix of
states), loading it when it holds another number of companies. Times requests through
Django's full middleware stack with DEBUG off (django.test.Client, one process), taken in
turn so that each meets the same load:

- the campaign page as city staff (progress of every region: one grouped query) and as
  county staff (its region), and the review queue of each (a page with the flagged-figure
  counts), against the account page (signed in, the same base template) as the floor;
- the API's campaign progress and submission list (page of 50) as city staff, against the
  API ping (no database) as the floor;
- for reference, one bare `GROUP BY state` over the campaign's submissions, the least any
  progress count can cost.

Targets: the page and API targets already set (page p95 < 100 ms, API list p95 < 20 ms).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import benchlib  # noqa: E402
import pages  # noqa: E402  (its scratch database, set-up and timing)

MAKE_BENCH = True  # run by `make bench` (bench/run.py), which reads the --json rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=None, help="10,000; 100,000 with --full")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--full", action="store_true", help="100,000 companies")
    parser.add_argument("--json", action="store_true", help="print the make-bench rows")
    args = parser.parse_args()
    args.companies = args.companies or (100_000 if benchlib.full() else 10_000)
    scale = f"{args.companies:,} companies"
    print(pages.load())
    pages.setup(benchlib.database_url("pages"))
    pages.prepare(args.companies)

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from reporting.models import Campaign, Submission

    translation.activate("zh-hans")
    city, county = pages.users()
    campaign = Campaign.objects.order_by("-year").first()
    submissions = Submission.objects.filter(campaign=campaign)
    print(f"{scale}; campaign {campaign.year} with {submissions.count():,} submissions")

    started = time.perf_counter()
    for _ in range(5):
        list(submissions.values("state").annotate(n=Count("pk")).order_by())
    group_by = (time.perf_counter() - started) / 5 * 1000
    print(f"reference: bare GROUP BY state over the campaign: {group_by:.1f} ms")

    city_client, county_client = Client(), Client()
    city_client.force_login(city)
    county_client.force_login(county)
    campaign_url = reverse("reporting:campaign", args=[campaign.pk])
    cases = [
        ("floor: account page", city_client, reverse("account"), None),
        ("floor: API ping", city_client, "/api/v1/ping/", None),
        ("Campaign page, city staff", city_client, campaign_url, "page"),
        ("Campaign page, county staff", county_client, campaign_url, "page"),
        ("Review queue, county staff", county_client, reverse("reporting:queue"), "page"),
        ("Review queue, city staff", city_client, reverse("reporting:queue"), "page"),
        (
            "API campaign progress, city staff",
            city_client,
            f"/api/v1/campaigns/{campaign.pk}/progress/",
            "api",
        ),
        ("API submission list (50), city staff", city_client, "/api/v1/submissions/", "api"),
    ]
    results = pages.timed([(client, url) for _, client, url, _ in cases], args.requests)
    account, ping = results[0], results[1]
    print(f"\n{'request':<44} {'p50':>8} {'p95':>8}   (ms)")
    for (label, _client, _url, kind), result in zip(cases, results, strict=True):
        print(f"{label:<44} {result['p50']:8.1f} {result['p95']:8.1f}")
        if kind is None:
            continue
        floor, limit = (account, 100) if kind == "page" else (ping, 20)
        benchlib.row(
            f"{label}: p95 ({scale})",
            round(result["p95"], 1),
            unit="ms",
            floor=round(floor["p95"], 1),
            target=f"p95 < {limit} ms",
            met=result["p95"] < limit,
            note="floor: the account page" if kind == "page" else "floor: the API ping",
        )
    print(pages.load())


if __name__ == "__main__":
    main()
