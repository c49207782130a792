"""Site-wide API endpoints: token sign-in, a database-free ping, and (once their selectors
exist) the rankings status and the seed figures."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.schema import VALIDATION_ERROR_SCHEMA


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (the same token on every call).

    Send it as `Authorization: Token <token>` on every later request.
    """

    public_endpoint = True

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: VALIDATION_ERROR_SCHEMA,
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class PingView(APIView):
    """Answers `{"ok": true}` without touching the database: the framework's own ceiling
    in benchmarks, and a liveness probe."""

    authentication_classes = []
    permission_classes = [AllowAny]
    public_endpoint = True

    @extend_schema(
        responses=inline_serializer("Ping", {"ok": serializers.BooleanField()}),
        auth=[],
        tags=["status"],
        description=str(_("Liveness probe; no authentication, no database.")),
    )
    def get(self, request):
        return Response({"ok": True})
