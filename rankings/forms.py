"""Form fields the rankings pages and the admin share."""

from django import forms

from core.converters import parse_id
from rankings.models import ScoringScheme
from rankings.services import NOTICE_DAYS_MAX, NOTICE_DAYS_MIN


class NoticeDaysField(forms.IntegerField):
    """The public notice (公示) period of a publication, in days; empty means the scheme's."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", ScoringScheme._meta.get_field("notice_days").verbose_name)
        super().__init__(
            min_value=NOTICE_DAYS_MIN, max_value=NOTICE_DAYS_MAX, required=False, **kwargs
        )


def acknowledged_unconfirmed(data, year: int) -> int | None:
    """The number of unconfirmed submissions the publisher acknowledged for `year` on the
    confirmation page (its checkbox in rankings/_publish_summary.html), or None."""
    value = str(data.get(f"unconfirmed_acknowledged_{year}", ""))
    return parse_id(value)
