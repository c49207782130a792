"""The demo's reporting cycle: a 2020 campaign in progress, opened by the `city` account a few
weeks before the deadline, with a realistic mix of states that differs by county (some
counties are quick, others late), so every role has something to do in `make run`.

No submission is confirmed yet: confirmed figures become 2020 annual data, which would move
the article's figures (seed_figures reads the latest year with annual data). The city's
queue holds the county-accepted ones, ready to confirm. Written in bulk (a few statements
for thousands of companies), deterministic for a seed."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.models import AnnualData
from companies.models.annual import FIGURE_FIELDS
from core.roles import Role
from core.services import BULK_BATCH_SIZE
from reporting.choices import SubmissionState as S
from reporting.forms import figure_values
from reporting.models import Campaign, Submission, SubmissionStep
from reporting.services import campaign_targets
from tracker.demo.accounts import USERNAMES

YEAR = 2020
# The share of each state, before a county's pace shifts it.
STATE_WEIGHTS = {
    S.NOT_STARTED: 22,
    S.DRAFT: 20,
    S.SUBMITTED: 22,
    S.COUNTY_RETURNED: 8,
    S.COUNTY_ACCEPTED: 24,
    S.CITY_RETURNED: 4,
}
# The steps that lead to each state (the demo's history of each submission).
PATHS = {
    S.NOT_STARTED: [],
    S.DRAFT: [("start", S.NOT_STARTED, S.DRAFT)],
    S.SUBMITTED: [("start", S.NOT_STARTED, S.DRAFT), ("submit", S.DRAFT, S.SUBMITTED)],
    S.COUNTY_RETURNED: [
        ("start", S.NOT_STARTED, S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("county_return", S.SUBMITTED, S.COUNTY_RETURNED),
    ],
    S.COUNTY_ACCEPTED: [
        ("start", S.NOT_STARTED, S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("county_accept", S.SUBMITTED, S.COUNTY_ACCEPTED),
    ],
    S.CITY_RETURNED: [
        ("start", S.NOT_STARTED, S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("county_accept", S.SUBMITTED, S.COUNTY_ACCEPTED),
        ("city_return", S.COUNTY_ACCEPTED, S.CITY_RETURNED),
    ],
}
RETURN_COMMENT = "纳税额与去年相差较大，请核实后重新提交（附完税证明）。"
# The figure a return names in the demo.
RETURNED_FIELD = "tax_paid"


def demo_campaign(*, seed: int, as_of: datetime.date, showcase_company_id: int | None) -> Counter:
    """Open the 2020 campaign (deadline three weeks ahead) and give its submissions
    their states, figures (2019's, grown a little) and steps. The showcase company (the
    `company` account's) has had its tax figure returned by the county, to fix and resubmit."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES.values())
    }
    city, county, company_user = (
        users.get(USERNAMES[r]) for r in (Role.CITY, Role.COUNTY, Role.COMPANY)
    )
    campaign = Campaign.objects.create(
        year=YEAR,
        # Three weeks ahead of the later of the demo's day and today: the campaign is shown
        # in progress, not years overdue, whenever a newcomer runs `make run`.
        deadline=max(as_of, timezone.localdate()) + datetime.timedelta(days=21),
        opened_by=city,
        note="2020年度智能制造企业亩均效益综合评价数据填报",
        target_filter={"regions": [], "size_class": "", "batch": None},
    )
    targets = list(campaign_targets().values_list("pk", "region_id").order_by("pk"))
    previous = {
        row.company_id: row
        for row in AnnualData.objects.live().filter(
            year=YEAR - 1, company_id__in=[pk for pk, _r in targets]
        )
    }
    rng = random.Random(f"cycle-{seed}")
    regions = sorted({region for _pk, region in targets})
    # Each county's pace: a quick one has more submitted and accepted, a late one more not started.
    pace = {region: rng.uniform(0.6, 1.6) for region in regions}
    submissions = []
    moments = []
    for company_id, region_id in targets:
        state = _state(rng, pace[region_id])
        if company_id == showcase_company_id:
            state = S.COUNTY_RETURNED
        figures = _figures(rng, previous.get(company_id)) if state != S.NOT_STARTED else {}
        times = _step_times(rng, as_of, len(PATHS[state]))
        moments.append(times)
        submitted = [
            t for (action, _b, _a), t in zip(PATHS[state], times, strict=True) if action == "submit"
        ]
        submissions.append(
            Submission(
                campaign=campaign,
                company_id=company_id,
                region_id=region_id,
                state=state,
                figures=figures,
                returned_fields=[RETURNED_FIELD]
                if state in (S.COUNTY_RETURNED, S.CITY_RETURNED)
                else [],
                submitted_at=submitted[0] if submitted else None,
            )
        )
    Submission.objects.bulk_create(submissions, batch_size=BULK_BATCH_SIZE)
    actors = {
        "start": company_user,
        "submit": company_user,
        "county_accept": county,
        "county_return": county,
        "city_return": city,
    }
    steps = []
    county_region = getattr(getattr(county, "membership", None), "region_id", None)
    for submission, (_pk, region_id), times in zip(submissions, targets, moments, strict=True):
        for (action, before, after), moment in zip(PATHS[submission.state], times, strict=True):
            # The demo accounts act for their own company and region; the others' steps are
            # recorded without a person (system).
            actor = actors[action]
            if action in ("start", "submit") and submission.company_id != showcase_company_id:
                actor = None
            if action.startswith("county") and region_id != county_region:
                actor = None
            steps.append(
                SubmissionStep(
                    submission=submission,
                    action=action,
                    from_state=before,
                    to_state=after,
                    taken_by=actor,
                    comment=RETURN_COMMENT if action.endswith("return") else "",
                    fields=[RETURNED_FIELD] if action.endswith("return") else [],
                    taken_at=moment,
                )
            )
    planned = [step.taken_at for step in steps]
    SubmissionStep.objects.bulk_create(steps, batch_size=BULK_BATCH_SIZE)
    # `taken_at` is stamped "now" on insert (auto_now_add); the demo's steps happened in the
    # weeks before its "today", so their times are written afterwards.
    for step, moment in zip(steps, planned, strict=True):
        step.taken_at = moment
    SubmissionStep.objects.bulk_update(steps, ["taken_at"], batch_size=BULK_BATCH_SIZE)
    return Counter(
        {"campaigns": 1, "submissions": len(submissions), "submission steps": len(steps)}
    )


