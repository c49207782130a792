"""Year-on-year plausibility of annual figures: a figure that jumps by more than JUMP_FACTOR
against the company's previous row (tax ×10 in a year, or down to a tenth) is usually a
typing mistake (万元 entered as 元), but can be true. It is a warning, not an error: the
user confirms it, and the confirmation goes into the row's history as its change reason.

The rule lives here once; the staff form and the admin (companies.forms.ConfirmWarningsMixin),
the API (companies.api.serializers.AnnualDataSerializer) and the import (tracker.imports)
ask it and each offer their way to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from companies.models import AnnualData
from companies.models.annual import FIGURE_FIELDS
from core.services import HISTORY_REASON_LENGTH

# A figure this many times larger than the year before, or smaller by the same factor.
JUMP_FACTOR = 10
# Figures compared: amounts and stocks. Profit changes sign, and a ratio of a loss to a
# profit says nothing; robots added are a handful that may well go from 1 to 10; the
# incident flag is no amount.
COMPARED_FIELDS = tuple(
    name
    for name in FIGURE_FIELDS
    if name not in ("above_size", "total_profit", "robots_added", "major_incident")
)


@dataclass(frozen=True)
class Jump:
    field: str
    ratio: Decimal
    year: int
    previous: Decimal

    @property
    def message(self) -> str:
        label = AnnualData._meta.get_field(self.field).verbose_name
        return _(
            "%(label)s is ×%(ratio)s the %(year)s figure (%(previous)s). If it is right, "
            "confirm the warnings to save it."
        ) % {"label": label, "ratio": self.ratio_text, "year": self.year, "previous": self.previous}

    @property
    def ratio_text(self) -> str:
        return f"{self.ratio:.3g}"


def year_on_year_jumps(row: AnnualData, fields=COMPARED_FIELDS) -> dict[str, Jump]:
    """The figures of `row` among `fields` that jump by JUMP_FACTOR or more against the
    company's latest earlier live row, by field. One query; none without a company or year."""
    fields = [f for f in fields if f in COMPARED_FIELDS]
    if row.company_id is None or row.year is None or not fields:
        return {}
    previous = (
        AnnualData.objects.live()
        .filter(company_id=row.company_id, year__lt=row.year)
        .exclude(pk=row.pk)
        .order_by("-year")
        .values("year", *fields)
        .first()
    )
    return jumps_against(row, previous, fields)


def jumps_against(row: AnnualData, previous: dict | None, fields=COMPARED_FIELDS) -> dict:
    """The jumps of `row`'s `fields` against `previous`, the earlier row's values ("year"
    and the figures, as `.values()` gives them), or none without one. For callers that load
    the earlier rows of many rows at once (the import)."""
    if previous is None:
        return {}
    jumps = {}
    for field in fields:
        if field not in COMPARED_FIELDS:
            continue
        new, old = getattr(row, field), previous[field]
        if not new or not old or new < 0 or old < 0:
            continue
        ratio = Decimal(new) / Decimal(old)
        if ratio >= JUMP_FACTOR or ratio * JUMP_FACTOR <= 1:
            jumps[field] = Jump(field, ratio, previous["year"], old)
    return jumps


def warning_messages(jumps: dict[str, Jump]) -> dict[str, str]:
    """field → the message that explains the warning."""
    return {field: jump.message for field, jump in jumps.items()}


def confirmation_note(jumps: dict[str, Jump]) -> str:
    """The change reason a confirmed write records: "confirmed: tax_paid ×12.3 vs 2018",
    cut to the length of the history's reason column."""
    note = "confirmed: " + "; ".join(
        f"{field} ×{jump.ratio_text} vs {jump.year}" for field, jump in jumps.items()
    )
    return note[:HISTORY_REASON_LENGTH]


def unconfirmed_warnings(*, year: int) -> int:
    """How many live annual-data rows of `year` jump against the company's latest earlier
    live row and were never confirmed (rows loaded or entered before the check existed, or
    written by a path that does not ask). Shown before a year is published."""
    rows = list(AnnualData.objects.live().filter(year=year))
    if not rows:
        return 0
    earlier: dict[int, dict] = {}
    for values in (
        AnnualData.objects.live()
        .filter(company_id__in={row.company_id for row in rows}, year__lt=year)
        .order_by("company_id", "-year")
        .values("company_id", "year", *COMPARED_FIELDS)
    ):
        earlier.setdefault(values["company_id"], values)  # the latest earlier year
    flagged = {row.pk for row in rows if jumps_against(row, earlier.get(row.company_id))}
    if not flagged:
        return 0
    confirmed = set(
        AnnualData.history.filter(id__in=flagged, history_change_reason__contains="confirmed: ")
        .values_list("id", flat=True)
        .distinct()
    )
    return len(flagged - confirmed)
