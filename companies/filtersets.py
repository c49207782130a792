"""django-filter FilterSets of the companies app: one per model, used by the API and by the
list pages alike (the pages' dropdowns are in companies/filter_forms.py).

Foreign keys are filtered by id with NumberFilter (a plain text input), never with a
ModelChoiceFilter: its dropdown would list a whole table (100,000 companies) in the
browsable API.
"""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from companies.choices import CertificationLevel, CertificationStatus, MaturityLevel
from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    KeyIndustry,
    MaturityAssessment,
)
from core.filters import AmountFilter, IdFilter, IntegerFilter, YearFilter, search_filter


def _id_filter(field_name: str, label):
    return IdFilter(field_name=field_name, label=label)


def company_search(value: str, prefix: str = "") -> Q:
    """The list pages' search box: part of the name, or the start of the credit code.
    `prefix` is the path to the company ("company__" from its records)."""
    return Q(**{f"{prefix}name__icontains": value}) | Q(
        **{f"{prefix}credit_code__istartswith": value.upper()}
    )


class CompanyFilterSet(filters.FilterSet):
    q = search_filter(_("name or credit code"), company_search)
    region = _id_filter("region_id", _("Region id"))
    region_code = filters.CharFilter(field_name="region__code", label=_("Region code"))
    industry = _id_filter("industry_id", _("Industry id"))
    industry_code = filters.CharFilter(
        field_name="industry__code", label=_("Industry code (GB/T 4754 division)")
    )
    key_industry = _id_filter("key_industry_id", _("Key subdivision industry id"))
    batch = IdFilter(method="filter_batch", label=_("Demonstration batch id (active designation)"))
    pilot = filters.BooleanFilter(field_name="is_pilot", label=_("Pilot company"))
    # The list page's name for `pilot` (the model field's), kept so its links keep working.
    is_pilot = filters.BooleanFilter(field_name="is_pilot", label=_("Pilot company"))
    above_size = filters.BooleanFilter(field_name="above_size", label=_("Above designated size"))
    rated = filters.BooleanFilter(field_name="rated", label=_("Rated (参评)"))
    certification_level = filters.ChoiceFilter(
        method="filter_certification_level",
        choices=[c for c in CertificationLevel.choices if c[0]],
        label=_("Holds a certificate of this IMS level"),
    )
    certification_status = filters.ChoiceFilter(
        method="filter_certification_status",
        choices=CertificationStatus.choices,
        label=_("Holds a certificate in this status"),
    )
    maturity_level = filters.ChoiceFilter(
        method="filter_maturity_level",
        choices=MaturityLevel.choices,
        label=_("Has been assessed at this maturity level or higher"),
    )
    founded_after = filters.DateFilter(field_name="founded_on", lookup_expr="gte")
    founded_before = filters.DateFilter(field_name="founded_on", lookup_expr="lte")
    land_area_min = AmountFilter(field_name="land_area_mu", lookup_expr="gte")
    land_area_max = AmountFilter(field_name="land_area_mu", lookup_expr="lte")

    class Meta:
        model = Company
        fields = []

    def filter_batch(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Designation.objects.live().filter(
                    company=OuterRef("pk"), batch_id=value, active=True
                )
            )
        )

    def filter_certification_level(self, queryset, name, value):
        return queryset.filter(
            Exists(Certification.objects.live().filter(company=OuterRef("pk"), level=value))
        )

    def filter_certification_status(self, queryset, name, value):
        return queryset.filter(
            Exists(Certification.objects.live().filter(company=OuterRef("pk"), status=value))
        )

    def filter_maturity_level(self, queryset, name, value):
        return queryset.filter(
            Exists(
                MaturityAssessment.objects.live().filter(
                    company=OuterRef("pk"), level__gte=int(value)
                )
            )
        )


class CompanyChildFilterSet(filters.FilterSet):
    """Filters every record hanging off a company shares."""

    company = _id_filter("company_id", _("Company id"))
    region = _id_filter("company__region_id", _("Region id of the company"))
    industry = _id_filter("company__industry_id", _("Industry id of the company"))


class KeyIndustryFilterSet(filters.FilterSet):
    active = filters.BooleanFilter(field_name="active")
    year = YearFilter(field_name="year")

    class Meta:
        model = KeyIndustry
        fields = []


class BatchFilterSet(filters.FilterSet):
    year = YearFilter(field_name="year")
    number = IntegerFilter(field_name="number")

    class Meta:
        model = DemonstrationBatch
        fields = []


class DesignationFilterSet(CompanyChildFilterSet):
    batch = _id_filter("batch_id", _("Demonstration batch id"))
    year = YearFilter(field_name="batch__year", label=_("Year of the batch"))
    active = filters.BooleanFilter(field_name="active")

    class Meta:
        model = Designation
        fields = []


class CertificationFilterSet(CompanyChildFilterSet):
    level = filters.ChoiceFilter(choices=CertificationLevel.choices)
    status = filters.ChoiceFilter(choices=CertificationStatus.choices)
    expires_before = filters.DateFilter(
        field_name="expires_on", lookup_expr="lt", label=_("Expires before (date)")
    )
    expires_after = filters.DateFilter(
        field_name="expires_on", lookup_expr="gte", label=_("Expires on or after (date)")
    )
    issued_after = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Certification
        fields = []


class MaturityAssessmentFilterSet(CompanyChildFilterSet):
    level = filters.ChoiceFilter(choices=MaturityLevel.choices)
    level_min = IntegerFilter(field_name="level", lookup_expr="gte")
    assessed_after = filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    assessed_before = filters.DateFilter(field_name="assessed_on", lookup_expr="lte")

    class Meta:
        model = MaturityAssessment
        fields = []


class AnnualDataFilterSet(CompanyChildFilterSet):
    q = search_filter(
        _("company name or credit code"), lambda value: company_search(value, "company__")
    )
    year = YearFilter(field_name="year")
    year_min = YearFilter(field_name="year", lookup_expr="gte")
    year_max = YearFilter(field_name="year", lookup_expr="lte")
    main_revenue_min = AmountFilter(field_name="main_revenue", lookup_expr="gte")
    main_revenue_max = AmountFilter(field_name="main_revenue", lookup_expr="lte")
    tax_paid_min = AmountFilter(field_name="tax_paid", lookup_expr="gte")
    tax_paid_max = AmountFilter(field_name="tax_paid", lookup_expr="lte")
    major_incident = filters.BooleanFilter(field_name="major_incident")

    class Meta:
        model = AnnualData
        fields = []
