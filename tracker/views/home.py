"""The front door: `/` sends each user to where their role works."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from core.roles import STAFF_ROLES, Role
from core.scoping import scope_of


def home(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    role = scope_of(request.user).role
    if role in STAFF_ROLES:
        return redirect("dashboard")
    if role == Role.COMPANY:
        return redirect("portal")
    # Logged in, but nobody has given the account a role yet.
    return render(request, "registration/no_role.html", status=403)
