"""Spreadsheet imports: a dry run that lists every problem and previews every change, then
an all-or-nothing import that can be undone (tracker/imports/undo.py).

The flow of an ImportJob: uploaded → checking → checked (with its problems) → importing →
done, or failed with the reason. The import re-checks the file against the data as it is
at that moment (it may have changed since the dry run), then writes every row in one
transaction with bulk inserts and updates in batches, with their history records; any
problem or error writes nothing.

Progress (`processed_rows` of `total_rows`) is saved while rows are checked and, on
PostgreSQL, while they are written (tracker/imports/progress.py).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import AnnualData, Company
from core.scoping import can_edit_company_data
from core.services import HISTORY_REASON_LENGTH, records_bulk_write
from projects.models import KeyProject
from tracker.imports.messages import Message, Text, in_every_language, message_of
from tracker.imports.preview import build_preview
from tracker.imports.progress import OutsideTransaction, Progress
from tracker.imports.readers import ImportFileError, read_table
from tracker.imports.undo import record_changes
from tracker.imports.validate import Problem, Result, validate_table
from tracker.models import ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MODELS = {
    ImportKind.COMPANIES: Company,
    ImportKind.ANNUAL_DATA: AnnualData,
    ImportKind.PROJECTS: KeyProject,
}


class ImportNotAllowed(Exception):
    """The job is not in a state that allows this step (e.g. importing a file with problems)."""


WARNINGS_UNCONFIRMED = gettext_lazy(
    "The dry run flagged figures that jump against the year before: check them, then tick "
    "“I have checked the flagged figures” to import."
)


def import_job_create(*, kind: str, upload, user) -> ImportJob:
    """Store an uploaded file as a new job. Refuses users who may not change company data."""
    if not can_edit_company_data(user):
        raise PermissionDenied(_("You may not import data."))
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Unknown import kind “%(kind)s”.") % {"kind": kind}})
    job = ImportJob(kind=kind, original_name=upload.name[:255], created_by=user)
    job.file.save(upload.name, upload, save=False)
    job.save()
    return job


def import_check(*, job: ImportJob) -> ImportJob:
    """Dry run: record every problem by row, column and message. Writes no domain data."""
    import_job_update(
        job, status=ImportStatus.CHECKING, processed_rows=0, errors=[], preview={}, message=""
    )
    result = _read_and_validate(job, user=job.created_by, model_checks=True)
    import_job_update(
        job,
        status=ImportStatus.CHECKED,
        total_rows=result.total_rows,
        processed_rows=result.total_rows,
        errors=[p.as_dict() for p in result.problems],
        preview=build_preview(kind=job.kind, result=result),
        message=Text("%(good)d of %(total)d rows are ready to import.")
        % {"good": result.good_rows, "total": result.total_rows},
        finished_at=timezone.now(),
    )
    return job


def import_apply(*, job: ImportJob, user, confirm_warnings: bool = False) -> ImportJob:
    """Import every row of a checked job, all or nothing, on behalf of `user`. A file whose
    dry run found year-on-year warnings is imported only with `confirm_warnings`; each
    such row's history then records the confirmation."""
    if not can_edit_company_data(user):
        raise PermissionDenied(_("You may not import data."))
    if job.status != ImportStatus.CHECKED or job.errors:
        raise ImportNotAllowed(
            _("Only a checked file without problems can be imported; fix it and upload it again.")
        )
    if has_warnings(job) and not confirm_warnings:
        raise ImportNotAllowed(str(WARNINGS_UNCONFIRMED))
    # Claim the job atomically, so a double click or a repeated task delivery imports once.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING
    )
    if not claimed:
        raise ImportNotAllowed(_("This file is already being imported or was imported."))
    checked_at = job.finished_at  # when the dry run (and its preview) finished
    import_job_update(job, status=ImportStatus.IMPORTING, processed_rows=0, message="")
    # The dry run ran every model check on these same bytes; re-check what may have changed.
    result = _read_and_validate(job, user=user, model_checks=False)
    # The preview showed the records as they were at the check; one changed since (an edit
    # in between) would be overwritten by values its author never saw.
    changed = rows_changed_since(result.prepared, checked_at)
    if changed:
        import_job_update(
            job,
            status=ImportStatus.FAILED,
            message=Text(
                "Rows %(rows)s were changed by someone else after the check; nothing was "
                "imported. Upload the file again to see what it would change now."
            )
            % {"rows": ", ".join(str(row) for row in changed[:20])},
            finished_at=timezone.now(),
        )
        return job
    # A warning the dry run did not show (the earlier years changed since) was not confirmed.
    if result.problems or (result.warnings and not confirm_warnings):
        import_job_update(
            job,
            status=ImportStatus.FAILED,
            errors=[p.as_dict() for p in result.problems],
            message=Text("The data changed since the check; nothing was imported."),
            finished_at=timezone.now(),
        )
        return job
    try:
        with transaction.atomic():
            written = _write(job=job, result=result, user=user)
            record_changes(job=job, prepared=result.prepared)
    except Exception as exc:  # any error at all must leave the job failed, not "importing"
        logger.exception("Import %s failed while writing", job.pk)
        import_job_update(
            job,
            status=ImportStatus.FAILED,
            message=Text("The import failed while writing (%(error)s); nothing was imported.")
            % {"error": exc.__class__.__name__},
            finished_at=timezone.now(),
        )
        return job
    import_job_update(
        job,
        status=ImportStatus.DONE,
        imported_rows=written,
        processed_rows=result.total_rows,
        message=Text("%(n)d rows imported: %(new)d new, %(updated)d updated.")
        % {
            "n": written,
            "new": sum(p.action == "create" for p in result.prepared),
            "updated": sum(p.action == "update" for p in result.prepared),
        },
        finished_at=timezone.now(),
    )
    return job


