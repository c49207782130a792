"""Who is told about a company's or a region's affairs: the active users of each role
(roles live in companies.models.Membership). The one home of "the company's users" and "the
county's staff" for every notification (reminders, objections)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from core.roles import Role


def active_users():
    return get_user_model().objects.filter(is_active=True)


def company_users(companies):
    """Active users of the companies `companies` (ids, or a queryset/subquery of ids)."""
    return active_users().filter(
        membership__role=Role.COMPANY, membership__company_id__in=companies
    )


def county_users(regions):
    """Active county staff of the regions `regions` (ids, or a subquery of ids)."""
    return active_users().filter(membership__role=Role.COUNTY, membership__region_id__in=regions)


def staff_of_region(region_id):
    """Active city staff and the county staff of `region_id` (told of an objection filed)."""
    return active_users().filter(
        Q(membership__role=Role.CITY)
        | Q(membership__role=Role.COUNTY, membership__region_id=region_id)
    )
