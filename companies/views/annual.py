"""Annual data (年度指标): list by year and region, create and edit."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.filter_forms import AnnualDataFilterForm
from companies.filtersets import AnnualDataFilterSet
from companies.forms import AnnualDataForm
from companies.models import AnnualData
from companies.models.annual import FIGURE_FIELDS
from companies.views.edit import ForCompanyMixin, RecordCreateView, RecordUpdateView
from companies.views.lists import FilteredListView
from core.converters import parse_id
from core.exports import BOOL, CODE, NAME, NUMBER, ExportColumn


class AnnualDataListView(FilteredListView):
    model = AnnualData
    filterset_class = AnnualDataFilterSet
    filter_form_class = AnnualDataFilterForm
    template_name = "companies/annual_list.html"
    sort_fields = {
        "year": "year",
        "company": "company__name_sort",
        "region": "company__region__sort_order",
        "main_revenue": "main_revenue",
        "added_value": "added_value",
        "tax_paid": "tax_paid",
        "employees": "avg_employees",
        "robots_added": "robots_added",
    }
    default_sort = "-year"
    export_resource = "annual-data"
    export_title = _("Annual data")
    export_columns = [
        ExportColumn("company__credit_code", _("unified social credit code"), CODE),
        ExportColumn("company__name", _("company")),
        ExportColumn("company__region__name", _("region"), NAME),
        ExportColumn("year", _("year"), NUMBER, width=8),
        ExportColumn("above_size", _("above designated size this year (规上)"), BOOL),
        ExportColumn("land_area_mu", _("land used this year (mu)"), NUMBER),
        *(
            ExportColumn(key, header, NUMBER)
            for key, header in (
                ("main_revenue", _("main business revenue (10k RMB)")),
                ("industrial_output", _("industrial output (10k RMB)")),
                ("added_value", _("industrial added value (10k RMB)")),
                ("total_profit", _("total profit (10k RMB)")),
                ("tax_paid", _("tax paid (10k RMB)")),
                ("avg_employees", _("average employees")),
                ("unskilled_workers", _("unskilled workers")),
                ("energy_use_tce", _("energy use (tce)")),
                ("emissions", _("emissions (equivalent)")),
                ("rd_expense", _("R&D expense (10k RMB)")),
                ("electricity", _("electricity (10k kWh)")),
                ("robots_in_service", _("industrial robots in service")),
                ("robots_added", _("industrial robots added")),
            )
        ),
        ExportColumn("major_incident", _("major safety or environmental incident"), BOOL),
    ]

    def list_queryset(self, queryset):
        return queryset.select_related("company", "company__region")


class AnnualDataCreateView(ForCompanyMixin, RecordCreateView):
    """Opened from a company's page (the company is fixed) or from the list (the company is
    named by its credit code)."""

    model = AnnualData
    form_class = AnnualDataForm

    def get_initial(self):
        initial = super().get_initial()
        year = parse_id(self.request.GET.get("year"))
        if year is not None:
            initial["year"] = year
            if self.company is not None:
                initial.update(self.corrected_figures(initial["year"]))
        return initial

    def corrected_figures(self, year: int) -> dict:
        """Entering the corrected row of a voided year starts from the voided figures, so a
        correction changes the wrong figure only, not all of them retyped."""
        voided = AnnualData.objects.visible_to(self.request.user).being_corrected(
            company_id=self.company.pk, year=year
        )
        if voided is None:
            return {}
        return {name: getattr(voided, name) for name in FIGURE_FIELDS}

    def url_of(self, obj):
        return reverse("companies:detail", args=[obj.company_id]) + "#annual"

    def get_cancel_url(self):
        if self.company is not None:
            return reverse("companies:detail", args=[self.company.pk])
        return reverse("companies:annual_list")


class AnnualDataUpdateView(RecordUpdateView):
    model = AnnualData
    form_class = AnnualDataForm

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("company")

    def url_of(self, obj):
        return reverse("companies:detail", args=[obj.company_id]) + "#annual"
