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
