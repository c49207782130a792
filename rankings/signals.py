"""Which changes make which years' rankings stale. Connected in RankingsConfig.ready().

Every input RANKING.md names is covered, saves and deletes alike (a cascade sends
post_delete for each row it removes). Bulk writes that bypass signals call
`rankings.services.rankings_mark_dirty` themselves."""

from __future__ import annotations

import datetime

from django.db.models.signals import post_delete, post_save, pre_save

from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.choices import ProjectStatus
from projects.models import KeyProject
from rankings.models import RankingRun, ScoringScheme
from rankings.services import rankings_mark_dirty

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
# For dated records: the fields whose values matter, and the date from which they count.
DATED = {
    Certification: (("company_id", "level", "status", "issued_on", "expires_on"), "issued_on"),
    MaturityAssessment: (("company_id", "level", "assessed_on"), "assessed_on"),
    KeyProject: (
        ("company_id", "kind", "level", "status", "accepted_on", "actual_investment"),
        "accepted_on",
    ),
}


def _old_values(sender, instance, fields):
    if instance.pk is None or instance._state.adding:
        return None
    return sender._default_manager.filter(pk=instance.pk).values(*fields).first()


def _data_years(*, company_id=None, from_year=None) -> list[int]:
    rows = AnnualData.objects.all()
    if company_id is not None:
        rows = rows.filter(company_id=company_id)
    if from_year is not None:
        rows = rows.filter(year__gte=from_year)
    return list(rows.values_list("year", flat=True).distinct())


def _run_years() -> list[int]:
    return list(RankingRun.objects.provisional().values_list("year", flat=True).distinct())


# --- companies ---------------------------------------------------------------------------


def company_pre_save(sender, instance, **kwargs):
    instance._rankings_old = _old_values(sender, instance, COMPANY_FIELDS)


def company_post_save(sender, instance, created, **kwargs):
    old = getattr(instance, "_rankings_old", None)
    if created or old is None:
        # A new company joins every year's "not rated" list (it has no data yet).
        rankings_mark_dirty(years=_run_years(), reason="company added")
        return
    if any(old[name] != getattr(instance, name) for name in COMPANY_FIELDS):
        rankings_mark_dirty(years=_data_years(company_id=instance.pk), reason="company changed")


def company_post_delete(sender, instance, **kwargs):
    # Its annual data went first (cascade, each marking its year); the company also leaves
    # the "not rated" lists of the other years.
    rankings_mark_dirty(years=_run_years(), reason="company deleted")


# --- annual data -------------------------------------------------------------------------


def annual_pre_save(sender, instance, **kwargs):
    old = _old_values(sender, instance, ("year",))
    instance._rankings_old_year = old["year"] if old else None


def annual_post_save(sender, instance, **kwargs):
    years = {instance.year, getattr(instance, "_rankings_old_year", None)}
    rankings_mark_dirty(years=[y for y in years if y is not None], reason="annual data changed")


def annual_post_delete(sender, instance, **kwargs):
    rankings_mark_dirty(years=[instance.year], reason="annual data deleted")


# --- certificates, maturity assessments, key projects ------------------------------------


def _counts_from(model, values) -> int | None:
    """The first year in which this record (as `values`) can affect a ranking."""
    if values is None:
        return None
    if model is KeyProject and values["status"] != ProjectStatus.ACCEPTED:
        return None
    day = values[DATED[model][1]]
    return day.year if isinstance(day, datetime.date) else None


def dated_pre_save(sender, instance, **kwargs):
    instance._rankings_old = _old_values(sender, instance, DATED[sender][0])


def dated_post_save(sender, instance, **kwargs):
    fields, _date_field = DATED[sender]
    old = getattr(instance, "_rankings_old", None)
    new = {name: getattr(instance, name) for name in fields}
    if old == new:
        return
    _mark_from(sender, [_counts_from(sender, old), _counts_from(sender, new)])


def dated_post_delete(sender, instance, **kwargs):
    fields, _date_field = DATED[sender]
    _mark_from(sender, [_counts_from(sender, {name: getattr(instance, name) for name in fields})])


def _mark_from(model, years):
    years = [y for y in years if y is not None]
    if years:
        rankings_mark_dirty(
            years=_data_years(from_year=min(years)),
            reason=f"{model._meta.model_name} changed",
        )


# --- the scoring scheme ------------------------------------------------------------------


def scheme_changed(sender, instance, **kwargs):
    rankings_mark_dirty(years=_data_years(), reason="scoring scheme changed")


def connect() -> None:
    uid = "rankings"
    pre_save.connect(company_pre_save, sender=Company, dispatch_uid=f"{uid}-company-pre")
    post_save.connect(company_post_save, sender=Company, dispatch_uid=f"{uid}-company-post")
    post_delete.connect(company_post_delete, sender=Company, dispatch_uid=f"{uid}-company-del")
    pre_save.connect(annual_pre_save, sender=AnnualData, dispatch_uid=f"{uid}-annual-pre")
    post_save.connect(annual_post_save, sender=AnnualData, dispatch_uid=f"{uid}-annual-post")
    post_delete.connect(annual_post_delete, sender=AnnualData, dispatch_uid=f"{uid}-annual-del")
    for model in DATED:
        name = model._meta.model_name
        pre_save.connect(dated_pre_save, sender=model, dispatch_uid=f"{uid}-{name}-pre")
        post_save.connect(dated_post_save, sender=model, dispatch_uid=f"{uid}-{name}-post")
        post_delete.connect(dated_post_delete, sender=model, dispatch_uid=f"{uid}-{name}-del")
    post_save.connect(scheme_changed, sender=ScoringScheme, dispatch_uid=f"{uid}-scheme-post")
    post_delete.connect(scheme_changed, sender=ScoringScheme, dispatch_uid=f"{uid}-scheme-del")
