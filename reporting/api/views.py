"""API of the reporting cycle: /api/v1/campaigns/ and /api/v1/submissions/ (with their
figures, steps and attachments). Scoped by the base viewsets; the steps' roles are the
workflow table's (reporting.workflow), checked by reporting.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from companies.models import DemonstrationBatch, Region
from core.api.pagination import row_params
from core.api.permissions import WRITE_CITY, WRITE_WORKFLOW
from core.api.schema import VALIDATION_ERROR_SCHEMA
from core.api.viewsets import ReadOnlyResourceViewSet
from reporting import selectors, services
from reporting.api import serializers
from reporting.choices import SubmissionState
from reporting.forms import SubmissionFiguresForm
from reporting.models import Campaign, Submission
from reporting.tally import tallied, tally_key
from reporting.views.common import attachment_response


class CampaignViewSet(ReadOnlyResourceViewSet):
    """Reporting campaigns (填报任务). Every role reads them (a year and its deadline, which
    each company is told anyway); city staff open them, extend the deadline, add companies."""

    scoped = False  # announcements to every company: no row belongs to one company or region
    queryset = Campaign.objects.with_opener()
    serializer_class = serializers.CampaignSerializer
    write_access = WRITE_CITY
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["year", "deadline", "id"]

    @extend_schema(
        request=serializers.CampaignOpenSerializer,
        responses={201: serializers.CampaignSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Open the campaign for a year: every rated company (or those of the "
        "given regions, size class and batch) gets a submission, not started.",
    )
    def create(self, request, *args, **kwargs):
        payload = serializers.CampaignOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        regions = list(Region.objects.filter(pk__in=data["regions"]))
        missing = ", ".join(
            str(pk) for pk in sorted(set(data["regions"]) - {r.pk for r in regions})
        )
        if missing:
            raise ValidationError(
                {"regions": _("No region has the id %(ids)s.") % {"ids": missing}}
            )
        batch = None
        if data["batch"] is not None:
            batch = DemonstrationBatch.objects.filter(pk=data["batch"]).first()
            if batch is None:
                raise ValidationError(
                    {"batch": _("No batch has the id %(id)s.") % {"id": data["batch"]}}
                )
        campaign = services.campaign_open(
            year=data["year"],
            deadline=data["deadline"],
            user=request.user,
            regions=regions,
            size_class=data["size_class"],
            batch=batch,
            note=data["note"],
        )
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.DeadlineSerializer,
        responses={200: serializers.CampaignSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Move the deadline later.",
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        payload = serializers.DeadlineSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        campaign = services.campaign_extend(
            campaign=self.get_object(),
            deadline=payload.validated_data["deadline"],
            user=request.user,
        )
        return Response(self.get_serializer(campaign).data)

    @extend_schema(
        request=serializers.CreditCodesSerializer,
        responses={200: serializers.CampaignSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Add companies (by credit code) to the campaign.",
    )
    @action(detail=True, methods=["post"], url_path="add-companies")
    def add_companies(self, request, pk=None):
        payload = serializers.CreditCodesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        campaign = self.get_object()
        services.campaign_add_companies(
            campaign=campaign,
            credit_codes=[c.strip().upper() for c in payload.validated_data["credit_codes"]],
            user=request.user,
        )
        return Response(self.get_serializer(campaign).data)

    @extend_schema(
        responses=serializers.RegionProgressSerializer(many=True),
        description="Counts per state and overdue, per region, of the submissions the caller "
        "may see; the last line (region null) is the total.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def progress(self, request, pk=None):
        lines = selectors.campaign_progress(self.get_object(), request.user)
        return Response(
            [
                {
                    "region": line.region.pk if line.region else None,
                    "counts": {
                        state: line.counts.get(state, 0) for state in SubmissionState.values
                    },
                    "overdue": line.overdue,
                    "total": line.total,
                }
                for line in lines
            ]
        )


class SubmissionViewSet(ReadOnlyResourceViewSet):
    """Submissions of reporting campaigns: a company sees its own, county staff their
    region's, city staff all. The company writes its figures (`…/figures/`) and evidence
    (`…/attachments/`); every role takes its steps (`…/step/`), per reporting.workflow."""

    queryset = Submission.objects.with_list_relations()
    serializer_class = serializers.SubmissionSerializer
    write_access = WRITE_WORKFLOW
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["submitted_at", "updated_at", "id"]
    filterset_fields = ["campaign", "state"]

    def count_rows(self, queryset):
        # Counted once per change of the campaigns' submissions (reporting.tally): 100,000
        # submissions take a city-wide COUNT(*) 10 ms.
        key = tally_key(
            "api-list",
            user=self.request.user,
            today=timezone.localdate(),
            extra=row_params(self),
        )
        return lambda: tallied(key, queryset.order_by().count)

    @extend_schema(
        request=serializers.FiguresSerializer,
        responses={200: serializers.SubmissionSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Save the company's figures as a draft (checked field by field; submitting "
        "checks them as the staff form does, warnings to be confirmed).",
    )
    @action(detail=True, methods=["post"])
    def figures(self, request, pk=None):
        submission = self.get_object()
        payload = serializers.FiguresSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {k: ("" if v is None else v) for k, v in payload.validated_data["figures"].items()}
        if not data.get("major_incident"):
            data.pop("major_incident", None)
        confirm = payload.validated_data["confirm_warnings"]
        if confirm:
            data["confirm_warnings"] = "on"
        form = SubmissionFiguresForm(data, submission=submission, final=confirm)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        services.submission_save(
            submission=submission,
            user=request.user,
            figures=form.figures,
            warnings_confirmed=form.warnings_note,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(
        request=serializers.StepRequestSerializer,
        responses={200: serializers.SubmissionSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Take a step: submit (company), county_accept / county_return (county), "
        "city_confirm / city_return (city); a return needs a comment and names the figures.",
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        submission = self.get_object()
        payload = serializers.StepRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.submission_step(submission=submission, user=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(
        responses=serializers.StepSerializer(many=True),
        description="The submission's steps, oldest first.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        steps = self.get_object().steps.select_related("taken_by")
        return Response(serializers.StepSerializer(steps, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses=serializers.AttachmentSerializer(many=True),
        description="The submission's evidence files.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.AttachmentSerializer, 400: VALIDATION_ERROR_SCHEMA},
        description="Attach a PDF, JPG or PNG (at most 10 MB; the type is read from the content).",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachments(self, request, pk=None):
        submission = self.get_object()
        if request.method == "GET":
            rows = submission.attachments.all()
            return Response(serializers.AttachmentSerializer(rows, many=True).data)
        attachment = services.attachment_add(
            submission=submission, user=request.user, upload=request.FILES.get("file")
        )
        return Response(
            serializers.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): bytes},
        description="Download one evidence file of the submission.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})",
        url_name="attachment-file",
        pagination_class=None,
        filter_backends=[],
    )
    def attachment_file(self, request, pk=None, attachment_id=None):
        submission = self.get_object()
        attachment = get_object_or_404(submission.attachments, pk=attachment_id)
        return attachment_response(attachment)
