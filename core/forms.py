"""Form bases every app's pages share: a model form that saves through the one write path
(`core.services.record_save`) and carries the version the user started from."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

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
