from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links; the file is a static one. Lazy and
    # temporary: in production its URL carries the file's hash, known once collectstatic ran.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
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
