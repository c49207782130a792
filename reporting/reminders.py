"""Reminders of the reporting cycle (sent by beat through reporting.tasks):

- the deadline reminder to the users of every company whose submission still waits for it
  (not started, draft, returned), 7 days and 1 day before the campaign's deadline;
- the county staff's daily digest of their review queue.

Set-based: the recipients are picked by one query and inserted by the database
(core.notifications). Each event key carries the campaign, its deadline and the window, or
the day, so running a task twice sends once, and an extended deadline is reminded anew."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from companies.recipients import company_users, county_users
from core.notifications import notify_each, notify_selected, page_link
from reporting.choices import SubmissionState
from reporting.models import Campaign, Submission
from reporting.selectors import current_campaign

# Days before the deadline a reminder goes out. A run that finds fewer days left (a missed
# beat, a company added late) sends the reminder of the window it falls in, once.
REMINDER_WINDOWS = (7, 1)

DEADLINE_MESSAGES = {
    0: gettext_noop("Your figures for %(year)s are due today (%(deadline)s). Submit them now."),
    1: gettext_noop(
        "Your figures for %(year)s are due tomorrow (%(deadline)s). Submit them in time."
    ),
    "days": gettext_noop(
        "Your figures for %(year)s are due on %(deadline)s, in %(days)s days. Submit them in time."
    ),
}


def reminder_window(days_left: int) -> int | None:
    """The window (7 or 1) a campaign `days_left` before its deadline is in, or None."""
    if days_left < 0:
        return None
    fitting = [window for window in REMINDER_WINDOWS if days_left <= window]
    return min(fitting) if fitting else None


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the users of every company that has not submitted to a campaign whose deadline
    is near. One INSERT … SELECT per campaign in a window; returns the rows inserted."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_WINDOWS))
    inserted = 0
    for campaign in Campaign.objects.filter(deadline__gte=today, deadline__lte=horizon):
        days_left = (campaign.deadline - today).days
        window = reminder_window(days_left)
        waiting = Submission.objects.waiting_for_company().filter(campaign=campaign)
        inserted += notify_selected(
            users=company_users(waiting.values("company_id")),
            message=DEADLINE_MESSAGES.get(days_left, DEADLINE_MESSAGES["days"]),
            params={
                "year": campaign.year,
                "deadline": campaign.deadline.isoformat(),
                "days": days_left,
            },
            url=page_link("reporting:portal"),
            key=f"deadline:{campaign.pk}:{campaign.deadline.isoformat()}:{window}",
        )
    return inserted


def county_digest_send(*, today: datetime.date | None = None) -> int:
    """Tell each county's staff, once a day, how many submissions of their region wait for
    their review and how many of the current campaign's companies are past the deadline
    (nothing when both are nil). Two grouped counts and one query for the staff."""
    today = today or timezone.localdate()
    counts: dict[int, dict] = {}
    waiting = (
        Submission.objects.filter(state=SubmissionState.SUBMITTED)
        .values("company__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in waiting:
        counts.setdefault(row["company__region_id"], {"waiting": 0, "overdue": 0})["waiting"] = row[
            "n"
        ]
    campaign = current_campaign()
    if campaign is not None:
        overdue = (
            Submission.objects.overdue(today)
            .filter(campaign=campaign)
            .values("company__region_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in overdue:
            counts.setdefault(row["company__region_id"], {"waiting": 0, "overdue": 0})[
                "overdue"
            ] = row["n"]
    staff = county_users(list(counts)).values_list("pk", "membership__region_id")
    url = page_link("reporting:queue")
    key = f"county-digest:{today.isoformat()}"
    return notify_each(
        message=gettext_noop(
            "Today's queue: %(waiting)s submissions of your region wait for your review; "
            "%(overdue)s companies are past the reporting deadline."
        ),
        rows=[(user_id, counts[region_id], url, key) for user_id, region_id in staff],
    )
