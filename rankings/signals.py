"""Which changes make which years' rankings stale. Connected in RankingsConfig.ready().

Every input RANKING.md names is covered, saves and deletes alike (a cascade sends
post_delete for each row it removes), and so are the bulk writes of
`core.services.records_bulk_write`, through the signals it sends in their place. Other bulk
paths that bypass signals call `rankings.services.rankings_mark_dirty` themselves."""

from __future__ import annotations

import datetime

from django.db.models.signals import post_delete, post_save, pre_save

from companies.models import AnnualData, Certification, Company, MaturityAssessment
from core.signals import records_bulk_writing, records_bulk_written
from projects.choices import ProjectStatus
from projects.models import KeyProject
from rankings.models import RankingRun, ScoringScheme
from rankings.services import rankings_mark_dirty
from rankings.sql import storage

# Company fields the method reads, or that a score row captures for display.
COMPANY_FIELDS = (
    "rated",
    "above_size",
    "land_area_mu",
    "founded_on",
    "region_id",
    "industry_id",
    "credit_code",
    "name",
)
# Ids per query when many rows were written at once.
CHUNK = 500
# For dated records: the fields whose values matter, and the date from which they count.
# Voiding or restoring a row is a save that changes `voided_at`: a voided row counts nowhere.
DATED = {
    Certification: (
        ("company_id", "level", "status", "issued_on", "expires_on", "voided_at"),
        "issued_on",
    ),
    MaturityAssessment: (
        ("company_id", "level", "kind", "assessed_on", "voided_at"),
        "assessed_on",
    ),
    KeyProject: (
        ("company_id", "kind", "level", "status", "accepted_on", "actual_investment", "voided_at"),
        "accepted_on",
    ),
}


def _old_values(sender, instance, fields):
    if instance.pk is None or instance._state.adding:
        return None
    return sender._default_manager.filter(pk=instance.pk).values(*fields).first()


def _data_years(*, company_ids=None, from_year=None) -> list[int]:
    rows = AnnualData.objects.live()
    if from_year is not None:
        rows = rows.filter(year__gte=from_year)
    if company_ids is None:
        return list(rows.values_list("year", flat=True).distinct())
    company_ids = sorted(company_ids)
    years = set()
    for start in range(0, len(company_ids), CHUNK):
        chunk = company_ids[start : start + CHUNK]
        years.update(rows.filter(company_id__in=chunk).values_list("year", flat=True).distinct())
    return sorted(years)


def _run_years() -> list[int]:
    return list(RankingRun.objects.provisional().values_list("year", flat=True).distinct())


# --- what a write makes stale, for one saved row or many written at once -------------------
# Each takes (old, instance) pairs: `old` holds the watched fields as stored before the write
# (None for a new row), `instance` the row as written.


def companies_written(model, pairs) -> None:
    if any(old is None for old, _instance in pairs):
        # A new company joins every year's "not rated" list (it has no data yet).
        rankings_mark_dirty(years=_run_years(), reason="company added")
    changed = [
        instance.pk
        for old, instance in pairs
        if old is not None and any(old[name] != getattr(instance, name) for name in COMPANY_FIELDS)
    ]
    if changed:
        rankings_mark_dirty(years=_data_years(company_ids=changed), reason="company changed")


def annual_written(model, pairs) -> None:
    years = {instance.year for _old, instance in pairs}
    years.update(old["year"] for old, _instance in pairs if old is not None)
    rankings_mark_dirty(years=years, reason="annual data changed")


def _counts_from(model, values) -> int | None:
    """The first year in which this record (as `values`) can affect a ranking."""
    if values is None or values["voided_at"] is not None:
        return None
    if model is KeyProject and values["status"] != ProjectStatus.ACCEPTED:
        return None
    day = values[DATED[model][1]]
    return day.year if isinstance(day, datetime.date) else None


def dated_written(model, pairs) -> None:
    """Certificates, maturity assessments, key projects: the years from the earliest one in
    which a written row counted, before or after the write."""
    fields, _date_field = DATED[model]
    years = []
    for old, instance in pairs:
        new = {name: getattr(instance, name) for name in fields}
        if old != new:
            years += [_counts_from(model, old), _counts_from(model, new)]
    _mark_from(model, years)


