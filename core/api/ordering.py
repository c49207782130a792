"""`?ordering=` with public names that stand for other columns."""

from rest_framework.filters import OrderingFilter


class AliasedOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter, where a view's `ordering_aliases` ({public name: columns}) lets
    a field clients know sort by the columns that hold its order: `ordering=name` sorts
    companies by their pinyin key (`Company.name_sort`, core.sorting), then by name."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        aliases = getattr(view, "ordering_aliases", {})
        if not ordering or not aliases:
            return ordering
        expanded = []
        for name in ordering:
            sign = "-" if name.startswith("-") else ""
            columns = aliases.get(name.lstrip("-"), (name.lstrip("-"),))
            expanded.extend(f"{sign}{column}" for column in columns)
        return expanded
