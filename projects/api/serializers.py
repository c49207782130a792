"""Serializers of key projects, their status moves and progress reports."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import VOID_FIELDS, ServiceModelSerializer
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from projects.services import allowed_steps

AUDIT_FIELDS = ("version", "created_at", "updated_at")


class KeyProjectSerializer(ServiceModelSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    region = serializers.IntegerField(source="company.region_id", read_only=True)
    region_name = serializers.CharField(source="company.region.name", read_only=True)
    allowed_moves = serializers.SerializerMethodField(
        help_text=_("Statuses the caller may move this project to (POST …/transition/).")
    )

    class Meta:
        model = KeyProject
        fields = (
            "id",
            "company",
            "company_name",
            "region",
            "region_name",
            *KeyProject.EDITABLE_FIELDS,
            "status",
            "allowed_moves",
            *VOID_FIELDS,
            *AUDIT_FIELDS,
        )
        # The status moves only through POST …/transition/ (projects.services.project_transition).
        read_only_fields = ("status", *AUDIT_FIELDS)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ProjectStatus)))
    def get_allowed_moves(self, project) -> list[str]:
        request = self.context.get("request")
        # Without the reopen target's lookup (a query per accepted project in a list).
        user = getattr(request, "user", None)
        return list(allowed_steps(project, user, resolve_reopen=False))


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProjectStatus.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    accepted_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only for a move to accepted; today when left out."),
    )


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(
        source="changed_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = ProjectStatusChange
        fields = ("id", "from_status", "to_status", "changed_by", "changed_at", "comment")


class ProgressReportSerializer(ServiceModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    company = serializers.IntegerField(source="project.company_id", read_only=True)

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "project",
            "project_name",
            "company",
            "year",
            "quarter",
            "invested_to_date",
            "percent_complete",
            "note",
            "expected_percent",
            "behind_schedule",
            *AUDIT_FIELDS,
        )
        read_only_fields = ("expected_percent", "behind_schedule", *AUDIT_FIELDS)
