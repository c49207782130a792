"""The filter form of the key-project list page: how the page presents the query that
KeyProjectFilterSet (projects/filtersets.py) answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.filter_forms import RegionFilterForm
from companies.models import DemonstrationBatch
from core.filters import choice_field, yes_no_field
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus


class ProjectFilterForm(RegionFilterForm):
    q = forms.CharField(label=_("project or company"), required=False)
    kind = choice_field(_("kind"), ProjectKind.choices)
    level = choice_field(_("level"), ProjectLevel.choices)
    status = choice_field(_("status"), ProjectStatus.choices)
    batch = forms.ModelChoiceField(
        label=_("batch"), queryset=DemonstrationBatch.objects.all(), required=False
    )
    lagging = yes_no_field(_("lagging"))

    field_order = ["q", "kind", "level", "status", "region"]  # then batch and lagging