def _state(rng: random.Random, pace: float) -> str:
    weights = dict(STATE_WEIGHTS)
    weights[S.NOT_STARTED] /= pace
    weights[S.COUNTY_ACCEPTED] *= pace
    weights[S.SUBMITTED] *= pace
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _figures(rng: random.Random, before: AnnualData | None) -> dict:
    """2019's figures moved by a plausible amount, each its own way around the company's
    trend (none when the company had no 2019 row)."""
    if before is None:
        return {}
    row = AnnualData(company_id=before.company_id, year=YEAR)
    trend = rng.uniform(0.94, 1.14)
    for name in FIGURE_FIELDS:
        value = getattr(before, name)
        growth = Decimal(str(round(trend * rng.uniform(0.93, 1.07), 3)))
        if value is None or isinstance(value, bool):
            setattr(row, name, value)
        elif isinstance(value, int):
            setattr(row, name, int(value * float(growth)) if name != "robots_added" else value)
        else:
            setattr(row, name, (value * growth).quantize(Decimal("0.01")))
    if row.unskilled_workers is not None and row.avg_employees is not None:
        row.unskilled_workers = min(row.unskilled_workers, row.avg_employees)
    if row.robots_added is not None and row.robots_in_service is not None:
        row.robots_added = min(row.robots_added, row.robots_in_service)
    return figure_values(row)


def _step_times(rng: random.Random, as_of: datetime.date, count: int) -> list[datetime.datetime]:
    """`count` increasing moments on working hours of the 20 days before the demo's today."""
    days = sorted(rng.sample(range(1, 21), count), reverse=True)
    return [
        datetime.datetime.combine(
            as_of - datetime.timedelta(days=day),
            datetime.time(9 + rng.randint(0, 8), rng.randint(0, 59)),
            tzinfo=datetime.UTC,
        )
        for day in days
    ]
