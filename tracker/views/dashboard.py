"""The staff dashboard: the seed article's figures, the region league table, charts, and
whether the rankings are current. The figures are read as stored with each year's run
(tracker.figures), not computed on every view."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import TemplateView

from companies.models import Company, Region
from companies.views.access import StaffRequiredMixin
from core.converters import parse_id
from projects.choices import ProjectKind
from projects.models import KeyProject
from rankings.models import RegionLeague
from rankings.selectors import default_year, rankings_status, run_current, run_years
from tracker.charts import GRADE_COLOURS, Series, bar_chart, stacked_bar_chart
from tracker.figures import compute_figures, figures_scope, stored_figures
from tracker.selectors import annual_data_years, not_applicable_reason

# The comparison's figures as the dashboard labels them.
TRANSFORMED_LABELS = {
    "productivity_gap_pct": _lazy(
        "labour productivity per capita against the average of companies above size"
    ),
    "unskilled_change_pct": _lazy("unskilled workers, year over year"),
    "added_value_change_pct": _lazy("industrial added value, year over year"),
    "profit_change_pct": _lazy("profit, year over year"),
}


class DashboardView(StaffRequiredMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def selected_year(self, years: list[int]) -> int | None:
        requested = parse_id(self.request.GET.get("year"))
        if requested in years:
            return requested
        ranked = default_year()
        if ranked in years:
            return ranked
        return years[-1] if years else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = stored_figures(figures_scope(self.request.user))
        figures_as_of = None  # set when the figures shown are the previous run's
        if stored:
            years = sorted(run_years())
            year = self.selected_year(years)
            run = run_current(year=year)
            row = stored.get(year)
            if row is None:
                # The year's first run, whose figures task has not finished: computed for
                # this view (a rare, one-off wait rather than no figures).
                data = self.scope_figures(year, run)
            else:
                data = row.data
                if not row.is_current:
                    figures_as_of = row.computed_at
            # Each year's robots as stored with that year's own run.
            by_year = {**{y: each.data for y, each in stored.items()}, year: data}
            robots = {
                str(y): by_year[y]["seed"]["robots_added"][str(y)]
                for y in years
                if y in by_year and str(y) in by_year[y]["seed"]["robots_added"]
            }
        else:
            years, year, run, data = self.live_figures()
            robots = data["seed"]["robots_added"]
        figures = data["seed"]
        league = (
            list(RegionLeague.objects.filter(run=run).select_related("region"))
            if run is not None
            else []
        )
        context.update(
            {
                "years": years,
                "year": year,
                "figures": figures,
                "robots_this_year": robots.get(str(year)),
                "transformed": figures["transformed_vs_rest"],
                "transformed_figures": self.transformed_figures(figures["transformed_vs_rest"]),
                "run": run,
                "figures_as_of": figures_as_of,
                "league": league,
                "status": rankings_status(),
                "robots_chart": self.robots_chart(robots),
                "investment_chart": self.investment_chart(data["investment_by_kind"]),
                "grade_chart": self.grade_chart(run, data["grade_counts"]),
                "transformed_chart": self.transformed_chart(figures["transformed_vs_rest"]),
            }
        )
        return context

    def live_figures(self):
        """Before any run has stored its figures (a new database), computed for this view."""
        companies = Company.objects.visible_to(self.request.user)
        years = annual_data_years(companies)
        year = self.selected_year(years)
        ranked_years = run_years()
        run_year = year if year in ranked_years else (ranked_years[0] if ranked_years else None)
        run = run_current(year=run_year) if run_year else None
        return years, year, run, self.scope_figures(year, run)

    def scope_figures(self, year, run):
        """The figures of what the user may see, computed now."""
        user = self.request.user
        return compute_figures(
            year=year,
            run=run,
            companies=Company.objects.visible_to(user),
            projects=KeyProject.objects.visible_to(user),
        )

    @staticmethod
    def transformed_figures(transformed) -> list[dict]:
        """Each figure of the comparison with its label, or "n/a" and the reason."""
        reasons = transformed.get("not_applicable") or {}
        return [
            {
                "label": label,
                "value": transformed.get(key),
                "reason": not_applicable_reason(reasons.get(key)),
            }
            for key, label in TRANSFORMED_LABELS.items()
        ]

    @staticmethod
    def robots_chart(robots):
        if not robots:
            return None
        return bar_chart(
            title=_("Industrial robots added by year"),
            categories=list(robots),
            series=[Series(_("robots added"), list(robots.values()))],
            unit_label=_("robots"),
        )

    @staticmethod
    def investment_chart(rows):
        if not rows:
            return None
        kinds = [kind for kind in ProjectKind if kind.value in rows]
        # 万元 in the data; 亿元 on the chart keeps the labels short.
        return bar_chart(
            title=_("Key-project investment by kind (100m RMB, 亿元)"),
            categories=[str(kind.label) for kind in kinds],
            series=[
                Series(_("planned"), [_yi(rows[kind.value]["planned"]) for kind in kinds]),
                Series(_("actual"), [_yi(rows[kind.value]["actual"]) for kind in kinds]),
            ],
            places=2,
            unit_label=_("100m RMB"),
        )

    @staticmethod
    def grade_chart(run, counts):
        if run is None or not counts:
            return None
        regions = [region for region in Region.objects.all() if str(region.pk) in counts]
        return stacked_bar_chart(
            title=_("Grade distribution by region, both size classes (%(year)s)")
            % {"year": run.year},
            categories=[region.name for region in regions],
            series=[
                Series(grade, [counts[str(region.pk)][grade] for region in regions], colour)
                for grade, colour in GRADE_COLOURS.items()
            ],
            unit_label=_("companies"),
        )

    @staticmethod
    def transformed_chart(transformed):
        labels = {
            "productivity_gap_pct": _("labour productivity above the rest"),
            "unskilled_change_pct": _("unskilled workers, change"),
            "added_value_change_pct": _("industrial added value, change"),
            "profit_change_pct": _("profit, change"),
        }
        values = [transformed.get(key) for key in labels]
        if all(value is None for value in values):
            return None
        return bar_chart(
            title=_("Transformed companies against the rest (%)"),
            categories=[str(label) for label in labels.values()],
            series=[Series(_("percent"), values)],
            places=1,
            unit="%",
        )


def _yi(amount_10k):
    return None if amount_10k is None else float(amount_10k) / 10000
