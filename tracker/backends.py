"""Authentication backends: django-axes login throttling, made to fit this project's entry points."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


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
