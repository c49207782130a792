"""The stamp of what the company lists show, for pages kept in the cache.

A page of the API's company list depends on the ranking run beside it, the caller's scope,
the query and the companies' own data (with their regions' and industries' names). The run
and the scope are in its cache key already; for the data, `CompanyListStamp` holds a random
stamp replaced in the same transaction as every write of a company, region, industry or key
industry (saves and deletes through the model signals, bulk writes through
core.signals.records_bulk_written), and the key names the stamp read in the request. So a
change shows at once, in every process: the next request reads the new stamp and misses.
A random stamp, not a counter, so that a database restored or rolled back (tests) never
hands an old key to other data. Connected in CompaniesConfig.ready().
"""

from __future__ import annotations

import uuid

from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save

from companies.models import Company, CompanyListStamp, Industry, KeyIndustry, Region
from core.signals import records_bulk_written

STAMP_ID = 1
# What a company list shows: the companies and the names and codes of their references.
LISTED_MODELS = (Company, Region, Industry, KeyIndustry)


def listing_changed() -> None:
    """Replace the stamp, in the caller's transaction (one statement: an upsert)."""
    CompanyListStamp.objects.bulk_create(
        [CompanyListStamp(pk=STAMP_ID, stamp=uuid.uuid4().hex)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["stamp"],
    )


def listing_stamp_expression() -> Subquery:
    """The current stamp as a subquery, to be read with another query (NULL before any
    change)."""
    return Subquery(CompanyListStamp.objects.filter(pk=STAMP_ID).values("stamp")[:1])


def listing_stamp() -> str:
    """The current stamp ("" before any change)."""
    return (
        CompanyListStamp.objects.filter(pk=STAMP_ID).values_list("stamp", flat=True).first() or ""
    )


def _row_written(sender, **kwargs):
    listing_changed()


def _rows_written(sender, **kwargs):
    if sender in LISTED_MODELS:
        listing_changed()


def connect() -> None:
    for model in LISTED_MODELS:
        name = model._meta.model_name
        post_save.connect(_row_written, sender=model, dispatch_uid=f"listing-{name}-save")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"listing-{name}-delete")
    records_bulk_written.connect(_rows_written, dispatch_uid="listing-bulk")
