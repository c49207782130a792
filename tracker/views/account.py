"""The signed-in user's own credentials: their API token (when made, when it expires) and its
revocation, and logging out everywhere. Any signed-in user, with or without a role; the rules
are core.tokens'."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.tokens import tokens_of, tokens_revoke, user_log_out_everywhere


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "registration/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = tokens_of(user_id=self.request.user.pk)
        return context


@require_POST
@login_required
def revoke_token(request):
    tokens_revoke(user_id=request.user.pk)
    messages.success(request, _("Your API token is revoked."))
    return redirect("account")


@require_POST
@login_required
def log_out_everywhere(request):
    user_log_out_everywhere(user_id=request.user.pk)
    logout(request)
    messages.success(
        request, _("You are logged out on every device, and your API token is revoked.")
    )
    return redirect("login")
