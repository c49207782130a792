"""Demonstration batches (示范批次) and the companies designated in them."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from companies.models import DemonstrationBatch, Designation
from companies.views.access import StaffRequiredMixin


class BatchListView(StaffRequiredMixin, ListView):
    """Batches are the city's announcements, so every staff member sees all of them; the
    company counts, like everything about companies, count only visible companies."""

    model = DemonstrationBatch
    template_name = "companies/batch_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Designation.objects.visible_to(self.request.user)
            .filter(active=True)
            .values_list("batch")
            .annotate(n=Count("id"))
            .values_list("batch", "n")
        )
        for batch in context["object_list"]:
            batch.company_count = counts.get(batch.pk, 0)
        return context


class BatchDetailView(StaffRequiredMixin, DetailView):
    model = DemonstrationBatch
    template_name = "companies/batch_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(DemonstrationBatch, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["designations"] = (
            Designation.objects.visible_to(self.request.user)
            .filter(batch=self.object)
            .select_related("company", "company__region", "company__industry")
            .order_by("-active", "company__region__sort_order", "company__name_sort", "pk")
        )
        return context
