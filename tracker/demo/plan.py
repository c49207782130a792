"""What every demo company is before any row is written: where it is, what it makes, its
size and programme standing, and which companies carry the article's counted projects.

The plan is small (a few fields per company), so it is made for the whole dataset at once;
the rows themselves are built and written chunk by chunk from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from projects.choices import ProjectStatus
from tracker.demo import profile

CENT = Decimal("0.01")

# How the 64 counted demonstration projects spread over the statuses that count.
DEMO_STATUS_WEIGHTS = {
    ProjectStatus.ACCEPTED: 60,
    ProjectStatus.IN_PROGRESS: 20,
    ProjectStatus.APPROVED: 8,
    ProjectStatus.ACCEPTANCE_REQUESTED: 8,
    ProjectStatus.RECTIFICATION: 4,
}
# The seed figures compare 2019 with a cohort fixed at the end of 2018.
COHORT_YEAR = 2018
PILOT_YEAR_WEIGHTS = {2012: 6, 2013: 10, 2014: 12, 2015: 13, 2016: 14, 2017: 15, 2018: 15, 2019: 15}


@dataclass(slots=True)
class CompanyPlan:
    index: int
    region: str
    division: str
    above_size: bool
    pilot: bool
    practising: bool
    founded_year: int
    pilot_year: int | None = None
    # In the seed figures' cohort for 2019: a pilot since 2018 or earlier whose demonstration
    # project was accepted by the end of 2018 (tracker.selectors.transformed_companies).
    transformed: bool = False
    robot_user: bool = False
    robots_added_2019: int = 0
    revenue_2019: float = 0.0  # 万元

    @property
    def showcase(self) -> bool:
        """The company the demo company user is bound to."""
        return self.index == 0


@dataclass
class DatasetPlan:
    seed: int
    companies: list[CompanyPlan]
    # Counted projects by company index: investment (万元), and status for demonstration ones.
    ims_projects: dict[int, Decimal] = field(default_factory=dict)
    demo_projects: dict[int, tuple[Decimal, str]] = field(default_factory=dict)


def scaled(value: int, total_companies: int) -> int:
    return round(value * total_companies / profile.DEFAULT_COMPANIES)


def scaled_money(value: Decimal, total_companies: int) -> Decimal:
    return (value * total_companies / profile.DEFAULT_COMPANIES).quantize(CENT)


def split_total(rng: random.Random, count: int, total: Decimal, sigma: float) -> list[Decimal]:
    """`count` positive amounts, spread log-normally, that add up to exactly `total`: the
    last one takes what rounding left over."""
    if count == 0:
        return []
    weights = [rng.lognormvariate(0.0, sigma) for _ in range(count)]
    scale = float(total) / sum(weights)
    amounts = [Decimal(f"{w * scale:.2f}") for w in weights[:-1]]
    amounts.append(total - sum(amounts, Decimal(0)))
    return amounts


def weighted_pick(rng: random.Random, weights: dict):
    """One key of `weights`, drawn with the probabilities its values give."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_dataset(*, companies: int, seed: int) -> DatasetPlan:
    """Decide every company's standing and the owners of the counted projects."""
    rng = random.Random(f"jinhua-plan-{seed}")
    n = companies
    regions = list(profile.REGION_WEIGHTS)
    region_cum = list(profile.REGION_WEIGHTS.values())
    division_table = {}
    for code in regions:
        bias = profile.REGION_INDUSTRY_BIAS.get(code, {})
        division_table[code] = (
            list(profile.INDUSTRY_WEIGHTS),
            [w * bias.get(d, 1.0) for d, w in profile.INDUSTRY_WEIGHTS.items()],
        )

    # Index 0 is the showcase company: above size and a pilot, whatever the draw says.
    n_above = max(1, round(n * profile.ABOVE_SIZE_SHARE))
    above = {0, *rng.sample(range(1, n), k=min(n - 1, n_above - 1))}
    n_pilots = max(1, round(n * profile.PILOT_SHARE))
    pilots = {0, *rng.sample(sorted(above - {0}), k=min(len(above) - 1, n_pilots - 1))}

    plans = []
    for index in range(n):
        region = profile.SHOWCASE_REGION if index == 0 else rng.choices(regions, region_cum)[0]
        divisions, weights = division_table[region]
        division = "33" if index == 0 else rng.choices(divisions, weights)[0]
        is_above, is_pilot = index in above, index in pilots
        if is_pilot:
            practising = True
        elif is_above:
            practising = rng.random() < profile.NON_PILOT_PRACTISING_SHARE
        else:
            practising = rng.random() < 0.5
        # A few companies were founded after the programme's data years began.
        if not is_pilot and rng.random() < 0.012:
            founded_year = rng.choice((2018, 2019))
        else:
            founded_year = min(2016, int(rng.triangular(1985, 2016, 2006)))
        pilot_year = None
        if is_pilot:
            pilot_year = max(founded_year + 1, weighted_pick(rng, PILOT_YEAR_WEIGHTS))
            pilot_year = min(pilot_year, 2019)
        transformed = bool(
            is_pilot
            and pilot_year <= COHORT_YEAR
            and (index == 0 or rng.random() < profile.TRANSFORMED_SHARE_OF_PILOTS)
        )
        robot_user = practising and (transformed or rng.random() < (0.97 if is_pilot else 0.9))
        if is_above:
            revenue = max(2050.0, rng.lognormvariate(8.7, 0.9))  # median about 60 million RMB
        else:
            revenue = rng.uniform(150.0, 1950.0)
        if is_pilot:
            revenue *= 1.6  # pilots tend to be the larger firms
        plans.append(
            CompanyPlan(
                index=index,
                region=region,
                division=division,
                above_size=is_above,
                pilot=is_pilot,
                practising=practising,
                founded_year=founded_year,
                pilot_year=pilot_year,
                transformed=transformed,
                robot_user=robot_user,
                revenue_2019=revenue,
            )
        )

    plan = DatasetPlan(seed=seed, companies=plans)
    _assign_counted_projects(rng, plan, n)
    _assign_robots_added(rng, plan, scaled(profile.ROBOTS_ADDED_2019, n))
    return plan


