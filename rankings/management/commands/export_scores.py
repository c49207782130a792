"""python manage.py export_scores --year Y [--published]: a run's rated companies as CSV."""

import csv

from django.core.management.base import BaseCommand, CommandError

from companies.models.annual import MAX_YEAR, MIN_YEAR
from rankings.selectors import run_current, scores_in_order

HEADER = [
    "size_class",
    "position",
    "credit_code",
    "company_name",
    "region_code",
    "industry_code",
    "total",
    "e_points",
    "s_points",
    "city_rank",
    "region_rank",
    "industry_rank",
    "grade",
    "veto_applied",
    "protection_applied",
]


class Command(BaseCommand):
    help = (
        "Write the scores of one year as CSV to stdout: one row per rated company of both size "
        "classes (size_class above = 规上, below = 规下; 规上 first), each class in its rank "
        "order. An empty city_rank means not applicable (region scope). The provisional "
        "result unless --published is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The year to export (required).")
        parser.add_argument(
            "--published", action="store_true", help="Export the latest published run."
        )

    def handle(self, *args, year=None, published=False, **options):
        if year is None:
            raise CommandError("--year is required, e.g. --year 2019.")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"--year must lie between {MIN_YEAR} and {MAX_YEAR}; got {year}.")
        run = run_current(year=year, published=published)
        if run is None:
            kind = "published" if published else "computed"
            raise CommandError(f"--year {year}: there is no {kind} ranking for that year.")
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for score in scores_in_order(run=run).iterator(chunk_size=2000):
            writer.writerow(
                [
                    score.size_class,
                    score.position,
                    score.credit_code,
                    _safe(score.company_name),
                    score.region.code,
                    score.industry.code,
                    f"{score.total:.2f}",
                    f"{score.e_points:.2f}",
                    f"{score.s_points:.2f}",
                    "" if score.city_rank is None else score.city_rank,
                    score.region_rank,
                    score.industry_rank,
                    score.grade,
                    int(score.veto_applied),
                    int(score.protection_applied),
                ]
            )


def _safe(text: str) -> str:
    """A cell a spreadsheet must not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
