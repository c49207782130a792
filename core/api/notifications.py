"""`/api/v1/notifications/`: the caller's own notifications (every role sees only its own,
NotificationQuerySet.visible_to), `?unread=true|false`, and marking one or all as read."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import WRITE_OWN
from core.api.viewsets import ReadOnlyResourceViewSet
from core.models import Notification
from core.notifications import notifications_mark_read


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("unread")
    )

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="The message in the caller's language.")
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "text", "url", "created_at", "read_at", "unread")
        read_only_fields = fields

    def get_text(self, notification) -> str:
        return notification.text

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class NotificationViewSet(ReadOnlyResourceViewSet):
    """The caller's in-app notifications, newest first; `url` is the page to act on."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ("created_at", "id")
    search_fields = ()
    write_access = WRITE_OWN
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification as read."""
        notification = self.get_object()
        notifications_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notification of the caller as read."""
        return Response({"marked": notifications_mark_read(user=request.user)})
