"""Forms of the objection pages. They only collect input: the rules are in notices.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notices.choices import CountyOpinion, subject_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (core.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ObjectionFileForm(forms.Form):
    run = forms.TypedChoiceField(label=_("published ranking"), coerce=int)
    subject = forms.ChoiceField(label=_("record or figure concerned"), choices=())
    claimed_value = forms.CharField(
        label=_("value claimed"),
        max_length=200,
        help_text=_("The figure or result you believe is right, e.g. 1,250 (10k RMB)."),
    )
    explanation = forms.CharField(
        label=_("explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the published figure or result is wrong, and what your evidence shows."),
    )
    files = MultipleFileField(
        label=_("attachments"),
        required=False,
        help_text=_("PDF, JPG or PNG, at most 10 MB each."),
    )

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.runs = {run.pk: run for run in runs}
        self.fields["run"].choices = [
            (
                run.pk,
                _("%(year)s result, notice until %(date)s")
                % {"year": run.year, "date": run.notice_ends_on.isoformat()},
            )
            for run in runs
        ]
        self.fields["subject"].choices = subject_choices()


class RemarkForm(forms.Form):
    opinion = forms.ChoiceField(
        label=_("county's opinion"), choices=CountyOpinion.choices, widget=forms.RadioSelect
    )
    remark = forms.CharField(label=_("county's remark"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("reason of the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
