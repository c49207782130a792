"""Form bases every app's pages share: a model form that saves through the one write path
(`core.services.record_save`) and carries the version the user started from."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from core.models import NotificationPreference
from core.services import StaleVersionError, record_save

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What an empty choice reads in every form of the site (Django's default is "---------").
CHOICE_PLACEHOLDER = _("Choose…")
BLANK_LABEL = BLANK_CHOICE_DASH[0][1]


class FriendlyChoicesMixin:
    """Every choice field of a form reads "请选择…/Choose…" when nothing is chosen (a filter
    form says "全部/All" instead: empty there means every row). Mixed into
    `VersionedModelForm` and `core.filters.FilterForm`, so every page form has it."""

    choice_placeholder = CHOICE_PLACEHOLDER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            friendly_choice_field(field, self.choice_placeholder)


def friendly_choice_field(field, placeholder=CHOICE_PLACEHOLDER) -> None:
    """Swap the empty choice's "---------" for `placeholder`."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = placeholder
            field.widget.choices = field.choices
        return
    target = field if isinstance(field, forms.ChoiceField) else field.widget
    choices = list(getattr(target, "choices", None) or [])
    if choices and choices[0][0] in ("", None) and choices[0][1] == BLANK_LABEL:
        target.choices = [(choices[0][0], placeholder), *choices[1:]]


class VersionedModelForm(FriendlyChoicesMixin, forms.ModelForm):
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


class NotificationPreferenceForm(forms.ModelForm):
    """The account page's choice: e-mail copies on or off, and the e-mails' language."""

    class Meta:
        model = NotificationPreference
        fields = ("email_enabled", "language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The site's default")),
            *self.fields["language"].choices[1:],
        ]
        if not self.instance.user.email:
            # Nothing can be mailed: the box is shown greyed out (the choice is kept for when
            # an address is added) rather than ticked as if e-mails went somewhere.
            self.fields["email_enabled"].disabled = True
            self.fields["email_enabled"].help_text = _(
                "No e-mails are sent: your account has no e-mail address."
            )
