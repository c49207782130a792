"""The base views of the pages: their rows are cut to the user's scope here, once.

A page names its `model` (or overrides `get_base_queryset` to add its `select_related`); the
base applies `visible_to(user)`, or `editable_by(user)` on an edit page, so a new page cannot
forget it. A model without scoping (a city-wide table) does not fit these bases: its view
says so by writing its own `get_queryset`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, UpdateView

from core.roles import Role
from core.scoping import scope_of
from core.services import record_restore, record_void


class ScopedQuerysetMixin:
    """`get_queryset()` is `get_base_queryset()` cut to what the user may see (or edit, when
    `editing`); `get_object()` of a detail or edit page reads through it, so a row outside
    the scope is never shown.

    What a miss answers depends on what the user may already know. County staff see the
    city's rankings, so they know another county's companies exist: for a row that exists
    outside their region they get a 403 page that says so in a sentence, naming nothing of
    the record (`other_region.html`). Everyone else — company users above all, who must not
    learn whether another company's record exists — gets the plain 404."""

    model = None
    editing = False

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except RecordInOtherRegion:
            return TemplateResponse(request, "other_region.html", status=403)

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if queryset is None and self._exists_in_other_region():
                raise RecordInOtherRegion from None
            raise

    def get_base_queryset(self):
        """The rows before scoping; override to add select_related or annotations."""
        return self.model._default_manager.all()

    def _exists_in_other_region(self) -> bool:
        if not _is_county_staff(self.request.user):
            return False
        pk = self.kwargs.get(self.pk_url_kwarg)
        return pk is not None and self.model._default_manager.filter(pk=pk).exists()

    def get_queryset(self):
        rows = self.get_base_queryset()
        user = self.request.user
        return rows.editable_by(user) if self.editing else rows.visible_to(user)


class RecordInOtherRegion(PermissionDenied):
    """The record exists, in a region the (county) user does not work in."""


def _is_county_staff(user) -> bool:
    return scope_of(user).role == Role.COUNTY


class ScopedListView(ScopedQuerysetMixin, ListView):
    pass


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


class ScopedUpdateView(ScopedQuerysetMixin, UpdateView):
    """Records the user may not change answer 404, whether or not they may see them."""

    editing = True


class RecordVoidView(LoginRequiredMixin, View):
    """POST: void a record (with the `reason` posted) or, with `restore=True`, put it back,
    through `core.services`; then back to the page named in `next`. A record the user cannot
    see answers 404, one they may see but not edit 403 (the service's refusal); a refused
    reason is shown as a message and nothing is written. The URLconf names the `model`."""

    model = None
    restore = False
    http_method_names = ["post"]

    def post(self, request, pk):
        rows = self.model._default_manager.visible_to(request.user)
        instance = get_object_or_404(rows, pk=pk)
        try:
            if self.restore:
                record_restore(instance=instance, user=request.user)
            else:
                record_void(instance=instance, user=request.user, reason=request.POST.get("reason"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            done = _("%(record)s restored.") if self.restore else _("%(record)s voided.")
            messages.success(request, done % {"record": instance})
        return redirect(self.next_url())

    def next_url(self) -> str:
        target = self.request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if safe else "/"
