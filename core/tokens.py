"""A user's API credentials: how long a token lives, and how credentials are revoked.

A user holds at most one API token (DRF's `Token`, one per user). It expires
`API_TOKEN_TTL_DAYS` after it was made; signing in again (POST /api/v1/auth/token/) replaces
an expired one. It is deleted when the user logs out everywhere or revokes it, when the
password changes, and when the role is removed or changed (core.token_revocation and
companies.signals connect those).
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_is_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


@transaction.atomic
def token_for(*, user) -> Token:
    """The user's token: the one it holds while it is valid, else a new one."""
    token, created = Token.objects.select_for_update().get_or_create(user=user)
    if not created and token_is_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def tokens_of(*, user_id: int) -> list[Token]:
    """The user's tokens, newest first, each with its `expires` time and `expired` flag."""
    tokens = list(Token.objects.filter(user_id=user_id).order_by("-created"))
    for token in tokens:
        token.expires = token_expires_at(token)
        token.expired = token_is_expired(token)
    return tokens


def tokens_revoke(*, user_id: int) -> int:
    """Delete every API token of the user; the number deleted."""
    deleted, _by_model = Token.objects.filter(user_id=user_id).delete()
    return deleted


def sessions_end(*, user_id: int) -> int:
    """End every browser session of the user, on every device; the number ended.

    The session table has no user column, so each unexpired session is read: a deliberate,
    seldom action over at most a working day's sessions (SESSION_COOKIE_AGE). A session store
    outside the database (cache only) cannot be listed; its sessions run out by themselves.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DatabaseSessionStore):
        return 0
    unexpired = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    keys = [
        session.session_key
        for session in unexpired.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user_id)
    ]
    for key in keys:
        # Through the store, so a cached_db session leaves its cache too.
        store(session_key=key).delete()
    return len(keys)


def user_log_out_everywhere(*, user_id: int) -> None:
    """Revoke the user's API tokens and end all its browser sessions."""
    tokens_revoke(user_id=user_id)
    sessions_end(user_id=user_id)
