"""The filter forms of pages that list companies with their ranking result: how a page
presents the query RankedCompanyFilterSet (rankings/filtersets.py) answers."""

from django.utils.translation import gettext_lazy as _

from companies.filter_forms import CompanyFilterForm
from core.filters import choice_field
from rankings.choices import Grade


class RankedCompanyFilterForm(CompanyFilterForm):
    """The company list's filters, with the grade of the latest year's current ranking."""

    grade = choice_field(_("grade"), [(grade.value, grade.value) for grade in Grade])

    field_order = ["q", "region", "industry", "grade"]
