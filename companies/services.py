"""Company-side services: role assignment. Record writes go through core.services."""

from __future__ import annotations

from django.db import transaction

from core.roles import ADMIN_SITE_ROLES

ROLE_GROUPS = {
    "city": "city staff",
    "county": "county staff",
    "company": "company user",
}


@transaction.atomic
def user_assign_role(*, user, role: str, region=None, company=None):
    """Give `user` a role (and its binding), the matching permission group, and admin access
    for staff roles. Administrators are superusers and carry no membership."""
    from django.contrib.auth.models import Group

    from companies.models import Membership

    if role == "admin":
        Membership.objects.filter(user=user).delete()
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return None
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"role": role, "region": region, "company": company}
    )
    membership.full_clean()
    user.is_superuser = False
    # Only the roles that need the admin may open it (core.roles.ADMIN_SITE_ROLES; the admin
    # site checks the role too, so a stale flag opens nothing).
    user.is_staff = role in ADMIN_SITE_ROLES
    user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.set([Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]])
    user.__dict__.pop("_tracker_scope", None)
    return membership
