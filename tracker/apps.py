from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default = True  # this module holds a second config (django-axes'): this one is tracker's
    name = "tracker"
    verbose_name = _("智能制造改造跟踪")

    def ready(self):
        from rankings.events import run_written
        from tracker import figures, figures_triggers

        # The dashboard's figures are stored with each provisional run (tracker.figures)
        # and marked stale with their inputs.
        run_written.connect(figures.on_run_written, dispatch_uid="tracker-run-figures")
        figures_triggers.connect()


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a name its users understand: its own is the bare label "Axes"."""

    verbose_name = _("Login protection")
