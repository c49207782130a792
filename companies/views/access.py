"""Who may open which page. Pages still fetch their rows through `visible_to` /
`editable_by`; these mixins only keep whole page groups away from roles that have no
business there. Staff pages answer 404 (not 403) to company users, so a page's existence
says nothing about another company."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from core.roles import STAFF_ROLES, Role
from core.scoping import scope_of


def is_staff_user(user) -> bool:
    return scope_of(user).role in STAFF_ROLES


class StaffRequiredMixin(LoginRequiredMixin):
    """Administrators, city and county staff; anonymous users go to the login page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_staff_user(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CityRequiredMixin(StaffRequiredMixin):
    """Administrators and city staff only (county staff get 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_of(request.user).is_city_wide:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CompanyUserRequiredMixin(LoginRequiredMixin):
    """Company users only: the portal."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        scope = scope_of(request.user)
        if scope.role != Role.COMPANY or scope.company_id is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)
