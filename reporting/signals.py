"""A confirmed year's figures are locked: once the city confirmed a company's submission for a
year, its live annual-data row of that year keeps those figures. A later change goes through
the correction without loss (core.services.record_void with the reason, then the corrected
row entered), never an edit in place. Connected in ReportingConfig.ready(): companies knows
nothing of reporting, so the lock listens to the writes of AnnualData on every path (the
single save and the bulk write)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from companies.models import AnnualData
from companies.models.annual import FIGURE_FIELDS
from core.signals import records_bulk_writing
from reporting.choices import SubmissionState
from reporting.models import Submission


def confirmed_pairs(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which (company id, year) of `pairs` have a submission confirmed by the city."""
    if not pairs:
        return set()
    rows = Submission.objects.filter(
        state=SubmissionState.CONFIRMED,
        company_id__in={company for company, _year in pairs},
        campaign__year__in={year for _company, year in pairs},
    ).values_list("company_id", "campaign__year")
    return set(rows) & pairs


def _figures_changed(rows) -> list:
    stored = {
        values["pk"]: values
        for values in AnnualData.objects.filter(pk__in=[r.pk for r in rows]).values(
            "pk", *FIGURE_FIELDS
        )
    }
    changed = []
    for row in rows:
        before = stored.get(row.pk)
        if before and any(before[name] != getattr(row, name) for name in FIGURE_FIELDS):
            changed.append(row)
    return changed


def check_not_locked(rows) -> None:
    """Refuse (ValidationError) an edit of the figures of a confirmed company and year."""
    stored = [row for row in rows if row.pk is not None and row.voided_at is None]
    if not stored:
        return
    locked = confirmed_pairs({(row.company_id, row.year) for row in stored})
    if not locked:
        return
    changed = _figures_changed([row for row in stored if (row.company_id, row.year) in locked])
    if changed:
        row = changed[0]
        raise ValidationError(
            _(
                "The %(year)s figures of %(company)s were confirmed by the city and are locked. "
                "To correct them, void the row giving the reason, then enter the corrected figures."
            )
            % {"year": row.year, "company": row.company}
        )


@receiver(pre_save, sender=AnnualData, dispatch_uid="reporting_lock_confirmed_figures")
def _lock_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        check_not_locked([instance])


@receiver(records_bulk_writing, dispatch_uid="reporting_lock_confirmed_figures_bulk")
def _lock_on_bulk_write(sender, updated=(), **kwargs):
    if sender is AnnualData:
        check_not_locked(list(updated))
