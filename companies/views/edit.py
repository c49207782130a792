"""Create and edit pages shared by every record type: the form saves through
`core.services.record_save` (via VersionedModelForm), so a bad value, a stale version or
a write outside the user's scope shows a message and changes nothing."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from companies.models import Company
from companies.views.access import StaffRequiredMixin
from core.views import ScopedUpdateView


class RecordFormMixin(StaffRequiredMixin):
    template_name = "companies/record_form.html"
    cancel_url = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        saved = form.save_through_service()
        if saved is None:
            return self.form_invalid(form)
        self.object = saved
        messages.success(self.request, _("Saved “%(record)s”.") % {"record": saved})
        return redirect(self.get_success_url())

    def url_of(self, obj) -> str:
        """The page of a saved record (models here carry no get_absolute_url)."""
        raise NotImplementedError

    def get_success_url(self):
        return self.url_of(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_cancel_url()
        context["verbose_name"] = self.model._meta.verbose_name
        context.update(self.record_owner(context.get("form")))
        return context

    def record_owner(self, form) -> dict:
        """Whose record the form is about, for its heading: the company (from the URL, the
        record or the project it reports on), the project, and the year when it is known."""
        record = getattr(self, "object", None)
        project = getattr(self, "project", None) or getattr(record, "project", None)
        company = (
            getattr(self, "company", None)
            or getattr(form, "company", None)
            or (project.company if project is not None else None)
            or (record.company if getattr(record, "company_id", None) else None)
        )
        year = getattr(record, "year", None)
        if year is None and form is not None and "year" in form.fields:
            year = form.initial.get("year")
        return {"owner_company": company, "owner_project": project, "owner_year": year}

    def get_cancel_url(self):
        return self.cancel_url


class RecordCreateView(RecordFormMixin, CreateView):
    pass


class ForCompanyMixin:
    """A record created for the company named in the URL (`company_pk`), which must be one
    the user may edit (404 otherwise). Without `company_pk` the form asks for the company."""

    def dispatch(self, request, *args, **kwargs):
        self.company = None
        if "company_pk" in kwargs and request.user.is_authenticated:
            self.company = get_object_or_404(
                Company.objects.editable_by(request.user), pk=kwargs["company_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["company"] = self.company
        return kwargs


class RecordUpdateView(RecordFormMixin, ScopedUpdateView):
    """Reads the record through `editable_by(user)` (ScopedUpdateView): records the user may
    not change answer 404, whether or not they may see them."""

    def get_cancel_url(self):
        return self.url_of(self.object)
