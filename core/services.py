"""The one write path. Forms, the admin, the API, imports and the demo loader all save
through here, so validation, scoping, authorship and version checks live once.

Which rows a user may change is the scoping layer's rule (`core.scoping`): a record is
writable when the company it hangs off (its `company_path`) is in the user's scope, both as
stored and as it will be written, so a county official can neither edit another region's
record nor move one of theirs out.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.roles import Role
from core.scoping import scope_of


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


def region_id_of(instance: models.Model) -> int | None:
    """The region of the company `instance` hangs off, as it is about to be written."""
    path = company_path_of(type(instance))
    if path is None:
        return None
    target = instance
    for step in path.split("__") if path else ():
        target = getattr(target, step, None)
        if target is None:
            return None
    return getattr(target, "region_id", None)


def check_may_write(*, user, instance: models.Model) -> None:
    """Refuse a write the scoping layer does not allow; `None` user means a system write."""
    if user is None:
        return
    scope = scope_of(user)
    if scope.is_city_wide:
        return
    allowed = (
        scope.role == Role.COUNTY
        and scope.region_id is not None
        and region_id_of(instance) == scope.region_id
    )
    if allowed and instance.pk is not None and not instance._state.adding:
        # The stored row must be the user's too: no moving another region's record in.
        manager = type(instance)._default_manager
        allowed = manager.editable_by(user).filter(pk=instance.pk).exists()
    if not allowed:
        raise PermissionDenied(_("You may not change records of this company."))


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
    instance.full_clean()
    stamp_author(instance, user)
    instance.save()
    return instance


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
