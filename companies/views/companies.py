"""Company list, create and edit pages. The detail page gathers projects and rankings too,
so it lives in tracker/views/company_detail.py (companies imports neither)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.filter_forms import CompanyFilterForm
from companies.filtersets import CompanyFilterSet
from companies.forms import CompanyForm
from companies.models import Company
from companies.views.edit import RecordCreateView, RecordUpdateView
from companies.views.lists import FilteredListView
from core.exports import BOOL, CODE, DATE, NAME, NUMBER, ExportColumn

# The columns of a company export, before the ranking's (tracker adds those).
COMPANY_EXPORT_COLUMNS = [
    ExportColumn("credit_code", _("unified social credit code"), CODE),
    ExportColumn("name", _("name"), width=36),
    ExportColumn("region__name", _("region"), NAME),
    ExportColumn("industry__code", _("industry code"), CODE, width=10),
    ExportColumn("industry__name", _("industry"), NAME, width=28),
    ExportColumn("key_industry__name", _("key subdivision industry"), NAME, width=20),
    ExportColumn("address", _("address"), width=36),
    ExportColumn("founded_on", _("founded on"), DATE),
    ExportColumn("above_size", _("above designated size"), BOOL),
    ExportColumn("land_area_mu", _("land area (mu)"), NUMBER),
    ExportColumn("is_pilot", _("pilot company"), BOOL),
    ExportColumn("pilot_year", _("pilot since"), NUMBER, width=10),
    ExportColumn("pilot_designated_on", _("designated pilot on"), DATE),
    ExportColumn("rated", _("rated"), BOOL),
    ExportColumn("contact_person", _("contact person")),
    ExportColumn("contact_phone", _("contact phone"), CODE, width=16),
]


class CompanyListView(FilteredListView):
    """The company list without ranking results; the page routed at companies/ is its
    subclass tracker.views.company_list.RankedCompanyListView, which adds them."""

    model = Company
    filterset_class = CompanyFilterSet
    filter_form_class = CompanyFilterForm
    template_name = "companies/company_list.html"
    sort_fields = {
        "name": "name_sort",  # pinyin order (core.sorting)
        "credit_code": "credit_code",
        "region": "region__sort_order",
        "industry": "industry__code",
        "land_area": "land_area_mu",
        "founded_on": "founded_on",
    }
    default_sort = "name"
    keyset_sorts = ("name", "credit_code")
    export_resource = "companies"
    export_title = _("Companies")
    export_columns = COMPANY_EXPORT_COLUMNS

    def list_queryset(self, queryset):
        return queryset.with_list_relations()


def company_url(company) -> str:
    return reverse("companies:detail", args=[company.pk])


class CompanyCreateView(RecordCreateView):
    model = Company
    form_class = CompanyForm

    def url_of(self, obj):
        return company_url(obj)

    def get_cancel_url(self):
        return reverse("companies:list")


class CompanyUpdateView(RecordUpdateView):
    model = Company
    form_class = CompanyForm

    def url_of(self, obj):
        return company_url(obj)
