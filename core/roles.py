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
# Roles that use the Django admin: administrators (users, reference data), city and county
# staff (a company with all its records on one page, the bulk status moves of key projects
# that county review needs), each cut to their scope by the admin's scoping layer. Company
# users do all their work in the portal, which shows them everything the admin did, so the
# admin is closed to them (and to users without a role).
ADMIN_SITE_ROLES = STAFF_ROLES
