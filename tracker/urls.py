from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API and its schema/docs: tracker/api_urls.py.
    path("api/", include("tracker.api_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Server-rendered pages for staff and companies: tracker/web_urls.py.
    path("", include("tracker.web_urls")),
    prefix_default_language=False,
)
