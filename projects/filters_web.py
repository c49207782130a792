"""Filter form of the key-project list page (django-filter)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.filters_web import visible_regions, yes_no_filter
from companies.models import DemonstrationBatch
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.models import KeyProject


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("project or company"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProjectKind.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=ProjectLevel.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProjectStatus.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("region"), queryset=visible_regions, field_name="company__region"
    )
    batch = django_filters.ModelChoiceFilter(
        label=_("batch"), queryset=DemonstrationBatch.objects.all()
    )
    lagging = yes_no_filter(_("lagging"), method="filter_lagging")

    class Meta:
        model = KeyProject
        fields = ["q", "kind", "level", "status", "region", "batch", "lagging"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(company__name__icontains=value)
            | Q(company__credit_code__istartswith=value.upper())
        )

    def filter_lagging(self, queryset, name, value):
        today = datetime.date.today()
        if value is None:
            return queryset
        return queryset.lagging(today) if value else queryset.not_lagging(today)