def has_warnings(job: ImportJob) -> bool:
    """Whether the job's dry run found year-on-year warnings to confirm."""
    return bool((job.preview or {}).get("totals", {}).get("warnings"))


def rows_changed_since(prepared, checked_at) -> list[int]:
    """The file rows whose stored record was written after `checked_at` (edited, or created
    by someone else), so the check's preview no longer says what the import would do."""
    if checked_at is None:
        return []
    return [
        item.row
        for item in prepared
        if not item.is_new
        and getattr(item.instance, "updated_at", None) is not None
        and item.instance.updated_at > checked_at
    ]


def import_fail(*, job: ImportJob, message: str | Message) -> None:
    """Record that a job's task died unexpectedly, so the page stops waiting."""
    import_job_update(job, status=ImportStatus.FAILED, message=message, finished_at=timezone.now())


def _read_and_validate(job: ImportJob, *, user, model_checks: bool) -> Result:
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        table = read_table(data, job.original_name)
    except ImportFileError as exc:
        return Result(problems=[Problem(None, "", message_of(exc))])
    except OSError:
        return Result(
            problems=[Problem(None, "", Text("The uploaded file is no longer available."))]
        )
    import_job_update(job, total_rows=len(table.rows))
    saved = Progress(job, _save_progress, total=len(table.rows))

    def progress(done: int) -> None:
        # The import's re-check is the first half of its bar; the write is the second.
        saved(done if model_checks else done // 2)

    return validate_table(
        kind=job.kind, table=table, user=user, progress=progress, model_checks=model_checks
    )


def _save_progress(job: ImportJob, rows: int) -> None:
    import_job_update(job, processed_rows=rows)


def _write(*, job: ImportJob, result: Result, user) -> int:
    """Write the new and changed rows through the write path's bulk service, which stamps
    author and version, writes the history rows and tells the rankings which years changed.
    Unchanged rows are not written: their versions and histories stay as they are."""
    updates = [p for p in result.prepared if p.action == "update"]
    changed = {name for p in updates for name in p.changes}
    for prepared in result.prepared:
        if prepared.warning_note:
            # This row's own history reason (records_bulk_write keeps it): which import,
            # and what the user confirmed.
            note = f"import #{job.pk}, {prepared.warning_note}"
            prepared.instance._change_reason = note[:HISTORY_REASON_LENGTH]
    creates = [p.instance for p in result.prepared if p.is_new]
    total, half = result.total_rows, result.total_rows // 2
    outside = OutsideTransaction()
    saved = Progress(job, outside, total=total)
    try:
        return records_bulk_write(
            model=MODELS[job.kind],
            creates=creates,
            updates=[p.instance for p in updates],
            fields=[name for name in result.fields if name in changed],
            user=user,
            reason=_("import of %(file)s") % {"file": job.original_name},
            batch_size=BATCH_SIZE,
            progress=lambda written: saved(
                half + (total - half) * written // max(len(creates) + len(updates), 1)
            ),
        )
    finally:
        outside.close()


def import_job_update(job: ImportJob, **values) -> None:
    """Save some fields of the job at once (on the row and on `job`), so a poller sees them
    while the work goes on. A message is kept in every language (tracker/imports/messages.py);
    `message` itself holds it in the language of the moment."""
    if "message" in values:
        values["message_texts"] = in_every_language(values["message"]) if values["message"] else {}
        values["message"] = str(values["message"])
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)
