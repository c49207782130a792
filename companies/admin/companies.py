"""Companies and their yearly figures; the company page gathers every record of a company."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from companies.admin.scoping import ScopedAdminMixin, ScopedInlineMixin, VersionedAdminForm
from companies.admin.voiding import VoidAdminMixin
from companies.forms import ConfirmWarningsMixin
from companies.models import (
    AnnualData,
    Certification,
    Company,
    Designation,
    MaturityAssessment,
)

# Inlines that other apps add to the company page (projects adds its key projects), so that
# companies never imports them.
_extra_company_inlines: list[type[admin.options.InlineModelAdmin]] = []


def register_company_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    if inline not in _extra_company_inlines:
        _extra_company_inlines.append(inline)


class DesignationInline(ScopedInlineMixin, admin.TabularInline):
    model = Designation
    fields = ("batch", "designated_on", "active", "revoked_reason")
    autocomplete_fields = ("batch",)


class CertificationInline(ScopedInlineMixin, admin.TabularInline):
    model = Certification
    fields = Certification.EDITABLE_FIELDS


class MaturityAssessmentInline(ScopedInlineMixin, admin.TabularInline):
    model = MaturityAssessment
    fields = MaturityAssessment.EDITABLE_FIELDS


class AnnualDataAdminForm(ConfirmWarningsMixin, VersionedAdminForm):
    """A year-on-year jump is saved only once confirmed, as on the staff pages."""


class AnnualDataInline(ScopedInlineMixin, admin.StackedInline):
    model = AnnualData
    form = AnnualDataAdminForm
    fields = (
        "year",
        ("above_size", "land_area_mu"),
        ("main_revenue", "industrial_output", "added_value", "total_profit", "tax_paid"),
        ("avg_employees", "unskilled_workers", "robots_in_service", "robots_added"),
        ("energy_use_tce", "emissions", "electricity", "rd_expense"),
        "major_incident",
        "confirm_warnings",
    )
    classes = ("collapse",)


@admin.register(Company)
class CompanyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "credit_code",
        "region",
        "industry",
        "key_industry",
        "above_size",
        "is_pilot",
        "rated",
        "land_area_mu",
    )
    list_filter = ("region", "industry", "key_industry", "above_size", "is_pilot", "rated")
    list_select_related = ("region", "industry", "key_industry")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("region", "industry", "key_industry")
    fieldsets = (
        (None, {"fields": ("credit_code", "name", "region", "industry", "key_industry")}),
        (
            _("Programme"),
            {
                "fields": (
                    "above_size",
                    "land_area_mu",
                    ("is_pilot", "pilot_year", "pilot_designated_on"),
                    "rated",
                )
            },
        ),
        (
            _("Contact"),
            {"fields": ("address", "founded_on", "contact_person", "contact_phone")},
        ),
        (
            _("Record"),
            {"fields": ("version", "created_at", "created_by", "updated_at", "updated_by")},
        ),
    )
    inlines = [DesignationInline, CertificationInline, MaturityAssessmentInline, AnnualDataInline]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_extra_company_inlines]


@admin.register(AnnualData)
class AnnualDataAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = AnnualDataAdminForm
    list_display = (
        "company",
        "year",
        "main_revenue",
        "added_value",
        "total_profit",
        "tax_paid",
        "avg_employees",
        "robots_added",
        "major_incident",
    )
    list_filter = ("year", "major_incident", "company__region")
    list_select_related = ("company",)
    search_fields = ("company__name", "company__credit_code")
    autocomplete_fields = ("company",)
