"""Forms of the key-project pages. Records save through core.services.record_save; the
status moves only through projects.services.project_transition."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.forms import CompanyChildForm, clean_year_range
from core.forms import DATE_WIDGET, VersionedModelForm
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport
from projects.services import allowed_moves


class KeyProjectForm(CompanyChildForm):
    class Meta:
        model = KeyProject
        fields = list(KeyProject.EDITABLE_FIELDS)
        widgets = {
            "planned_start": DATE_WIDGET,
            "planned_completion": DATE_WIDGET,
            "accepted_on": DATE_WIDGET,
        }


class ProgressReportForm(VersionedModelForm):
    class Meta:
        model = ProgressReport
        fields = ["year", "quarter", "invested_to_date", "percent_complete", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.instance.project = project

    def clean_year(self):
        return clean_year_range(self.cleaned_data.get("year"))


class TransitionForm(forms.Form):
    """One status move. The target is checked by project_transition, whose refusal names the
    moves allowed from the current status; the form only carries the fields."""

    to_status = forms.CharField(label=_("move to"), max_length=24)
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accepted_on = forms.DateField(label=_("accepted on"), required=False, widget=DATE_WIDGET)


def move_choices(project: KeyProject, user=None) -> list[tuple[str, str]]:
    """The moves the lifecycle allows from the project's status, with their labels."""
    return [(status, ProjectStatus(status).label) for status in allowed_moves(project, user)]
