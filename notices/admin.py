"""Objections in the admin: read-only here. Steps are taken on the objection pages or the
API, which offer only the steps the user's role may take (notices/workflow.py)."""

from django.contrib import admin

from notices.models import Objection, ObjectionAttachment


class AttachmentInline(admin.TabularInline):
    model = ObjectionAttachment
    fields = ("original_name", "kind", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("id", "company", "run", "subject", "state", "filed_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("company__name", "company__credit_code")
    inlines = [AttachmentInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).visible_to(request.user).select_related("company", "run")
        )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Objection._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
