"""Change history (audit) from django-simple-history: who changed which fields from what to
what, and when."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.history import field_changes, reason_display

HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def change_entries(history_queryset, *, label: str, describe, limit: int = 50) -> list[dict]:
    """The latest `limit` history records of a set of objects, each with the fields it
    changed, old → new (diffed in memory against the object's previous record, so the
    query count does not grow with the number of records). `describe(record)` names the
    object from the record's own columns, again without a query."""
    records = list(
        history_queryset.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    records.reverse()
    previous_by_object, pairs = {}, []
    for record in records:
        previous = previous_by_object.get(record.id)
        pairs.append((record, previous if record.history_type == "~" else None))
        previous_by_object[record.id] = record
    entries = [
        {
            "when": record.history_date,
            "who": record.history_user,
            "what": label,
            "object": describe(record),
            "action": HISTORY_TYPES.get(record.history_type, record.history_type),
            "changes": changes,
            "first_in_window": previous is None and record.history_type == "~",
            # A voided record is shown struck through, with the reason it was given.
            "voided": getattr(record, "voided_at", None) is not None,
            "reason": reason_display(record.history_change_reason, record.instance_type),
        }
        for (record, previous), changes in zip(pairs, field_changes(pairs), strict=True)
    ]
    # The oldest record was only fetched to diff the next one against.
    if len(records) > limit:
        entries = entries[1:]
    entries.reverse()
    return entries
