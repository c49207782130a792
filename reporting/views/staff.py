"""Staff pages of the reporting cycle: campaigns (city opens, extends, adds companies), their
progress per region, the review queue, and a submission's review page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.views.access import CityRequiredMixin, StaffRequiredMixin
from core.converters import parse_id
from core.scoping import scope_of
from core.views import ScopedDetailView
from reporting import selectors, services
from reporting.choices import SubmissionState
from reporting.forms import AddCompaniesForm, CampaignForm, DeadlineForm, ReviewForm
from reporting.models import Campaign, Submission
from reporting.tally import tallied, tally_key
from reporting.views.common import REFUSALS, add_service_errors, report_refusal

PAGE_SIZE = 50


class CampaignListView(StaffRequiredMixin, TemplateView):
    template_name = "reporting/campaigns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = Campaign.objects.with_opener()
        context["may_open"] = scope_of(self.request.user).is_city_wide
        context["form"] = kwargs.get("form") or CampaignForm()
        return context


class CampaignOpenView(CityRequiredMixin, CampaignListView):
    """POST: open a campaign. A refusal shows the campaigns page again with the form as it
    was filled in and each problem beside its field."""

    def get(self, request, *args, **kwargs):
        return redirect("reporting:campaigns")

    def post(self, request):
        form = CampaignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_open(
                    year=data["year"],
                    deadline=data["deadline"],
                    user=request.user,
                    regions=list(data["regions"]),
                    size_class=data["size_class"],
                    batch=data["batch"],
                    note=data["note"],
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Campaign %(year)s opened for %(n)d companies.")
                    % {"year": campaign.year, "n": campaign.submissions.count()},
                )
                return redirect("reporting:campaign", pk=campaign.pk)
        messages.error(request, _("The campaign was not opened: correct the fields marked below."))
        return self.render_to_response(self.get_context_data(form=form))


class CampaignDetailView(StaffRequiredMixin, TemplateView):
    """A campaign's progress per region (counts per state, overdue) — one grouped query —
    and its submissions, filtered by state and region, a page at a time."""

    template_name = "reporting/campaign.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        user = self.request.user
        rows = Submission.objects.visible_to(user).filter(campaign=campaign).with_list_relations()
        state = self.request.GET.get("state", "")
        if state in SubmissionState.values:
            rows = rows.filter(state=state)
        region = self.request.GET.get("region", "")
        region_id = parse_id(region)
        if region_id is not None:
            rows = rows.filter(region_id=region_id)
        if self.request.GET.get("overdue"):
            rows = rows.overdue()
        # Pinyin order as every company list, a page at a time.
        in_region = region_id if region_id is not None else scope_of(user).region_id
        paginator = Paginator(rows.in_name_order(in_region), PAGE_SIZE)
        # Counted once per change of the campaign's submissions (reporting.tally).
        filters = [
            ("state", state),
            ("region", region),
            ("overdue", self.request.GET.get("overdue", "")),
        ]
        key = tally_key("list", [campaign], user=user, today=timezone.localdate(), extra=filters)
        paginator.count = tallied(key, rows.count)
        context.update(
            {
                "campaign": campaign,
                "progress": selectors.campaign_progress(campaign, user),
                "states": SubmissionState.choices,
                "page_obj": paginator.get_page(self.request.GET.get("page")),
                "state": state,
                "may_manage": scope_of(user).is_city_wide,
                "deadline_form": DeadlineForm(initial={"deadline": campaign.deadline}),
                "add_form": AddCompaniesForm(),
            }
        )
        return context


class CampaignExtendView(CityRequiredMixin, View):
    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        form = DeadlineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the new deadline as a date."))
        else:
            try:
                services.campaign_extend(
                    campaign=campaign, deadline=form.cleaned_data["deadline"], user=request.user
                )
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request, _("The deadline is now %(day)s.") % {"day": campaign.deadline}
                )
        return redirect("reporting:campaign", pk=pk)


class CampaignAddCompaniesView(CityRequiredMixin, View):
    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        form = AddCompaniesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give at least one credit code."))
        else:
            try:
                added = services.campaign_add_companies(
                    campaign=campaign,
                    credit_codes=form.cleaned_data["credit_codes"],
                    user=request.user,
                )
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("%(n)d companies added.") % {"n": added})
        return redirect("reporting:campaign", pk=pk)


class QueueView(StaffRequiredMixin, TemplateView):
    """The submissions waiting for the user's review step: the county's submitted ones of
    its region, the city's county-accepted ones; a page at a time, each with the number of
    figures flagged against last year (two queries for the page)."""

    template_name = "reporting/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.review_queue(self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        flagged = selectors.flagged_counts(page.object_list)
        for submission in page.object_list:
            submission.flagged = flagged.get(submission.pk, 0)
        context["page_obj"] = page
        return context


class SubmissionReviewView(StaffRequiredMixin, ScopedDetailView):
    """One submission for review: its figures beside last year's with the change and the
    warnings, its evidence, its steps, and the steps the user may take. A submission outside
    the user's scope answers as every detail page does (core.views.ScopedQuerysetMixin:
    county staff of another region the 403 page, naming nothing of it)."""

    model = Submission
    template_name = "reporting/submission.html"
    context_object_name = "submission"

    def get_base_queryset(self):
        return Submission.objects.with_list_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        previous = selectors.previous_figures([submission]).get(
            (submission.company_id, submission.campaign.year)
        )
        steps = services.steps_of(submission, self.request.user)
        context.update(
            {
                "lines": selectors.figure_lines(submission, previous),
                "previous_year": previous["year"] if previous else None,
                "attachments": submission.attachments.all(),
                "history": submission.steps.select_related("taken_by"),
                "steps": steps,
                # The step the one comment box belongs with (a return requires it).
                "comment_step": next((step for step in steps if step.needs_comment), None),
            }
        )
        return context


class SubmissionStepView(View):
    """POST a step (reporting.workflow) on a submission the user may see; back to its page."""

    def post(self, request, pk):
        if not request.user.is_authenticated:
            return redirect("login")
        submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                services.submission_step(
                    submission=submission,
                    action=form.cleaned_data["action"],
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    fields=form.cleaned_data["fields"],
                )
            except REFUSALS as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("The submission is now “%(state)s”.")
                    % {"state": SubmissionState(submission.state).label},
                )
        target = request.POST.get("next", "")
        if target == "portal":
            return redirect("reporting:portal")
        return redirect(reverse("reporting:submission", args=[pk]))
