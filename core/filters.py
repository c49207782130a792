"""The pieces every app's filters are built from, for the API and the pages alike.

Each model has one django-filter FilterSet (in its app's `filtersets.py`): the API's
DjangoFilterBackend and the list pages both choose rows through it, so a query means the same
on both surfaces. A page adds a `FilterForm` for what only a page needs (dropdowns of the
choices the user may pick, yes/no selects, its own labels); the form presents and checks the
query, it never chooses rows (NetBox pairs `filtersets.py` and `forms/filtersets.py` the same way).
"""

import django_filters as filters
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from core.forms import FriendlyChoicesMixin

# Filter values are bounded so that a wild one is a 400 naming the filter, never a database
# overflow: ids are 64-bit, dates exist for years 1–9999, amounts have at most 16 digits.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A row id, typed into a plain input (never a dropdown of the whole table)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IntegerFilter(filters.NumberFilter):
    """A whole number within 0…2³¹ (years, ranks, levels, counts)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class YearFilter(IntegerFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class AmountFilter(filters.NumberFilter):
    """An amount or measure (万元, mu, points) with at most 16 digits, 2 after the point."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


def search_filter(label, search) -> filters.CharFilter:
    """A search box (`q`): the rows matching `search(value)`, a Q; blank does not filter."""

    def filter_q(queryset, name, value):
        value = value.strip()
        return queryset.filter(search(value)) if value else queryset

    return filters.CharFilter(label=label, method=filter_q)


# --- the pages' filter forms -------------------------------------------------------------

# An empty filter choice lists every row.
FILTER_PLACEHOLDER = _("All")


def yes_no_field(label) -> forms.NullBooleanField:
    """A yes / no / either select; "either" (empty) does not filter. It sends true / false,
    which the FilterSet's BooleanFilter reads as the API does."""
    return forms.NullBooleanField(
        label=label,
        required=False,
        widget=forms.Select(choices=[*BLANK_CHOICE_DASH, ("true", _("Yes")), ("false", _("No"))]),
    )


def choice_field(label, choices) -> forms.ChoiceField:
    """One of `choices`, or any (empty)."""
    return forms.ChoiceField(label=label, choices=[*BLANK_CHOICE_DASH, *choices], required=False)


class FilterForm(FriendlyChoicesMixin, forms.Form):
    """The filter form a list page renders above its rows, bound to the same query as the
    model's FilterSet. Subclasses declare the fields the page offers, named as the FilterSet's
    filters, and may cut their choices down to what `user` may see."""

    choice_placeholder = FILTER_PLACEHOLDER

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user

    def accepts(self, filterset) -> bool:
        """Whether the query is valid for this form (the choices the page offers) and for the
        filterset (the values the API accepts). The filterset's complaints are shown too:
        beside the field when the form has it, above the fields, under the filter's label,
        when only the URL does. An empty query (an unbound form) is valid."""
        self.unshown = self.unshown_filters(filterset)
        if not self.is_bound:
            return True
        valid = self.is_valid()
        if filterset.is_valid():
            return valid
        for name, errors in filterset.errors.items():
            if name in self.errors:
                continue  # the form said it already, beside the field
            if name in self.fields:
                self.add_error(name, errors)
            else:
                label = label_of(filterset, name)
                self.add_error(None, [f"{label}: {error}" for error in errors])
        return False

    def unshown_filters(self, filterset) -> list[dict]:
        """The filters the query sets that the form has no field for (a link from another
        page, an API-style address). The page lists them above its fields, each with a link
        that removes it, so no row is left out by a filter the user cannot see."""
        query = self.data if hasattr(self.data, "getlist") else filterset.data
        if not hasattr(query, "getlist"):
            return []
        shown = []
        for name in filterset.filters:
            values = [value for value in query.getlist(name) if value not in ("", None)]
            if name in self.fields or not values:
                continue
            remaining = query.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            shown.append(
                {
                    "label": label_of(filterset, name),
                    "value": ", ".join(values),
                    "remove_query": remaining.urlencode(),
                }
            )
        return shown


def label_of(filterset, name: str) -> str:
    """A filter's label as users read it (its parameter name only when it has none)."""
    the_filter = filterset.filters.get(name)
    label = getattr(the_filter, "label", None)
    return str(label) if label else name
