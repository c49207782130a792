"""Admin of the reporting cycle: campaigns and submissions are read here (they are opened,
filled and reviewed on the pages and through the API); the submissions list offers, as
actions, only the steps of reporting.workflow the user's role may take and that need no
comment (a return names its figures, on the review page)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext

from core.admin import ReadOnlyAdminMixin
from reporting.models import Attachment, Campaign, Submission, SubmissionStep
from reporting.services import submission_step
from reporting.workflow import SUBMISSION_STEPS


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "deadline", "opened_by", "opened_at")
    readonly_fields = ("year", "deadline", "opened_by", "opened_at", "target_filter", "note")


class StepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SubmissionStep
    fields = ("taken_at", "action", "from_state", "to_state", "taken_by", "comment", "fields")
    readonly_fields = fields
    extra = 0


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    fields = ("original_name", "kind", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0


def _step_action(step):
    def action(modeladmin, request, queryset):
        taken = 0
        for submission in queryset:
            try:
                submission_step(
                    submission=submission,
                    action=step.action,
                    user=request.user,
                    comment=gettext("From the admin list."),
                )
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(getattr(error, "messages", [str(error)]))
                modeladmin.message_user(request, f"{submission}: {text}", messages.ERROR)
            else:
                taken += 1
        if taken:
            modeladmin.message_user(
                request,
                ngettext("%(n)d submission: %(step)s.", "%(n)d submissions: %(step)s.", taken)
                % {"n": taken, "step": step.label},
                messages.SUCCESS,
            )

    action.__name__ = f"step_{step.action}"
    action.short_description = step.label
    action.step = step
    return action


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("company", "campaign", "state", "submitted_at", "updated_at")
    list_filter = ("state", "campaign", "company__region")
    search_fields = ("company__name", "company__credit_code")
    list_select_related = ("company", "campaign")
    readonly_fields = (
        "campaign",
        "company",
        "state",
        "figures",
        "warnings_confirmed",
        "returned_fields",
        "submitted_at",
        "updated_at",
    )
    inlines = (StepInline, AttachmentInline)
    actions = [_step_action(step) for step in SUBMISSION_STEPS if not step.needs_comment]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_actions(self, request):
        """Only the steps the user's role may take (the table's roles)."""
        actions = super().get_actions(request)
        for name, (func, _name, _label) in list(actions.items()):
            step = getattr(func, "step", None)
            if step is not None and not step.allows_role(request.user):
                del actions[name]
        return actions
