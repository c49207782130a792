"""Demonstration batches and designations, IMS certifications, maturity assessments."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from companies.admin.scoping import ScopedAdminMixin
from companies.admin.voiding import VoidAdminMixin
from companies.models import Certification, DemonstrationBatch, Designation, MaturityAssessment


@admin.register(DemonstrationBatch)
class DemonstrationBatchAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """City-wide reference of the programme: city staff maintain it, county staff look."""

    list_display = ("number", "year", "title", "announced_on")
    list_filter = ("year",)
    search_fields = ("title", "=number", "=year")
    ordering = ("number",)


@admin.register(Designation)
class DesignationAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("company", "batch", "designated_on", "active")
    list_filter = ("batch", "active", "company__region")
    list_select_related = ("company", "batch")
    search_fields = ("company__name", "company__credit_code", "batch__title")
    autocomplete_fields = ("company", "batch")


@admin.register(Certification)
class CertificationAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "certificate_no",
        "company",
        "level",
        "status",
        "issued_on",
        "expires_on",
        "expired",
    )
    list_filter = ("status", "level", "standard", "company__region")
    list_select_related = ("company",)
    search_fields = ("certificate_no", "company__name", "company__credit_code")
    autocomplete_fields = ("company",)
    date_hierarchy = "issued_on"

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj):
        return obj.is_expired


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("company", "level", "assessed_on", "assessor")
    list_filter = ("level", "company__region")
    list_select_related = ("company",)
    search_fields = ("company__name", "company__credit_code", "assessor")
    autocomplete_fields = ("company",)
    date_hierarchy = "assessed_on"
