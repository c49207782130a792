"""Forms of the reporting pages. The company's figures are validated by the staff
annual-data form's rules (the model's checks and companies.plausibility's warnings, through
ConfirmWarningsMixin) on an unsaved AnnualData row built from the submission."""

from __future__ import annotations

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from companies.forms import ConfirmWarningsMixin
from companies.models import AnnualData, DemonstrationBatch, Region
from companies.models.annual import FIGURE_FIELDS, MAX_YEAR, MIN_YEAR
from core.forms import DATE_WIDGET
from projects.models import KeyProject, ProgressReport
from reporting.choices import SizeClass
from reporting.models import Submission


def figure_values(row: AnnualData) -> dict:
    """A row's figures as a submission stores them (JSON: numbers as text)."""
    values = {}
    for name in FIGURE_FIELDS:
        value = getattr(row, name)
        values[name] = value if value is None or isinstance(value, bool) else str(value)
    return values


def annual_row(submission: Submission) -> AnnualData:
    """The unsaved AnnualData row of the submission's figures: what the city's confirmation
    writes, and what the staff form's rules check."""
    row = AnnualData(company=submission.company, year=submission.campaign.year)
    for name, value in (submission.figures or {}).items():
        if name in FIGURE_FIELDS:
            setattr(row, name, AnnualData._meta.get_field(name).to_python(value))
    return row


class SubmissionFiguresForm(ConfirmWarningsMixin, forms.ModelForm):
    """The company's figures for the campaign year. `final` (submitting) runs every check of
    the staff form, warnings to be confirmed included; a draft is checked field by field only
    (a half-filled draft may still miss a figure another one depends on)."""

    class Meta:
        model = AnnualData
        fields = list(FIGURE_FIELDS)

    def __init__(self, *args, submission: Submission, final: bool = True, **kwargs):
        self.submission = submission
        self.final = final
        super().__init__(*args, instance=annual_row(submission), **kwargs)

    def _post_clean(self):
        if self.final:
            super()._post_clean()
            return
        construct_instance(self, self.instance, fields=FIGURE_FIELDS)
        try:
            self.instance.clean_fields(
                exclude=[f.name for f in AnnualData._meta.fields if f.name not in FIGURE_FIELDS]
            )
        except forms.ValidationError as error:
            self._update_errors(error)

    @property
    def figures(self) -> dict:
        return figure_values(self.instance)

    @property
    def warnings_note(self) -> str:
        """The "confirmed: …" note of the warnings the company confirmed, or ""."""
        return getattr(self.instance, "_change_reason", "") or ""


def figures_form_data(submission: Submission) -> dict:
    """The stored figures as form data (to check them again when the company submits)."""
    data = {k: ("" if v is None else v) for k, v in (submission.figures or {}).items()}
    if not data.get("major_incident"):
        data.pop("major_incident", None)
    if submission.warnings_confirmed:
        data["confirm_warnings"] = "on"
    return data


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    deadline = forms.DateField(label=_("deadline"), widget=DATE_WIDGET)
    regions = forms.ModelMultipleChoiceField(
        label=_("regions"),
        queryset=Region.objects.all(),
        required=False,
        help_text=_("Leave empty for every region."),
    )
    size_class = forms.ChoiceField(
        label=_("size class"),
        choices=[("", _("both classes")), *SizeClass.choices],
        required=False,
    )
    batch = forms.ModelChoiceField(
        label=_("batch"),
        queryset=DemonstrationBatch.objects.all(),
        required=False,
        empty_label=_("every company"),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea({"rows": 2}))


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("new deadline"), widget=DATE_WIDGET)


class AddCompaniesForm(forms.Form):
    credit_codes = forms.CharField(
        label=_("unified social credit codes"),
        widget=forms.Textarea({"rows": 3}),
        help_text=_("One or more 18-character codes, separated by spaces or lines."),
    )

    def clean_credit_codes(self):
        codes = {code.strip().upper() for code in self.cleaned_data["credit_codes"].split()}
        return sorted(code for code in codes if code)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("evidence file (PDF, JPG or PNG, at most 10 MB)"), required=False
    )


class ReviewForm(forms.Form):
    """A review step: the action, its comment, and (for a return) the figures concerned."""

    action = forms.CharField(max_length=20, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea({"rows": 2})
    )
    fields = forms.MultipleChoiceField(
        label=_("figures concerned"),
        required=False,
        choices=[(name, AnnualData._meta.get_field(name).verbose_name) for name in FIGURE_FIELDS],
        widget=forms.CheckboxSelectMultiple,
    )


class ProjectDeclarationForm(forms.ModelForm):
    """A company's declaration (申报) of a new key project; county and city review it."""

    class Meta:
        model = KeyProject
        fields = [
            "name",
            "kind",
            "level",
            "planned_investment",
            "planned_start",
            "planned_completion",
            "robots_planned",
        ]
        widgets = {"planned_start": DATE_WIDGET, "planned_completion": DATE_WIDGET}


class CompanyProgressReportForm(forms.ModelForm):
    """A company's quarterly progress report on one of its key projects."""

    class Meta:
        model = ProgressReport
        fields = ["year", "quarter", "invested_to_date", "percent_complete", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
