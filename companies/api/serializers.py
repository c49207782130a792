"""Serializers of the companies app. Foreign keys are ids, with the related name beside them
(read-only) so a list or an export is readable without a second call."""

from rest_framework import serializers

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
from companies.models.annual import FIGURE_FIELDS
from core.api.serializers import VOID_FIELDS, ServiceModelSerializer

AUDIT_FIELDS = ("version", "created_at", "updated_at")


def _name_of(source: str):
    return serializers.CharField(source=source, read_only=True, allow_null=True)


class RegionSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ("id", "code", "name", "name_zh", "name_en", "kind", "sort_order")


class IndustrySerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Industry
        fields = ("id", "code", "name", "name_zh", "name_en")


class KeyIndustrySerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = KeyIndustry
        fields = ("id", "code", "name", "name_zh", "name_en", "year", "active")


class BatchSerializer(ServiceModelSerializer):
    class Meta:
        model = DemonstrationBatch
        fields = ("id", "number", "year", "title", "announced_on", *AUDIT_FIELDS)
        read_only_fields = AUDIT_FIELDS


class CompanySerializer(ServiceModelSerializer):
    region_name = _name_of("region.name")
    industry_name = _name_of("industry.name")
    key_industry_name = _name_of("key_industry.name")

    class Meta:
        model = Company
        fields = (
            "id",
            "credit_code",
            "name",
            "region",
            "region_name",
            "industry",
            "industry_name",
            "key_industry",
            "key_industry_name",
            "address",
            "founded_on",
            "above_size",
            "land_area_mu",
            "is_pilot",
            "pilot_year",
            "rated",
            "contact_person",
            "contact_phone",
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class CompanyChildSerializer(ServiceModelSerializer):
    company_name = _name_of("company.name")


class DesignationSerializer(CompanyChildSerializer):
    batch_number = serializers.IntegerField(source="batch.number", read_only=True)

    class Meta:
        model = Designation
        fields = (
            "id",
            "company",
            "company_name",
            "batch",
            "batch_number",
            "designated_on",
            "active",
            "revoked_reason",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class CertificationSerializer(CompanyChildSerializer):
    is_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certification
        fields = (
            "id",
            "company",
            "company_name",
            "standard",
            "level",
            "certificate_no",
            "issuing_body",
            "issued_on",
            "expires_on",
            "status",
            "is_expired",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class MaturityAssessmentSerializer(CompanyChildSerializer):
    class Meta:
        model = MaturityAssessment
        fields = (
            "id",
            "company",
            "company_name",
            "level",
            "assessed_on",
            "assessor",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class AnnualDataSerializer(CompanyChildSerializer):
    class Meta:
        model = AnnualData
        fields = (
            "id",
            "company",
            "company_name",
            "year",
            *FIGURE_FIELDS,
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS
