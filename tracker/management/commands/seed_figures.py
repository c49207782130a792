"""`manage.py seed_figures`: the seed article's figures as the database has them now."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from companies.models.annual import MAX_YEAR, MIN_YEAR
from tracker.selectors import annual_data_years, not_applicable_reason, seed_figures


class Command(BaseCommand):
    help = _("Print the seed article's figures computed from the data (--json: one JSON object).")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object."))
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help=_("Year of the comparison (default: the latest year with annual data)."),
        )

    def handle(self, *args, json: bool, year: int | None, **options):
        if year is not None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise CommandError(
                    _("--year must lie between %(min)d and %(max)d, got %(year)d.")
                    % {"min": MIN_YEAR, "max": MAX_YEAR, "year": year}
                )
            years = annual_data_years()
            if year not in years:
                raise CommandError(
                    _("--year %(year)d has no annual data; years with data: %(years)s.")
                    % {"year": year, "years": ", ".join(map(str, years)) or _("none")}
                )
        figures = seed_figures(year=year)
        if json:
            self.stdout.write(_dumps(figures))
        else:
            self._table(figures)

    def _table(self, figures: dict) -> None:
        comparison = figures["transformed_vs_rest"]
        rows = [
            (_("Demonstration batches"), figures["batches"]),
            (_("Pilot companies"), figures["pilot_companies"]),
            (_("Companies above designated size"), figures["companies_above_size"]),
            (_("Companies in total"), figures["companies_total"]),
            (_("IMS key projects meeting the standard"), figures["ims_projects"]["count"]),
            (_("  their investment (RMB)"), _money(figures["ims_projects"]["investment_rmb"])),
            (_("Digital-workshop and IoT-factory projects"), figures["demo_projects"]["count"]),
            (_("  their investment (RMB)"), _money(figures["demo_projects"]["investment_rmb"])),
            *(
                (_("Robots added in %(year)s") % {"year": y}, n)
                for y, n in figures["robots_added"].items()
            ),
            (_("Year compared"), comparison["year"]),
            (_("Transformed companies in the cohort"), comparison["cohort_companies"]),
            (_("Productivity of transformed companies vs above-size average"), _change(comparison, "productivity_gap_pct")),
            (_("Unskilled workers of transformed companies, year on year"), _change(comparison, "unskilled_change_pct")),
            (_("Industrial added value of transformed companies, year on year"), _change(comparison, "added_value_change_pct")),
            (_("Profit of transformed companies, year on year"), _change(comparison, "profit_change_pct")),
            (_("Above-size companies practising smart manufacturing"), _pct(figures["smart_practice_share_pct"], signed=False)),
            (_("Companies with a valid IMS certificate at year end"), figures["ims_certified_companies"]),
        ]  # fmt: skip
        width = max(len(str(label)) for label, _value in rows)
        for label, value in rows:
            self.stdout.write(f"{label!s:<{width}}  {value if value is not None else '—'}")


def _dumps(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, sort_keys=False)


def _change(comparison: dict, key: str) -> str | None:
    """A percentage of the comparison, or "n/a" with the reason it is not given."""
    reason = (comparison.get("not_applicable") or {}).get(key)
    if reason:
        return _("n/a (%(reason)s)") % {"reason": not_applicable_reason(reason)}
    return _pct(comparison[key])


def _money(rmb: int) -> str:
    return f"{rmb:,}"


def _pct(value: float | None, *, signed: bool = True) -> str | None:
    if value is None:
        return None
    # Through Decimal, as the dashboard's `pct` filter rounds: −24.15 shows as −24.2 on both
    # (a float's repr would round it to −24.1).
    value = Decimal(str(value))
    return f"{value:+.1f} %" if signed else f"{value:.1f} %"
