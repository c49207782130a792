from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The yearly cycle: reporting campaigns, the companies' submissions and their review."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from reporting import signals  # noqa: F401 - connects the lock of confirmed years
