"""How a list page sorts its rows: the one home of the sort rules every table shares.

A page names the orders it offers as `{parameter: expression}` (a field path or an
expression) with a default; `?sort=name` sorts by one ascending, `?sort=-name` descending.
Rows without a value (a company without a land area, one not ranked) come last in both
directions, on SQLite as on PostgreSQL, and the primary key breaks ties so that pages never
repeat or skip a row. A keyset (cursor) pagination can be built on the same
`order_expressions`: the order is total and written in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Expression, F

# A sort is one field path or expression, or a tuple of them (a class, then a rank).
SortFields = Mapping[str, str | Expression | tuple]


def effective_sort(requested: str, fields: SortFields, default: str) -> str:
    """The sort a page applies: the requested one when the page offers it, else its default."""
    return requested if requested.lstrip("-") in fields else default


def order_expressions(
    key: str, fields: SortFields, *, tiebreak: str = "pk", tiebreak_follows: bool = True
) -> list:
    """The ORDER BY of `key` (`name` or `-name`): blanks last either way, then `tiebreak`
    in the same direction (or always ascending, with `tiebreak_follows=False`: a table whose
    ties read in a fixed order, such as regions in their official order)."""
    if not key or key.lstrip("-") not in fields:
        return []
    descending = key.startswith("-")
    expressions = fields[key.lstrip("-")]
    if not isinstance(expressions, tuple):
        expressions = (expressions,)
    ordered = [
        (F(e) if isinstance(e, str) else e).desc(nulls_last=True)
        if descending
        else (F(e) if isinstance(e, str) else e).asc(nulls_last=True)
        for e in expressions
    ]
    return [*ordered, f"-{tiebreak}" if descending and tiebreak_follows else tiebreak]


def sort_rows(queryset, key: str, fields: SortFields, **tiebreak):
    """`queryset` in the order of `key`; unchanged when `key` names no offered order.
    `tiebreak` / `tiebreak_follows` as for `order_expressions`."""
    ordering = order_expressions(key, fields, **tiebreak)
    return queryset.order_by(*ordering) if ordering else queryset


def next_sort(field: str, current: str) -> str:
    """The sort a column header's link asks for: the other direction when the list is
    already sorted by that column (by the user or by default), else ascending."""
    return f"-{field}" if current == field else field
