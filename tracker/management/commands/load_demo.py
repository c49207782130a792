"""`manage.py load_demo`: the Jinhua demonstration dataset and the demo logins."""

from __future__ import annotations

import datetime
import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from companies.models import Company, Membership
from rankings.selectors import run_current
from rankings.services import rankings_process_dirty
from tracker.demo import profile
from tracker.demo.accounts import DemoAccount, demo_accounts_ensure, demo_accounts_existing
from tracker.demo.cycle import demo_campaign
from tracker.demo.loader import demo_load
from tracker.demo.notice import demo_notice
from tracker.demo.reset import demo_reset

MIN_COMPANIES = 50
DEFAULT_SEED = 20200414  # the article's date
SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = _(
        "Load the Jinhua demonstration dataset (deterministic for a given seed) and create the "
        "demo accounts admin, city, county and company."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--companies",
            type=int,
            default=profile.DEFAULT_COMPANIES,
            help=_(
                "Total number of companies; project counts scale with it (default %(default)s)."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("Random seed (default %(default)s).")
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            default=profile.DEMO_AS_OF.isoformat(),
            help=_(
                "The dataset's “today”, YYYY-MM-DD: open projects are scheduled around it "
                "(default %(default)s, the article's date, so every load gives the README's "
                "figures)."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete all companies, batches and what hangs off them first."),
        )
        parser.add_argument(
            "--if-empty",
            dest="if_empty",
            action="store_true",
            help=_("Only print the demo accounts when companies already exist."),
        )

    def handle(self, *args, companies, seed, as_of, reset, if_empty, **options):
        if companies < MIN_COMPANIES:
            raise CommandError(
                _("--companies must be at least %(min)d, got %(n)d.")
                % {"min": MIN_COMPANIES, "n": companies}
            )
        try:
            as_of_day = datetime.date.fromisoformat(as_of)
        except ValueError as error:
            raise CommandError(
                _("--as-of must be a date as YYYY-MM-DD, got “%(value)s”.") % {"value": as_of}
            ) from error
        existing = Company.objects.count()
        if existing and if_empty:
            self.stdout.write(
                _("%(n)d companies already exist; demo data left as it is.") % {"n": existing}
            )
            self._print_accounts(demo_accounts_existing(), settings.DEMO_PASSWORD or None)
            return
        if existing and not reset:
            raise CommandError(
                _(
                    "The database already holds %(n)d companies. Add --reset to replace them "
                    "with the demo data, or --if-empty to keep them."
                )
                % {"n": existing}
            )
        password = settings.DEMO_PASSWORD or secrets.token_urlsafe(9)
        started = time.monotonic()
        # One transaction for reset, data and accounts: a failure anywhere leaves the
        # database as it was, never half a dataset (a transaction per phase could not).
        with transaction.atomic():
            if reset:
                self.stdout.write(_("Emptying the domain tables…"))
                demo_reset(out=self._progress)
            self.stdout.write(
                _("Loading %(n)d companies (seed %(seed)d)…") % {"n": companies, "seed": seed}
            )
            try:
                totals = demo_load(
                    companies=companies, seed=seed, as_of=as_of_day, out=self._progress
                )
                accounts = demo_accounts_ensure(password=password)
                totals += demo_campaign(
                    seed=seed, as_of=as_of_day, showcase_company_id=_showcase_id()
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            _("Loaded in %(s).1f s: %(rows)s")
            % {
                "s": time.monotonic() - started,
                "rows": ", ".join(f"{n} {kind}" for kind, n in totals.items()),
            }
        )
        self._refresh_rankings()
        # The 2019 notice and its objections need the computed ranking: after the refresh,
        # in a transaction of their own.
        with transaction.atomic():
            notice = demo_notice(showcase_company_id=_showcase_id())
        self._progress(
            _("  public notice 2019: %(rows)s")
            % {"rows": ", ".join(f"{n} {kind}" for kind, n in notice.items())}
        )
        self._print_accounts(accounts, password)

    def _progress(self, line: str) -> None:
        # Flushed at once: a long load piped into a log should show where it is.
        self.stdout.write(line)
        self.stdout.flush()

    def _refresh_rankings(self) -> None:
        """Bring the demo years' rankings up to date now, so the first page shows current ones.

        The load marked them stale. Without a broker their recompute already ran when the
        load committed, and nothing is left to do; with one, it is done here rather than
        left to a worker."""
        for year in profile.ANNUAL_YEARS:
            try:
                run = rankings_process_dirty(year=year, quiet_period=datetime.timedelta(0))
            except ValidationError as error:
                # The data is in; only the rankings are missing (no active scoring scheme).
                self.stderr.write(
                    _("Rankings of %(year)d not computed: %(error)s")
                    % {"year": year, "error": " ".join(error.messages)}
                )
                continue
            run = run or run_current(year=year)
            if run is None:
                continue
            # The run's own computing time: it may have been made when the load committed.
            took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
            self._progress(
                _(
                    "  rankings %(year)d: %(n)d companies rated above designated size, "
                    "%(below)d below (%(s).1f s)"
                )
                % {"year": year, "n": run.rated_count, "below": run.rated_count_below, "s": took}
            )

    def _print_accounts(self, accounts: list[DemoAccount], password: str | None) -> None:
        shown = password or _("(unchanged: the one printed when the demo data was loaded)")
        self.stdout.write("")
        self.stdout.write(_("Open %(site)s  –  admin: %(site)sadmin/") % {"site": SITE_URL})
        for account in accounts:
            role = account.role + (f" – {account.bound_to}" if account.bound_to else "")
            self.stdout.write(
                _("  %(user)-8s %(role)s  password: %(password)s")
                % {"user": account.username, "role": role, "password": shown}
            )


def _showcase_id() -> int | None:
    """The company the `company` demo account is bound to."""
    return (
        Membership.objects.filter(user__username="company")
        .values_list("company_id", flat=True)
        .first()
    )
