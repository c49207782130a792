"""Serializers of campaigns, submissions, their steps and attachments. Writes go through
reporting.services; the figures are checked by SubmissionFiguresForm (the staff form's rules)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.models.annual import FIGURE_FIELDS
from core.converters import MAX_ID
from reporting.choices import SizeClass
from reporting.models import Attachment, Campaign, Submission, SubmissionStep
from reporting.services import steps_of
from reporting.workflow import STEP_CHOICES


class CampaignSerializer(serializers.ModelSerializer):
    opened_by = serializers.CharField(source="opened_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Campaign
        fields = ("id", "year", "deadline", "opened_by", "opened_at", "target_filter", "note")
        read_only_fields = ("opened_by", "opened_at", "target_filter")


class CampaignOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    deadline = serializers.DateField()
    # Ids bounded to the database's 64-bit range: a larger one once reached the query and
    # answered 500 (OverflowError on SQLite).
    regions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )
    size_class = serializers.ChoiceField(
        choices=[("", "")] + SizeClass.choices, required=False, default=""
    )
    batch = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeadlineSerializer(serializers.Serializer):
    deadline = serializers.DateField()


class CreditCodesSerializer(serializers.Serializer):
    credit_codes = serializers.ListField(child=serializers.CharField(max_length=18), min_length=1)


class RegionProgressSerializer(serializers.Serializer):
    region = serializers.IntegerField(allow_null=True, help_text=_("null: the total line"))
    counts = serializers.DictField(child=serializers.IntegerField())
    overdue = serializers.IntegerField()
    total = serializers.IntegerField()


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ("id", "original_name", "kind", "size", "uploaded_at", "url")

    def get_url(self, attachment) -> str:
        return reverse(
            "api:submission-attachment-file", args=[attachment.submission_id, attachment.pk]
        )


class StepSerializer(serializers.ModelSerializer):
    taken_by = serializers.CharField(source="taken_by.username", read_only=True, allow_null=True)

    class Meta:
        model = SubmissionStep
        fields = ("action", "from_state", "to_state", "taken_by", "taken_at", "comment", "fields")


class SubmissionSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    # The submission's copy of its company's region (kept in step), read without the join.
    region = serializers.IntegerField(source="region_id", read_only=True)
    allowed_steps = serializers.SerializerMethodField(
        help_text=_("The steps the caller may take now (POST …/step/).")
    )
    # What the method field reads, so the list is read with values() (core.api.values).
    method_field_sources = {"allowed_steps": ("state",)}

    class Meta:
        model = Submission
        fields = (
            "id",
            "campaign",
            "year",
            "company",
            "company_name",
            "region",
            "state",
            "figures",
            "warnings_confirmed",
            "returned_fields",
            "submitted_at",
            "updated_at",
            "version",
            "allowed_steps",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(STEP_CHOICES)))
    def get_allowed_steps(self, submission) -> list[str]:
        # The steps depend on the state and the caller's role only (reporting.workflow):
        # worked out once per state for a page, from an instance or a values row alike.
        state = submission["state"] if isinstance(submission, dict) else submission.state
        known = self.__dict__.setdefault("_steps_by_state", {})
        if state not in known:
            user = getattr(self.context.get("request"), "user", None)
            known[state] = [step.action for step in steps_of(Submission(state=state), user)]
        return known[state]


class FiguresSerializer(serializers.Serializer):
    """The company's figures (any of AnnualData's figure fields; missing ones are empty)."""

    figures = serializers.DictField(help_text=", ".join(FIGURE_FIELDS))
    confirm_warnings = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("The flagged year-on-year jumps are right (needed to submit them)."),
    )

    def validate_figures(self, value: dict) -> dict:
        # A misspelt name would otherwise be dropped and, since missing figures are saved
        # empty, the draft's figures wiped with a 200: refuse it and name it instead.
        unknown = sorted(set(value) - set(FIGURE_FIELDS))
        if unknown:
            raise serializers.ValidationError(
                _("No figure is called %(names)s.") % {"names": ", ".join(unknown)}
            )
        return value


class StepRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=STEP_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=FIGURE_FIELDS), required=False, default=list
    )


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
