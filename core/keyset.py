"""Keyset (cursor) pages: a page of rows read from where the previous one ended, so its
cost does not grow with its depth — page 300 is an index range like page 1, where an
OFFSET walks the 7,000 rows before it.

One home for the list pages (companies by name, a run's scores by rank) and the API's
cursor pagination (`core.api.pagination.StandardPagination`, `?cursor=`).

`keys` name the order: columns, each optionally "-" for descending, unique together (the
last is the primary key). The first may be NULL (a company without a rank): its NULLs come
last in either direction, as the rank lists show them, and are read by the other keys.
A cursor is an opaque URL-safe text holding the boundary row's key values, the direction
and the page number (shown as "page n"); a changed list neither repeats nor skips rows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet


class BadCursor(ValueError):
    """A cursor that was not made by `Cursor.encode` (edited or truncated by hand)."""


@dataclass(frozen=True)
class Cursor:
    values: tuple
    backwards: bool = False  # the rows before `values` (a "previous" link), else after
    page: int = 1  # the number of the page it leads to

    def encode(self) -> str:
        raw = json.dumps([list(self.values), int(self.backwards), self.page], ensure_ascii=True)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, *, width: int) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            values, backwards, page = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise BadCursor(text) from exc
        if (
            not isinstance(values, list)
            or len(values) != width
            or not all(v is None or isinstance(v, int | str) for v in values)
            or not isinstance(page, int)
            or page < 1
        ):
            raise BadCursor(text)
        return cls(tuple(values), bool(backwards), page)


@dataclass
class KeysetPage:
    """One page, with the cursors of the pages before and after it (None at an end)."""

    rows: list
    number: int
    next_cursor: str | None
    previous_cursor: str | None


def _parse(keys: Sequence[str]) -> list[tuple[str, bool]]:
    return [(key.lstrip("-"), key.startswith("-")) for key in keys]


def key_of(row, keys: Sequence[str]) -> tuple:
    """The key values of a row (a model instance, with annotations, or a values() dict)."""
    names = [name for name, _desc in _parse(keys)]
    if isinstance(row, dict):
        return tuple(row[name] for name in names)
    return tuple(getattr(row, name) for name in names)


def _beyond(keys: list[tuple[str, bool]], values: tuple, *, backwards: bool) -> Q:
    """Rows strictly after (before, when `backwards`) `values` in the order of `keys`, for
    non-NULL values: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, with a redundant bound on the
    first key (k1 >= v1), which gives the database the start of the index range."""
    (first, first_desc), first_value = keys[0], values[0]
    condition = Q()
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        lookup = "lt" if descending != backwards else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    bound = "lte" if first_desc != backwards else "gte"
    return Q(**{f"{first}__{bound}": first_value}) & condition


def _ordered(
    queryset: QuerySet, keys: list[tuple[str, bool]], *, backwards: bool, nulls: Sequence[str] = ()
) -> QuerySet:
    """`queryset` in the order of `keys`. `nulls`: leading keys that are NULL in every row
    here (the NULL part of an order): ordering by them too changes nothing, but lets the
    database walk an index that begins with them, where `id IS NULL`-style tests do not
    tell it the rows come in the order of the next column."""
    descending_first = keys[0][1] != backwards
    return queryset.order_by(
        *[F(name).desc() if descending_first else F(name).asc() for name in nulls],
        *[
            F(name).asc() if descending == backwards else F(name).desc()
            for name, descending in keys
        ],
    )


def _read(
    queryset,
    keys,
    cursor: Cursor | None,
    size: int,
    nulls: Q | None = None,
    null_keys: Sequence[str] = (),
) -> list:
    """Up to `size` rows beyond `cursor` (from the start without one), nearest first. The
    first key's NULLs are a part of their own, after the others going forwards, read in the
    order of the other keys the same way (their own NULLs last again): a rank order of
    (class, position) has both NULL for a company without a rank.

    `nulls`, when given, selects the rows whose keys but the last (the primary key) are all
    NULL — the only NULLs the order has — so that part is read by the primary key alone,
    with a condition the database can answer from an index (a company without a rated
    score: an anti-join) rather than by NULL tests on joined columns, which it cannot.
    `null_keys`: the keys before `keys` that are NULL in every row of `queryset`."""
    backwards = cursor.backwards if cursor else False
    first = keys[0][0]
    if nulls is not None:
        rest = keys[-1:]
        null_rows = queryset.filter(nulls)
    else:
        rest = keys[1:]
        null_rows = queryset.filter(**{f"{first}__isnull": True}) if rest else queryset.none()
    valued = queryset.filter(**{f"{first}__isnull": False})

    def null_part(inner: Cursor | None, count: int) -> list:
        if not rest or count <= 0:
            return []
        # Rows read by NULL tests are also ordered by the NULL keys (see _ordered); an
        # anti-join (`nulls`) is read by the primary key alone.
        leading = () if nulls is not None else (*null_keys, first)
        return _read(null_rows, rest, inner, count, null_keys=leading)

    if cursor is None:
        rows = list(_ordered(valued, keys, backwards=False, nulls=null_keys)[:size])
        return rows + null_part(None, size - len(rows))
    if cursor.values[0] is None:  # inside the NULL part
        inner_values = cursor.values[len(keys) - len(rest) :]
        inner = Cursor(tuple(inner_values), backwards=backwards, page=cursor.page)
        rows = null_part(inner, size)
        if backwards and len(rows) < size:
            rows += list(
                _ordered(valued, keys, backwards=True, nulls=null_keys)[: size - len(rows)]
            )
        return rows
    after = _beyond(keys, cursor.values, backwards=backwards)
    rows = list(_ordered(valued.filter(after), keys, backwards=backwards, nulls=null_keys)[:size])
    if not backwards:
        rows += null_part(None, size - len(rows))
    return rows


def keyset_page(
    queryset: QuerySet,
    keys: Sequence[str],
    *,
    cursor: Cursor | None,
    size: int,
    nulls: Q | None = None,
) -> KeysetPage:
    """The page of `queryset` in the order of `keys` that `cursor` leads to (the first page
    without one). `nulls`: see `_read`."""
    parsed = _parse(keys)
    rows = _read(queryset, parsed, cursor, size + 1, nulls)
    backwards = cursor.backwards if cursor else False
    more = len(rows) > size  # another page beyond, in the direction read
    rows = rows[:size]
    if backwards:
        rows.reverse()
    number = cursor.page if cursor else 1
    has_next = more if not backwards else True
    has_previous = (more or number > 1) if backwards else cursor is not None
    if backwards and not more:
        number = 1  # reached the start, whatever page number the cursor carried
        has_previous = False
    next_cursor = previous_cursor = None
    if rows and has_next:
        next_cursor = Cursor(key_of(rows[-1], keys), False, number + 1).encode()
    if rows and has_previous:
        previous_cursor = Cursor(key_of(rows[0], keys), True, max(number - 1, 1)).encode()
    return KeysetPage(rows, number, next_cursor, previous_cursor)


# --- list pages ------------------------------------------------------------------------------

# `?page=N` links stay as they are for the first pages, which people share and bookmark;
# "next" from there on leads to cursor pages (`?cursor=`), whose cost does not grow.
OFFSET_PAGES = 10


class _Count:
    """What templates and tests read of a Paginator: the whole list, its size, its pages."""

    def __init__(self, object_list, count: int, per_page: int):
        self.object_list = object_list
        self.count = count
        self.num_pages = max(1, -(-count // per_page))


class ListPage:
    """A list page for the templates (includes/pagination.html): Django's Page interface
    (object_list, number, has_next, paginator.count / num_pages, …) plus the cursors of the
    neighbouring pages, when they are read by keyset."""

    def __init__(
        self, *, queryset, rows, number, count, per_page, next_cursor=None, previous_cursor=None
    ):
        self.object_list = rows
        self.number = number
        self.paginator = _Count(queryset, count, per_page)
        self.next_cursor = next_cursor
        # Back among the offset pages, a plain ?page= link serves.
        self.previous_cursor = previous_cursor if number - 1 > OFFSET_PAGES else None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.number < self.paginator.num_pages

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def list_page(
    request,
    queryset: QuerySet,
    *,
    keys: Sequence[str] | None,
    per_page: int,
    count: int | None = None,
):
    """The page of `queryset` a list page's request asks for: `?cursor=` (keyset, when the
    list is in an order of `keys`), else `?page=N` (offset). Beyond OFFSET_PAGES, an offset
    page's "next" is a cursor. Without `keys` (an order without a unique key), offsets only.
    `count`: the number of rows when the caller knows it (e.g. cached with a run)."""
    from django.core.paginator import Paginator

    if count is None:
        count = queryset.count()
    raw = request.GET.get("cursor", "")
    if keys and raw:
        try:
            cursor = Cursor.decode(raw, width=len(keys))
        except BadCursor:
            cursor = None
        if cursor is not None:
            page = keyset_page(queryset, keys, cursor=cursor, size=per_page)
            return ListPage(
                queryset=queryset,
                rows=page.rows,
                number=page.number,
                count=count,
                per_page=per_page,
                next_cursor=page.next_cursor,
                previous_cursor=page.previous_cursor,
            )
    paginator = Paginator(queryset, per_page)
    paginator.count = count  # cached_property: counted once above
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    next_cursor = None
    if keys and page.number >= OFFSET_PAGES and page.has_next() and rows:
        next_cursor = Cursor(key_of(rows[-1], keys), False, page.number + 1).encode()
    return ListPage(
        queryset=queryset,
        rows=rows,
        number=page.number,
        count=count,
        per_page=per_page,
        next_cursor=next_cursor,
    )
