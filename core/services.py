"""The one write path. Forms, the admin, the API, imports and the demo loader all save
through here, so validation, scoping, authorship and version checks live once.

Which rows a user may change is the scoping layer's rule (`core.scoping`): a record is
writable when the company it hangs off (its `company_path`) is in the user's scope, both as
stored and as it will be written, so a county official can neither edit another region's
record nor move one of theirs out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import RESTORED_REASON, history_rows_insert, history_snapshot_missing
from core.roles import Role
from core.rows import insert_rows
from core.scoping import scope_of
from core.signals import records_bulk_writing, records_bulk_written

# Rows per INSERT / UPDATE statement of a bulk write, and ids per scope query.
BULK_BATCH_SIZE = 500
# The length of simple_history's history_change_reason column.
HISTORY_REASON_LENGTH = 100


class StaleVersionError(Exception):
    """The record changed since the copy the write was based on."""

    def __init__(self, instance: models.Model, expected: int, current: int, changed_fields=()):
        self.instance = instance
        self.expected = expected
        self.current = current
        self.changed_fields = list(changed_fields)
        super().__init__(
            _(
                "This record was changed by someone else (version %(current)s, you edited "
                "version %(expected)s). Reload it and apply your change again."
            )
            % {"current": current, "expected": expected}
        )


def is_versioned(model: type[models.Model]) -> bool:
    """Whether the model carries a `version` (TrackedModel); reference data does not."""
    try:
        model._meta.get_field("version")
    except FieldDoesNotExist:
        return False
    return True


def company_path_of(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its company ("" for the company itself), or None for a
    record that hangs off no company (reference data)."""
    queryset = model._default_manager.all()
    return getattr(queryset, "company_path", None)


def check_may_write(*, user, instance: models.Model) -> None:
    """Refuse a write the scoping layer does not allow; `None` user means a system write."""
    if first_outside_scope(user=user, model=type(instance), instances=[instance]) is not None:
        raise PermissionDenied(_("You may not change records of this company."))
    # A model may reserve some of its fields to some roles (a key project's acceptance to
    # the city): it says so in `check_write_by(user)`, which raises PermissionDenied.
    check = getattr(instance, "check_write_by", None)
    if user is not None and check is not None:
        check(user)


def first_outside_scope(
    *, user, model: type[models.Model], instances: Sequence[models.Model]
) -> models.Model | None:
    """The first of `instances` that `user` may not write, or None when all are writable.

    A row is writable when the company it hangs off is in `editable_by(user)` as it is about
    to be written (its parent along `company_path` is editable; for a company, its region is
    the user's), and a stored row also as stored, so that no one moves another region's
    record in. A few queries for any number of rows; `None` user means a system write."""
    if user is None or not instances:
        return None
    scope = scope_of(user)
    if scope.is_city_wide:
        return None
    path = company_path_of(model)
    if scope.role != Role.COUNTY or scope.region_id is None or path is None:
        return instances[0]
    if path:
        parent = model._meta.get_field(path.split("__")[0])
        parents = parent.related_model._default_manager.editable_by(user)
        writable = _existing_ids(parents, {getattr(i, parent.attname) for i in instances})
        outside = [i for i in instances if getattr(i, parent.attname) not in writable]
    else:
        outside = [i for i in instances if i.region_id != scope.region_id]
    stored = [i for i in instances if i.pk is not None and not i._state.adding]
    if stored and not outside:
        editable = _existing_ids(model._default_manager.editable_by(user), {i.pk for i in stored})
        outside = [i for i in stored if i.pk not in editable]
    return outside[0] if outside else None


