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


class CompanyListView(FilteredListView):
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
    export_columns = [
        ("credit_code", _("unified social credit code")),
        ("name", _("name")),
        ("region__name_zh", _("region")),
        ("industry__code", _("industry code")),
        ("industry__name_zh", _("industry")),
        ("key_industry__name_zh", _("key subdivision industry")),
        ("address", _("address")),
        ("founded_on", _("founded on")),
        ("above_size", _("above designated size")),
        ("land_area_mu", _("land area (mu)")),
        ("is_pilot", _("pilot company")),
        ("pilot_year", _("pilot since")),
        ("rated", _("rated")),
        ("contact_person", _("contact person")),
        ("contact_phone", _("contact phone")),
    ]

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
