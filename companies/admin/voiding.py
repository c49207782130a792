"""Void and restore in the admin: two list actions, with the reason typed beside the action
menu. They call `core.services.record_void` / `record_restore`, so the admin withdraws a
record exactly as the pages and the API do (scope, version, history with the reason)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.services import record_restore, record_void


class VoidActionForm(ActionForm):
    reason = forms.CharField(label=_("reason for voiding"), required=False, max_length=255)


class VoidAdminMixin:
    """For the admin of a VoidableModel: "void" and "restore" actions, voided rows filterable."""

    action_form = VoidActionForm
    actions = ["void_selected", "restore_selected"]

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), ("voided_at", admin.EmptyFieldListFilter))

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "voided_at", "void_reason")

    @admin.action(description=_("Void the selected records"))
    def void_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._apply(
            request,
            queryset,
            lambda obj: record_void(instance=obj, user=request.user, reason=reason),
        )

    @admin.action(description=_("Restore the selected records"))
    def restore_selected(self, request, queryset):
        self._apply(request, queryset, lambda obj: record_restore(instance=obj, user=request.user))

    def _apply(self, request, queryset, write):
        done = 0
        for obj in queryset:
            try:
                write(obj)
            except (ValidationError, PermissionDenied) as exc:
                detail = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                self.message_user(request, f"{obj}: {detail}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d records changed.") % {"count": done}, messages.SUCCESS
            )
