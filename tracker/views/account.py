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

from core.forms import NotificationPreferenceForm
from core.notifications import preference_of, preference_save
from core.tokens import tokens_of, tokens_revoke, user_log_out_everywhere


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "registration/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = tokens_of(user_id=self.request.user.pk)
        context.setdefault(
            "preference_form",
            NotificationPreferenceForm(instance=preference_of(self.request.user)),
        )
        return context


class NotificationPreferenceView(AccountView):
    """POST: the user's e-mail choice (core.notifications.preference_save)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = NotificationPreferenceForm(request.POST, instance=preference_of(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(preference_form=form), status=400)
        preference_save(
            user=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("account")


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
