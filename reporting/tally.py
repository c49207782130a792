"""A campaign's tally: which of its submissions stand in which state and region.

Counting them is a GROUP BY over every submission of the campaign — 100,000 rows at province
scale, 30 ms before any page is drawn. So each campaign carries `tally_version`, raised in
the same transaction as every change of what the count reads (a submission added, deleted,
moved to another state or region), and the counts are kept in Django's cache under a key
naming that version: a page reads them once per change, and a change is never served stale
(its key is new). What calls `tally_changed`: reporting.services (opening, adding companies,
every step), reporting.signals (a company moving region, a submission deleted).
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import F

from core.scoping import scope_of

# Long enough to serve a busy day; the key changes with every change of the counts.
TALLY_CACHE_SECONDS = 60 * 60


def tally_changed(campaign_ids) -> None:
    """Raise the tally version of these campaigns (ids), in the caller's transaction."""
    from reporting.models import Campaign

    Campaign.objects.filter(pk__in=list(campaign_ids)).update(tally_version=F("tally_version") + 1)


def tally_key(what: str, campaigns=None, *, user, today: datetime.date, extra=()) -> str:
    """The cache key of `what` counted over `campaigns` (a list of them; None: all) as `user`
    sees them on `today` (overdue depends on it): the campaigns' ids, opening times (SQLite
    may give a deleted campaign's id to the next), versions and deadlines — read here, so a
    caller holding an older copy of a campaign still gets the current key — the caller's
    scope and `extra` (a list's filters)."""
    from reporting.models import Campaign

    rows = Campaign.objects.order_by("pk")
    if campaigns is not None:
        rows = rows.filter(pk__in=[c.pk for c in campaigns])
    stamps = ",".join(
        f"{pk}.{opened.timestamp() if opened else 0}.{version}.{deadline}"
        for pk, opened, version, deadline in rows.values_list(
            "pk", "opened_at", "tally_version", "deadline"
        )
    )
    scope = scope_of(user)
    parts = (stamps, today, scope.role, scope.region_id, scope.company_id, sorted(extra))
    return f"reporting:{what}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def tallied(key: str, compute):
    """`compute()` once per key (see tally_key)."""
    return cache.get_or_set(key, compute, TALLY_CACHE_SECONDS)
