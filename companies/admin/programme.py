"""Demonstration batches and designations, IMS certifications, maturity assessments."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from companies.admin.scoping import ScopedAdminMixin, ScopedInlineMixin
from companies.admin.voiding import VoidAdminMixin
from companies.models import (
    Certification,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    SurveillanceAudit,
)


@admin.register(DemonstrationBatch)
class DemonstrationBatchAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """City-wide reference of the programme: city staff maintain it, county staff look."""

    list_display = ("number", "year", "level", "document_no", "title", "announced_on")
    list_filter = ("year", "level")
    search_fields = ("title", "document_no", "=number", "=year")
    ordering = ("number",)


@admin.register(Designation)
class DesignationAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("company", "batch", "designated_on", "active")
    list_filter = ("batch", "active", "company__region")
    list_select_related = ("company", "batch")
    search_fields = ("company__name", "company__credit_code", "batch__title")
    autocomplete_fields = ("company", "batch")


class SurveillanceAuditInline(ScopedInlineMixin, admin.TabularInline):
    model = SurveillanceAudit
    fields = tuple(f for f in SurveillanceAudit.EDITABLE_FIELDS if f != "certification")


@admin.register(SurveillanceAudit)
class SurveillanceAuditAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("certification", "audited_on", "result", "auditor")
    list_filter = ("result", "certification__company__region")
    list_select_related = ("certification", "certification__company")
    search_fields = ("certification__certificate_no", "certification__company__name")
    autocomplete_fields = ("certification",)
    date_hierarchy = "audited_on"


@admin.register(Certification)
class CertificationAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "certificate_no",
        "company",
        "level",
        "status",
        "issued_on",
        "expires_on",
        "state",
    )
    list_filter = ("status", "level", "standard", "company__region")
    list_select_related = ("company",)
    search_fields = ("certificate_no", "company__name", "company__credit_code")
    autocomplete_fields = ("company",)
    date_hierarchy = "issued_on"

    inlines = (SurveillanceAuditInline,)

    def get_queryset(self, request):
        # The list's state column reads each certificate's audits.
        return super().get_queryset(request).prefetch_related("audits")

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.state_display


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("company", "level", "kind", "assessed_on", "assessor")
    list_filter = ("level", "kind", "company__region")
    list_select_related = ("company",)
    search_fields = ("company__name", "company__credit_code", "assessor")
    autocomplete_fields = ("company",)
    date_hierarchy = "assessed_on"
