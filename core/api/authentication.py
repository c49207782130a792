"""API authentication: DRF's token, refused once it is older than API_TOKEN_TTL_DAYS."""

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from core.compiled import CompiledValues
from core.tokens import token_is_expired

# The user's role membership (companies.Membership, a one-to-one to the user), named here
# by its relation so that core imports no app.
MEMBERSHIP = "membership"


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _token_values(key: str):
    user_model = get_user_model()
    membership_model = user_model._meta.get_field(MEMBERSHIP).related_model
    return Token.objects.filter(key=key).values(
        *_columns(Token),
        *[f"user__{name}" for name in _columns(user_model)],
        *[f"user__{MEMBERSHIP}__{name}" for name in _columns(membership_model)],
    )


# Every API request reads its token: the same query as DRF's lookup with
# select_related("user", "user__membership"), compiled once (core.compiled), which saves
# the ~1 ms of Python the ORM spends building and compiling it.
_TOKEN = CompiledValues(_token_values, "\x00token-key\x00")


def _instance(model, row: dict, prefix: str):
    names = _columns(model)
    return model.from_db(DEFAULT_DB_ALIAS, names, [row[prefix + name] for name in names])


def token_with_user(key: str) -> Token | None:
    """The token `key` with its user and the user's membership (None when the user has
    none) loaded, as select_related loads them; None when there is no such token."""
    row = _TOKEN.first(key)
    if row is None:
        return None
    user_model = get_user_model()
    relation = user_model._meta.get_field(MEMBERSHIP)
    membership_model = relation.related_model
    token = _instance(Token, row, "")
    user = _instance(user_model, row, "user__")
    membership = None
    if row[f"user__{MEMBERSHIP}__{membership_model._meta.pk.attname}"] is not None:
        membership = _instance(membership_model, row, f"user__{MEMBERSHIP}__")
        relation.field.set_cached_value(membership, user)
    relation.set_cached_value(user, membership)
    token.user = user
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired token is a 401 that says so."""

    def authenticate_credentials(self, key):
        # DRF's lookup, with the user's membership read in the same query: the scoping
        # (core.scoping.scope_of) needs it on every request, and on a busy database each
        # round trip costs more than the page's own query.
        token = token_with_user(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
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
