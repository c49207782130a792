"""Serializers of objections and their attachments (read); the steps' inputs."""

from django.urls import reverse
from rest_framework import serializers

from notices.choices import CountyOpinion
from notices.models import Objection, ObjectionAttachment


def _username(user):
    return user.username if user is not None else None


class ObjectionAttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ObjectionAttachment
        fields = ("id", "original_name", "kind", "size", "uploaded_at", "download")
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        return reverse(
            "api:objection-attachment",
            kwargs={"pk": attachment.objection_id, "attachment_id": attachment.pk},
        )


class ObjectionSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    year = serializers.IntegerField(source="run.year", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    filed_by = serializers.SerializerMethodField()
    remarked_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    attachments = ObjectionAttachmentSerializer(many=True, read_only=True)
    # Empty until the county has remarked.
    county_opinion = serializers.ChoiceField(
        choices=CountyOpinion.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Objection
        fields = (
            "id",
            "company",
            "company_name",
            "run",
            "year",
            "subject",
            "record",
            "claimed_value",
            "explanation",
            "state",
            "state_display",
            "filed_by",
            "filed_at",
            "county_opinion",
            "county_remark",
            "remarked_by",
            "remarked_at",
            "decision_reason",
            "decided_by",
            "decided_at",
            "correction_run",
            "attachments",
        )
        read_only_fields = fields

    def get_filed_by(self, objection) -> str | None:
        return _username(objection.filed_by)

    def get_remarked_by(self, objection) -> str | None:
        return _username(objection.remarked_by)

    def get_decided_by(self, objection) -> str | None:
        return _username(objection.decided_by)


class ObjectionFileSerializer(serializers.Serializer):
    """What a company user sends to file an objection (multipart, with `files`)."""

    run = serializers.IntegerField()
    subject = serializers.CharField()
    claimed_value = serializers.CharField(max_length=200)
    explanation = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False)


class RemarkSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=CountyOpinion.choices)
    remark = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField()
