"""Django admin for rankings: scoring schemes (editable by administrators, versioned), runs
(read-only, with a publish action), scores and the league table (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.roles import Role
from core.scoping import can_manage_reference_data, can_publish_rankings, scope_of
from rankings.choices import RunKind
from rankings.forms import NoticeDaysField, acknowledged_unconfirmed
from rankings.models import (
    CompanyScore,
    DirtyYear,
    IndustryLeague,
    RankingRun,
    RegionLeague,
    RunBaseline,
    ScoringScheme,
)
from rankings.models.scores import DETAIL_FIELDS, score_details_visible
from rankings.selectors import publish_summary
from rankings.services import rankings_publish, scheme_revise


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Results are computed, never typed in."""


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    """Saving a change to a scheme that a run has used does not touch it: the change becomes
    a new version (which takes over "active"), so every run remains explained by the exact
    parameters it records. A scheme no run has used yet is edited in place. Either way every
    year is marked for recompute."""

    # Not on a county clerk's admin index: they read rankings on the rankings pages.
    index_roles = (Role.ADMIN, Role.CITY)

    list_display = ("version", "name", "active", "created_at", "created_by")
    list_filter = ("active",)
    readonly_fields = ("version", "created_at", "created_by")
    fieldsets = (
        (None, {"fields": ("version", "name", "active", "notes", "created_at", "created_by")}),
        (
            _("Efficiency block E"),
            {
                "fields": (
                    ("weight_tax_per_mu", "baseline_tax_per_mu"),
                    ("weight_added_value_per_mu", "baseline_added_value_per_mu"),
                    ("weight_labour_productivity", "baseline_labour_productivity"),
                    ("weight_added_value_per_energy", "baseline_added_value_per_energy"),
                    ("weight_added_value_per_emission", "baseline_added_value_per_emission"),
                    ("weight_rd_intensity", "baseline_rd_intensity"),
                    "points_cap",
                )
            },
        ),
        (
            _("Below designated size (规下) and evaluation scope"),
            {
                "fields": (
                    "evaluation_scope",
                    "below_min_land_mu",
                    ("weight_below_tax_per_mu", "weight_below_tax_per_electricity"),
                    "below_points_cap",
                    ("grade_a_share_below", "grade_b_share_below", "grade_c_share_below"),
                )
            },
        ),
        (
            _("Smart-manufacturing block S"),
            {
                "fields": (
                    ("ims_points_aaa", "ims_points_aa", "ims_points_a", "ims_points_no_level"),
                    "maturity_points_per_level",
                    (
                        "digital_workshop_city",
                        "digital_workshop_province",
                        "digital_workshop_national",
                    ),
                    ("factory_city", "factory_province", "factory_national"),
                    "future_factory",
                    ("robot_density_weight", "robot_density_cap", "baseline_robot_density"),
                    "s_cap",
                )
            },
        ),
        (
            _("Grades and notice"),
            {
                "fields": (
                    ("grade_a_share", "grade_b_share", "grade_c_share"),
                    "veto_enabled",
                    "protection_years",
                    "notice_days",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return can_manage_reference_data(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_reference_data(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_reference_data(request.user) and not (
            obj is not None and obj.runs.exists()
        )

    def save_model(self, request, obj, form, change):
        old_pk = obj.pk
        saved = scheme_revise(scheme=obj, user=request.user)
        if change and saved.pk != old_pk:
            self.message_user(
                request,
                gettext(
                    "Version %(old)s is used by existing runs, so your changes were saved as "
                    "version %(new)s."
                )
                % {"old": form.initial.get("version", ""), "new": saved.version},
                messages.INFO,
            )


class PublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the year has already been published (a correction)."),
    )
    notice_days = NoticeDaysField()


@admin.action(description=_("Publish the selected provisional runs"), permissions=["publish"])
def publish_runs(modeladmin, request, queryset):
    runs = list(queryset.filter(kind=RunKind.PROVISIONAL).order_by("year"))
    if not runs:
        modeladmin.message_user(
            request, gettext("Select provisional runs to publish."), messages.WARNING
        )
        return None
    summaries = [publish_summary(year=run.year) for run in runs]
    form = PublishForm(
        request.POST if "apply" in request.POST else None,
        initial={"notice_days": summaries[0].notice_days if summaries[0] else None},
    )
    if not form.is_bound or not form.is_valid():
        return TemplateResponse(
            request,
            "admin/rankings/publish.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("Publish rankings"),
                "runs": runs,
                "summaries": [summary for summary in summaries if summary is not None],
                "form": form,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    for run in runs:
        try:
            published = rankings_publish(
                year=run.year,
                user=request.user,
                reason=form.cleaned_data["reason"],
                notice_days=form.cleaned_data["notice_days"],
                unconfirmed_acknowledged=acknowledged_unconfirmed(request.POST, run.year),
            )
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            modeladmin.message_user(request, f"{run.year}: {text}", messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            gettext("%(year)s published; the public notice ends on %(day)s.")
            % {"year": published.year, "day": published.notice_ends_on},
            messages.SUCCESS,
        )
    return None


class RegionLeagueInline(admin.TabularInline):
    model = RegionLeague
    can_delete = False
    extra = 0
    fields = (
        "region",
        "rated_count",
        "grade_a_count",
        "grade_a_share",
        "ims_certified_count",
        "projects_accepted",
        "projects_accepted_investment",
        "robots_added",
        "tax_per_mu",
        "rated_count_below",
        "grade_a_count_below",
        "grade_a_share_below",
        "tax_per_mu_below",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RunBaselineInline(admin.TabularInline):
    """The populations the run graded (RANKING.md part 2): class, region in region scope,
    N, cut-off ranks and baselines — what explains every score of the run."""

    model = RunBaseline
    can_delete = False
    extra = 0
    fields = [field.name for field in RunBaseline._meta.fields if field.name not in ("id", "run")]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndustryLeagueInline(RegionLeagueInline):
    model = IndustryLeague
    fields = ("industry", *RegionLeagueInline.fields[1:])
    readonly_fields = fields


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdmin):
    # Not on a county clerk's admin index: they read rankings on the rankings pages.
    index_roles = (Role.ADMIN, Role.CITY)
    list_display = (
        "year",
        "kind",
        "status",
        "scheme_version",
        "evaluation_scope",
        "rated_count",
        "rated_count_below",
        "started_at",
        "finished_at",
        "published_by",
        "notice_ends_on",
    )
    list_filter = ("kind", "year", "status")
    list_select_related = ("published_by",)
    actions = [publish_runs]
    inlines = [RunBaselineInline, RegionLeagueInline, IndustryLeagueInline]
    readonly_fields = [field.name for field in RankingRun._meta.fields]

    def has_publish_permission(self, request):
        return can_publish_rankings(request.user)


@admin.register(CompanyScore)
class CompanyScoreAdmin(ReadOnlyAdmin):
    # Not on a county clerk's admin index: they read rankings on the rankings pages.
    index_roles = (Role.ADMIN, Role.CITY)
    list_display = (
        "company_name",
        "credit_code",
        "run",
        "rated",
        "size_class",
        "total",
        "city_rank",
        "region_rank",
        "industry_rank",
        "grade",
        "not_rated_reason",
    )
    list_filter = (
        "run__kind",
        "run__year",
        "rated",
        "size_class",
        "grade",
        "not_rated_reason",
        "veto_applied",
        "protection_applied",
        "region",
    )
    search_fields = ("credit_code", "company_name")
    list_select_related = ("run",)
    show_full_result_count = False  # a run has a row per company: counting twice is wasted
    readonly_fields = [field.name for field in CompanyScore._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_list_filter(self, request):
        if scope_of(request.user).is_city_wide:
            return self.list_filter
        # Whether a grade was vetoed or protected is the company's own data.
        return tuple(name for name in self.list_filter if name not in DETAIL_FIELDS)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not score_details_visible(request.user, obj.region_id):
            fields = [name for name in fields if name not in DETAIL_FIELDS]
        return fields


@admin.register(DirtyYear)
class DirtyYearAdmin(ReadOnlyAdmin):
    # The recompute queue is the system's own bookkeeping: administrators only.
    index_roles = (Role.ADMIN,)

    def has_view_permission(self, request, obj=None):
        return scope_of(request.user).role == Role.ADMIN and super().has_view_permission(
            request, obj
        )

    list_display = (
        "year",
        "generation",
        "requested_at",
        "enqueued_at",
        "started_at",
        "reason",
        "last_error",
    )
