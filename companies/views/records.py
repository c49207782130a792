"""Create and edit pages of the records that hang off a company or a batch: batches,
designations, IMS certifications and maturity assessments."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from companies.forms import BatchForm, CertificationForm, DesignationForm, MaturityForm
from companies.models import (
    Certification,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
)
from companies.views.access import CityRequiredMixin
from companies.views.edit import ForCompanyMixin, RecordCreateView, RecordUpdateView


def company_page(company_id, anchor=""):
    return reverse("companies:detail", args=[company_id]) + anchor


class BatchCreateView(CityRequiredMixin, RecordCreateView):
    """Batches are announced by the city: administrators and city staff only."""

    model = DemonstrationBatch
    form_class = BatchForm

    def url_of(self, obj):
        return reverse("companies:batch_detail", args=[obj.pk])

    def get_cancel_url(self):
        return reverse("companies:batch_list")


class BatchUpdateView(CityRequiredMixin, RecordUpdateView):
    model = DemonstrationBatch
    form_class = BatchForm

    def get_queryset(self):
        # Batches carry no company, so they have no scoped manager; the mixin admits only
        # city-wide roles.
        return DemonstrationBatch.objects.all()

    def url_of(self, obj):
        return reverse("companies:batch_detail", args=[obj.pk])


class DesignationCreateView(RecordCreateView):
    """Name a company (by credit code) in a batch; county staff may name their own region's."""

    model = Designation
    form_class = DesignationForm

    def dispatch(self, request, *args, **kwargs):
        self.batch = get_object_or_404(DemonstrationBatch, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["batch"] = self.batch
        return kwargs

    def url_of(self, obj):
        return reverse("companies:batch_detail", args=[self.batch.pk])

    def get_cancel_url(self):
        return reverse("companies:batch_detail", args=[self.batch.pk])


class CompanyRecordCreateView(ForCompanyMixin, RecordCreateView):
    """A record added from a company's page (its URL always names the company)."""

    anchor = ""

    def url_of(self, obj):
        return company_page(obj.company_id, self.anchor)

    def get_cancel_url(self):
        return company_page(self.company.pk, self.anchor)


class CertificationCreateView(CompanyRecordCreateView):
    model = Certification
    form_class = CertificationForm
    anchor = "#certifications"


class CertificationUpdateView(RecordUpdateView):
    model = Certification
    form_class = CertificationForm

    def url_of(self, obj):
        return company_page(obj.company_id, "#certifications")


class MaturityCreateView(CompanyRecordCreateView):
    model = MaturityAssessment
    form_class = MaturityForm
    anchor = "#maturity"
