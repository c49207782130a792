"""The company list: the companies app's list with each company's result in the latest year's
current ranking (grade, score, ranks), to show, filter, sort and export. It reads rankings,
which the companies app may not import, so it lives here and takes the list's place in the
"companies" namespace (tracker/web_urls.py)."""

from django.utils.translation import gettext as _

from companies.models import Company
from companies.views.companies import COMPANY_EXPORT_COLUMNS, CompanyListView
from core.exports import NUMBER, TEXT, ExportColumn
from rankings.filter_forms import RankedCompanyFilterForm
from rankings.filtersets import RankedCompanyFilterSet
from rankings.selectors import RANK_ORDER, latest_run, with_result


class RankedCompanyListView(CompanyListView):
    filterset_class = RankedCompanyFilterSet  # the API's ranked company list's
    filter_form_class = RankedCompanyFilterForm
    sort_fields = {
        **CompanyListView.sort_fields,
        "grade": "grade",
        "score": "score",
        # 规上 then 规下, each in the run's display order (rankings.selectors.RANK_ORDER).
        "city_rank": RANK_ORDER,
    }

    def dispatch(self, request, *args, **kwargs):
        self.ranking_run = latest_run()
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        run = self.ranking_run
        return with_result(Company.objects.all(), run.pk if run is not None else None)

    def get_export_columns(self):
        year = self.ranking_run.year if self.ranking_run is not None else ""
        named = {"year": year}
        return [
            *COMPANY_EXPORT_COLUMNS,
            ExportColumn("grade", _("%(year)s grade") % named, TEXT, width=10),
            ExportColumn("score", _("%(year)s score") % named, NUMBER),
            ExportColumn("city_rank", _("%(year)s city rank") % named, NUMBER),
            ExportColumn("region_rank", _("%(year)s region rank") % named, NUMBER),
            ExportColumn("industry_rank", _("%(year)s industry rank") % named, NUMBER),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ranking_run"] = self.ranking_run
        return context
