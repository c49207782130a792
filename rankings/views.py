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
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.models import Company, Industry, Region
from companies.views.access import CityRequiredMixin, StaffRequiredMixin
from core import exports
from core.converters import parse_id
from core.exports import BOOL, CODE, DATE, DATETIME, NAME, NUMBER, TEXT, ExportColumn
from core.filters import FilterForm
from core.keyset import list_page
from core.ordering import effective_sort, sort_rows
from core.scoping import can_publish_rankings
from core.views import ScopedQuerysetMixin
from rankings.caching import run_count
from rankings.choices import Grade, SizeClass
from rankings.columns import SCORE_EXPORT_COLUMNS
from rankings.filtersets import CompanyScoreFilterSet
from rankings.forms import NoticeDaysField, acknowledged_unconfirmed
from rankings.models import CompanyScore, IndustryLeague, RankingRun, RegionLeague
from rankings.selectors import (
    default_year,
    publish_default_year,
    publish_summary,
    rankings_status,
    run_current,
    run_years,
)
from rankings.services import rankings_discard_run, rankings_publish
from reporting.selectors import campaign_coverage

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


def _year_from(request, years: list[int], fallback=default_year) -> int | None:
    requested = parse_id(request.GET.get("year"))
    if requested in years:
        return requested
    return fallback() if years else None


def _notice_open(run: RankingRun | None) -> bool:
    return bool(run and run.notice_is_open())


# The orders of a run's score table ({param: field}); ties keep the run's display order.
SCORE_SORTS = {
    "city_rank": "position",
    "company": "company_name",
    "region": "region__sort_order",
    "industry": "industry__code",
    "region_rank": "region_rank",
    "industry_rank": "industry_rank",
    "e": "e_points",
    "s": "s_points",
    "total": "total",
    "grade": "grade",
}


def export_query(request) -> dict:
    """The query that chose the exported rows, for the export log."""
    return {k: v for k, v in request.GET.items() if k not in ("export", "page")}


def export_format(request) -> str | None:
    """The format asked for with `?export=`; a format we do not write answers 404."""
    fmt = request.GET.get("export")
    if fmt and fmt not in exports.FORMATS:
        raise Http404
    return fmt or None


