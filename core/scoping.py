"""Who may see and change what: the one place scoping is decided.

Every entry point — pages, API, exports, autocomplete, aggregates, admin — gets its rows
through `Model.objects.visible_to(user)` or `.editable_by(user)`. A model that hangs off a
company names the path to it in `company_path`; the rules below are written once, in terms
of that path, so adding a model adds no new rule.

| role      | sees                                 | changes              |
|-----------|--------------------------------------|----------------------|
| admin     | everything                           | everything           |
| city      | everything                           | all company data     |
| county    | companies of its region              | the same             |
| company   | its own company                      | nothing (first release) |
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from core.roles import ADMIN_SITE_ROLES, CITY_WIDE_ROLES, STAFF_ROLES, Role


@dataclass(frozen=True)
class Scope:
    role: Role | None
    region_id: int | None = None
    company_id: int | None = None

    @property
    def is_city_wide(self) -> bool:
        return self.role in CITY_WIDE_ROLES

    def may_write_in_region(self, region_id: int | None) -> bool:
        """City-wide roles write anywhere, county staff in their own region, nobody else."""
        if self.is_city_wide:
            return True
        return self.role == Role.COUNTY and region_id is not None and region_id == self.region_id


NO_SCOPE = Scope(role=None)


def scope_of(user) -> Scope:
    """The role and binding of a user; cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_tracker_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(role=Role.ADMIN)
    else:
        membership = getattr(user, "membership", None) if _has_membership(user) else None
        if membership is None:
            scope = NO_SCOPE
        else:
            scope = Scope(
                role=Role(membership.role),
                region_id=membership.region_id,
                company_id=membership.company_id,
            )
    user._tracker_scope = scope
    return scope


def _has_membership(user) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        user.membership  # noqa: B018 - attribute access loads the related row
    except ObjectDoesNotExist:
        return False
    return True


def selectable_regions(user, regions):
    """The regions `user` may pick in a form, filter or autocomplete: county staff only their
    own, everyone else all of `regions` (a Region queryset; core does not import companies)."""
    scope = scope_of(user)
    if scope.role == Role.COUNTY and scope.region_id is not None:
        return regions.filter(pk=scope.region_id)
    return regions


def may_use_admin(user) -> bool:
    """Whether `user`'s role opens the Django admin (core.roles.ADMIN_SITE_ROLES)."""
    return scope_of(user).role in ADMIN_SITE_ROLES


def scope_region_name(user) -> str:
    """The name of the region a user's figures are cut to: a county user's own region (in
    the reader's language), "" for roles that see the whole city. Pages put it in the header
    and titles, exports in their file names, so county figures never pass for city totals."""
    scope = scope_of(user)
    if scope.role != Role.COUNTY or scope.region_id is None:
        return ""
    region = getattr(getattr(user, "membership", None), "region", None)
    return region.name if region is not None else ""


def can_edit_company_data(user) -> bool:
    """True for roles that may change company data somewhere (admin, city, county)."""
    return scope_of(user).role in STAFF_ROLES


def can_publish_rankings(user) -> bool:
    return scope_of(user).role in CITY_WIDE_ROLES


def can_manage_reference_data(user) -> bool:
    return scope_of(user).role == Role.ADMIN


class ScopedQuerySet(models.QuerySet):
    """QuerySet whose `visible_to` / `editable_by` apply the table above.

    `company_path` is the lookup from this model to its Company ("" for Company itself).
    """

    company_path: str = "company"
    # The lookup to the region a county scope compares, when the model keeps its own copy of
    # its company's region (kept in step on every company write, and tested so): the scope
    # is then a filter on the model's own index, not a join to 100,000 companies.
    region_path: str | None = None

    def _company_lookup(self, suffix: str) -> str:
        return f"{self.company_path}__{suffix}" if self.company_path else suffix

    def _for_scope(self, scope: Scope, *, editing: bool):
        if scope.role in CITY_WIDE_ROLES:
            return self.all()
        if scope.role == Role.COUNTY and scope.region_id is not None:
            region = self.region_path or self._company_lookup("region_id")
            return self.filter(**{region: scope.region_id})
        if scope.role == Role.COMPANY and scope.company_id is not None and not editing:
            return self.filter(**{self._company_lookup("pk"): scope.company_id})
        return self.none()

    def visible_to(self, user):
        return self._for_scope(scope_of(user), editing=False)

    def editable_by(self, user):
        return self._for_scope(scope_of(user), editing=True)


def user_can_edit(user, obj) -> bool:
    """Whether `user` may change `obj` (an instance of a scoped model)."""
    manager = type(obj)._default_manager
    return manager.editable_by(user).filter(pk=obj.pk).exists()
