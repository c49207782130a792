"""python manage.py recompute_rankings --year Y | --all"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.models.annual import MAX_YEAR, MIN_YEAR
from rankings.services import rankings_recompute, years_with_data


class Command(BaseCommand):
    help = "Recompute the provisional ranking of one year (--year) or of every year (--all)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="A year (repeatable).")
        parser.add_argument(
            "--all", dest="all_years", action="store_true", help="Every year with annual data."
        )

    def handle(self, *args, year=None, all_years=False, **options):
        if all_years and year:
            raise CommandError("Give either --year or --all, not both.")
        if not all_years and not year:
            raise CommandError("--year (or --all) is required, e.g. --year 2019.")
        for y in year or []:
            if not MIN_YEAR <= y <= MAX_YEAR:
                raise CommandError(f"--year must lie between {MIN_YEAR} and {MAX_YEAR}; got {y}.")
        years = years_with_data() if all_years else sorted(set(year))
        if not years:
            self.stdout.write("No annual data: nothing to rank.")
            return
        for i, y in enumerate(years, start=1):
            started = time.monotonic()
            try:
                run = rankings_recompute(year=y)
            except ValidationError as exc:
                raise CommandError(f"{y}: {'; '.join(exc.messages)}") from exc
            self.stdout.write(
                f"[{i}/{len(years)}] {y}: {run.rated_count} rated companies above designated "
                f"size, {run.rated_count_below} below, in {time.monotonic() - started:.2f} s"
            )
