"""The API's documentation pages, served with nothing from the internet.

Swagger UI and ReDoc come from drf-spectacular-sidecar's static files. drf-spectacular's own
ReDoc template also links Google Fonts, which an intranet cannot reach (and which would make
the page wait on a timeout); this view renders the same page without those links, in the
system fonts.
"""

from django.http import HttpResponse
from django.template import engines
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

OFFLINE_REDOC = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}
<title>{{ title|default:"Redoc" }}</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
{% endblock head %}
"""


class OfflineRedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        context = {
            "title": self.title,
            "redoc_standalone": self._redoc_standalone(),
            "schema_url": self._get_schema_url(request),
            "settings": None,
        }
        html = engines["django"].from_string(OFFLINE_REDOC).render(context, request)
        return HttpResponse(html)
