"""Which changes make which years' stored dashboard figures stale (tracker.figures).

The rankings app already marks the years a change affects for the ranking
(`rankings.signals`); the figures read more than the ranking does — pilots, key projects in
any status, certificates and maturity assessments of any date, batches — and most of them
count in every year's figures. These receivers mark those years dirty through the same
`rankings_mark_dirty`, so the recompute that follows stores fresh figures: one path, one
coalescing, one sweep. Connected in TrackerConfig.ready()."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    MaturityAssessment,
)
from core.signals import records_bulk_writing, records_bulk_written
from projects.models import KeyProject
from rankings.selectors import run_years
from rankings.services import rankings_mark_dirty

# The fields of each input the figures read; a change to any of them (or a new or deleted
# row) makes every year's figures stale — except annual data, see below.
WATCHED: dict[type, tuple[str, ...]] = {
    Company: ("is_pilot", "pilot_year", "pilot_designated_on", "above_size", "region_id"),
    KeyProject: (
        "company_id",
        "kind",
        "status",
        "accepted_on",  # the transformed cohort: accepted by the end of the year before
        "meets_ims_standard",
        "planned_investment",
        "actual_investment",
        "voided_at",
    ),
    Certification: ("company_id", "status", "issued_on", "expires_on", "voided_at"),
    MaturityAssessment: ("company_id", "level", "assessed_on", "voided_at"),
    DemonstrationBatch: (),
    # A year's row is compared with the previous year's (transformed companies' changes):
    # it makes the next year's figures stale; its own year the rankings signals mark, and
    # each year's robots added is read from that year's own figures.
    AnnualData: (
        "company_id",
        "year",
        "avg_employees",
        "unskilled_workers",
        "added_value",
        "total_profit",
        "voided_at",
    ),
}
# Company rows are added and removed with every year marked by the rankings signals.
MARKS_ON_CREATE = {KeyProject, Certification, MaturityAssessment, DemonstrationBatch, AnnualData}
REASON = "dashboard figures input changed"


def _mark(model, row_years=()) -> None:
    """Mark every year that has a run; for annual data, the years after `row_years` (the
    years of the rows written, before and after the write)."""
    years = run_years()
    if model is AnnualData:
        following = {year + 1 for year in row_years if year is not None}
        years = [year for year in years if year in following]
    if years:
        rankings_mark_dirty(years=years, reason=REASON)


def _years(instance, old) -> list[int]:
    years = [getattr(instance, "year", None)]
    if old and "year" in old:  # an annual row moved to another year
        years.append(old["year"])
    return years


def _old(model, instance):
    if instance.pk is None or instance._state.adding or not WATCHED[model]:
        return None
    return model._default_manager.filter(pk=instance.pk).values(*WATCHED[model]).first()


def _changed(model, old, instance) -> bool:
    return old is not None and any(old[name] != getattr(instance, name) for name in old)


def row_pre_save(sender, instance, **kwargs):
    instance._figures_old = _old(sender, instance)


def row_post_save(sender, instance, created, **kwargs):
    old = getattr(instance, "_figures_old", None)
    if (created and sender in MARKS_ON_CREATE) or _changed(sender, old, instance):
        _mark(sender, _years(instance, old))


def row_post_delete(sender, instance, **kwargs):
    if sender is not Company:  # a deleted company: the rankings signals mark every year
        _mark(sender, _years(instance, None))


def rows_pre_bulk_write(sender, updated, **kwargs):
    if sender not in WATCHED or not updated or not WATCHED[sender]:
        return
    ids = [instance.pk for instance in updated]
    old = {
        row.pop("pk"): row
        for row in sender._default_manager.filter(pk__in=ids).values("pk", *WATCHED[sender])
    }
    for instance in updated:
        instance._figures_old = old.get(instance.pk)


def rows_post_bulk_write(sender, created, updated, **kwargs):
    if sender not in WATCHED:
        return
    stale = False
    years = []
    if created and sender in MARKS_ON_CREATE:
        stale = True
        years += [year for instance in created for year in _years(instance, None)]
    for instance in updated:
        old = getattr(instance, "_figures_old", None)
        if _changed(sender, old, instance):
            stale = True
            years += _years(instance, old)
    if stale:
        _mark(sender, years)


def connect() -> None:
    uid = "figures"
    for model in WATCHED:
        name = model._meta.model_name
        pre_save.connect(row_pre_save, sender=model, dispatch_uid=f"{uid}-{name}-pre")
        post_save.connect(row_post_save, sender=model, dispatch_uid=f"{uid}-{name}-post")
        post_delete.connect(row_post_delete, sender=model, dispatch_uid=f"{uid}-{name}-del")
    records_bulk_writing.connect(rows_pre_bulk_write, dispatch_uid=f"{uid}-bulk-pre")
    records_bulk_written.connect(rows_post_bulk_write, dispatch_uid=f"{uid}-bulk-post")
