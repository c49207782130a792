"""Page-number pagination for browsing, with a keyset cursor for deep pages, and cursor
pagination for syncing a whole table."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.keyset import BadCursor, Cursor, keyset_page

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Query parameters that do not change which rows a list holds (a cached count's key omits
# them: rankings.caching, reporting.tally).
NOT_ROW_PARAMS = frozenset({"format", "page", "page_size", "cursor", "ordering"})


def row_params(view) -> list[tuple[str, tuple]]:
    """The parameters of `view`'s request that decide which rows its list holds: its filter
    fields and, when it has search fields, the search. Unknown parameters change no row, so
    they are no part of a cached count's key (nor a way around the cache)."""
    names = set(getattr(view, "filterset_fields", None) or ())
    if getattr(view, "search_fields", None):
        names.add(api_settings.SEARCH_PARAM)
    params = view.request.query_params
    return sorted((name, tuple(params.getlist(name))) for name in params if name in names)


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 50, capped at 500: a larger value gives 500).

    `?cursor=` (empty for the first page) reads pages by keyset instead (core.keyset): page
    300 costs what page 1 costs. Available when the list is ordered by a column the view
    names in `keyset_fields` (companies by name, scores and companies by rank); the
    response then has `next` / `previous` links and `results`, without a count."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        keys = self.keyset_keys(queryset, request, view)
        raw = request.query_params[self.cursor_query_param]
        try:
            cursor = Cursor.decode(raw, width=len(keys)) if raw else None
        except BadCursor:
            raise NotFound(_("Invalid cursor.")) from None
        # The view may say how to select the rows whose keys are NULL (core.keyset._read).
        nulls_of = getattr(view, "keyset_nulls", None)
        self.keyset = keyset_page(
            queryset,
            keys,
            cursor=cursor,
            size=self.get_page_size(request),
            nulls=nulls_of(keys) if nulls_of else None,
        )
        return self.keyset.rows

    def keyset_keys(self, queryset, request, view) -> list[str]:
        """The columns of the list's order, the primary key last: the view's ordering filter
        decides it as for page numbers (`?ordering=`, else the view's or model's default)."""
        ordering = None
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                break
        ordering = list(
            ordering or getattr(view, "ordering", None) or queryset.model._meta.ordering
        )
        names = [name.lstrip("-") for name in ordering]
        allowed = set(getattr(view, "keyset_fields", ()))
        if not ordering or any(name not in allowed and name not in ("id", "pk") for name in names):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "Cursor pages follow the name or rank order; order by one of: %(fields)s."
                        )
                        % {"fields": ", ".join(sorted(getattr(view, "keyset_orderings", ())))}
                    ]
                }
            )
        if not {"id", "pk"} & set(names):
            ordering.append("id")  # the tie-breaker the ordering filters add (ascending)
        return ordering

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "next": self._cursor_link(self.keyset.next_cursor),
                "previous": self._cursor_link(self.keyset.previous_cursor),
                "results": data,
            }
        )

    def _cursor_link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)


class SyncCursorPagination(CursorPagination):
    """Stable pages in id order for copying a whole table: follow `next` until it is null.

    Unlike page numbers, a cursor neither skips nor repeats rows when rows are added or
    removed between requests, and its cost does not grow with the depth of the page.
    """

    ordering = "id"
    page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
