"""Login throttling (django-axes), fitted to this project's entry points: the backend that
refuses locked-out logins and the response a locked-out client gets."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.template.response import TemplateResponse


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse every login attempt of a username + IP pair that failed too often (django-axes).

    Two differences from the stock backend:

    - `authenticate()` without a request (a shell, a management command, Django's test client)
      has no client to throttle and is passed on to the next backend instead of raising.
      Every HTTP login path (the login page, the admin, the API token view) passes its request.
    - DRF wraps the HttpRequest; the lockout flag is copied onto the wrapped request so that
      `AxesMiddleware` answers the API token view with 429 as it does the login page.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            wrapped = getattr(request, "_request", None)
            if wrapped is not None:
                wrapped.axes_locked_out = True
            raise


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out client gets (AXES_LOCKOUT_CALLABLE), always HTTP 429 with Retry-After:
    API callers a JSON error in the API's shape; people the login page again, saying why."""
    message = str(settings.AXES_COOLOFF_MESSAGE)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        messages.error(request, message)
        response = TemplateResponse(
            request,
            "registration/login.html",
            {"form": AuthenticationForm(request), "next": request.GET.get("next", "")},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
