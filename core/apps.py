from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The platform under every domain app: roles and scoping, the write path, the API base,
    exports. It imports no domain app (checked by import-linter, see pyproject.toml)."""

    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        # Ids in URLs are bounded to what the database can hold (core/converters.py).
        from django.urls import register_converter

        from core.converters import Int64Converter

        register_converter(Int64Converter, "int64")

        # A password change and the loss of rights revoke the user's API tokens.
        from core import token_revocation

        token_revocation.connect()


class TrackerAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's own AdminSite (core.admin.TrackerAdminSite): who
    may open it, and no bulk delete but for administrators."""

    default = False  # core's own config stays CoreConfig
    default_site = "core.admin.TrackerAdminSite"
