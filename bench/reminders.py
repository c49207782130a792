"""Benchmark: the deadline reminder to every company that has not submitted (issue 11), on
SQLite and on PostgreSQL.

Each engine runs on a scratch database (a temporary SQLite file; the PostgreSQL database
`<BENCH_DB_PREFIX>_reminders`, dropped and created afresh), filled with N companies, one
company user each (with an e-mail address) and a campaign whose deadline is 7 days away with
every submission still waiting. Measured:

- the in-app send (`reporting.reminders.deadline_reminders_send`: one INSERT … SELECT picks
  and inserts every recipient's row) against the floor, a bare INSERT … SELECT of the same
  rows into the same table (same indexes) measured in the same run;
- the second run of the same day (nothing new: "run twice, send once");
- the e-mail pass (`core.notifications.notifications_email`) with a backend that renders
  every message to bytes and drops it, against rendering the same number of plain messages;
- the whole: in-app send + e-mail pass, against the issue's 30 s.

    .venv/bin/python bench/reminders.py                 # 10,000 companies, both engines
    .venv/bin/python bench/reminders.py --full          # 100,000 (BENCH_FULL=1)
    .venv/bin/python bench/reminders.py --engine sqlite --json
"""

import argparse
import datetime
import os
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
TARGET_SECONDS = 30


def each_engine(args) -> None:
    """Run this script once per engine, each in its own process (one Django setup each)."""
    for engine in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--engine", engine, "--companies", str(args.companies)]
        if args.json:
            command.append("--json")
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode:
            sys.exit(result.returncode)


def scratch_postgres() -> str:
    import psycopg

    url = benchlib.database_url("reminders")
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def setup_django(url: str) -> None:
    os.environ.update(benchlib.django_env(url, EMAIL_BACKEND="__main__.RenderingBackend"))
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


try:
    from django.core.mail.backends.base import BaseEmailBackend
except ImportError:  # pragma: no cover - the venv has Django
    BaseEmailBackend = object


class RenderingBackend(BaseEmailBackend):
    """Renders each message as an SMTP backend would (MIME, encodings), then drops it."""

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
        return len(messages)


def fill(companies: int):
    """N companies in the seeded regions, a company user each, a campaign due in 7 days with
    every submission not started. Bulk inserts; returns the campaign."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from companies.models import Company, Industry, Membership, Region
    from reporting.models import Campaign, Submission

    regions = list(Region.objects.values_list("pk", flat=True))
    industry = Industry.objects.values_list("pk", flat=True).first()
    batch = 5000
    Company.objects.bulk_create(
        (
            Company(
                credit_code=f"91330700{n:010d}",
                name=f"测试企业{n}",
                name_sort=f"ceshiqiye{n:07d}",
                region_id=regions[n % len(regions)],
                industry_id=industry,
            )
            for n in range(companies)
        ),
        batch_size=batch,
    )
    User = get_user_model()
    User.objects.bulk_create(
        (
            User(username=f"co{n}", email=f"co{n}@example.org", password="!")
            for n in range(companies)
        ),
        batch_size=batch,
    )
    users = dict(User.objects.values_list("username", "pk"))
    Membership.objects.bulk_create(
        (
            Membership(user_id=users[f"co{n}"], role="company", company_id=company_id)
            for n, company_id in enumerate(
                Company.objects.order_by("credit_code").values_list("pk", flat=True)
            )
        ),
        batch_size=batch,
    )
    campaign = Campaign.objects.create(
        year=2020, deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    Submission.objects.bulk_create(
        (
            Submission(campaign=campaign, company_id=pk, region_id=region)
            for pk, region in Company.objects.values_list("pk", "region_id")
        ),
        batch_size=batch,
    )
    return campaign


def floor_insert(campaign) -> float:
    """A bare INSERT … SELECT of the same recipients' rows (no ORM, no conflict clause)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from reporting import workflow

    states = ", ".join(f"'{s}'" for s in workflow.WAITING_FOR_COMPANY)
    params = "CAST('{}' AS jsonb)" if connection.vendor == "postgresql" else "'{}'"
    sql = (
        "INSERT INTO core_notification (user_id, message, params, url, created_at, dedupe_key) "
        f"SELECT m.user_id, 'floor', {params}, '/reporting/portal/', %s, 'floor' "
        "FROM companies_membership m JOIN reporting_submission s ON s.company_id = m.company_id "
        f"WHERE s.campaign_id = %s AND s.state IN ({states})"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), campaign.pk])
    return time.perf_counter() - started


def floor_render(count: int) -> float:
    """Building and rendering `count` plain messages (no database, no translation)."""
    from django.core.mail import EmailMessage

    started = time.perf_counter()
    for n in range(count):
        EmailMessage(
            subject="智能制造跟踪：请按时报送", body="正文\n" * 5, to=[f"co{n}@example.org"]
        ).message().as_bytes()
    return time.perf_counter() - started


def run_engine(engine: str, companies: int) -> None:
    if engine == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-reminders-")
        url = f"sqlite:///{folder}/reminders.sqlite3"
    else:
        url = scratch_postgres()
    setup_django(url)
    from django.db import transaction
    from django.utils import timezone

    from core import notifications
    from core.models import Notification
    from core.notifications import notifications_email
    from reporting.reminders import deadline_reminders_send

    started = time.perf_counter()
    campaign = fill(companies)
    print(
        f"{engine}: {companies:,} companies, users, submissions in {time.perf_counter() - started:.0f} s"
    )
    scale = f"{companies:,} companies, {engine}"

    floor = floor_insert(campaign)
    Notification.objects.filter(dedupe_key="floor").delete()

    # The e-mail pass, which the send queues once committed, is measured apart below.
    notifications._email_after_commit = lambda: None
    # A worker is a long-lived process: its translation catalogues are loaded once, not here.
    notifications.page_link("reporting:portal")
    started = time.perf_counter()
    with transaction.atomic():
        inserted = deadline_reminders_send(today=timezone.localdate())
    send = time.perf_counter() - started
    assert inserted == companies, (inserted, companies)
    benchlib.row(
        f"Deadline reminders, in-app ({scale})",
        round(send, 2),
        unit="s",
        floor=round(floor, 2),
        target="< 30 s",
        met=send < TARGET_SECONDS,
        note="floor: a bare INSERT … SELECT of the same rows into the same table",
    )

    started = time.perf_counter()
    again = deadline_reminders_send(today=timezone.localdate())
    second = time.perf_counter() - started
    assert again == 0
    benchlib.row(
        f"Deadline reminders, the same day's second run ({scale})",
        round(second, 2),
        unit="s",
        floor=round(floor, 2),
        target="sends nothing",
        met=again == 0,
        note="every row already there (ON CONFLICT DO NOTHING)",
    )

    render = floor_render(companies)
    started = time.perf_counter()
    mailed = notifications_email()
    email = time.perf_counter() - started
    assert mailed == companies, (mailed, companies)
    benchlib.row(
        f"Deadline reminders, e-mail pass ({scale})",
        round(email, 2),
        unit="s",
        floor=round(render, 2),
        target="",
        met=None,
        note="backend renders each mail to bytes; floor: rendering as many plain mails",
    )
    benchlib.row(
        f"Deadline reminders, in-app + e-mail ({scale})",
        round(send + email, 2),
        unit="s",
        floor=round(floor + render, 2),
        target="< 30 s",
        met=send + email < TARGET_SECONDS,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"])
    parser.add_argument("--companies", type=int, default=100_000 if benchlib.full() else 10_000)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.engine is None:
        each_engine(args)
    else:
        run_engine(args.engine, args.companies)


if __name__ == "__main__":
    main()