def _mark_from(model, years):
    years = [y for y in years if y is not None]
    if years:
        rankings_mark_dirty(
            years=_data_years(from_year=min(years)),
            reason=f"{model._meta.model_name} changed",
        )


WATCHED = {
    Company: (COMPANY_FIELDS, companies_written),
    AnnualData: (("year", "voided_at"), annual_written),
    **{model: (fields, dated_written) for model, (fields, _date) in DATED.items()},
}


# --- one row saved -------------------------------------------------------------------------


def row_pre_save(sender, instance, **kwargs):
    instance._rankings_old = _old_values(sender, instance, WATCHED[sender][0])


def row_post_save(sender, instance, created, **kwargs):
    old = None if created else getattr(instance, "_rankings_old", None)
    WATCHED[sender][1](sender, [(old, instance)])


# --- many rows written at once (core.services.records_bulk_write) --------------------------


def rows_pre_bulk_write(sender, updated, **kwargs):
    if sender not in WATCHED or not updated:
        return
    fields = WATCHED[sender][0]
    ids = sorted(instance.pk for instance in updated)
    old = {}
    for start in range(0, len(ids), CHUNK):
        rows = sender._default_manager.filter(pk__in=ids[start : start + CHUNK])
        old.update((row.pop("pk"), row) for row in rows.values("pk", *fields))
    for instance in updated:
        instance._rankings_old = old.get(instance.pk)


def rows_post_bulk_write(sender, created, updated, **kwargs):
    if sender not in WATCHED:
        return
    pairs = [(None, instance) for instance in created]
    pairs += [(getattr(instance, "_rankings_old", None), instance) for instance in updated]
    if pairs:
        WATCHED[sender][1](sender, pairs)


# --- deletes -------------------------------------------------------------------------------


def company_post_delete(sender, instance, **kwargs):
    # Its annual data went first (cascade, each marking its year); the company also leaves
    # the "not rated" lists of the other years.
    rankings_mark_dirty(years=_run_years(), reason="company deleted")


def annual_post_delete(sender, instance, **kwargs):
    rankings_mark_dirty(years=[instance.year], reason="annual data deleted")


def dated_post_delete(sender, instance, **kwargs):
    fields, _date_field = DATED[sender]
    _mark_from(sender, [_counts_from(sender, {name: getattr(instance, name) for name in fields})])


# --- the scoring scheme ------------------------------------------------------------------


def scheme_changed(sender, instance, **kwargs):
    rankings_mark_dirty(years=_data_years(), reason="scoring scheme changed")


def run_post_delete(sender, instance, **kwargs):
    """A run deleted through the ORM (its score rows went by cascade) takes its own, now
    empty, table with it (rankings.sql.storage)."""
    storage.drop(instance.pk)


def connect() -> None:
    uid = "rankings"
    post_delete.connect(run_post_delete, sender=RankingRun, dispatch_uid=f"{uid}-run-del")
    for model in WATCHED:
        name = model._meta.model_name
        pre_save.connect(row_pre_save, sender=model, dispatch_uid=f"{uid}-{name}-pre")
        post_save.connect(row_post_save, sender=model, dispatch_uid=f"{uid}-{name}-post")
    post_delete.connect(company_post_delete, sender=Company, dispatch_uid=f"{uid}-company-del")
    post_delete.connect(annual_post_delete, sender=AnnualData, dispatch_uid=f"{uid}-annual-del")
    for model in DATED:
        name = model._meta.model_name
        post_delete.connect(dated_post_delete, sender=model, dispatch_uid=f"{uid}-{name}-del")
    records_bulk_writing.connect(rows_pre_bulk_write, dispatch_uid=f"{uid}-bulk-pre")
    records_bulk_written.connect(rows_post_bulk_write, dispatch_uid=f"{uid}-bulk-post")
    post_save.connect(scheme_changed, sender=ScoringScheme, dispatch_uid=f"{uid}-scheme-post")
    post_delete.connect(scheme_changed, sender=ScoringScheme, dispatch_uid=f"{uid}-scheme-del")
