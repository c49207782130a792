"""Demonstration batches (示范批次) and the companies designated in them; `?export=xlsx|csv`
writes either table as shown (core.exports, the one export home)."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from companies.choices import BatchLevel
from companies.models import DemonstrationBatch, Designation
from companies.views.access import StaffRequiredMixin
from core import exports
from core.exports import BOOL, CHOICE, CODE, DATE, NAME, NUMBER, ExportColumn

BATCH_EXPORT_COLUMNS = [
    ExportColumn("number", _("number"), NUMBER, width=8),
    ExportColumn("year", _("year"), NUMBER, width=8),
    ExportColumn("level", _("level"), CHOICE, labels=dict(BatchLevel.choices)),
    ExportColumn("document_no", _("document number"), width=28),
    ExportColumn("title", _("title"), width=40),
    ExportColumn("announced_on", _("announced on"), DATE),
    ExportColumn("company_count", _("companies"), NUMBER),
]

DESIGNATION_EXPORT_COLUMNS = [
    ExportColumn("company__credit_code", _("unified social credit code"), CODE),
    ExportColumn("company__name", _("company"), width=36),
    ExportColumn("company__region__name", _("region"), NAME),
    ExportColumn("company__industry__name", _("industry"), NAME, width=28),
    ExportColumn("designated_on", _("designated on"), DATE),
    ExportColumn("active", _("active"), BOOL),
    ExportColumn("revoked_reason", _("reason for revocation"), width=36),
]


def _export(request, *, resource, title, columns, rows):
    """The table as a download in the format asked for with `?export=` (404 for another)."""
    fmt = request.GET["export"]
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.export_rows(
        user=request.user,
        resource=resource,
        fmt=fmt,
        columns=columns,
        rows=rows,
        filters={k: v for k, v in request.GET.items() if k not in ("export", "page")},
        title=title,
    )


class BatchListView(StaffRequiredMixin, ListView):
    """Batches are the city's announcements, so every staff member sees all of them; the
    company counts, like everything about companies, count only visible companies."""

    model = DemonstrationBatch
    template_name = "companies/batch_list.html"
    paginate_by = 50

    def company_counts(self) -> dict[int, int]:
        return dict(
            Designation.objects.visible_to(self.request.user)
            .filter(active=True)
            .values_list("batch")
            .annotate(n=Count("id"))
            .values_list("batch", "n")
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("export"):
            counts = self.company_counts()
            keys = exports.value_keys(BATCH_EXPORT_COLUMNS[:-1])
            batches = self.get_queryset().values("id", *keys)
            rows = ({**row, "company_count": counts.get(row["id"], 0)} for row in batches)
            return _export(
                request,
                resource="batches",
                title=_("Demonstration batches"),
                columns=BATCH_EXPORT_COLUMNS,
                rows=rows,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.company_counts()
        for batch in context["object_list"]:
            batch.company_count = counts.get(batch.pk, 0)
        return context


class BatchDetailView(StaffRequiredMixin, DetailView):
    model = DemonstrationBatch
    template_name = "companies/batch_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(DemonstrationBatch, pk=self.kwargs["pk"])

    def designations(self):
        return (
            Designation.objects.visible_to(self.request.user)
            .filter(batch=self.object)
            .select_related("company", "company__region", "company__industry")
            .order_by("-active", "company__region__sort_order", "company__name_sort", "pk")
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("export"):
            self.object = self.get_object()
            columns = DESIGNATION_EXPORT_COLUMNS
            return _export(
                request,
                resource=f"batch-{self.object.number}",
                title=str(self.object),
                columns=columns,
                rows=self.designations().values(*exports.value_keys(columns)),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["designations"] = self.designations().select_related(
            "company", "company__region", "company__industry"
        )
        return context
