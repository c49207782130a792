"""Plausible dates and years: the bounds every write path checks through the models'
`clean()` (forms, the admin, the API and imports all run it), so a year or date no real
record can carry is refused with a message naming the field, and no later arithmetic on a
date (expiry three years on, the age of a company) can overflow into an HTTP 500.

The bounds move with today, so they live in `clean()` rather than in field validators or
check constraints, which would freeze one day's value into the migrations."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The years any record may carry (a check constraint on every year column, and the forms,
# the importer and the commands check the same range).
MIN_YEAR = 2000
MAX_YEAR = 2100

# The earliest founding date a company may carry: older records are typing mistakes
# (0001-01-01 is what an empty date cell becomes in some spreadsheets).
EARLIEST_FOUNDING = datetime.date(1900, 1, 1)
PROGRAMME_START = datetime.date(MIN_YEAR, 1, 1)
PROGRAMME_END = datetime.date(MAX_YEAR, 12, 31)


def latest_reported_year() -> int:
    """The last year a record may report on: this one (figures of the future are mistakes)."""
    return min(MAX_YEAR, timezone.localdate().year)


def today() -> datetime.date:
    return timezone.localdate()


def year_error(year: int | None):
    """The message for a reported year outside MIN_YEAR..this year, or None."""
    latest = latest_reported_year()
    if year is None or MIN_YEAR <= year <= latest:
        return None
    return format_lazy(_("The year must lie between {min} and {max}."), min=MIN_YEAR, max=latest)


def date_error(day: datetime.date | None, earliest: datetime.date, latest: datetime.date):
    """The message for a date outside earliest..latest, or None."""
    if day is None or earliest <= day <= latest:
        return None
    return format_lazy(
        _("The date must lie between {earliest} and {latest}."),
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
    )


def raise_for(errors: dict) -> None:
    """Raise the field-keyed errors that are not None, if any."""
    found = {field: message for field, message in errors.items() if message is not None}
    if found:
        raise ValidationError(found)