def _assign_robots_added(rng: random.Random, plan: DatasetPlan, total: int) -> None:
    """Spread the robots added in 2019 over the robot users so that they add up to exactly
    `total`: a share by weight, in proportion to the company's size (so robots per employee
    stay plausible) and larger for transformed companies; largest remainders first."""
    users = [p for p in plan.companies if p.robot_user]
    if not users:
        return
    weights = []
    for p in users:
        base = 5.0 if p.transformed else (1.2 if p.pilot else (0.4 if p.above_size else 0.1))
        weights.append(base * p.revenue_2019 * rng.uniform(0.5, 1.5))
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(users)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    for p, count in zip(users, counts, strict=True):
        p.robots_added_2019 = count


def _assign_counted_projects(rng: random.Random, plan: DatasetPlan, n: int) -> None:
    """Give the article's 483 IMS and 64 demonstration projects (scaled) to companies: most
    to pilots, some IMS ones to other practising companies above size; the showcase company
    gets one of each."""
    pilot_ids = [p.index for p in plan.companies if p.pilot and p.index != 0]
    other_ids = [
        p.index
        for p in plan.companies
        if p.above_size and p.practising and not p.pilot and p.founded_year <= 2016
    ]
    n_ims = scaled(profile.IMS_PROJECTS, n)
    if n_ims:
        from_pilots = max(0, min(len(pilot_ids), round(n_ims * 0.85) - 1))
        from_others = max(0, min(len(other_ids), n_ims - 1 - from_pilots))
        owners = [0, *rng.sample(pilot_ids, from_pilots), *rng.sample(other_ids, from_others)]
        if len(owners) != n_ims:
            raise ValueError("Too few companies for the IMS projects; use more companies.")
        amounts = split_total(rng, n_ims, scaled_money(profile.IMS_INVESTMENT, n), sigma=0.6)
        plan.ims_projects = dict(zip(owners, amounts, strict=True))

    n_demo = scaled(profile.DEMO_PROJECTS, n)
    if n_demo:
        owners = [0, *rng.sample(pilot_ids, min(len(pilot_ids), n_demo - 1))]
        if len(owners) != n_demo:
            raise ValueError("Too few pilots for the demonstration projects; use more companies.")
        amounts = split_total(rng, n_demo, scaled_money(profile.DEMO_INVESTMENT, n), sigma=0.5)
        for position, (owner, amount) in enumerate(zip(owners, amounts, strict=True)):
            status = (
                ProjectStatus.ACCEPTED if position == 0 else weighted_pick(rng, DEMO_STATUS_WEIGHTS)
            )
            plan.demo_projects[owner] = (amount, status)
