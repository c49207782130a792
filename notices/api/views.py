"""`/api/v1/objections/`: the caller's objections (scoped by the base viewset: a company its
own, county staff their region's), filing one (a company user, multipart with `files`),
the workflow's steps as actions, and each attachment's file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import WRITE_WORKFLOW
from core.api.viewsets import ReadOnlyResourceViewSet
from core.scoping import scope_of
from core.uploads import download_response
from notices import services
from notices.api import serializers
from notices.models import Objection
from notices.selectors import objectionable_runs


class ObjectionViewSet(ReadOnlyResourceViewSet):
    """Objections to published results (RANKING.md part 2). Steps: a company user files
    (POST) during the notice period; county staff of the company's region `remark`; city
    staff `uphold` (publishes the correction run) or `reject`."""

    queryset = Objection.objects.with_relations().prefetch_related("attachments")
    serializer_class = serializers.ObjectionSerializer
    filterset_fields = ("state", "run")
    ordering_fields = ("filed_at", "id")
    search_fields = ()
    write_access = WRITE_WORKFLOW
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        request={"multipart/form-data": serializers.ObjectionFileSerializer},
        responses={201: serializers.ObjectionSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.ObjectionFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company_id = scope_of(request.user).company_id
        if company_id is None:
            raise PermissionDenied
        runs = {run.pk: run for run in objectionable_runs(company_id)}
        run = runs.get(data.validated_data["run"])
        if run is None:
            raise ValidationError(
                {"run": _("The public notice of this result has ended; no objections are taken.")}
            )
        objection = services.objection_file(
            user=request.user,
            run=run,
            subject=data.validated_data["subject"],
            claimed_value=data.validated_data["claimed_value"],
            explanation=data.validated_data["explanation"],
            files=request.FILES.getlist("files"),
        )
        return self._answer(objection, status.HTTP_201_CREATED)

    def _answer(self, objection, code=status.HTTP_200_OK):
        row = self.get_queryset().get(pk=objection.pk)
        return Response(self.get_serializer(row).data, status=code)

    @extend_schema(
        request=serializers.RemarkSerializer, responses={200: serializers.ObjectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def remark(self, request, pk=None):
        data = serializers.RemarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_remark(
            objection=self.get_object(),
            user=request.user,
            opinion=data.validated_data["opinion"],
            text=data.validated_data["remark"],
        )
        return self._answer(objection)

    @extend_schema(
        request=serializers.DecisionSerializer, responses={200: serializers.ObjectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def uphold(self, request, pk=None):
        data = serializers.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = self.get_object()
        services.objections_uphold(
            objections=[objection], user=request.user, reason=data.validated_data["reason"]
        )
        return self._answer(objection)

    @extend_schema(
        request=serializers.DecisionSerializer, responses={200: serializers.ObjectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = serializers.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_reject(
            objection=self.get_object(), user=request.user, reason=data.validated_data["reason"]
        )
        return self._answer(objection)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>\d+)",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_id=None):
        """An attachment's file, to those who see its objection (others get 404)."""
        objection = self.get_object()
        attachment = get_object_or_404(objection.attachments.all(), pk=attachment_id)
        if not attachment.file:
            raise Http404
        return download_response(
            attachment.file, shown_name=attachment.original_name, kind=attachment.kind
        )
