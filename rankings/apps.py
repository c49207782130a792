from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Rankings")

    def ready(self):
        # Rankings learn of changes to companies and projects through signals, so those apps
        # never import this one (CONVENTIONS.md: companies <- projects <- rankings).
        from rankings import signals

        signals.connect()
