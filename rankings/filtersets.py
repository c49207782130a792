"""django-filter FilterSets of ranking runs, scores and ranked companies, used by the API and
the ranking pages alike (the pages' dropdowns are RankingFilterForm in rankings/views.py)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from companies.filtersets import CompanyFilterSet
from core.filters import AmountFilter, IdFilter, IntegerFilter, YearFilter
from rankings.choices import Grade, NotRatedReason, RunKind, RunStatus, SizeClass
from rankings.models import CompanyScore, RankingRun


class RankingRunFilterSet(filters.FilterSet):
    year = YearFilter(field_name="year")
    kind = filters.ChoiceFilter(choices=RunKind.choices)
    status = filters.ChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = RankingRun
        fields = []


class CompanyScoreFilterSet(filters.FilterSet):
    region = IdFilter(field_name="region_id", label=_("Region id"))
    industry = IdFilter(field_name="industry_id", label=_("Industry id"))
    year = YearFilter(field_name="run__year", label=_("Year of the run"))
    kind = filters.ChoiceFilter(
        field_name="run__kind", choices=RunKind.choices, label=_("Kind of the run")
    )
    rated = filters.BooleanFilter(field_name="rated")
    size_class = filters.ChoiceFilter(
        choices=SizeClass.choices, label=_("Size class (规上 / 规下)")
    )
    not_rated_reason = filters.ChoiceFilter(choices=NotRatedReason.choices)
    grade = filters.MultipleChoiceFilter(choices=Grade.choices)
    score_min = AmountFilter(field_name="total", lookup_expr="gte", label=_("Total ≥"))
    score_max = AmountFilter(field_name="total", lookup_expr="lte", label=_("Total ≤"))
    city_rank_max = IntegerFilter(
        field_name="city_rank", lookup_expr="lte", label=_("City rank ≤ (top N)")
    )

    class Meta:
        model = CompanyScore
        fields = []


class RankedCompanyFilterSet(CompanyFilterSet):
    """Company filters plus the result of the latest provisional run."""

    grade = filters.MultipleChoiceFilter(
        field_name="grade", choices=Grade.choices, label=_("Grade in the latest provisional run")
    )
    score_min = AmountFilter(field_name="score", lookup_expr="gte", label=_("Score ≥"))
    score_max = AmountFilter(field_name="score", lookup_expr="lte", label=_("Score ≤"))
    city_rank_max = IntegerFilter(
        field_name="city_rank", lookup_expr="lte", label=_("City rank ≤ (top N)")
    )

    class Meta(CompanyFilterSet.Meta):
        pass
