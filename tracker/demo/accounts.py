"""The four demo logins, one per role, created through the role service."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from companies.choices import CertificationStatus
from companies.models import Certification, Company, Region
from companies.services import user_assign_role
from core.roles import Role
from projects.choices import ProjectStatus
from projects.models import KeyProject

COUNTY_REGION_CODE = "330784"  # 永康市 Yongkang
USERNAMES = {Role.ADMIN: "admin", Role.CITY: "city", Role.COUNTY: "county", Role.COMPANY: "company"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    bound_to: str


def showcase_company() -> Company | None:
    """A Yongkang pilot with an accepted project and a certificate, so its portal has
    something to show; the first such company."""
    return (
        Company.objects.filter(region__code=COUNTY_REGION_CODE, is_pilot=True)
        .filter(
            Exists(
                KeyProject.objects.filter(company=OuterRef("pk"), status=ProjectStatus.ACCEPTED)
            ),
            Exists(
                Certification.objects.filter(
                    company=OuterRef("pk"), status=CertificationStatus.CERTIFIED
                )
            ),
        )
        .order_by("id")
        .first()
    )


def demo_accounts_ensure(*, password: str) -> list[DemoAccount]:
    """Create or update the demo users, set their password and bind their roles."""
    region = Region.objects.get(code=COUNTY_REGION_CODE)
    company = showcase_company()
    if company is None:
        raise ValueError(
            _("No pilot company in Yongkang has an accepted project and a certificate.")
        )
    bindings = {
        Role.ADMIN: ({}, ""),
        Role.CITY: ({}, ""),
        Role.COUNTY: ({"region": region}, region.name_zh),
        Role.COMPANY: ({"company": company}, company.name),
    }
    accounts = []
    User = get_user_model()
    # Hashing is deliberately slow; the four accounts share a password, so hash it once.
    hashed = make_password(password)
    for role, username in USERNAMES.items():
        user, _created = User.objects.get_or_create(username=username)
        user.is_active = True
        user.password = hashed
        user.save()
        binding, described = bindings[role]
        user_assign_role(user=user, role=role, **binding)
        accounts.append(DemoAccount(username=username, role=str(role.label), bound_to=described))
    return accounts


def demo_accounts_existing() -> list[DemoAccount]:
    """The demo users as they are now, for `load_demo --if-empty`."""
    from core.scoping import scope_of

    accounts = []
    User = get_user_model()
    for role, username in USERNAMES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        scope = scope_of(user)
        bound = ""
        if scope.region_id:
            bound = Region.objects.get(pk=scope.region_id).name_zh
        elif scope.company_id:
            bound = Company.objects.get(pk=scope.company_id).name
        label = str(Role(scope.role).label) if scope.role else str(role.label)
        accounts.append(DemoAccount(username=username, role=label, bound_to=bound))
    return accounts
