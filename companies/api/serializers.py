"""Serializers of the companies app. Foreign keys are ids, with the related name beside them
(read-only) so a list or an export is readable without a second call."""

import copy

from django.utils.translation import gettext_lazy as _
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
    SurveillanceAudit,
)
from companies.models.annual import FIGURE_FIELDS
from companies.plausibility import confirmation_note, warning_messages, year_on_year_jumps
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
        fields = ("id", *DemonstrationBatch.EDITABLE_FIELDS, *AUDIT_FIELDS)
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
            "pilot_designated_on",
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
    # The displayed state (status read with the dates and audits): Certification.state_on.
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(read_only=True)

    class Meta:
        model = Certification
        fields = (
            "id",
            "company",
            "company_name",
            *Certification.EDITABLE_FIELDS,
            "is_expired",
            "state",
            "state_display",
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
            *MaturityAssessment.EDITABLE_FIELDS,
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class SurveillanceAuditSerializer(ServiceModelSerializer):
    certificate_no = serializers.CharField(source="certification.certificate_no", read_only=True)

    class Meta:
        model = SurveillanceAudit
        fields = (
            "id",
            *SurveillanceAudit.EDITABLE_FIELDS,
            "certificate_no",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS


class AnnualDataSerializer(CompanyChildSerializer):
    """A figure that jumps against the year before (companies.plausibility) is refused with
    a 400 naming it, unless the body says `confirm_warnings: true`; the confirmation is
    recorded as the change reason in the row's history."""

    confirm_warnings = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Save figures that jump by the plausibility factor against the year before."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        confirmed = attrs.pop("confirm_warnings", False)
        if self.instance is None:
            row = AnnualData(**attrs)
            changed = FIGURE_FIELDS
        else:
            row = copy.copy(self.instance)
            changed = [f for f, v in attrs.items() if getattr(self.instance, f) != v]
            for field, value in attrs.items():
                setattr(row, field, value)
        jumps = year_on_year_jumps(row, changed)
        if jumps and not confirmed:
            # An error is fixed before a warning is confirmed: report the model's first.
            row.full_clean()
            raise serializers.ValidationError(
                {
                    **{field: [message] for field, message in warning_messages(jumps).items()},
                    "confirm_warnings": [
                        _("Send confirm_warnings: true to save the flagged figures.")
                    ],
                }
            )
        self.change_reason = confirmation_note(jumps) if jumps else ""
        return attrs

    class Meta:
        model = AnnualData
        fields = (
            "id",
            "company",
            "company_name",
            "year",
            *FIGURE_FIELDS,
            "confirm_warnings",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        read_only_fields = AUDIT_FIELDS
