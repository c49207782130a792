"""Emptying the domain tables fast, for `load_demo --reset`.

Deleting through the ORM would load every row to send signals (and simple_history would
write a "deleted" history row for each), which takes minutes at 100,000 companies. Instead
every table that hangs off a company or a demonstration batch, found by following foreign
keys, is emptied with one DELETE, dependents first, together with the history tables of
those models. Ranking runs go too (with their scores and league rows, found the same way):
they were computed from the companies being deleted; so do reporting campaigns (with
their submissions). Reference data (regions, industries),
scoring schemes and users stay.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.db.models import Q

from companies.models import Company, DemonstrationBatch
from rankings.models import RankingRun
from reporting.models import Campaign


def _dependents() -> list[tuple[type[models.Model], Q | None]]:
    """Models to empty, each with the rows to delete (None: all), dependents first."""
    roots = [Company, DemonstrationBatch, RankingRun, Campaign]
    found: dict[type[models.Model], Q | None] = dict.fromkeys(roots)
    levels = [roots]
    while True:
        level = []
        for model in apps.get_models():
            if model in found:
                continue
            links = [
                field
                for field in model._meta.get_fields()
                if field.many_to_one and field.concrete and field.related_model in found
            ]
            if not links:
                continue
            # Only the rows bound to a deleted row go: a county membership, bound to a
            # region and not to a company, stays.
            condition = Q()
            for link in links:
                condition |= Q(**{f"{link.attname}__isnull": False})
            found[model] = condition
            level.append(model)
        if not level:
            break
        levels.append(level)
    ordered = [(model, found[model]) for level in reversed(levels) for model in level]
    histories = []
    for model in found:
        history = getattr(model, "history", None)
        historical_model = getattr(history, "model", None)
        if historical_model is not None and historical_model not in found:
            histories.append((historical_model, None))
    return histories + ordered


def demo_reset(*, out: Callable[[str], None]) -> None:
    """Delete all companies, batches and what hangs off them. Call inside a transaction."""
    for model, condition in _dependents():
        queryset = model._base_manager.all()
        if condition is not None:
            queryset = queryset.filter(condition)
        deleted = queryset._raw_delete(queryset.db)
        out(f"  reset: {model._meta.label} – {deleted} rows deleted")
