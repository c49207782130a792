"""Reminders of the projects app (sent by beat through projects.tasks): once a week, the
county staff of each region with lagging key projects (KeyProjectQuerySet.lagging: behind
the schedule, or past the planned completion) hear how many, linked to that list."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from companies.recipients import county_users
from core.notifications import notify_each, page_link
from projects.models import KeyProject


def lagging_project_reminders_send(*, today: datetime.date | None = None) -> int:
    """One grouped count of the lagging projects per region, one query for the staff, one
    bulk insert. The key carries the ISO week: a second run that week sends nothing."""
    today = today or timezone.localdate()
    counts = dict(
        KeyProject.objects.live()
        .lagging(today)
        .values("company__region_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("company__region_id", "n")
    )
    year, week, _day = today.isocalendar()
    url = page_link("projects:list", query="lagging=true")
    key = f"lagging-projects:{year}-W{week:02d}"
    return notify_each(
        message=gettext_noop("%(count)s key projects of your region are lagging behind schedule."),
        rows=[
            (user_id, {"count": counts[region_id]}, url, key)
            for user_id, region_id in county_users(list(counts)).values_list(
                "pk", "membership__region_id"
            )
        ],
    )
