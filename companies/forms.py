"""Forms of the staff pages. They validate like the model (full_clean runs in
`companies.services.record_save`), carry the version the user started from, and leave the
saving to the service, so the rules live in one place."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
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
from core.roles import Role
from core.scoping import scope_of, selectable_regions
from core.services import StaleVersionError, record_save

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedModelForm(forms.ModelForm):
    """A ModelForm whose hidden `version` is the version the user was shown. The usual model
    validation runs while the form is cleaned, so every field's problem shows at once; saving
    goes through `record_save`, which validates again under its lock, and a stale version, a
    scope violation or a model error found there becomes a form error (next to its field where
    it has one). Nothing is written unless everything passes."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def save_through_service(self):
        """Save with `record_save`; returns the instance, or None with errors on the form."""
        expected = self.cleaned_data.get("version") if self.instance.pk else None
        try:
            return record_save(instance=self.instance, user=self.user, expected_version=expected)
        except StaleVersionError as error:
            self.add_error(None, str(error))
        except PermissionDenied as error:
            self.add_error(None, str(error) or _("You may not change this record."))
        except ValidationError as error:
            self._add_model_errors(error)
        return None

    def _add_model_errors(self, error: ValidationError):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.error_dict.items():
            target = field if field in self.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                self.add_error(target, message)


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
            "rated",
            "contact_person",
            "contact_phone",
        ]
        widgets = {"founded_on": DATE_WIDGET}

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


ANNUAL_FIELDS = FIGURE_FIELDS


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


class AnnualDataForm(CompanyChildForm):
    """One company's figures for one year."""

    class Meta:
        model = AnnualData
        fields = ["year", *ANNUAL_FIELDS]

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
        fields = ["number", "year", "title", "announced_on"]
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
        fields = [
            "standard",
            "level",
            "certificate_no",
            "issuing_body",
            "issued_on",
            "expires_on",
            "status",
        ]
        widgets = {"issued_on": DATE_WIDGET, "expires_on": DATE_WIDGET}


class MaturityForm(CompanyChildForm):
    class Meta:
        model = MaturityAssessment
        fields = ["level", "assessed_on", "assessor"]
        widgets = {"assessed_on": DATE_WIDGET}
