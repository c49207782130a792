"""The OpenAPI schema and its two reference pages, for signed-in users only (session or token;
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): the schema answers an anonymous call 401 as the API
does; the pages send an anonymous browser to the sign-in page and back."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated


class SignInFirstMixin:
    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class SwaggerView(SignInFirstMixin, SpectacularSwaggerSplitView):
    pass


class RedocView(SignInFirstMixin, SpectacularRedocView):
    pass
