"""Company-side services: role assignment, suspensions for missed surveillance audits. Record writes go through core.services."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.roles import ADMIN_SITE_ROLES, ROLE_GROUPS


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
    # Only the roles that need the admin may open it (core.roles.ADMIN_SITE_ROLES; the admin
    # site checks the role too, so a stale flag opens nothing).
    user.is_staff = role in ADMIN_SITE_ROLES
    user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.set([Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]])
    user.__dict__.pop("_tracker_scope", None)
    return membership


def certifications_suspend_missed_audits(*, day: datetime.date | None = None) -> list[int]:
    """Suspend every certified IMS certificate whose surveillance audit was missed by `day`
    (default today; the rule is Certification.audit_missed_on). Each suspension is an
    ordinary system write (core.services.record_save), so its history is kept and the
    rankings' post_save receiver marks the years it counted in as stale. Returns the ids.

    Reinstatement is the issuing body's decision: an audit recorded late does not lift a
    suspension; staff set the status back once the body reinstates the certificate."""
    from companies.choices import CertificationStatus
    from companies.models import Certification
    from core.services import record_save

    day = day or timezone.localdate()
    candidates = (
        Certification.objects.live()
        .filter(status=CertificationStatus.CERTIFIED, expires_on__gt=day)
        .prefetch_related("audits")
    )
    suspended = []
    for certificate in candidates:
        audits = [a for a in certificate.audits.all() if a.voided_at is None]
        if certificate.audit_missed_on(day, audits) is None:
            continue
        with transaction.atomic():
            certificate.status = CertificationStatus.SUSPENDED
            record_save(instance=certificate)
        suspended.append(certificate.pk)
    return suspended
