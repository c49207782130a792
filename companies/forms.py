"""Forms of the staff pages. They validate like the model (full_clean runs in
`core.services.record_save`), carry the version the user started from, and leave the
saving to the service, so the rules live in one place."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    Region,
)
from companies.models.annual import (
    FIGURE_FIELDS,
    MAX_YEAR,
    MIN_YEAR,
    PILOT_YEAR_RANGE_MESSAGE,
    YEAR_RANGE_MESSAGE,
)
from companies.plausibility import confirmation_note, warning_messages, year_on_year_jumps
from core.forms import DATE_WIDGET, VersionedModelForm
from core.roles import Role
from core.scoping import scope_of, selectable_regions


class CompanyForm(VersionedModelForm):
    class Meta:
        model = Company
        fields = [
            "credit_code",
            "name",
            "region",
            "industry",
            "key_industry",
            "address",
            "founded_on",
            "above_size",
            "land_area_mu",
            "is_pilot",
            "pilot_year",
            "pilot_designated_on",
            "rated",
            "contact_person",
            "contact_phone",
        ]
        widgets = {"founded_on": DATE_WIDGET, "pilot_designated_on": DATE_WIDGET}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # County staff work in their own region only; offer nothing else.
        self.fields["region"].queryset = selectable_regions(user, Region.objects.all())
        scope = scope_of(user)
        if scope.role == Role.COUNTY:
            self.fields["region"].initial = scope.region_id
        self.fields["credit_code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "maxlength": 18}
        )

    def clean_pilot_year(self):
        year = self.cleaned_data.get("pilot_year")
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(PILOT_YEAR_RANGE_MESSAGE)
        return year


class CompanyChildForm(VersionedModelForm):
    """A record that hangs off a company. The company comes from the page the form was opened
    on (a company's page) or is named by its credit code — a select of every company would
    not scale to a province. It cannot be changed afterwards."""

    company_code = forms.CharField(
        label=_("company (unified social credit code)"),
        max_length=18,
        required=False,
        help_text=_("The 18-character code of a company you may edit."),
    )

    def __init__(self, *args, user=None, company=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.company = company or (self.instance.company if self.instance.company_id else None)
        if self.company is not None:
            del self.fields["company_code"]
        else:
            self.fields["company_code"].required = True
            self.order_fields(["company_code", *self.fields])

    def clean_company_code(self):
        code = (self.cleaned_data.get("company_code") or "").strip().upper()
        company = Company.objects.editable_by(self.user).filter(credit_code=code).first()
        if company is None:
            raise ValidationError(
                _("No company with the code %(code)s that you may edit."), params={"code": code}
            )
        return company

    def _post_clean(self):
        company = self.company or self.cleaned_data.get("company_code")
        if isinstance(company, Company):
            self.instance.company = company
        super()._post_clean()


def clean_year_range(year):
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(YEAR_RANGE_MESSAGE)
    return year


class ConfirmWarningsMixin(forms.Form):
    """For a form of an annual-data row (the staff form, the admin's form and inline): a
    figure that jumps against the year before (companies.plausibility) is refused with its
    warning next to it until the user ticks `confirm_warnings`; the confirmation becomes the
    change reason in the row's history. A mixin so the pages and the admin confirm alike."""

    confirm_warnings = forms.BooleanField(
        label=_("The flagged figures are right: save them"),
        required=False,
        widget=forms.HiddenInput,  # a checkbox once there is something to confirm
    )

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        changed = self.changed_data if self.instance.pk else FIGURE_FIELDS
        jumps = year_on_year_jumps(self.instance, changed)
        if not jumps:
            return
        if self.cleaned_data.get("confirm_warnings"):
            self.instance._change_reason = confirmation_note(jumps)
            return
        self.fields["confirm_warnings"].widget = forms.CheckboxInput()
        for field, message in warning_messages(jumps).items():
            self.add_error(field, message)


class AnnualDataForm(ConfirmWarningsMixin, CompanyChildForm):
    """One company's figures for one year; jumps are confirmed (ConfirmWarningsMixin)."""

    class Meta:
        model = AnnualData
        fields = ["year", *FIGURE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A row belongs to its company and year for good; a correction edits the figures.
            self.fields["year"].disabled = True
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": MAX_YEAR})

    def clean_year(self):
        return clean_year_range(self.cleaned_data.get("year"))


class BatchForm(VersionedModelForm):
    class Meta:
        model = DemonstrationBatch
        fields = list(DemonstrationBatch.EDITABLE_FIELDS)
        widgets = {"announced_on": DATE_WIDGET}

    def clean_year(self):
        return clean_year_range(self.cleaned_data.get("year"))


class DesignationForm(CompanyChildForm):
    """Names a company in a batch; the batch comes from the batch's page."""

    class Meta:
        model = Designation
        fields = ["designated_on", "active", "revoked_reason"]
        widgets = {"designated_on": DATE_WIDGET}

    def __init__(self, *args, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        if batch is not None:
            self.instance.batch = batch


class CertificationForm(CompanyChildForm):
    class Meta:
        model = Certification
        fields = list(Certification.EDITABLE_FIELDS)
        widgets = {"issued_on": DATE_WIDGET, "expires_on": DATE_WIDGET}


class MaturityForm(CompanyChildForm):
    class Meta:
        model = MaturityAssessment
        fields = list(MaturityAssessment.EDITABLE_FIELDS)
        widgets = {"assessed_on": DATE_WIDGET}
