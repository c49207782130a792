"""Who may call what, decided by the scoping layer (core.scoping).

Row-level visibility is not decided here: the base viewsets (core.api.viewsets) restrict every
queryset to `Model.objects.visible_to(user)`, so another company's or region's row is simply
not found (404), and writes go through `core.services.record_save`, which refuses a write
outside the user's scope (403).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.scoping import (
    can_edit_company_data,
    can_manage_reference_data,
    can_publish_rankings,
    scope_of,
)

# What a viewset's `write_access` may say about unsafe methods.
WRITE_COMPANY_DATA = "company_data"  # admin, city, county (county only in its region)
WRITE_CITY = "city"  # admin and city staff
WRITE_ADMIN = "admin"  # administrators only (reference data)
WRITE_NONE = "none"  # read-only endpoint
# A workflow's steps (objections): any role may call; each step's service checks the roles
# its transition table names, and the scope.
WRITE_WORKFLOW = "workflow"
# The caller's own rows (their notifications): any role; the rows are the caller's alone.
WRITE_OWN = "own"

_WRITE_CHECKS = {
    WRITE_COMPANY_DATA: can_edit_company_data,
    WRITE_CITY: can_publish_rankings,
    WRITE_ADMIN: can_manage_reference_data,
    WRITE_NONE: lambda user: False,
    WRITE_WORKFLOW: lambda user: scope_of(user).role is not None,
    WRITE_OWN: lambda user: scope_of(user).role is not None,
}

WRITE_DESCRIPTIONS = {
    WRITE_COMPANY_DATA: _(
        "Writes: administrators and city staff everywhere, county staff in their own region; "
        "company users may not write."
    ),
    WRITE_CITY: _("Writes: administrators and city staff."),
    WRITE_ADMIN: _("Writes: administrators only."),
    WRITE_NONE: _("Read-only."),
    WRITE_WORKFLOW: _("Writes: each step by the roles the workflow's transition table names."),
    WRITE_OWN: _("Writes: every role, on its own rows only."),
}


class HasProgrammeRole(BasePermission):
    """Authenticated users with a role read; writes per the view's `write_access`.

    An anonymous caller is refused before this runs its checks (401, with a
    `WWW-Authenticate: Token` header); a signed-in user without any role gets 403.
    """

    message = _("Your account has no role in the programme; ask an administrator for one.")

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if scope_of(user).role is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        access = getattr(view, "write_access", WRITE_NONE)
        if not _WRITE_CHECKS[access](user):
            self.message = _("Your role may not change these records.")
            return False
        return True
