"""Reminders of the companies app (sent by beat through companies.tasks): an IMS certificate
that expires within 90 days is announced to its company's users and to the county staff of
its region, once per certificate and expiry date (a renewed certificate with a new expiry is
announced again when its turn comes)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from companies.models import Certification
from companies.recipients import company_users, county_users
from core.notifications import notify_each, page_link

EXPIRY_NOTICE_DAYS = 90


def certificate_expiry_reminders_send(*, today: datetime.date | None = None) -> int:
    """One query picks the certificates, one each the company users and county staff; one
    bulk insert per audience. Returns the rows offered."""
    today = today or timezone.localdate()
    expiring = Certification.objects.live().expiring_within(EXPIRY_NOTICE_DAYS, today)
    by_company: dict[int, list] = {}
    by_region: dict[int, list] = {}
    for row in expiring.values(
        "pk", "company_id", "company__name", "company__region_id", "certificate_no", "expires_on"
    ):
        by_company.setdefault(row["company_id"], []).append(row)
        by_region.setdefault(row["company__region_id"], []).append(row)

    def params(row):
        return {
            "number": row["certificate_no"] or "—",
            "company": row["company__name"],
            "date": row["expires_on"].isoformat(),
        }

    def key(row):
        return f"certificate-expiring:{row['pk']}:{row['expires_on'].isoformat()}"

    portal = page_link("portal")
    sent = notify_each(
        message=gettext_noop(
            "Your IMS certificate %(number)s expires on %(date)s. Arrange its renewal in time."
        ),
        rows=[
            (user_id, params(row), portal, key(row))
            for user_id, company_id in company_users(expiring.values("company_id")).values_list(
                "pk", "membership__company_id"
            )
            for row in by_company[company_id]
        ],
    )
    sent += notify_each(
        message=gettext_noop("The IMS certificate %(number)s of %(company)s expires on %(date)s."),
        rows=[
            (user_id, params(row), page_link("companies:detail", row["company_id"]), key(row))
            for user_id, region_id in county_users(list(by_region)).values_list(
                "pk", "membership__region_id"
            )
            for row in by_region[region_id]
        ],
    )
    return sent
