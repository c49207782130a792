"""Undoing an import as a whole.

An import records, in its own transaction, what it did to each record (ImportChange): the
records it created, and the stored values of the fields it changed with the version each
record had afterwards. Within IMPORT_UNDO_DAYS its author or city staff may undo it, if no
record was touched since (its version is still the import's): the created records are
deleted and the old values restored through the write path, so history rows (with the
reason "undo of import #N"), versions and the rankings' staleness marker are right. One
record changed since refuses the whole undo, naming the rows.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import UNDO_REASON
from core.rows import insert_rows
from core.scoping import can_edit_company_data, scope_of
from core.services import record_delete, records_bulk_write
from tracker.models import ImportChange, ImportJob, ImportStatus


class UndoRefused(Exception):
    """The import cannot be undone; the message says why (and which rows)."""


def record_changes(*, job: ImportJob, prepared) -> None:
    """Keep what the import wrote (call inside its transaction, after the write)."""
    rows = []
    for item in prepared:
        if item.action == "unchanged":
            continue
        instance = item.instance
        meta = instance._meta
        rows.append(
            ImportChange(
                job=job,
                row=item.row,
                model=meta.label,
                object_id=instance.pk,
                created=item.is_new,
                old_values={} if item.is_new else _by_attname(meta, item.changes),
                version=getattr(instance, "version", None),
            )
        )
    # Straight through the driver, as the records themselves went in (core.rows).
    insert_rows(ImportChange, rows)


def _by_attname(meta, changes: dict) -> dict:
    return {meta.get_field(name).attname: old for name, (old, _new) in changes.items()}


def undo_deadline(job: ImportJob) -> datetime.datetime | None:
    if job.finished_at is None:
        return None
    return job.finished_at + datetime.timedelta(days=settings.IMPORT_UNDO_DAYS)


def may_undo(*, job: ImportJob, user) -> bool:
    """Whether `user` may undo `job` at all: its author, or city staff."""
    return can_edit_company_data(user) and (
        job.created_by_id == user.pk or scope_of(user).is_city_wide
    )


def undo_refusal(job: ImportJob) -> str | None:
    """Why `job` cannot be undone now (its state or its age), or None. Does not look at the
    records: the undo itself does, under lock."""
    if job.status != ImportStatus.DONE:
        return _("Only an import that was carried out can be undone.")
    deadline = undo_deadline(job)
    if deadline is None or timezone.now() > deadline:
        return _("An import can be undone within %(days)d days only.") % {
            "days": settings.IMPORT_UNDO_DAYS
        }
    return None


@transaction.atomic
def import_undo(*, job: ImportJob, user) -> ImportJob:
    """Undo every change of `job` on behalf of `user`, all or nothing.

    Raises PermissionDenied for someone who may not undo it and UndoRefused when it is not
    undoable (state, period, or records changed since, named by row)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not may_undo(job=job, user=user):
        raise PermissionDenied(_("Only the author of an import or city staff may undo it."))
    refusal = undo_refusal(job)
    if refusal is not None:
        raise UndoRefused(refusal)
    reason = UNDO_REASON.format(number=job.pk)  # put into the reader's language on display
    changes = list(job.changes.all())
    by_model: dict[str, list[ImportChange]] = {}
    for change in changes:
        by_model.setdefault(change.model, []).append(change)
    plans = [_plan(label, rows) for label, rows in by_model.items()]
    touched = sorted(row for plan in plans for row in plan.touched)
    if touched:
        raise UndoRefused(
            _("Rows changed since the import, so it cannot be undone: %(rows)s.")
            % {"rows": ", ".join(str(r) for r in touched)}
        )
    try:
        for plan in plans:
            plan.apply(user=user, reason=reason)
    except ValidationError as exc:
        raise UndoRefused(
            _("The old values are no longer accepted (%(error)s); nothing was undone.")
            % {"error": "; ".join(exc.messages)}
        ) from exc
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.UNDONE, undone_by=user, undone_at=now
    )
    job.status, job.undone_by, job.undone_at = ImportStatus.UNDONE, user, now
    return job


class _Plan:
    """The undo of one model's records: which to restore, which to delete, which rows of
    the file stand in the way."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.restores: list[tuple[models.Model, dict]] = []
        self.deletes: list[models.Model] = []
        self.touched: list[int] = []

    def apply(self, *, user, reason: str) -> None:
        meta = self.model._meta
        names = sorted({meta.get_field(a).name for _i, old in self.restores for a in old})
        for instance, old in self.restores:
            for attname, value in old.items():
                setattr(instance, attname, meta.get_field(attname).to_python(value))
        if self.restores:
            records_bulk_write(
                model=self.model,
                updates=[instance for instance, _old in self.restores],
                fields=names,
                user=user,
                reason=reason,
            )
        for instance in self.deletes:
            instance._change_reason = reason  # on the deletion's history row
            record_delete(instance=instance, user=user)


def _plan(label: str, changes: list[ImportChange]) -> _Plan:
    model = apps.get_model(label)
    plan = _Plan(model)
    stored = model._default_manager.select_for_update().in_bulk([c.object_id for c in changes])
    for change in changes:
        instance = stored.get(change.object_id)
        if instance is None or getattr(instance, "version", None) != change.version:
            plan.touched.append(change.row)
        elif change.created:
            if _has_dependents(instance):
                plan.touched.append(change.row)
            else:
                plan.deletes.append(instance)
        else:
            plan.restores.append((instance, change.old_values))
    return plan


def _has_dependents(instance: models.Model) -> bool:
    """Whether deleting a created record would take other records with it (a company that
    has since gained annual data, say), which the undo must not do."""
    collector = Collector(using=router.db_for_write(type(instance)))
    try:
        collector.collect([instance])
    except ProtectedError:
        return True
    if any(qs.exists() for qs in collector.fast_deletes):
        return True
    return sum(len(objs) for objs in collector.data.values()) > 1
