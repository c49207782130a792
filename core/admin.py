"""Admin pieces every app shares, and the admin site itself."""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from core.scoping import may_use_admin, scope_of


class NoBulkDeleteMixin:
    """Only administrators may delete many rows at once; everyone else deletes one record at
    a time, from its own page, where its history and reason are shown."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions


class IndexRolesMixin:
    """`index_roles`: the roles whose admin index lists the model (None: every role that may
    view it). Internal and reference tables stay off a county clerk's index, which shows
    what they work with; a link from a record still opens what they may view."""

    def has_module_permission(self, request):
        # Read with getattr: this mixin comes first in the class register() builds, so a
        # default here would hide the ModelAdmin's own `index_roles`.
        roles = getattr(self, "index_roles", None)
        if roles is not None and scope_of(request.user).role not in roles:
            return False
        return super().has_module_permission(request)


def refuse_other_roles(request) -> None:
    """403 for a signed-in user whose role does not use the admin (anonymous users still get
    the admin's login form)."""
    if request.user.is_authenticated and not may_use_admin(request.user):
        raise PermissionDenied


class TrackerAdminSite(admin.AdminSite):
    """The site's admin (installed by core.apps.TrackerAdminConfig). The one gate of who may
    open it: `core.scoping.may_use_admin` (the roles in core.roles.ADMIN_SITE_ROLES). A signed-in
    user of another role gets the 403 page rather than the admin's login form."""

    # The admin is part of the product: it carries the product's name, not "Django".
    site_header = gettext_lazy("Jinhua smart manufacturing · administration")
    site_title = gettext_lazy("Jinhua smart manufacturing")
    index_title = gettext_lazy("Records and settings")

    def has_permission(self, request):
        return super().has_permission(request) and may_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            refuse_other_roles(request)
            return guarded(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        refuse_other_roles(request)
        return super().login(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model's admin, ours and third parties', gets the bulk-delete rule here, once.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, NoBulkDeleteMixin):
            admin_class = type(
                admin_class.__name__,
                (IndexRolesMixin, NoBulkDeleteMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)


class ReadOnlyAdminMixin:
    """Rows that are computed or recorded, never typed in (ranking results, status history):
    nobody adds, edits or deletes them in the admin, whatever the role's permissions say."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
