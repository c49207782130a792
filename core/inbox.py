"""The in-app inbox page: the user's notifications, newest first; opening one marks it read."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from core.models import Notification
from core.notifications import notifications_mark_read


class InboxView(LoginRequiredMixin, ListView):
    template_name = "core/inbox.html"
    paginate_by = 50
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)


class NotificationOpenView(LoginRequiredMixin, View):
    """POST: mark one notification read and go to the page it links to."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        target = notification.url
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "inbox"
        return redirect(target or "inbox")


class InboxReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        notifications_mark_read(user=request.user)
        return redirect("inbox")
