"""What a dry run shows before anything is written: per row, whether the import creates,
updates or leaves the record unchanged, and each field it changes old → new (emptied fields
called out), with exact totals at the top.

The preview is stored on the job as JSON (`ImportJob.preview`) so the job page renders it
without re-reading the file; only the first PREVIEW_ROWS rows are kept in detail, the totals
always count every row.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker.imports.columns import COLUMNS
from tracker.imports.validate import Result

PREVIEW_ROWS = 500
ACTIONS = ("create", "update", "unchanged")


def build_preview(*, kind: str, result: Result) -> dict:
    """The JSON preview of a checked file: {"totals", "rows", "rows_total", "warnings"};
    "warnings" are the year-on-year jumps the user must confirm before the import (the
    first PREVIEW_ROWS of them; totals["warnings"] counts the rows that have any)."""
    totals = dict.fromkeys(ACTIONS, 0)
    for prepared in result.prepared:
        totals[prepared.action] += 1
    totals["problems"] = result.bad_rows
    totals["warnings"] = len({w.row for w in result.warnings})
    shown = sorted(result.prepared, key=lambda p: p.row)[:PREVIEW_ROWS]
    labels = _Labels(kind, shown)
    rows = [
        {
            "row": prepared.row,
            "action": prepared.action,
            "record": str(prepared.instance),
            "changes": [
                {
                    "column": labels.header(name),
                    "old": labels.value(name, old),
                    "new": labels.value(name, new),
                    "cleared": _is_empty(new) and not _is_empty(old),
                }
                for name, (old, new) in prepared.changes.items()
                if not (prepared.is_new and _is_empty(new))
            ],
        }
        for prepared in shown
    ]
    return {
        "totals": totals,
        "rows": rows,
        "rows_total": len(result.prepared),
        "warnings": [w.as_dict() for w in result.warnings[:PREVIEW_ROWS]],
    }


def _is_empty(value) -> bool:
    return value is None or value == ""


class _Labels:
    """Column headers and readable values (names for ids, labels for choices) in the active
    language, with one query per related model for the rows shown."""

    def __init__(self, kind: str, shown):
        language = get_language() or "zh-hans"
        self.columns = {c.field: c for c in COLUMNS[kind]}
        self.headers = {c.field: c.header(language) for c in COLUMNS[kind]}
        self.english = language.startswith("en")
        self.related: dict[str, dict] = {}
        if not shown:
            return
        meta = shown[0].instance._meta
        for name in {n for p in shown for n in p.changes}:
            model_field = meta.get_field(name)
            if model_field.is_relation:
                ids = {v for p in shown for v in p.changes.get(name, ()) if v is not None}
                objects = model_field.related_model._default_manager.filter(pk__in=ids)
                self.related[name] = {obj.pk: str(obj) for obj in objects}

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def value(self, name: str, value) -> str | None:
        if _is_empty(value):
            return None
        if name in self.related:
            return self.related[name].get(value, str(value))
        column = self.columns.get(name)
        if column is not None and column.choices is not None:
            zh, en = column.choice_labels.get(value, (value, value))
            return en if self.english else zh
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)
