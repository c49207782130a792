"""API authentication: DRF's token, refused once it is older than API_TOKEN_TTL_DAYS."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core.tokens import token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired token is a 401 that says so."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise AuthenticationFailed(
                _(
                    "The API token has expired. Sign in again (POST /api/v1/auth/token/) "
                    "for a new one."
                )
            )
        return user, token
