"""The programme's roles, and the groups of roles the rules speak of. Written once here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CITY = "city", _("City staff")
    COUNTY = "county", _("County staff")
    COMPANY = "company", _("Company user")


# Roles that see the whole city.
CITY_WIDE_ROLES = (Role.ADMIN, Role.CITY)
# Roles that work on company records (the bureau's staff, not the companies).
STAFF_ROLES = (Role.ADMIN, Role.CITY, Role.COUNTY)

# The permission group behind each role (companies.services.user_assign_role, the
# companies 0003 migration). The names are data, stored in English; people read the role's
# label instead (group_label), in their language.
ROLE_GROUPS = {
    Role.CITY: "city staff",
    Role.COUNTY: "county staff",
    Role.COMPANY: "company user",
}


def group_label(name: str) -> str:
    """What a permission group is called on screen: its role's label, or the stored name of a
    group that is no role's."""
    for role, group_name in ROLE_GROUPS.items():
        if name == group_name:
            return role.label
    return name


# Roles that use the Django admin: administrators (users, reference data), city and county
# staff (a company with all its records on one page, the bulk status moves of key projects
# that county review needs), each cut to their scope by the admin's scoping layer. Company
# users do all their work in the portal, which shows them everything the admin did, so the
# admin is closed to them (and to users without a role).
ADMIN_SITE_ROLES = STAFF_ROLES
