"""API views of key projects (with their status moves) and progress reports."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import WRITE_COMPANY_DATA
from core.api.schema import VALIDATION_ERROR_SCHEMA
from core.api.viewsets import ResourceViewSet, VoidActionsMixin
from projects.api import serializers
from projects.filtersets import KeyProjectFilterSet, ProgressReportFilterSet
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from projects.services import project_transition


class KeyProjectViewSet(VoidActionsMixin, ResourceViewSet):
    """Key projects (重点项目). The status changes only through `POST …/{id}/transition/`."""

    queryset = KeyProject.objects.with_list_relations()
    serializer_class = serializers.KeyProjectSerializer
    filterset_class = KeyProjectFilterSet
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = ["name", "company__name", "company__credit_code"]
    ordering_fields = [
        "planned_start",
        "planned_completion",
        "planned_investment",
        "actual_investment",
        "accepted_on",
        "status",
        "id",
    ]

    @extend_schema(
        request=serializers.TransitionSerializer,
        responses={200: serializers.KeyProjectSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description=(
            "Move the project one step along its lifecycle (declared → county reviewed → "
            "approved → in progress → acceptance requested → accepted, or rectification → "
            "acceptance requested again; cancelled from any open state). Any other move is "
            "400 naming the allowed ones. Each move is recorded with who, when and the comment."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self.get_object()
        payload = serializers.TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        project = project_transition(project=project, user=request.user, **payload.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(project).data)

    @extend_schema(
        responses=serializers.StatusChangeSerializer(many=True),
        description="The project's status moves, oldest first: who, when, from, to and why.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        project = self.get_object()
        changes = ProjectStatusChange.objects.filter(project=project).select_related("changed_by")
        return Response(serializers.StatusChangeSerializer(changes, many=True).data)


class ProgressReportViewSet(ResourceViewSet):
    """Quarterly progress reports (进度报告); `behind_schedule` is computed on save."""

    queryset = ProgressReport.objects.select_related("project")
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    write_access = WRITE_COMPANY_DATA
    versioned = True
    search_fields = ["project__name", "project__company__name"]
    ordering_fields = ["year", "quarter", "percent_complete", "id"]
