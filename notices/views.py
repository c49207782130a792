"""Objection pages: the company files and follows its objections; county and city staff
work through a queue. Rows come through the scoped base views; steps through the services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from companies.views.access import CompanyUserRequiredMixin
from core.scoping import scope_of
from core.uploads import download_response
from core.views import ScopedDetailView, ScopedListView
from notices import services
from notices.choices import ObjectionState
from notices.forms import DecisionForm, ObjectionFileForm, RemarkForm
from notices.models import Objection, ObjectionAttachment
from notices.selectors import objectionable_runs, steps_for
from reporting.signals import confirmed_pairs


class RoleRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_of(request.user).role is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ObjectionListView(RoleRequiredMixin, ScopedListView):
    """The queue (staff: their region's or the city's objections; a company: its own)."""

    model = Objection
    template_name = "notices/objection_list.html"
    paginate_by = 50

    def get_base_queryset(self):
        rows = Objection.objects.with_relations()
        state = self.request.GET.get("state")
        if state in ObjectionState.values:
            rows = rows.filter(state=state)
        elif state != "all":
            rows = rows.filter(state__in=[ObjectionState.FILED, ObjectionState.REMARKED])
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for objection in context["object_list"]:
            objection.steps = steps_for(objection, self.request.user)
        context["states"] = ObjectionState.choices
        context["state"] = self.request.GET.get("state", "")
        context["is_company"] = scope_of(self.request.user).company_id is not None
        return context


class ObjectionDetailView(RoleRequiredMixin, ScopedDetailView):
    model = Objection
    template_name = "notices/objection_detail.html"

    def get_base_queryset(self):
        return Objection.objects.with_relations().prefetch_related("attachments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = steps_for(self.object, self.request.user)
        context["steps"] = steps
        record = self.object.record
        # A year the city confirmed is locked: its record is voided with the reason and the
        # corrected figures entered (on the company page), not edited in place.
        context["record_locked"] = record is not None and bool(
            confirmed_pairs({(record.company_id, record.year)})
        )
        context["remark_form"] = RemarkForm() if "remark" in steps else None
        context["decision_form"] = DecisionForm() if {"uphold", "reject"} & set(steps) else None
        return context


class ObjectionFileView(CompanyUserRequiredMixin, FormView):
    form_class = ObjectionFileForm
    template_name = "notices/objection_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["runs"] = objectionable_runs(scope_of(self.request.user).company_id)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            objection = services.objection_file(
                user=self.request.user,
                run=form.runs[data["run"]],
                subject=data["subject"],
                claimed_value=data["claimed_value"],
                explanation=data["explanation"],
                files=data["files"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your objection has been filed."))
        return redirect("notices:detail", pk=objection.pk)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


class ObjectionStepView(RoleRequiredMixin, View):
    """POST one step (remark / uphold / reject) on an objection the user sees."""

    http_method_names = ["post"]
    step = ""

    def post(self, request, pk):
        objection = get_object_or_404(Objection.objects.visible_to(request.user), pk=pk)
        form = (RemarkForm if self.step == "remark" else DecisionForm)(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}: {error}")
            return redirect("notices:detail", pk=pk)
        data = form.cleaned_data
        try:
            if self.step == "remark":
                services.objection_remark(
                    objection=objection,
                    user=request.user,
                    opinion=data["opinion"],
                    text=data["remark"],
                )
            elif self.step == "reject":
                services.objection_reject(
                    objection=objection, user=request.user, reason=data["reason"]
                )
            else:
                services.objections_uphold(
                    objections=[objection], user=request.user, reason=data["reason"]
                )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            # Name the state the step led to: "Saved." did not tell the official what happened.
            objection.refresh_from_db(fields=["state"])
            messages.success(
                request,
                _("The objection is now “%(state)s”.")
                % {"state": ObjectionState(objection.state).label},
            )
        return redirect("notices:detail", pk=pk)


class AttachmentDownloadView(RoleRequiredMixin, View):
    """An attachment, to those who see its objection (others get 404), as a download under
    its safe shown name, with the content type of its checked kind."""

    def get(self, request, pk):
        attachment = get_object_or_404(ObjectionAttachment.objects.visible_to(request.user), pk=pk)
        return download_response(
            attachment.file, shown_name=attachment.original_name, kind=attachment.kind
        )
