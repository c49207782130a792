"""The list page every record type shares: the model's FilterSet (the API's) with the page's
filter form, whitelisted sorting, pagination, and export of exactly the filtered rows (all
pages) to CSV or XLSX."""

from __future__ import annotations

from django.http import Http404

from companies.views.access import StaffRequiredMixin

# The one writer of spreadsheets (formula escaping, export log), shared with the API.
from core import exports
from core.keyset import list_page
from core.ordering import effective_sort, sort_rows
from core.views import ScopedListView


class FilteredListView(StaffRequiredMixin, ScopedListView):
    """Subclasses set `model`, `filterset_class` (the API's), `filter_form_class` (a
    core.filters.FilterForm), `sort_fields` ({param: order_by expression}), `default_sort`,
    and for export `export_resource`, `export_title` and `export_columns` (ExportColumns). Rows
    always start from `visible_to(user)` (ScopedListView)."""

    filterset_class = None
    filter_form_class = None
    sort_fields: dict = {}  # {param: field path or expression} (core.ordering)
    # Sorts by a column that is never empty: their deep pages are read by keyset
    # (core.keyset, `?cursor=`), in (column, pk) order as `sorted` orders them.
    keyset_sorts: tuple[str, ...] = ()
    default_sort = ""
    paginate_by = 25
    export_resource = ""
    export_title = ""  # the sheet's name, in the reader's language (the page's title)
    export_columns: list[exports.ExportColumn] = []

    def list_queryset(self, queryset):
        """Hook for select_related / annotations of the page (not of the export)."""
        return queryset

    def filtered_queryset(self):
        query = self.request.GET or None
        filterset = self.filterset_class(
            query, queryset=super().get_queryset(), request=self.request
        )
        self.filter_form = self.filter_form_class(query, user=self.request.user)
        if not self.filter_form.accepts(filterset):
            # A bad filter value shows its message beside the field and lists nothing,
            # rather than silently listing everything.
            return filterset.queryset.none()
        return filterset.qs

    def sort_key(self) -> str:
        return effective_sort(self.request.GET.get("sort", ""), self.sort_fields, self.default_sort)

    def sorted(self, queryset):
        # Blanks last in both directions; the primary key breaks ties (core.ordering).
        return sort_rows(queryset, self.sort_key(), self.sort_fields)

    def get_queryset(self):
        return self.list_queryset(self.sorted(self.filtered_queryset()))

    def paginate_queryset(self, queryset, page_size):
        key = self.sort_key()
        keys = None
        if key and key.lstrip("-") in self.keyset_sorts:
            sign = "-" if key.startswith("-") else ""
            keys = [f"{sign}{self.sort_fields[key.lstrip('-')]}", f"{sign}pk"]
        page = list_page(self.request, queryset, keys=keys, per_page=page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt and self.export_columns:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def get_export_columns(self) -> list[exports.ExportColumn]:
        return self.export_columns

    def export_rows(self, queryset, columns):
        return queryset.values(*exports.value_keys(columns)).iterator(chunk_size=2000)

    def export(self, fmt):
        if fmt not in exports.FORMATS:
            raise Http404
        queryset = self.sorted(self.filtered_queryset())
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "page")}
        columns = self.get_export_columns()
        return exports.export_rows(
            user=self.request.user,
            resource=self.export_resource,
            fmt=fmt,
            columns=columns,
            rows=self.export_rows(queryset, columns),
            filters=filters,
            title=self.export_title or self.export_resource,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["sort"] = self.sort_key()
        return context
