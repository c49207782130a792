"""Rankings pages: the city ranking of a year, the region league table, published runs with
their public notice (公示), and publishing for city staff.

Rows come through `CompanyScore.objects.visible_to(user)` (core.views.ScopedQuerysetMixin),
filtered by CompanyScoreFilterSet as the API's scores are: administrators, city and county
staff see every rank, score and grade; company users see their own result in the portal and
reach none of these pages (404).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.models import Company, Industry, Region
from companies.views.access import CityRequiredMixin, StaffRequiredMixin
from core.filters import FilterForm
from core.scoping import can_publish_rankings
from core.views import ScopedQuerysetMixin
from rankings.choices import Grade, SizeClass
from rankings.filtersets import CompanyScoreFilterSet
from rankings.forms import NoticeDaysField
from rankings.models import CompanyScore, RankingRun, RegionLeague
from rankings.selectors import (
    default_year,
    publish_summary,
    rankings_status,
    run_current,
    run_years,
)
from rankings.services import rankings_discard_run, rankings_publish

SCORES_PER_PAGE = 50


class RankingFilterForm(FilterForm):
    """The scores pages' filters: `year` picks the run; the others are CompanyScoreFilterSet's."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    size_class = forms.ChoiceField(
        label=gettext_lazy("Size class"), choices=SizeClass.choices, required=False
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.all(), required=False
    )
    industry = forms.ModelChoiceField(
        label=gettext_lazy("Industry"), queryset=Industry.objects.all(), required=False
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade"),
        choices=[("", "—"), *Grade.choices],
        required=False,
    )

    def __init__(self, *args, years: list[int], with_year: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_year:
            self.fields["year"].choices = [(y, y) for y in years]
        else:
            del self.fields["year"]


def _year_from(request, years: list[int]) -> int | None:
    requested = request.GET.get("year", "")
    if requested.isdigit() and int(requested) in years:
        return int(requested)
    return default_year() if years else None


def _notice_open(run: RankingRun | None) -> bool:
    return bool(run and run.notice_is_open())


class _ScoresMixin(ScopedQuerysetMixin):
    """A run's rated scores, filtered, paginated and linked to the companies the user may open."""

    model = CompanyScore

    def filtered_scores(self, run: RankingRun, form: RankingFilterForm):
        scores = self.get_queryset().filter(run=run, rated=True)
        # The year has chosen the run; the scores within it are filtered as the API's are.
        query = self.request.GET.copy()
        query.pop("year", None)
        # Each class is a list of its own (RANKING.md part 2); the pages open on 规上.
        if not query.get("size_class"):
            query["size_class"] = SizeClass.ABOVE
        filterset = CompanyScoreFilterSet(query, queryset=scores, request=self.request)
        # A bad filter value shows its message and lists nothing, as every list page does,
        # rather than silently listing every company.
        scores = filterset.qs if form.accepts(filterset) else scores.none()
        return scores.select_related("region", "industry").in_display_order()

    def scores_context(self, run: RankingRun | None, form: RankingFilterForm) -> dict:
        scores = CompanyScore.objects.none()
        if run is not None:
            scores = self.filtered_scores(run, form)
        page = Paginator(scores, SCORES_PER_PAGE).get_page(self.request.GET.get("page"))
        ids = [s.company_id for s in page.object_list if s.company_id]
        openable = set(
            Company.objects.visible_to(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        not_rated = (
            self.get_queryset().filter(run=run, rated=False).count() if run is not None else 0
        )
        size_class = self.request.GET.get("size_class") or SizeClass.ABOVE
        return {
            "run": run,
            "form": form,
            "page_obj": page,
            "scores": page.object_list,
            "openable": openable,
            "not_rated_count": not_rated,
            "notice_open": _notice_open(run),
            "size_class": size_class if size_class in SizeClass.values else SizeClass.ABOVE,
        }


class CityRankingView(StaffRequiredMixin, _ScoresMixin, TemplateView):
    """The provisional city ranking of a year: kept current as data changes."""

    template_name = "rankings/city.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = run_years()
        year = _year_from(self.request, years)
        form = RankingFilterForm(self.request.GET or {"year": year}, years=years)
        run = run_current(year=year) if year else None
        context.update(self.scores_context(run, form))
        context.update(
            year=year,
            status=rankings_status(),
            published=run_current(year=year, published=True) if year else None,
            can_publish=can_publish_rankings(self.request.user),
        )
        return context


class RunDetailView(StaffRequiredMixin, _ScoresMixin, TemplateView):
    """One run (usually a published one), with the scores it froze."""

    template_name = "rankings/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = get_object_or_404(
            RankingRun.objects.select_related("published_by", "supersedes"), pk=kwargs["pk"]
        )
        form = RankingFilterForm(self.request.GET or None, years=[], with_year=False)
        context.update(self.scores_context(run, form))
        return context


class LeagueView(StaffRequiredMixin, TemplateView):
    """The region league table of a year (RANKING.md), ordered by valid IMS certificates."""

    template_name = "rankings/league.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = run_years()
        year = _year_from(self.request, years)
        published = self.request.GET.get("published") == "1"
        run = run_current(year=year, published=published) if year else None
        rows = (
            RegionLeague.objects.filter(run=run)
            .select_related("region")
            .order_by("-ims_certified_count", "region__sort_order")
            if run is not None
            else []
        )
        context.update(year=year, years=years, run=run, rows=rows, published=published)
        return context


class RunsView(StaffRequiredMixin, TemplateView):
    """Published runs and their public notice period."""

    template_name = "rankings/runs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(
            RankingRun.objects.published()
            .select_related("published_by", "supersedes")
            .order_by("-year", "-started_at", "-id")
        )
        today = timezone.localdate()
        for run in runs:
            run.notice_open = run.notice_is_open(today)
        context.update(
            runs=runs,
            status=rankings_status(),
            can_publish=can_publish_rankings(self.request.user),
        )
        return context


class PublishForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required when the year was published before: the new run is a correction."
        ),
    )

    notice_days = NoticeDaysField()

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class PublishView(CityRequiredMixin, FormView):
    """City staff freeze a year's provisional ranking and open its public notice."""

    template_name = "rankings/publish.html"
    form_class = PublishForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["years"] = run_years()
        return kwargs

    def get_initial(self):
        year = _year_from(self.request, run_years())
        run = run_current(year=year) if year else None
        return {"year": year, "notice_days": run.scheme.notice_days if run else None}

    def form_valid(self, form):
        summary = publish_summary(year=form.cleaned_data["year"])
        if summary is not None and "confirm" not in self.request.POST:
            # First what would be published; only the confirm button publishes.
            return self.render_to_response(self.get_context_data(form=form, summary=summary))
        try:
            run = rankings_publish(
                year=form.cleaned_data["year"],
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                notice_days=form.cleaned_data["notice_days"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The %(year)s ranking is published; public notice open until %(day)s.")
            % {"year": run.year, "day": run.notice_ends_on},
        )
        return redirect("rankings:run_detail", pk=run.pk)


class DiscardRunView(CityRequiredMixin, View):
    """POST: city staff discard the provisional run of a year left without annual data (a
    button on the city ranking of that year); the service refuses any other year."""

    http_method_names = ["post"]

    def post(self, request):
        year = request.POST.get("year", "")
        try:
            rankings_discard_run(year=int(year) if year.isdigit() else None, user=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{reverse('rankings:city')}?year={year}")
        messages.success(request, _("The %(year)s ranking was discarded.") % {"year": year})
        return redirect("rankings:city")
