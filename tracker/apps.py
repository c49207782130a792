from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default = True  # this module holds a second config (django-axes'): this one is tracker's
    name = "tracker"
    verbose_name = _("智能制造改造跟踪")

    def ready(self):
        from django.contrib import admin

        # The admin is part of the product: it carries the product's name, not "Django".
        admin.site.site_header = _("Jinhua smart manufacturing · administration")
        admin.site.site_title = _("Jinhua smart manufacturing")
        admin.site.index_title = _("Records and settings")


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a name its users understand: its own is the bare label "Axes"."""

    verbose_name = _("Login protection")
