"""Annual data 2017–2019 for one company.

Each company's 2019 figures are drawn first from its size, division and standing; 2018 and
2017 are then derived backwards from growth rates. Transformed companies (the plan's
2019 cohort: pilots with a demonstration project accepted by the end of 2018) get higher value added per employee, fewer unskilled workers each year
and faster growth of value added and profit, in the proportions the article reports.
"""

from __future__ import annotations

import random
from decimal import Decimal

from companies.models import AnnualData
from tracker.demo import profile
from tracker.demo.companies import Draft

OPTIONAL_FIELDS = ("tax_paid", "energy_use_tce", "rd_expense", "electricity")


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _robots(rng: random.Random, draft: Draft, employees: float) -> tuple[int, int, int]:
    """Robots in service at the end of 2019 and robots added in 2019 and in 2018. The 2019
    additions are the plan's share of the article's total; robots in service follow a
    density per employee typical of the company's standing (profile.ROBOT_DENSITY)."""
    plan = draft.plan
    if not plan.robot_user:
        return 0, 0, 0
    added19 = plan.robots_added_2019
    if plan.transformed:
        standing, added18 = "transformed", round(added19 * rng.uniform(0.4, 0.8))
    else:
        standing = "pilot" if plan.pilot else "other"
        added18 = rng.choices((0, 1), (80, 20))[0] if plan.above_size else 0
    density = rng.uniform(*profile.ROBOT_DENSITY[standing])
    # No plant beyond the densest real ones: the 2018 purchases give way first.
    ceiling = int(employees * profile.MAX_ROBOT_DENSITY)
    added18 = max(0, min(added18, ceiling - added19))
    in_service = max(1, round(employees * density), added19 + added18)
    return in_service, added19, added18


def build_annual_data(rng: random.Random, draft: Draft) -> list[AnnualData]:
    plan = draft.plan
    transformed = draft.transformed
    productivity = (
        profile.PRODUCTIVITY_BASE
        * profile.PRODUCTIVITY_BY_DIVISION.get(plan.division, 1.0)
        * rng.lognormvariate(0.0, 0.25)
    )
    if transformed:
        productivity *= profile.TRANSFORMED_PRODUCTIVITY_FACTOR
    revenue = draft.revenue_2019
    added_value = revenue * rng.uniform(0.2, 0.3)
    employees = max(8.0, added_value / productivity)
    unskilled = employees * (rng.uniform(0.22, 0.38) if transformed else rng.uniform(0.35, 0.6))
    margin = rng.gauss(0.075, 0.03) if transformed else rng.gauss(0.05, 0.045)
    profit = revenue * margin
    in_service, added19, added18 = _robots(rng, draft, employees)
    if transformed:
        growth = {
            2019: (
                rng.uniform(*profile.TRANSFORMED_ADDED_VALUE_GROWTH),
                rng.uniform(*profile.TRANSFORMED_UNSKILLED_DROP),
                rng.uniform(*profile.TRANSFORMED_PROFIT_GROWTH),
                rng.uniform(0.93, 0.98),
            ),
            2018: (rng.uniform(1.08, 1.18), rng.uniform(0.05, 0.12), rng.uniform(1.0, 1.2), 0.98),
        }
    else:
        growth = {
            2019: (
                rng.uniform(*profile.REST_ADDED_VALUE_GROWTH),
                rng.uniform(*profile.REST_UNSKILLED_DROP),
                rng.uniform(*profile.REST_PROFIT_GROWTH),
                rng.uniform(0.98, 1.03),
            ),
            2018: (rng.uniform(0.97, 1.1), rng.uniform(-0.03, 0.05), rng.uniform(0.9, 1.15), 1.0),
        }
    figures = {}
    robots = {2019: (in_service, added19), 2018: (in_service - added19, added18)}
    in_service17 = max(0, in_service - added19 - added18)
    # Robots added in a year are among those in service at its end.
    robots[2017] = (in_service17, min(in_service17, rng.randint(0, 2)) if added18 else 0)
    for year in (2019, 2018, 2017):
        figures[year] = (revenue, added_value, employees, unskilled, profit)
        if year in growth:
            av_growth, unskilled_drop, profit_growth, employee_change = growth[year]
            revenue /= av_growth * rng.uniform(0.98, 1.02)
            added_value /= av_growth
            unskilled /= 1 - unskilled_drop
            profit /= profit_growth
            employees = max(employees / employee_change, unskilled * 1.1)

    rows = []
    for year in profile.ANNUAL_YEARS:
        if year < plan.founded_year:
            continue
        revenue, added_value, employees, unskilled, profit = figures[year]
        output = revenue * rng.uniform(1.0, 1.08)
        energy = output * rng.uniform(0.01, 0.08)
        rd_share = rng.uniform(0.03, 0.05) if transformed else rng.uniform(0.005, 0.035)
        row = AnnualData(
            company=draft.company,
            year=year,
            main_revenue=money(revenue),
            industrial_output=money(output),
            added_value=money(added_value),
            total_profit=money(profit),
            tax_paid=money(revenue * rng.uniform(0.025, 0.05)),
            avg_employees=round(employees),
            unskilled_workers=round(unskilled),
            energy_use_tce=money(energy),
            emissions=money(energy * rng.uniform(0.01, 0.05)) if rng.random() < 0.6 else None,
            rd_expense=money(revenue * rd_share),
            electricity=money(energy * rng.uniform(2.0, 4.0)),
            robots_in_service=robots[year][0],
            robots_added=robots[year][1],
            major_incident=rng.random() < 0.004,
        )
        # A few reports arrive incomplete: an empty field means "not reported".
        if rng.random() < 0.02:
            setattr(row, rng.choice(OPTIONAL_FIELDS), None)
        if rng.random() < 0.005:
            row.unskilled_workers = None
        if rng.random() < 0.005:
            row.total_profit = None
        rows.append(row)
    return rows
