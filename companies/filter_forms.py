"""The filter forms of the staff list pages: how a page presents the query its FilterSet
(companies/filtersets.py) answers. The dropdowns offer only what the user may see, so a county
official is not offered other regions; a value outside them is reported beside the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import DemonstrationBatch, Industry, KeyIndustry, Region
from core.filters import FilterForm, yes_no_field
from core.scoping import selectable_regions


def visible_regions(user):
    return selectable_regions(user, Region.objects.all())


class RegionFilterForm(FilterForm):
    """A filter form with the `region` dropdown, cut down to the regions the user may see."""

    region = forms.ModelChoiceField(
        label=_("region"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(self.user)


class CompanyFilterForm(RegionFilterForm):
    q = forms.CharField(label=_("name or credit code"), required=False)
    industry = forms.ModelChoiceField(
        label=_("industry"), queryset=Industry.objects.all(), required=False
    )
    key_industry = forms.ModelChoiceField(
        label=_("key subdivision industry"), queryset=KeyIndustry.objects.all(), required=False
    )
    above_size = yes_no_field(_("above designated size"))
    is_pilot = yes_no_field(_("pilot company"))
    rated = yes_no_field(_("rated"))
    batch = forms.ModelChoiceField(
        label=_("demonstration batch"), queryset=DemonstrationBatch.objects.all(), required=False
    )

    field_order = ["q"]  # then region (declared first, by RegionFilterForm) and the rest


class AnnualDataFilterForm(RegionFilterForm):
    year = forms.IntegerField(label=_("year"), required=False)
    q = forms.CharField(label=_("company name or credit code"), required=False)
    major_incident = yes_no_field(_("major safety or environmental incident"))

    field_order = ["year"]
