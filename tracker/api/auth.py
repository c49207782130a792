"""API credentials: sign in for a token, see and revoke one's own token, log out everywhere.

Token lifetime and revocation rules live in core.tokens."""

from django.contrib.auth import logout
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import VALIDATION_ERROR_SCHEMA
from core.api.viewsets import AcceptLanguageMixin
from core.tokens import (
    token_expires_at,
    token_for,
    tokens_of,
    tokens_revoke,
    user_log_out_everywhere,
)


class TokenView(AcceptLanguageMixin, ObtainAuthToken):
    """Exchange a username and password for an API token: the same token on every call
    until it expires (`expires`, API_TOKEN_TTL_DAYS after it was made), then a new one.

    Send it as `Authorization: Token <token>` on every later request.
    """

    public_endpoint = True
    # Signing in needs no credentials: a client still sending its expired token gets a new
    # one rather than a 401.
    authentication_classes = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            ),
            400: VALIDATION_ERROR_SCHEMA,
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = token_for(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})


class OwnTokenSerializer(serializers.Serializer):
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    expired = serializers.BooleanField()
    current = serializers.SerializerMethodField(
        help_text=_("Whether this request was signed with this token.")
    )

    def get_current(self, token) -> bool:
        return getattr(self.context["request"].auth, "pk", None) == token.pk


class OwnTokensView(AcceptLanguageMixin, APIView):
    """The caller's own API tokens (the key itself is never shown again), and their revocation.

    Any signed-in user, with or without a role; nobody sees or revokes another user's token
    here (administrators do that in the admin)."""

    @extend_schema(responses=OwnTokenSerializer(many=True), tags=["auth"])
    def get(self, request):
        tokens = tokens_of(user_id=request.user.pk)
        return Response(OwnTokenSerializer(tokens, many=True, context={"request": request}).data)

    @extend_schema(
        responses={204: None},
        tags=["auth"],
        description=str(_("Revoke every API token of the caller; sessions stay signed in.")),
    )
    def delete(self, request):
        tokens_revoke(user_id=request.user.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogOutEverywhereView(AcceptLanguageMixin, APIView):
    """Log out everywhere: revoke the caller's API tokens and end all its browser sessions,
    this one included."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        user_log_out_everywhere(user_id=request.user.pk)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
