"""API views of the companies app: reference data, companies and their records.

Each viewset names its rows with the `select_related` its serializer needs, so the number of
queries does not grow with the page size; the base viewset restricts them to
`visible_to(request.user)`. Reference tables, which every role may read, say `scoped = False`.
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
    SurveillanceAudit,
)
from core.api.permissions import WRITE_ADMIN, WRITE_CITY, WRITE_COMPANY_DATA
from core.api.viewsets import ResourceViewSet, VoidActionsMixin

CHILD_SEARCH_FIELDS = ["company__name", "company__credit_code"]


class RegionViewSet(ResourceViewSet):
    """The county-level divisions of the city (行政区). Reference data."""

    queryset = Region.objects.all()
    scoped = False  # every role reads the city's divisions
    serializer_class = serializers.RegionSerializer
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["sort_order", "code", "id"]


class IndustryViewSet(ResourceViewSet):
    """GB/T 4754 manufacturing divisions (行业大类). Reference data."""

    queryset = Industry.objects.all()
    scoped = False  # a national classification, read by every role
    serializer_class = serializers.IndustrySerializer
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code", "id"]


class KeyIndustryViewSet(ResourceViewSet):
    """The city's key subdivision industries (重点细分行业). Reference data."""

    queryset = KeyIndustry.objects.all()
    scoped = False  # the city's published list, read by every role
    serializer_class = serializers.KeyIndustrySerializer
    filterset_class = KeyIndustryFilterSet
    write_access = WRITE_ADMIN
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code", "year", "id"]


class BatchViewSet(ResourceViewSet):
    """Demonstration batches (示范批次) announced by the city."""

    queryset = DemonstrationBatch.objects.all()
    scoped = False  # announced publicly by the city; the designations in them are scoped
    serializer_class = serializers.BatchSerializer
    filterset_class = BatchFilterSet
    write_access = WRITE_CITY
    versioned = True
    search_fields = ["title"]
    ordering_fields = ["number", "year", "id"]


class CompanyViewSet(ResourceViewSet):
    """Companies (企业). `search` matches the name and the credit code.

    The rankings app registers a subclass of this viewset that adds the city rank and score
    (ordering by them), because this app may not import the rankings app.
    """

    queryset = Company.objects.with_list_relations()
    serializer_class = serializers.CompanySerializer
    filterset_class = CompanyFilterSet
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = ["name", "credit_code"]
    ordering_fields = ["name", "credit_code", "founded_on", "land_area_mu", "id"]
    # By name means by its pinyin reading (core.sorting), the order of the list pages.
    ordering_aliases = {"name": ("name_sort", "id")}
    # `?cursor=` pages (core.api.pagination) in these orders; never-empty columns.
    keyset_orderings = ("name", "credit_code")
    keyset_fields = ("name_sort", "credit_code")


class CompanyChildViewSet(ResourceViewSet):
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = CHILD_SEARCH_FIELDS


class DesignationViewSet(VoidActionsMixin, CompanyChildViewSet):
    """Companies named in demonstration batches."""

    queryset = Designation.objects.select_related("company", "batch")
    serializer_class = serializers.DesignationSerializer
    filterset_class = DesignationFilterSet
    ordering_fields = ["batch__number", "designated_on", "id"]


class CertificationViewSet(VoidActionsMixin, CompanyChildViewSet):
    """IMS certifications (两化融合管理体系评定, GB/T 23001)."""

    # Audits prefetched: the displayed state reads them (Certification.state_on).
    queryset = Certification.objects.select_related("company").prefetch_related("audits")
    serializer_class = serializers.CertificationSerializer
    filterset_class = CertificationFilterSet
    search_fields = [*CHILD_SEARCH_FIELDS, "certificate_no"]
    ordering_fields = ["issued_on", "expires_on", "level", "id"]


class MaturityAssessmentViewSet(VoidActionsMixin, CompanyChildViewSet):
    """Smart-manufacturing capability maturity assessments (GB/T 39116), level 1–5."""

    queryset = MaturityAssessment.objects.select_related("company")
    serializer_class = serializers.MaturityAssessmentSerializer
    filterset_class = MaturityAssessmentFilterSet
    ordering_fields = ["assessed_on", "level", "id"]


class SurveillanceAuditViewSet(VoidActionsMixin, CompanyChildViewSet):
    """Yearly surveillance audits (年度监督审核) of IMS certificates; a missed one suspends the
    certificate (Certification.audit_missed_on)."""

    queryset = SurveillanceAudit.objects.select_related("certification", "certification__company")
    serializer_class = serializers.SurveillanceAuditSerializer
    search_fields = ["certification__certificate_no", "certification__company__name"]
    filterset_fields = ["certification", "result"]
    ordering_fields = ["audited_on", "id"]


class AnnualDataViewSet(VoidActionsMixin, CompanyChildViewSet):
    """Annual figures (年度指标) of companies, money in 万元; an empty field was not reported."""

    queryset = AnnualData.objects.select_related("company")
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
    "SurveillanceAuditViewSet",
]
