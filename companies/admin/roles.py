"""Users and their roles. Only administrators see or change them: a role decides what
someone may see everywhere else."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from companies.models import Membership
from companies.services import ROLE_GROUPS, user_assign_role
from core.roles import Role, group_label
from core.scoping import can_manage_reference_data

User = get_user_model()


class AdministratorsOnly:
    def has_module_permission(self, request):
        return can_manage_reference_data(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_reference_data(request.user)

    def has_add_permission(self, request, *args):
        return can_manage_reference_data(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_reference_data(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_reference_data(request.user)


def _assign(membership: Membership) -> None:
    """Save a membership through the role service, so the permission group and admin
    access follow the role."""
    user_assign_role(
        user=membership.user,
        role=membership.role,
        region=membership.region,
        company=membership.company,
    )


def _revoke(membership: Membership) -> None:
    user = membership.user
    membership.delete()
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
    user.__dict__.pop("_tracker_scope", None)


@admin.register(Membership)
class MembershipAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("user", "role", "region", "company")
    list_filter = ("role", "region")
    list_select_related = ("user", "region", "company")
    search_fields = ("user__username", "user__first_name", "user__last_name", "company__name")
    autocomplete_fields = ("user", "region", "company")

    def save_model(self, request, obj, form, change):
        _assign(obj)

    def delete_model(self, request, obj):
        _revoke(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in queryset.select_related("user"):
                _revoke(membership)


class MembershipInline(AdministratorsOnly, admin.StackedInline):
    model = Membership
    can_delete = True
    max_num = 1
    autocomplete_fields = ("region", "company")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class TrackerGroupAdmin(AdministratorsOnly, GroupAdmin):
    """The permission groups, listed under their roles' names in the reader's language."""

    list_display = ("label",)

    @admin.display(description=_("name"), ordering="name")
    def label(self, obj):
        return group_label(obj.name)


@admin.register(User)
class TrackerUserAdmin(AdministratorsOnly, UserAdmin):
    inlines = [MembershipInline]
    list_display = (*UserAdmin.list_display, "role")
    list_select_related = ("membership",)
    # The role filter replaces UserAdmin's groups filter, which lists the groups' stored names.
    list_filter = (
        *(name for name in UserAdmin.list_filter if name != "groups"),
        "membership__role",
        "membership__region",
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: group_label(group.name)
        return field

    @admin.display(description=Membership._meta.get_field("role").verbose_name)
    def role(self, obj):
        if obj.is_superuser:
            return Role.ADMIN.label
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            _revoke(membership)
        for membership in memberships:
            membership.user = form.instance
            _assign(membership)
        return None
