"""Admin for key projects, their status history and progress reports.

A project's status never changes by editing a field: the change page links to a small form,
and the list offers one action per move, both calling `projects.services.project_transition`,
which enforces the lifecycle, the user's scope and records who, when and why.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from companies.admin import ScopedAdminMixin, ScopedInlineMixin, register_company_inline
from companies.admin.voiding import VoidAdminMixin
from core.admin import ReadOnlyAdminMixin
from core.roles import Role
from core.scoping import scope_of
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from projects.services import allowed_moves, project_transition
from projects.workflow import PROJECT_STEPS, REOPEN


class KeyProjectInline(ScopedInlineMixin, admin.TabularInline):
    """The company page's list of key projects; status is shown, moved on the project page."""

    model = KeyProject
    fields = (
        "name",
        "kind",
        "level",
        "planned_investment",
        "planned_start",
        "planned_completion",
        "status",
    )
    readonly_fields = ("status",)


register_company_inline(KeyProjectInline)


class ProjectStatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProjectStatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("changed_by")


class ProgressReportInline(ScopedInlineMixin, admin.TabularInline):
    model = ProgressReport
    fields = ("year", "quarter", "invested_to_date", "percent_complete", "note")
    show_change_link = False


class LaggingFilter(admin.SimpleListFilter):
    title = _("lagging")
    parameter_name = "lagging"

    def lookups(self, request, model_admin):
        return (("yes", _("Lagging")), ("no", _("On schedule")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.lagging()
        if self.value() == "no":
            return queryset.not_lagging()
        return queryset


class TransitionForm(forms.Form):
    """Move a project one step. The menu offers only the allowed moves; a value posted from a
    stale page still reaches the service, whose refusal names the moves allowed now."""

    to_status = forms.ChoiceField(label=_("new status"))
    comment = forms.CharField(
        label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accepted_on = forms.DateField(
        label=_("accepted on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Only when accepting the project; defaults to today."),
    )

    def __init__(self, *args, project: KeyProject, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status, ProjectStatus(status).label) for status in allowed_moves(project, user)
        ]
        # Validation of the target is the service's job; the form only rejects nonsense.
        self.fields["to_status"].valid_value = lambda value: value in ProjectStatus.values


def _move_action(to_status: ProjectStatus):
    def action(modeladmin, request, queryset):
        modeladmin.transition_many(request, queryset, to_status)

    action.__name__ = f"move_to_{to_status.value}"
    # Lazy: the name is built when a page shows it, in that page's language (formatting a
    # lazy msgid here would fix it in the language active at import).
    action.short_description = lazy(
        lambda: gettext("Move selected projects to “%(status)s”") % {"status": to_status.label},
        str,
    )()
    action.allowed_permissions = ("change",)
    return action


@admin.register(KeyProject)
class KeyProjectAdmin(VoidAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "company",
        "kind",
        "level",
        "status",
        "planned_investment",
        "actual_investment",
        "planned_completion",
        "accepted_on",
        "lagging",
    )
    list_filter = ("status", "kind", "level", LaggingFilter, "company__region", "batch")
    list_select_related = ("company", "batch")
    search_fields = ("name", "company__name", "company__credit_code")
    autocomplete_fields = ("company", "batch")
    readonly_fields = ("status", "accepted_on")
    fieldsets = (
        (None, {"fields": ("company", "name", "kind", "level", "batch", "status")}),
        (
            _("Plan and result"),
            {
                "fields": (
                    ("planned_investment", "actual_investment"),
                    ("equipment_investment", "construction_investment"),
                    ("planned_start", "planned_completion", "accepted_on"),
                    ("robots_planned", "robots_added"),
                    "meets_ims_standard",
                )
            },
        ),
        (
            _("Record"),
            {"fields": ("version", "created_at", "created_by", "updated_at", "updated_by")},
        ),
    )
    inlines = [ProgressReportInline, ProjectStatusChangeInline]
    actions = [
        _move_action(status)
        for status in ProjectStatus
        if status != ProjectStatus.DECLARED  # nothing ever moves back to "declared"
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_lagging()

    def get_actions(self, request):
        """Only the moves the user's role may make (projects.workflow): county staff are not
        offered approving into the pool nor accepting."""
        actions = super().get_actions(request)
        reachable = {
            step.target
            for step in PROJECT_STEPS
            if step is not REOPEN and step.allows_role(request.user)
        }
        for name in list(actions):
            if name.startswith("move_to_") and name.removeprefix("move_to_") not in reachable:
                del actions[name]
        return actions

    @admin.display(description=_("lagging"), boolean=True, ordering="is_lagging")
    def lagging(self, obj):
        return bool(getattr(obj, "is_lagging", False))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change page's "Change status…" button, offered only to users who may move it.
        project = self.get_object(request, unquote(object_id))
        if (
            project is not None
            and allowed_moves(project, request.user)
            and self.has_change_permission(request, project)
        ):
            extra_context = {
                **(extra_context or {}),
                "transition_url": reverse(
                    "admin:projects_keyproject_transition", args=[project.pk]
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        custom = [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="projects_keyproject_transition",
            )
        ]
        return custom + super().get_urls()

    def transition_view(self, request, object_id):
        project = self.get_queryset(request).filter(pk=object_id).first()
        if project is None:
            raise Http404(gettext("No such key project."))
        if not self.has_change_permission(request, project):
            raise PermissionDenied
        change_url = reverse("admin:projects_keyproject_change", args=[project.pk])
        form = TransitionForm(request.POST or None, project=project, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                project_transition(
                    project=project,
                    to_status=form.cleaned_data["to_status"],
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    accepted_on=form.cleaned_data["accepted_on"],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _error_text(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("“%(project)s” is now “%(status)s”.")
                    % {"project": project, "status": ProjectStatus(project.status).label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
            form = TransitionForm(project=project, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change the status of “%(project)s”") % {"project": project},
            "opts": self.model._meta,
            "original": project,
            "form": form,
            "media": self.media + form.media,
            "current_status": ProjectStatus(project.status).label,
            "history": project.status_changes.select_related("changed_by"),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/projects/keyproject/transition.html", context)

    def transition_many(self, request, queryset, to_status: ProjectStatus) -> None:
        moved = 0
        for project in queryset:
            try:
                project_transition(
                    project=project,
                    to_status=to_status,
                    user=request.user,
                    comment=gettext("Moved from the admin list."),
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{project}: {_error_text(error)}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d project moved to “%(status)s”.",
                    "%(count)d projects moved to “%(status)s”.",
                    moved,
                )
                % {"count": moved, "status": to_status.label},
                messages.SUCCESS,
            )


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("You may not change this project.")


@admin.register(ProjectStatusChange)
class ProjectStatusChangeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The lifecycle record: written only by the transition service, never edited."""

    # The status history is read on each project's page; not a county clerk's own table.
    index_roles = (Role.ADMIN, Role.CITY)

    list_display = ("project", "from_status", "to_status", "changed_by", "changed_at", "comment")
    list_filter = ("to_status", "project__company__region")
    list_select_related = ("project", "changed_by")
    search_fields = ("project__name", "project__company__name", "comment")
    date_hierarchy = "changed_at"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Never deleted on its own; administrators may delete a project or company together
        # with its history (the admin asks this when collecting what a delete cascades to).
        return scope_of(request.user).role == Role.ADMIN and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        return {}

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "project",
        "company",
        "year",
        "quarter",
        "percent_complete",
        "expected_percent",
        "behind_schedule",
        "invested_to_date",
    )
    list_filter = ("year", "quarter", "behind_schedule", "project__company__region")
    list_select_related = ("project", "project__company")
    search_fields = ("project__name", "project__company__name", "project__company__credit_code")
    autocomplete_fields = ("project",)
    readonly_fields = ("expected_percent", "behind_schedule")

    @admin.display(description=_("company"), ordering="project__company__name")
    def company(self, obj):
        return obj.project.company
