"""The import pages: upload, dry-run findings and preview, confirm, progress, undo.

The work runs in a Celery task (tracker/imports/tasks.py). With a worker (REDIS_URL set) the
job page polls a small JSON view for progress; without one the task runs in-process before
the redirect, so the page opens on the finished result.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.views.access import StaffRequiredMixin, is_staff_user
from core.scoping import scope_of
from tracker.imports.columns import COLUMNS, key_headers
from tracker.imports.messages import shown
from tracker.imports.readers import MAX_FILE_BYTES
from tracker.imports.services import WARNINGS_UNCONFIRMED, has_warnings, import_job_create
from tracker.imports.tasks import import_apply_task, import_check_task
from tracker.imports.templates import template_workbook
from tracker.imports.undo import UndoRefused, import_undo, may_undo, undo_deadline, undo_refusal
from tracker.models import ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)

PROBLEMS_PER_PAGE = 200
RUNNING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("XLSX or CSV (UTF-8 or GBK), at most 20 MB and 100,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


def _own_job(request, pk, *, city_staff_too: bool = False) -> ImportJob:
    """A job is seen only by the person who uploaded it (and administrators); with
    `city_staff_too`, by city staff as well, who may undo anyone's import."""
    if not is_staff_user(request.user):
        raise Http404
    jobs = ImportJob.objects.all()
    if not (request.user.is_superuser or (city_staff_too and scope_of(request.user).is_city_wide)):
        jobs = jobs.filter(created_by=request.user)
    return get_object_or_404(jobs, pk=pk)


def _run(task, *args) -> None:
    """Hand the job to Celery once the upload is committed; if the broker cannot take it,
    run the task here (with its failure handling) so the user's file is never silently
    dropped."""

    def send():
        try:
            task.delay(*args)
        except Exception:
            logger.exception("Broker refused %s; running it in-process", task.name)
            task.apply(args=args)

    transaction.on_commit(send)


class ImportStartView(StaffRequiredMixin, FormView):
    template_name = "imports/start.html"
    form_class = ImportUploadForm

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in ImportKind.values else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jobs = ImportJob.objects.filter(created_by=self.request.user)
        context["jobs"] = jobs[:10]
        context["kinds"] = [
            {
                "value": kind.value,
                "label": kind.label,
                "keys": key_headers(kind.value, get_language() or settings.LANGUAGE_CODE),
                "columns": COLUMNS[kind.value],
            }
            for kind in ImportKind
        ]
        return context

    def form_valid(self, form):
        try:
            job = import_job_create(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=self.request.user,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        _run(import_check_task, job.pk)
        return redirect("imports:job", pk=job.pk)


class ImportJobView(StaffRequiredMixin, TemplateView):
    template_name = "imports/job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _own_job(self.request, kwargs["pk"], city_staff_too=True)
        page = Paginator(job.errors, PROBLEMS_PER_PAGE).get_page(self.request.GET.get("page"))
        bad_rows = len({e["row"] for e in job.errors if e.get("row") and e["row"] > 1})
        file_level = any(not e.get("row") or e["row"] == 1 for e in job.errors)
        context.update(
            job=job,
            running=job.status in RUNNING,
            page_obj=page,
            problems=[_in_reader_language(finding) for finding in page.object_list],
            bad_rows=bad_rows,
            good_rows=0 if file_level else max(job.total_rows - bad_rows, 0),
            can_apply=job.status == ImportStatus.CHECKED
            and not job.errors
            and (job.created_by_id == self.request.user.pk or self.request.user.is_superuser),
            can_undo=may_undo(job=job, user=self.request.user) and undo_refusal(job) is None,
            undo_deadline=undo_deadline(job),
            preview_rows=job.preview.get("rows", []),
            preview_totals=job.preview.get("totals"),
            warnings=[_in_reader_language(w) for w in job.preview.get("warnings", [])],
            preview_hidden=job.preview.get("rows_total", 0) - len(job.preview.get("rows", [])),
            progress_template=_("%(done)s of %(total)s rows processed"),
        )
        return context


class ImportApplyView(StaffRequiredMixin, View):
    def post(self, request, pk):
        job = _own_job(request, pk)
        if job.status != ImportStatus.CHECKED or job.errors:
            messages.error(request, _("Only a checked file without problems can be imported."))
            return redirect("imports:job", pk=job.pk)
        confirmed = bool(request.POST.get("confirm_warnings"))
        if has_warnings(job) and not confirmed:
            messages.error(request, WARNINGS_UNCONFIRMED)
            return redirect("imports:job", pk=job.pk)
        _run(import_apply_task, job.pk, request.user.pk, confirmed)
        return redirect("imports:job", pk=job.pk)


class ImportUndoView(StaffRequiredMixin, View):
    def post(self, request, pk):
        job = _own_job(request, pk, city_staff_too=True)
        try:
            import_undo(job=job, user=request.user)
        except (PermissionDenied, UndoRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The import was undone."))
        return redirect("imports:job", pk=job.pk)


def _in_reader_language(finding: dict) -> dict:
    """A stored problem or warning with its message in the reader's language."""
    return {
        **finding,
        "column": shown(finding.get("columns"), finding.get("column", "")),
        "message": shown(finding.get("messages"), finding.get("message", "")),
    }


def import_status(request, pk):
    """Progress of a job for the page's poller."""
    if not request.user.is_authenticated:
        raise Http404
    job = _own_job(request, pk)
    percent = round(100 * job.processed_rows / job.total_rows) if job.total_rows else 0
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "percent": min(percent, 100),
            "running": job.status in RUNNING,
        }
    )


def template_download(request, kind):
    if not request.user.is_authenticated or not is_staff_user(request.user):
        raise Http404
    if kind not in ImportKind.values:
        raise Http404
    response = HttpResponse(
        template_workbook(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-template-{kind}.xlsx"'
    return response
