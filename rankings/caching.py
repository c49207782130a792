"""Cache keys for results that change only with a ranking run.

A run's score rows are written once: a recompute makes a new run (a new id) and a published
run is frozen. So anything computed from one run's rows alone — the count of a filtered list,
a page — stays true for as long as that run exists, and is cached (Django's cache framework)
under a key naming the run, what the caller may see and the query. The run's start time is
part of the key because SQLite may hand a deleted run's id to the next run.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

from core.api.pagination import NOT_ROW_PARAMS
from core.scoping import scope_of

# Long enough to serve every request while a run is current; the key changes with the run.
RUN_CACHE_SECONDS = 60 * 60


def run_cache_key(what: str, run, *, user, params, whole_query: bool = False) -> str:
    """The key of `what` computed from `run`'s rows (None: before any run) as `user` sees them with the query
    `params` (a QueryDict): the user's scope (role, region, company) decides the rows.
    `whole_query` keys by every parameter (a page: its number, size and order too) and the
    active language (the names in it)."""
    scope = scope_of(user)
    query = sorted(
        (name, tuple(params.getlist(name)))
        for name in params
        if whole_query or name not in NOT_ROW_PARAMS
    )
    if whole_query:
        query.append(("language", (get_language(),)))
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    started = run.started_at.isoformat() if run is not None and run.started_at else ""
    return (
        f"rankings:{what}:{run.pk if run is not None else ''}:{started}:"
        f"{scope.role}:{scope.region_id}:{scope.company_id}:{digest}"
    )


def run_count(what: str, run, queryset, *, user, params) -> int:
    """The number of rows of `queryset` (rows of `run` as `user` sees them with the query
    `params`), counted once per run, scope and query: the web pages and the API use it."""
    key = run_cache_key(what, run, user=user, params=params)
    return cache.get_or_set(key, queryset.order_by().count, RUN_CACHE_SECONDS)