class _ScoresMixin(ScopedQuerysetMixin):
    """A run's rated scores, filtered, sorted, paginated and linked to the companies the user
    may open; `?export=xlsx|csv` writes exactly the filtered rows in the same order."""

    model = CompanyScore
    export_resource = "ranking"

    def sort_key(self) -> str:
        return effective_sort(self.request.GET.get("sort", ""), SCORE_SORTS, "city_rank")

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
        scores = scores.select_related("region", "industry")
        return sort_rows(scores, self.sort_key(), SCORE_SORTS, tiebreak="position")

    def export_scores(self, run: RankingRun | None, form: RankingFilterForm, fmt: str):
        scores = self.filtered_scores(run, form) if run is not None else CompanyScore.objects.none()
        columns = SCORE_EXPORT_COLUMNS
        year = run.year if run is not None else ""
        return exports.export_rows(
            user=self.request.user,
            resource=f"{self.export_resource}-{year}",
            fmt=fmt,
            columns=columns,
            rows=scores.values(*exports.value_keys(columns)).iterator(chunk_size=2000),
            filters=export_query(self.request),
            title=_("Ranking %(year)s") % {"year": year},
        )

    def scores_context(self, run: RankingRun | None, form: RankingFilterForm) -> dict:
        scores = CompanyScore.objects.none()
        if run is not None:
            scores = self.filtered_scores(run, form)
        # Rated scores of a class have a unique display position: in rank order, deep pages
        # are read by keyset; another column's order pages by offset.
        keys = {"city_rank": ["position", "pk"], "-city_rank": ["-position", "-pk"]}
        # Counting a run's 100,000 rows costs more than reading a page; the rows never
        # change once written, so the counts are kept with the run (rankings.caching).
        count, not_rated = 0, 0
        if run is not None:
            user, params = self.request.user, self.request.GET
            count = run_count("web-score-count", run, scores, user=user, params=params)
            not_rated = run_count(
                "web-not-rated-count",
                run,
                self.get_queryset().filter(run=run, rated=False),
                user=user,
                params=QueryDict(),
            )
        page = list_page(
            self.request,
            scores,
            keys=keys.get(self.sort_key()),
            per_page=SCORES_PER_PAGE,
            count=count,
        )
        ids = [s.company_id for s in page.object_list if s.company_id]
        openable = set(
            Company.objects.visible_to(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
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
            "sort": self.sort_key(),
        }


class CityRankingView(StaffRequiredMixin, _ScoresMixin, TemplateView):
    """The provisional city ranking of a year: kept current as data changes."""

    template_name = "rankings/city.html"

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt:
            year, form, run = self.chosen()
            return self.export_scores(run, form, fmt)
        return super().get(request, *args, **kwargs)

    def chosen(self):
        """The year, the bound filter form and the provisional run of the year."""
        years = run_years()
        year = _year_from(self.request, years)
        form = RankingFilterForm(self.request.GET or {"year": year}, years=years)
        return year, form, run_current(year=year) if year else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, form, run = self.chosen()
        context.update(self.scores_context(run, form))
        context.update(
            year=year,
            status=rankings_status(),
            published=run_current(year=year, published=True) if year else None,
            can_publish=can_publish_rankings(self.request.user),
            coverage=campaign_coverage(year=year) if run else None,
        )
        return context


class RunDetailView(StaffRequiredMixin, _ScoresMixin, TemplateView):
    """One run (usually a published one), with the scores it froze."""

    template_name = "rankings/run_detail.html"
    export_resource = "ranking-run"

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt:
            run, form = self.chosen()
            return self.export_scores(run, form, fmt)
        return super().get(request, *args, **kwargs)

    def chosen(self):
        run = get_object_or_404(
            RankingRun.objects.select_related("published_by", "supersedes"), pk=self.kwargs["pk"]
        )
        return run, RankingFilterForm(self.request.GET or None, years=[], with_year=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run, form = self.chosen()
        context.update(self.scores_context(run, form))
        return context


# The orders of a league table; its partition's own order ("name") is added per table.
LEAGUE_SORTS = {
    "rated": "rated_count",
    "grade_a": "grade_a_count",
    "grade_a_share": "grade_a_share",
    "ims": "ims_certified_count",
    "projects": "projects_accepted",
    "investment": "projects_accepted_investment",
    "robots": "robots_added",
    "tax_per_mu": "tax_per_mu",
}

LEAGUE_FIGURE_COLUMNS = [
    ExportColumn("rated_count", gettext_lazy("rated companies"), NUMBER),
    ExportColumn("grade_a_count", gettext_lazy("grade A"), NUMBER, width=10),
    ExportColumn("grade_a_percent", gettext_lazy("grade A share (%)"), NUMBER),
    ExportColumn("ims_certified_count", gettext_lazy("valid IMS certificates"), NUMBER),
    ExportColumn("projects_accepted", gettext_lazy("key projects accepted"), NUMBER),
    ExportColumn(
        "projects_accepted_investment",
        gettext_lazy("their actual investment (10k RMB)"),
        NUMBER,
    ),
    ExportColumn("robots_added", gettext_lazy("robots added"), NUMBER),
    ExportColumn("tax_per_mu", gettext_lazy("tax per mu (10k RMB)"), NUMBER),
    # RANKING.md part 2: the same figures for the class below designated size.
    ExportColumn("rated_count_below", gettext_lazy("rated companies (规下)"), NUMBER),
    ExportColumn("grade_a_count_below", gettext_lazy("grade A (规下)"), NUMBER),
    ExportColumn("grade_a_percent_below", gettext_lazy("grade A share (规下, %)"), NUMBER),
    ExportColumn("tax_per_mu_below", gettext_lazy("tax per mu (规下, 10k RMB)"), NUMBER),
]


class LeagueView(StaffRequiredMixin, TemplateView):
    """A league table of a year (RANKING.md), by region or by industry (GB/T 4754 division):
    the same figures (rankings.sql.league), ordered by valid IMS certificates unless the user
    sorts by another column; `?export=xlsx|csv` writes the table in the order shown."""

    template_name = "rankings/league.html"
    model = RegionLeague
    partition = "region"
    partition_order = "region__sort_order"
    export_resource = "region-league"
    title = gettext_lazy("Region league table")
    name_columns = [ExportColumn("region__name", gettext_lazy("region"), NAME)]

    def sort_fields(self) -> dict:
        return {"name": self.partition_order, **LEAGUE_SORTS}

    def sort_key(self) -> str:
        return effective_sort(self.request.GET.get("sort", ""), self.sort_fields(), "-ims")

    def chosen(self):
        years = run_years()
        year = _year_from(self.request, years)
        published = self.request.GET.get("published") == "1"
        run = run_current(year=year, published=published) if year else None
        return years, year, published, run

    def rows(self, run):
        if run is None:
            return self.model.objects.none()
        rows = self.model.objects.filter(run=run).select_related(self.partition)
        return sort_rows(
            rows,
            self.sort_key(),
            self.sort_fields(),
            tiebreak=self.partition_order,
            tiebreak_follows=False,
        )

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt):
        _years, year, _published, run = self.chosen()
        columns = [*self.name_columns, *LEAGUE_FIGURE_COLUMNS]
        rows = self.rows(run).annotate(
            grade_a_percent=F("grade_a_share") * 100,
            grade_a_percent_below=F("grade_a_share_below") * 100,
        )
        return exports.export_rows(
            user=self.request.user,
            resource=f"{self.export_resource}-{year or ''}",
            fmt=fmt,
            columns=columns,
            rows=rows.values(*exports.value_keys(columns)),
            filters=export_query(self.request),
            title=f"{self.title} {year or ''}".strip(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years, year, published, run = self.chosen()
        context.update(
            year=year,
            years=years,
            run=run,
            rows=self.rows(run),
            published=published,
            partition=self.partition,
            title=self.title,
            sort=self.sort_key(),
            coverage=campaign_coverage(year=year) if run and not published else None,
        )
        return context


class IndustryLeagueView(LeagueView):
    """The league table by industry (GB/T 4754 division), with the region table's figures."""

    model = IndustryLeague
    partition = "industry"
    partition_order = "industry__code"
    export_resource = "industry-league"
    title = gettext_lazy("Industry league table")
    name_columns = [
        ExportColumn("industry__code", gettext_lazy("industry code"), CODE, width=10),
        ExportColumn("industry__name", gettext_lazy("industry"), NAME, width=28),
    ]


RUN_EXPORT_COLUMNS = [
    ExportColumn("year", gettext_lazy("year"), NUMBER, width=8),
    ExportColumn("started_at", gettext_lazy("published at"), DATETIME),
    ExportColumn("published_by__username", gettext_lazy("published by")),
    ExportColumn("rated_count", gettext_lazy("rated companies"), NUMBER),
    ExportColumn("notice_ends_on", gettext_lazy("public notice ends on"), DATE),
    ExportColumn("is_correction", gettext_lazy("correction"), BOOL),
    ExportColumn("reason", gettext_lazy("reason"), TEXT, width=48),
]


class RunsView(StaffRequiredMixin, TemplateView):
    """Published runs and their public notice period; `?export=xlsx|csv` writes the list."""

    template_name = "rankings/runs.html"

    def runs(self):
        return (
            RankingRun.objects.published()
            .select_related("published_by", "supersedes")
            .annotate(
                is_correction=ExpressionWrapper(
                    Q(supersedes__isnull=False), output_field=BooleanField()
                )
            )
            .order_by("-year", "-started_at", "-id")
        )

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt:
            return exports.export_rows(
                user=request.user,
                resource="published-runs",
                fmt=fmt,
                columns=RUN_EXPORT_COLUMNS,
                rows=self.runs().values(*exports.value_keys(RUN_EXPORT_COLUMNS)),
                filters=export_query(request),
                title=_("Published rankings"),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(self.runs())
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
        year = _year_from(self.request, run_years(), fallback=publish_default_year)
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
                unconfirmed_acknowledged=acknowledged_unconfirmed(
                    self.request.POST, form.cleaned_data["year"]
                ),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if summary is not None and "unconfirmed_acknowledged" in exc.message_dict:
                # Back to the confirmation page, which holds the acknowledgement.
                for error in exc.message_dict["unconfirmed_acknowledged"]:
                    messages.error(self.request, error)
                return self.render_to_response(self.get_context_data(form=form, summary=summary))
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
            rankings_discard_run(year=parse_id(year), user=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{reverse('rankings:city')}?year={year}")
        messages.success(request, _("The %(year)s ranking was discarded.") % {"year": year})
        return redirect("rankings:city")
