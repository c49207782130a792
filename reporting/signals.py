"""Two rules that listen to other apps' writes. First, a confirmed year's figures are locked: once the city confirmed a company's submission for a
year, its live annual-data row of that year keeps those figures. A later change goes through
the correction without loss (core.services.record_void with the reason, then the corrected
row entered), never an edit in place, a move to another company or year, or a deletion.
Connected in ReportingConfig.ready(): companies knows nothing of reporting, so the lock
listens to the writes of AnnualData on every path (the single save, the bulk write and the
deletion). Second, a submission's copy of its company's region follows the company."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from companies.models import AnnualData, Company
from companies.models.annual import FIGURE_FIELDS
from core.signals import records_bulk_writing, records_bulk_written
from reporting.choices import SubmissionState
from reporting.models import Submission
from reporting.tally import tally_changed


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


def locked_message(company_id: int, year: int) -> str:
    return _(
        "The %(year)s figures of %(company)s were confirmed by the city and are locked. "
        "To correct them, void the row giving the reason, then enter the corrected figures."
    ) % {"year": year, "company": Company.objects.get(pk=company_id)}


def check_not_locked(rows) -> None:
    """Refuse (ValidationError) a change of a confirmed company and year's live row: of its
    figures, and of the company or year it belongs to (moving the row away would empty the
    confirmed year without a reason). Voiding it (the correction) changes neither."""
    for _row, (company_id, year) in locked_changes(rows)[:1]:
        raise ValidationError(locked_message(company_id, year))


def locked_changes(rows) -> list[tuple[AnnualData, tuple[int, int]]]:
    """Those of `rows` (stored annual data about to be written) that change a confirmed
    year's live row, each with that row's (company id, year): two queries for any number of rows (the
    importer names each such row of a file)."""
    rows = [row for row in rows if row.pk is not None]
    if not rows:
        return []
    stored = {
        values["pk"]: values
        for values in AnnualData.objects.filter(pk__in=[r.pk for r in rows]).values(
            "pk", "company_id", "year", "voided_at", *FIGURE_FIELDS
        )
    }
    live = {
        pk: (values["company_id"], values["year"])
        for pk, values in stored.items()
        if values["voided_at"] is None
    }
    locked = confirmed_pairs(set(live.values()))
    found = []
    for row in rows:
        pair = live.get(row.pk)
        if pair is None or pair not in locked:
            continue
        before = stored[row.pk]
        moved = pair != (row.company_id, row.year)
        if moved or any(before[name] != getattr(row, name) for name in FIGURE_FIELDS):
            found.append((row, pair))
    return found


@receiver(pre_save, sender=AnnualData, dispatch_uid="reporting_lock_confirmed_figures")
def _lock_on_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        check_not_locked([instance])


@receiver(pre_delete, sender=AnnualData, dispatch_uid="reporting_lock_confirmed_figures_delete")
def _lock_on_delete(sender, instance, origin=None, **kwargs):
    """A confirmed year's live row is voided with a reason, never deleted. Deleting the
    company itself (an administrator's act, cascading to its rows) is not refused."""
    deleting_rows = isinstance(origin, AnnualData) or (
        isinstance(origin, QuerySet) and origin.model is AnnualData
    )
    if not deleting_rows or instance.voided_at is not None:
        return
    if confirmed_pairs({(instance.company_id, instance.year)}):
        raise ValidationError(locked_message(instance.company_id, instance.year))


@receiver(records_bulk_writing, dispatch_uid="reporting_lock_confirmed_figures_bulk")
def _lock_on_bulk_write(sender, updated=(), **kwargs):
    if sender is AnnualData:
        check_not_locked(list(updated))


# --- Submission.region follows its company's region ------------------------------------------


def follow_company_regions(companies) -> int:
    """Copy each company's region to its submissions where it differs (a company moved to
    another county): one UPDATE per company moved, none for the rest."""
    moved = 0
    campaigns = set()
    for company in companies:
        rows = Submission.objects.filter(company_id=company.pk).exclude(region_id=company.region_id)
        campaigns.update(rows.values_list("campaign_id", flat=True))
        moved += rows.update(region_id=company.region_id)
    if campaigns:
        tally_changed(campaigns)
    return moved


@receiver(post_delete, sender=Submission, dispatch_uid="reporting_tally_on_delete")
def _tally_on_delete(sender, instance, **kwargs):
    # A company or a submission deleted (the admin, a cascade) changes its campaign's counts.
    tally_changed([instance.campaign_id])


@receiver(post_save, sender=Company, dispatch_uid="reporting_submission_region")
def _region_on_save(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        follow_company_regions([instance])


@receiver(records_bulk_written, dispatch_uid="reporting_submission_region_bulk")
def _region_on_bulk_write(sender, updated=(), fields=(), **kwargs):
    if sender is Company and {"region", "region_id"} & set(fields):
        follow_company_regions(updated)
