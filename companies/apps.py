from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")

    def ready(self):
        # Removing or changing a role revokes the user's API tokens.
        from companies import listing, signals

        signals.connect()
        # Company lists kept in the cache are keyed by the stamp of what they show.
        listing.connect()
