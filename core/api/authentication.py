"""API authentication: DRF's token, refused once it is older than API_TOKEN_TTL_DAYS."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core.tokens import token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired token is a 401 that says so."""

    def authenticate_credentials(self, key):
        # DRF's lookup, with the user's membership read in the same query: the scoping
        # (core.scoping.scope_of) needs it on every request, and on a busy database each
        # round trip costs more than the page's own query.
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "user__membership").get(key=key)
        except model.DoesNotExist:
            raise AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_is_expired(token):
            raise AuthenticationFailed(
                _(
                    "The API token has expired. Sign in again (POST /api/v1/auth/token/) "
                    "for a new one."
                )
            )
        return token.user, token