def _existing_ids(queryset: models.QuerySet, ids: set) -> set:
    """Which of `ids` are in `queryset`, in chunks of BULK_BATCH_SIZE."""
    wanted = sorted(i for i in ids if i is not None)
    found = set()
    for start in range(0, len(wanted), BULK_BATCH_SIZE):
        chunk = wanted[start : start + BULK_BATCH_SIZE]
        found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def check_version(*, instance: models.Model, expected_version: int | None) -> None:
    """Refuse a write based on a stale copy; locks the stored row until the transaction ends.

    Models without a `version` are written without a check.
    """
    if instance.pk is None or expected_version is None or not is_versioned(type(instance)):
        return
    current = (
        type(instance)
        ._default_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is not None and current != expected_version:
        raise StaleVersionError(instance, expected_version, current, _changed_fields(instance))


def stamp_author(instance: models.Model, user) -> None:
    """Name `user` as the author of this write, on the row and on its history row."""
    if user is None or not getattr(user, "pk", None):
        return
    if instance._state.adding and hasattr(instance, "created_by_id"):
        instance.created_by = user
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = user
    # The history row names the author even without a request (imports, commands, tasks).
    instance._history_user = user


@transaction.atomic
def record_save(
    *, instance: models.Model, user=None, expected_version: int | None = None
) -> models.Model:
    """Validate and save one record on behalf of `user`.

    Raises ValidationError (field-keyed) for bad data, PermissionDenied outside the user's
    scope, and StaleVersionError when `expected_version` is not the stored version.
    Nothing is written unless every check passes.
    """
    check_may_write(user=user, instance=instance)
    check_version(instance=instance, expected_version=expected_version)
    check_not_voided(instance)
    instance.full_clean()
    history_snapshot_missing(type(instance), [instance])
    stamp_author(instance, user)
    instance.save()
    return instance


@transaction.atomic
def records_bulk_write(
    *,
    model: type[models.Model],
    creates: Sequence[models.Model] = (),
    updates: Sequence[models.Model] = (),
    fields: Sequence[str] = (),
    user=None,
    reason: str = "",
    history: bool = True,
    returning_ids: bool = True,
    batch_size: int = BULK_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert `creates` and update `fields` of `updates`, all rows of `model`, on behalf of
    `user`, in one transaction; returns the number of rows written.

    The rules of `record_save`, applied to many rows at once: every row must be in the
    user's scope; each is validated by the model (`full_clean` of its fields and `clean`;
    foreign keys, uniqueness and check constraints, which would cost a query per row, are
    left to the database inside this transaction); its derived fields, version and time of
    change are set by the model (`prepare_for_write`) and its author by `stamp_author`; each
    gets a history row naming the user and `reason` (or the row's own `_change_reason`, as
    for `record_save`); and `records_bulk_writing` /
    `records_bulk_written` stand in for the save signals bulk writes skip.

    New rows and history rows go in straight through the driver (`core.rows`), updates
    with `bulk_update`, `batch_size` rows a statement. `history=False` writes no history rows
    (generated demo data has no edits to audit), and with it `returning_ids=False` leaves the
    new rows' primary keys unset (no id is fetched).

    `progress(rows written so far)` is called after each batch.

    Raises PermissionDenied naming the first row outside the user's scope, or the first
    invalid row's ValidationError; nothing is written then.
    """
    creates, updates = list(creates), list(updates)
    if not returning_ids and history:
        raise ValueError("History rows need the ids of the rows they record.")
    outside = first_outside_scope(user=user, model=model, instances=creates + updates)
    if outside is not None:
        raise PermissionDenied(
            _("You may not change records of this company: %(record)s.") % {"record": outside}
        )
    for instance in creates + updates:
        record_clean_in_bulk(instance)
    written = [*fields, *getattr(model, "derived_fields", ())]
    if is_versioned(model):
        written += ["version", "updated_at", "updated_by"]
    records_bulk_writing.send(sender=model, created=creates, updated=updates, fields=written)
    for instance in creates + updates:
        if hasattr(instance, "prepare_for_write"):
            instance.prepare_for_write()
        stamp_author(instance, user)
    author = user if getattr(user, "pk", None) else None
    for start in range(0, len(creates), batch_size):
        batch = creates[start : start + batch_size]
        # Straight through the driver (core.rows), ids included: `bulk_create` compiles
        # every value through the field's generic path, several times slower.
        insert_rows(model, batch, returning_ids=returning_ids)
        if history:
            history_rows_insert(
                model, batch, update=False, default_user=author, default_change_reason=reason
            )
        if progress is not None:
            progress(start + len(batch))
    for start in range(0, len(updates), batch_size):
        batch = updates[start : start + batch_size]
        if history:
            history_snapshot_missing(model, batch)
        model._default_manager.bulk_update(batch, written)
        if history:
            history_rows_insert(
                model, batch, update=True, default_user=author, default_change_reason=reason
            )
        if progress is not None:
            progress(len(creates) + start + len(batch))
    records_bulk_written.send(sender=model, created=creates, updated=updates, fields=written)
    return len(creates) + len(updates)


def record_clean_in_bulk(instance: models.Model) -> None:
    """`full_clean` without the checks that cost a query per row — foreign keys, uniqueness
    and check constraints — which a bulk write leaves to the database and its callers check
    against lookups loaded once."""
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def _changed_fields(instance: models.Model) -> list[str]:
    """Names of fields whose stored value differs from the one the stale copy started from."""
    history = getattr(instance, "history", None)
    if history is None:
        return []
    records = list(history.order_by("-history_date")[:2])
    if len(records) < 2:
        return []
    return [change.field for change in records[0].diff_against(records[1]).changes]


@transaction.atomic
def record_delete(*, instance: models.Model, user=None) -> None:
    check_may_write(user=user, instance=instance)
    if user is not None and getattr(user, "pk", None):
        instance._history_user = user  # the deletion's history row names who deleted
    instance.delete()


def _check_voidable(instance: models.Model) -> None:
    if not hasattr(instance, "voided_at"):
        raise TypeError(f"{type(instance).__name__} records cannot be voided.")


@transaction.atomic
def record_void(
    *, instance: models.Model, user=None, reason: str, expected_version: int | None = None
) -> models.Model:
    """Withdraw a record (a VoidableModel) with a reason, keeping the row and its history.

    The checks of `record_save` — scope, version, author — apply; the reason is required and
    becomes the history row's change reason. The row's other values are not validated: a
    record is voided precisely because they are wrong. Raises ValidationError naming
    `reason` when it is blank or the record is already voided."""
    _check_voidable(instance)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding this record.")})
    limit = type(instance)._meta.get_field("void_reason").max_length
    if len(reason) > limit:
        raise ValidationError(
            {"reason": _("Keep the reason within %(limit)s characters.") % {"limit": limit}}
        )
    check_may_write(user=user, instance=instance)
    check_version(instance=instance, expected_version=expected_version)
    instance = locked_stored_copy(instance)
    if instance.voided_at is not None:
        raise ValidationError({"reason": _("This record has already been voided.")})
    instance.voided_at = timezone.now()
    instance.voided_by = user if getattr(user, "pk", None) else None
    instance.void_reason = reason
    return _save_with_reason(instance, user, reason)


@transaction.atomic
def record_restore(
    *, instance: models.Model, user=None, expected_version: int | None = None
) -> models.Model:
    """Put a voided record back, with the checks of `record_save`. Refused (ValidationError)
    when it would clash with a live record entered since (one annual-data row per year)."""
    _check_voidable(instance)
    check_may_write(user=user, instance=instance)
    check_version(instance=instance, expected_version=expected_version)
    instance = locked_stored_copy(instance)
    if instance.voided_at is None:
        raise ValidationError(_("This record is not voided."))
    instance.voided_at, instance.voided_by, instance.void_reason = None, None, ""
    instance.validate_constraints()
    return _save_with_reason(instance, user, RESTORED_REASON)


def locked_stored_copy(instance: models.Model) -> models.Model:
    """The row as stored now, locked until the transaction ends. Voiding and restoring
    change only their own fields, on this copy: an edit saved since the caller read its copy
    is kept, and two simultaneous voids cannot both pass the "already voided" check."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_not_voided(instance: models.Model) -> None:
    """Refuse an edit of a voided record (as stored): it is restored first, then changed."""
    if instance.pk is None or instance._state.adding or not hasattr(instance, "voided_at"):
        return
    manager = type(instance)._default_manager
    if manager.filter(pk=instance.pk, voided_at__isnull=False).exists():
        raise ValidationError(_("This record is voided; restore it before changing it."))


def _save_with_reason(instance: models.Model, user, reason: str) -> models.Model:
    stamp_author(instance, user)
    # simple_history stores it as history_change_reason (100 characters; the row's
    # void_reason, also in the history, keeps it whole).
    instance._change_reason = reason[:HISTORY_REASON_LENGTH]
    instance.save()
    return instance
