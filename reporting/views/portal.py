"""The company's self-reporting in the portal: its figures for the campaign year (drafts,
evidence, submitting, and again after a return), its progress reports and project
declarations. Everything waits for review; nothing reaches AnnualData before the city's
confirmation (reporting.services)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.models import Company
from companies.views.access import CompanyUserRequiredMixin
from core.scoping import scope_of
from projects.models import KeyProject, ProgressReport
from reporting import selectors, services
from reporting.forms import (
    AttachmentForm,
    CompanyProgressReportForm,
    ProjectDeclarationForm,
    SubmissionFiguresForm,
)
from reporting.models import Attachment, Submission
from reporting.views.common import REFUSALS, report_refusal


def own_submission(user, pk=None):
    """The company's submission of the latest campaign it is asked in (or `pk`), or None."""
    rows = Submission.objects.visible_to(user).with_list_relations().order_by("-campaign__year")
    return rows.filter(pk=pk).first() if pk else rows.first()


class PortalReportView(CompanyUserRequiredMixin, TemplateView):
    """GET: the form of the company's figures; POST `save` keeps a draft, `submit` checks
    everything (warnings to be confirmed) and submits."""

    template_name = "reporting/portal_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = kwargs.get("submission") or own_submission(self.request.user)
        context["submission"] = submission
        if submission is None:
            return context
        form = kwargs.get("form") or SubmissionFiguresForm(submission=submission)
        if submission.returned_fields:
            for name in submission.returned_fields:
                if name in form.fields:
                    form.fields[name].widget.attrs["class"] = "is-returned"
        previous = selectors.previous_figures([submission]).get(
            (submission.company_id, submission.campaign.year)
        )
        context.update(
            {
                "form": form,
                "lines": selectors.figure_lines(submission, previous),
                "previous_year": previous["year"] if previous else None,
                "attachments": submission.attachments.all(),
                "attachment_form": AttachmentForm(),
                "history": submission.steps.select_related("taken_by"),
                "last_return": submission.steps.filter(
                    action__in=("county_return", "city_return")
                ).last(),
            }
        )
        return context

    def post(self, request):
        """`save` keeps a draft, `submit` submits, `attach` keeps a draft and attaches the
        chosen file: the evidence field is part of the figures form, so a file attached
        before the draft was saved never costs the figures typed so far. A file chosen with
        any of the buttons is attached once the figures are stored."""
        submission = own_submission(request.user)
        if submission is None:
            return redirect("reporting:portal")
        submitting = "submit" in request.POST
        upload = request.FILES.get("file")
        form = SubmissionFiguresForm(request.POST, submission=submission, final=submitting)
        if not form.is_valid():
            messages.error(
                request, _("Nothing was saved. Please correct the figures marked below.")
            )
            if upload is not None:
                messages.error(request, _("The file was not attached: choose it again."))
            return self.render_to_response(self.get_context_data(submission=submission, form=form))
        if "attach" in request.POST and upload is None:
            messages.error(request, _("Choose a file to attach."))
        try:
            services.submission_save(
                submission=submission,
                user=request.user,
                figures=form.figures,
                warnings_confirmed=form.warnings_note,
            )
            if upload is not None:
                services.attachment_add(submission=submission, user=request.user, upload=upload)
                messages.success(request, _("File attached."))
            if submitting:
                services.submission_step(submission=submission, action="submit", user=request.user)
        except REFUSALS as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("Submitted for the county's review.") if submitting else _("Draft saved."),
            )
        return redirect("reporting:portal")


class PortalAttachmentView(CompanyUserRequiredMixin, View):
    """A file posted alone (the portal page attaches through its figures form instead)."""

    def post(self, request):
        submission = own_submission(request.user)
        form = AttachmentForm(request.POST, request.FILES)
        if submission is None or not form.is_valid():
            messages.error(request, _("Choose a file to attach."))
            return redirect("reporting:portal")
        try:
            services.attachment_add(
                submission=submission, user=request.user, upload=form.cleaned_data["file"]
            )
        except REFUSALS as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("File attached."))
        return redirect("reporting:portal")


class PortalAttachmentDeleteView(CompanyUserRequiredMixin, View):
    def post(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        try:
            services.attachment_remove(attachment=attachment, user=request.user)
        except REFUSALS as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("File removed."))
        return redirect("reporting:portal")


class PortalDeclareView(CompanyUserRequiredMixin, TemplateView):
    """The company declares (申报) a new key project; the county reviews it."""

    template_name = "reporting/portal_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ProjectDeclarationForm()
        context["title"] = _("Declare a key project")
        return context

    def post(self, request):
        company = get_object_or_404(Company, pk=scope_of(request.user).company_id)
        form = ProjectDeclarationForm(request.POST, instance=KeyProject(company=company))
        if form.is_valid():
            try:
                services.project_declare(project=form.instance, user=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request, _("Project declared; it waits for the county's preliminary review.")
                )
                return redirect("portal")
        return self.render_to_response(self.get_context_data(form=form))


class PortalProgressView(CompanyUserRequiredMixin, TemplateView):
    """The company reports a quarter's progress on one of its own key projects."""

    template_name = "reporting/portal_form.html"

    def get_project(self):
        rows = KeyProject.objects.visible_to(self.request.user).live()
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        context["form"] = kwargs.get("form") or CompanyProgressReportForm()
        context["title"] = _("Progress report on “%(project)s”") % {"project": project}
        return context

    def post(self, request, pk):
        project = self.get_project()
        form = CompanyProgressReportForm(request.POST, instance=ProgressReport(project=project))
        if form.is_valid():
            try:
                services.progress_report_file(report=form.instance, user=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Progress report filed."))
                return redirect("portal")
        return self.render_to_response(self.get_context_data(form=form))
