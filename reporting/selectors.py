"""Reads of the reporting cycle, set-based: a campaign's progress is one grouped query, a
review queue one query for its page plus one for the previous year's figures of that page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from companies.models import AnnualData, Region
from companies.models.annual import FIGURE_FIELDS
from companies.plausibility import jumps_against
from core.roles import Role
from core.scoping import scope_of
from reporting import workflow
from reporting.choices import SubmissionState
from reporting.forms import annual_row
from reporting.models import Campaign, Submission
from reporting.tally import tallied, tally_key

STATES = list(SubmissionState.values)


@dataclass
class RegionProgress:
    region: Region | None
    counts: dict = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def state_counts(self) -> list[int]:
        return [self.counts.get(state, 0) for state in STATES]


def campaign_progress(campaign: Campaign, user, today: datetime.date | None = None) -> list:
    """Counts per state and overdue, per region, of the submissions `user` may see; the last
    line is the total. One grouped query, once per change of the campaign's submissions
    (reporting.tally); the regions' names and order are read fresh."""
    today = today or timezone.localdate()
    key = tally_key("progress", [campaign], user=user, today=today)
    rows = tallied(key, lambda: _count_progress(campaign.pk, user, today))
    regions = {r.pk: r for r in Region.objects.all()}
    by_region: dict = {}
    total = RegionProgress(region=None)
    for region_id, state, n, late in rows:
        line = by_region.setdefault(region_id, RegionProgress(region=regions.get(region_id)))
        for target in (line, total):
            target.counts[state] = target.counts.get(state, 0) + n
            target.overdue += late
    lines = sorted(
        by_region.values(), key=lambda p: (p.region.sort_order, p.region.pk) if p.region else (0, 0)
    )
    return [*lines, total] if lines else []


def _count_progress(campaign_id: int, user, today: datetime.date) -> list[tuple]:
    # The deadline read here, after the cache key was: a deadline moved in between is counted
    # with the new one (under the old key, which no later request asks for), never the reverse.
    deadline = Campaign.objects.filter(pk=campaign_id).values_list("deadline", flat=True).first()
    late = deadline is not None and deadline < today
    overdue = Q(state__in=workflow.WAITING_FOR_COMPANY) if late else Q(pk__in=[])
    return list(
        Submission.objects.visible_to(user)
        .filter(campaign_id=campaign_id)
        .values("region_id", "state")
        # Counting columns of the (campaign, region, state) index, not the id: the index
        # alone answers it (an index-only scan, no visit to the table).
        .annotate(n=Count("*"), late=Count("state", filter=overdue))
        .order_by()
        .values_list("region_id", "state", "n", "late")
    )


def current_campaign() -> Campaign | None:
    """The latest campaign (the one the dashboard and the portal speak of)."""
    return Campaign.objects.order_by("-year").first()


def review_queue(user, *, campaign: Campaign | None = None):
    """The submissions waiting for `user`'s step: county staff the submitted ones of their
    region, city staff the ones the county accepted, administrators both."""
    role = scope_of(user).role
    waiting = {
        Role.COUNTY: [SubmissionState.SUBMITTED],
        Role.CITY: [SubmissionState.COUNTY_ACCEPTED],
        Role.ADMIN: [SubmissionState.SUBMITTED, SubmissionState.COUNTY_ACCEPTED],
    }.get(role, [])
    rows = Submission.objects.visible_to(user).filter(state__in=waiting).with_list_relations()
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return rows.order_by("submitted_at", "pk")


@dataclass
class FigureLine:
    name: str
    label: str
    value: object
    previous: object
    change: float | None
    warning: str = ""
    returned: bool = False


def previous_figures(submissions) -> dict:
    """(company id, year) → the latest earlier live annual-data row's values, for every
    submission of `submissions`, in one query."""
    submissions = list(submissions)
    if not submissions:
        return {}
    years = {s.campaign.year for s in submissions}
    by_company: dict[int, list] = {}
    for submission in submissions:
        by_company.setdefault(submission.company_id, []).append(submission)
    earlier: dict = {}
    for values in (
        AnnualData.objects.live()
        .filter(company_id__in=by_company, year__lt=max(years))
        .order_by("company_id", "-year")
        .values("company_id", "year", *FIGURE_FIELDS)
    ):
        for s in by_company[values["company_id"]]:
            if values["year"] < s.campaign.year:
                earlier.setdefault((s.company_id, s.campaign.year), values)
    return earlier


