"""Change history with values: for each change of a record, every changed field with its
label (verbose name) and its old and new value as a reader knows them (choice labels, the
names of related rows, yes / no), for the pages and the admin alike.

The history rows themselves are django-simple-history's; `history_snapshot_missing` records
rows that were loaded without history (the demo dataset) before their first change, so even
that change shows old → new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import models
from django.template.defaultfilters import yesno
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.rows import insert_values

# Bookkeeping columns that change on every save and say nothing to the reader.
IGNORED_FIELDS = ("version", "updated_by", "created_by", "created_at", "updated_at")
EMPTY = "–"


def field_changes(pairs: Sequence[tuple]) -> list[list[dict]]:
    """For each (record, previous record) pair, the fields `record` changed against
    `previous`, each as {"field": label, "old": text, "new": text}; [] when previous is None.

    Related rows are named with one query per related model for all pairs together, so the
    cost does not grow with the number of records."""
    deltas = [
        record.diff_against(
            previous, excluded_fields=_ignored(record), foreign_keys_are_objs=False
        ).changes
        if previous is not None
        else []
        for record, previous in pairs
    ]
    names = _related_names(pairs, deltas)
    result = []
    for (record, _previous), changes in zip(pairs, deltas, strict=True):
        model = record.instance_type
        result.append(
            [
                {
                    "field": capfirst(model._meta.get_field(change.field).verbose_name),
                    "old": _display(model, change.field, change.old, names),
                    "new": _display(model, change.field, change.new, names),
                }
                for change in changes
            ]
        )
    return result


def history_snapshot_missing(model: type[models.Model], instances: Iterable[models.Model]):
    """Record the stored state of those of `instances` that have no history row yet, dated
    when it was last written, so that the change about to be saved has a record to be
    compared with. One query when every row has history already."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    history = getattr(model, manager_name)
    ids = {i.pk for i in instances if i.pk is not None and not i._state.adding}
    if not ids:
        return
    recorded = set(history.filter(id__in=ids).values_list("id", flat=True).distinct())
    stored = list(model._default_manager.filter(pk__in=ids - recorded))
    for row in stored:
        when = getattr(row, "updated_at", None) or getattr(row, "created_at", None)
        if when is not None:
            row._history_date = when
    if stored:
        history.bulk_history_create(stored)


# The columns of a historical row that are not a copy of the record's own fields.
_HISTORY_COLUMNS = ("history_id", "history_date", "history_change_reason", "history_type")


def history_rows_insert(
    model: type[models.Model],
    instances: Sequence[models.Model],
    *,
    update: bool,
    default_user=None,
    default_change_reason: str = "",
) -> None:
    """One history row per instance, as simple_history's `bulk_history_create` writes them
    (a copy of the tracked fields; the date, the author and the reason each instance carries
    in `_history_date`, `_history_user` and `_change_reason`, else the defaults; "+" for a
    created row, "~" for a changed one), inserted straight through the driver
    (`core.rows`): building a historical model instance per row and compiling `bulk_create`
    cost more than the write itself. A historical model with columns of its own beyond
    those goes through simple_history's path."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not instances:
        return
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    history = getattr(model, manager_name)
    historical = history.model
    tracked = {field.attname for field in historical.tracked_fields}
    fields = [field for field in historical._meta.concrete_fields if not field.primary_key]
    user_field = historical._meta.get_field("history_user")
    known = tracked | set(_HISTORY_COLUMNS) | {user_field.attname}
    if any(field.attname not in known for field in fields) or hasattr(
        historical, "history_relation"
    ):
        history.bulk_history_create(
            instances,
            update=update,
            default_user=default_user,
            default_change_reason=default_change_reason,
        )
        return
    now = timezone.now()
    kind = "~" if update else "+"
    copied = [field for field in fields if field.attname in tracked]
    names = [field.attname for field in copied]

    def author(instance):
        user = getattr(instance, "_history_user", None)
        if user is None:
            user = default_user or historical.get_default_history_user(instance)
        return getattr(user, "pk", None)

    rows = (
        (
            *[getattr(instance, name) for name in names],
            getattr(instance, "_history_date", now),
            getattr(instance, "_change_reason", None) or default_change_reason,
            kind,
            author(instance),
        )
        for instance in instances
    )
    columns = [historical._meta.get_field(name) for name in _HISTORY_COLUMNS[1:]]
    insert_values(historical, [*copied, *columns, user_field], rows)


class HistoryChangesAdminMixin:
    """The admin's history page lists, for each change, the changed fields old → new by
    label and displayed value (django-simple-history shows raw values and bookkeeping)."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        if not records:
            return
        # The page's oldest record is compared with the one before it, on the next page.
        previous = [*records[1:], records[-1].prev_record]
        for record, changes in zip(
            records, field_changes(list(zip(records, previous, strict=True))), strict=True
        ):
            record.history_delta_changes = changes
            record.history_change_reason = reason_display(
                record.history_change_reason, record.instance_type
            )


def _ignored(record) -> list[str]:
    present = {field.name for field in record.instance_type._meta.fields}
    return [name for name in IGNORED_FIELDS if name in present]


def _related_names(pairs, deltas) -> dict:
    """{(related model, pk): name} for every related row a change refers to."""
    wanted: dict[type[models.Model], set] = {}
    for (record, _previous), changes in zip(pairs, deltas, strict=True):
        for change in changes:
            field = record.instance_type._meta.get_field(change.field)
            if field.is_relation:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    names = {}
    for related, ids in wanted.items():
        for row in related._default_manager.filter(pk__in=ids):
            names[(related, row.pk)] = str(row)
    return names


def _display(model, name: str, value, names: dict) -> str:
    field = model._meta.get_field(name)
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yesno(value)
    return str(formats.localize(value))


# Change reasons the system writes are stored in one fixed wording (the history is read in
# both languages) and put into the reader's language here; a reason a user typed is shown as
# it was typed.
RESTORED_REASON = "restored"
UNDO_REASON = "undo of import #{number}"
SUBMISSION_REASON = "submission #{number} confirmed"
_SUBMISSION = re.compile(r"^submission #(\d+) confirmed$")
_UNDO = re.compile(r"^undo of import #(\d+)$")
_CONFIRMED = re.compile(r"^confirmed: (.+)$")
_JUMP = re.compile(r"^(\w+) ×(\S+) vs (\d{4})$")


def reason_display(reason: str | None, model: type[models.Model] | None = None) -> str:
    """A history row's change reason in the active language, fields by their labels."""
    if not reason:
        return ""
    if reason == RESTORED_REASON:
        return _("restored")
    if match := _UNDO.match(reason):
        return _("undo of import #%(n)d") % {"n": int(match.group(1))}
    if match := _SUBMISSION.match(reason):
        return _("reported by the company, confirmed by the city (submission #%(n)d)") % {
            "n": int(match.group(1))
        }
    if match := _CONFIRMED.match(reason):
        parts = [_jump_display(part, model) for part in match.group(1).split("; ")]
        return _("confirmed: %(changes)s") % {"changes": "; ".join(parts)}
    return reason


def _jump_display(part: str, model) -> str:
    match = _JUMP.match(part)
    if match is None:
        return part
    name, ratio, year = match.groups()
    try:
        label = str(model._meta.get_field(name).verbose_name) if model else name
    except models.FieldDoesNotExist:
        label = name
    return _("%(field)s ×%(ratio)s against %(year)s") % {
        "field": label,
        "ratio": ratio,
        "year": year,
    }
