"""Writes to company records. Forms, the admin, the API and imports all save through here,
so validation, scoping, authorship and version checks live once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from companies.models import Company
from companies.scoping import scope_of, user_can_create_for_company


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


def _company_of(instance: models.Model) -> Company | None:
    if isinstance(instance, Company):
        return instance
    if hasattr(instance, "company_id") and instance.company_id:
        return Company.objects.filter(pk=instance.company_id).first()
    project = getattr(instance, "project", None)
    return project.company if project is not None else None


def check_may_write(*, user, instance: models.Model) -> None:
    """Refuse a write the scoping layer does not allow; `None` user means a system write."""
    if user is None:
        return
    company = _company_of(instance)
    if isinstance(instance, Company):
        # A county official may neither edit another region's company nor move one of theirs out.
        allowed = user_can_create_for_company(user, instance)
        if instance.pk and allowed and not scope_of(user).is_city_wide:
            stored_region = (
                Company.objects.filter(pk=instance.pk).values_list("region_id", flat=True).first()
            )
            allowed = stored_region in (None, scope_of(user).region_id)
    else:
        allowed = user_can_create_for_company(user, company)
    if not allowed:
        raise PermissionDenied(_("You may not change records of this company."))


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
    if instance.pk and expected_version is not None:
        current = (
            type(instance)
            ._default_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and current != expected_version:
            raise StaleVersionError(instance, expected_version, current, _changed_fields(instance))
    instance.full_clean()
    if user is not None and getattr(user, "pk", None):
        if instance._state.adding and hasattr(instance, "created_by_id"):
            instance.created_by = user
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user
        # The history row names the author even without a request (imports, commands, tasks).
        instance._history_user = user
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


ROLE_GROUPS = {
    "city": "city staff",
    "county": "county staff",
    "company": "company user",
}


@transaction.atomic
def user_assign_role(*, user, role: str, region=None, company=None):
    """Give `user` a role (and its binding), the matching permission group, and admin access
    for staff roles. Administrators are superusers and carry no membership."""
    from django.contrib.auth.models import Group

    from companies.models import Membership

    if role == "admin":
        Membership.objects.filter(user=user).delete()
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return None
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"role": role, "region": region, "company": company}
    )
    membership.full_clean()
    user.is_superuser = False
    # Every role may open the admin; what it sees there is cut down by the scoping layer.
    user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.set([Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]])
    user.__dict__.pop("_tracker_scope", None)
    return membership
