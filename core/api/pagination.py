"""Page-number pagination for browsing, cursor pagination for syncing a whole table."""

from rest_framework.pagination import CursorPagination, PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 50, capped at 500: a larger value gives 500)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class SyncCursorPagination(CursorPagination):
    """Stable pages in id order for copying a whole table: follow `next` until it is null.

    Unlike page numbers, a cursor neither skips nor repeats rows when rows are added or
    removed between requests, and its cost does not grow with the depth of the page.
    """

    ordering = "id"
    page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
