"""django-filter FilterSets of key projects and their progress reports, used by the API and
the list page alike (ids as plain inputs, never a dropdown of a whole table; the page's
dropdowns are in projects/filter_forms.py)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.filtersets import company_search
from core.filters import AmountFilter, IdFilter, IntegerFilter, YearFilter, search_filter
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.models import KeyProject, ProgressReport


def project_search(value: str) -> Q:
    """Part of the project's name, or its company as the company list searches it."""
    return Q(name__icontains=value) | company_search(value, "company__")


class KeyProjectFilterSet(filters.FilterSet):
    q = search_filter(_("project or company"), project_search)
    company = IdFilter(field_name="company_id", label=_("Company id"))
    region = IdFilter(field_name="company__region_id", label=_("Region id"))
    industry = IdFilter(field_name="company__industry_id", label=_("Industry id"))
    batch = IdFilter(field_name="batch_id", label=_("Demonstration batch id"))
    kind = filters.MultipleChoiceFilter(choices=ProjectKind.choices)
    level = filters.MultipleChoiceFilter(choices=ProjectLevel.choices)
    status = filters.MultipleChoiceFilter(choices=ProjectStatus.choices)
    lagging = filters.BooleanFilter(
        method="filter_lagging",
        label=_("Lagging: under construction and behind its schedule or past completion"),
    )
    meets_ims_standard = filters.BooleanFilter(field_name="meets_ims_standard")
    accepted_year = YearFilter(field_name="accepted_on__year", label=_("Accepted in"))
    start_year = YearFilter(field_name="planned_start__year", label=_("Starts in"))
    planned_investment_min = AmountFilter(field_name="planned_investment", lookup_expr="gte")
    planned_investment_max = AmountFilter(field_name="planned_investment", lookup_expr="lte")
    actual_investment_min = AmountFilter(field_name="actual_investment", lookup_expr="gte")
    actual_investment_max = AmountFilter(field_name="actual_investment", lookup_expr="lte")

    class Meta:
        model = KeyProject
        fields = []

    def filter_lagging(self, queryset, name, value):
        return queryset.lagging() if value else queryset.not_lagging()


class ProgressReportFilterSet(filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("Project id"))
    company = IdFilter(field_name="project__company_id", label=_("Company id"))
    region = IdFilter(field_name="project__company__region_id", label=_("Region id"))
    year = YearFilter(field_name="year")
    quarter = IntegerFilter(field_name="quarter", min_value=1, max_value=4)
    behind_schedule = filters.BooleanFilter(field_name="behind_schedule")

    class Meta:
        model = ProgressReport
        fields = []
