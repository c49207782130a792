"""API views of the companies app: reference data, companies and their records.

Every queryset starts from `Model.objects.visible_to(request.user)` (reference tables, which
every role may read, from `.all()`), with the `select_related` its serializer needs so the
number of queries does not grow with the page size.
"""

from companies.api import serializers
from companies.filtersets import (
    AnnualDataFilterSet,
    BatchFilterSet,
    CertificationFilterSet,
    CompanyFilterSet,
    DesignationFilterSet,
    KeyIndustryFilterSet,
    MaturityAssessmentFilterSet,
)
from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    Industry,
    KeyIndustry,
    MaturityAssessment,
    Region,
)
from core.api.permissions import WRITE_ADMIN, WRITE_CITY, WRITE_COMPANY_DATA
from core.api.viewsets import ResourceViewSet

CHILD_SEARCH_FIELDS = ["company__name", "company__credit_code"]


class RegionViewSet(ResourceViewSet):
    """The county-level divisions of the city (行政区). Reference data."""

    serializer_class = serializers.RegionSerializer
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["sort_order", "code", "id"]

    def get_queryset(self):
        return Region.objects.all()


class IndustryViewSet(ResourceViewSet):
    """GB/T 4754 manufacturing divisions (行业大类). Reference data."""

    serializer_class = serializers.IndustrySerializer
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code", "id"]

    def get_queryset(self):
        return Industry.objects.all()


class KeyIndustryViewSet(ResourceViewSet):
    """The city's key subdivision industries (重点细分行业). Reference data."""

    serializer_class = serializers.KeyIndustrySerializer
    filterset_class = KeyIndustryFilterSet
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code", "year", "id"]

    def get_queryset(self):
        return KeyIndustry.objects.all()


class BatchViewSet(ResourceViewSet):
    """Demonstration batches (示范批次) announced by the city."""

    serializer_class = serializers.BatchSerializer
    filterset_class = BatchFilterSet
    write_access = WRITE_CITY
    versioned = True
    search_fields = ["title"]
    ordering_fields = ["number", "year", "id"]

    def get_queryset(self):
        return DemonstrationBatch.objects.all()


class CompanyViewSet(ResourceViewSet):
    """Companies (企业). `search` matches the name and the credit code.

    The rankings app registers a subclass of this viewset that adds the city rank and score
    (ordering by them), because this app may not import the rankings app.
    """

    serializer_class = serializers.CompanySerializer
    filterset_class = CompanyFilterSet
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = ["name", "credit_code"]
    ordering_fields = ["name", "credit_code", "founded_on", "land_area_mu", "id"]

    def get_queryset(self):
        return Company.objects.visible_to(self.request.user).with_list_relations()


class CompanyChildViewSet(ResourceViewSet):
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = CHILD_SEARCH_FIELDS
    model = None
    related = ("company",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.related)


class DesignationViewSet(CompanyChildViewSet):
    """Companies named in demonstration batches."""

    model = Designation
    related = ("company", "batch")
    serializer_class = serializers.DesignationSerializer
    filterset_class = DesignationFilterSet
    ordering_fields = ["batch__number", "designated_on", "id"]


class CertificationViewSet(CompanyChildViewSet):
    """IMS certifications (两化融合管理体系评定, GB/T 23001)."""

    model = Certification
    serializer_class = serializers.CertificationSerializer
    filterset_class = CertificationFilterSet
    search_fields = [*CHILD_SEARCH_FIELDS, "certificate_no"]
    ordering_fields = ["issued_on", "expires_on", "level", "id"]


class MaturityAssessmentViewSet(CompanyChildViewSet):
    """Smart-manufacturing capability maturity assessments (GB/T 39116), level 1–5."""

    model = MaturityAssessment
    serializer_class = serializers.MaturityAssessmentSerializer
    filterset_class = MaturityAssessmentFilterSet
    ordering_fields = ["assessed_on", "level", "id"]


class AnnualDataViewSet(CompanyChildViewSet):
    """Annual figures (年度指标) of companies, money in 万元; an empty field was not reported."""

    model = AnnualData
    serializer_class = serializers.AnnualDataSerializer
    filterset_class = AnnualDataFilterSet
    ordering_fields = ["year", "main_revenue", "tax_paid", "added_value", "id"]


__all__ = [
    "AnnualDataViewSet",
    "BatchViewSet",
    "CertificationViewSet",
    "CompanyViewSet",
    "DesignationViewSet",
    "IndustryViewSet",
    "KeyIndustryViewSet",
    "MaturityAssessmentViewSet",
    "RegionViewSet",
]