def figure_lines(submission: Submission, previous: dict | None) -> list[FigureLine]:
    """The submission's figures beside the previous year's, with the change and the
    year-on-year warnings (companies.plausibility) flagged."""
    row = annual_row(submission)
    jumps = jumps_against(row, previous)
    lines = []
    for name in FIGURE_FIELDS:
        value = getattr(row, name)
        before = previous.get(name) if previous else None
        change = None
        if isinstance(value, (int, float)) or hasattr(value, "as_tuple"):
            if before not in (None, 0) and value is not None and not isinstance(value, bool):
                change = float(value - before) / abs(float(before)) * 100
        lines.append(
            FigureLine(
                name=name,
                label=str(AnnualData._meta.get_field(name).verbose_name),
                value=value,
                previous=before,
                change=change,
                warning=jumps[name].message if name in jumps else "",
                returned=name in (submission.returned_fields or []),
            )
        )
    return lines


def flagged_counts(submissions) -> dict[int, int]:
    """submission id → how many of its figures carry a year-on-year warning."""
    submissions = list(submissions)
    earlier = previous_figures(submissions)
    return {
        s.pk: len(jumps_against(annual_row(s), earlier.get((s.company_id, s.campaign.year))))
        for s in submissions
    }


# A campaign's year is ranked on what the city confirmed. Publishing it while many of the
# campaign's submissions are still unconfirmed would freeze a ranking of a few companies (the
# first confirmation alone makes a ranking of one): up to this share of unconfirmed
# submissions (a few late companies, whose figures staff may enter) the city publishes as
# usual; above it, only when it acknowledges the number on the publish confirmation page.
# Enforced by rankings.services.rankings_publish (web page, admin action, objections'
# corrections are exempt: the year was published already); docs/architecture.md.
UNCONFIRMED_TOLERATED_SHARE = Decimal("0.05")


@dataclass(frozen=True)
class CampaignCoverage:
    """How much of a campaign year's reporting the city has confirmed."""

    year: int
    confirmed: int
    total: int

    @property
    def unconfirmed(self) -> int:
        return self.total - self.confirmed

    @property
    def needs_acknowledgement(self) -> bool:
        """Whether publishing the year needs the city's explicit acknowledgement."""
        return self.unconfirmed > self.total * UNCONFIRMED_TOLERATED_SHARE


def campaign_coverage(*, year: int) -> CampaignCoverage | None:
    """The confirmed and total submissions of the campaign for `year` (one query), or None
    when no campaign asked for the year's figures."""
    counts = Submission.objects.filter(campaign__year=year).aggregate(
        total=Count("pk"), confirmed=Count("pk", filter=Q(state=SubmissionState.CONFIRMED))
    )
    if not counts["total"]:
        return None
    return CampaignCoverage(year=year, confirmed=counts["confirmed"], total=counts["total"])


def unconfirmed_submissions(*, year: int) -> int:
    """How many submissions of the campaign for `year` the city has not confirmed yet
    (shown on the publish confirmation page)."""
    return (
        Submission.objects.filter(campaign__year=year)
        .exclude(state=SubmissionState.CONFIRMED)
        .count()
    )


def dashboard_summary(user) -> dict | None:
    """The latest campaign's progress for the dashboard: its total line and overdue count."""
    campaign = current_campaign()
    if campaign is None:
        return None
    lines = campaign_progress(campaign, user)
    total = lines[-1] if lines else RegionProgress(region=None)
    return {
        "campaign": campaign,
        "total": total,
        "states": list(zip(SubmissionState.choices, total.state_counts, strict=True)),
        "waiting": review_queue(user, campaign=campaign).count(),
    }
