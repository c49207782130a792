"""Filter forms of the staff list pages (django-filter). The choices they offer are cut down
to what the user may see, so a county official is not offered other regions' data."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import AnnualData, Company, DemonstrationBatch, Industry, KeyIndustry, Region
from core.scoping import selectable_regions


def yes_no_filter(label, **kwargs):
    """A yes / no / either select; "either" (empty) does not filter."""
    return django_filters.BooleanFilter(
        label=label,
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
        **kwargs,
    )


def visible_regions(request):
    return selectable_regions(getattr(request, "user", None), Region.objects.all())


def search_companies(queryset, value, prefix=""):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}name__icontains": value})
        | Q(**{f"{prefix}credit_code__istartswith": value.upper()})
    )


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name or credit code"), method="filter_q")
    region = django_filters.ModelChoiceFilter(label=_("region"), queryset=visible_regions)
    industry = django_filters.ModelChoiceFilter(
        label=_("industry"), queryset=Industry.objects.all()
    )
    key_industry = django_filters.ModelChoiceFilter(
        label=_("key subdivision industry"), queryset=KeyIndustry.objects.all()
    )
    above_size = yes_no_filter(_("above designated size"))
    is_pilot = yes_no_filter(_("pilot company"))
    rated = yes_no_filter(_("rated"))
    batch = django_filters.ModelChoiceFilter(
        label=_("demonstration batch"),
        queryset=DemonstrationBatch.objects.all(),
        field_name="designations__batch",
        distinct=True,
    )

    class Meta:
        model = Company
        fields = ["q", "region", "industry", "key_industry", "above_size", "is_pilot", "rated"]

    def filter_q(self, queryset, name, value):
        return search_companies(queryset, value)


class AnnualDataFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    region = django_filters.ModelChoiceFilter(
        label=_("region"), queryset=visible_regions, field_name="company__region"
    )
    q = django_filters.CharFilter(label=_("company name or credit code"), method="filter_q")
    major_incident = yes_no_filter(_("major safety or environmental incident"))

    class Meta:
        model = AnnualData
        fields = ["year", "region", "q", "major_incident"]

    def filter_q(self, queryset, name, value):
        return search_companies(queryset, value, prefix="company__")
