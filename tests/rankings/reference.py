"""A plain-Python implementation of RANKING.md (part 1 and part 2), written straight from the
text, to check the SQL in rankings/sql/compute.py against. It reads the inputs with the ORM and
loops over companies — exactly what the production code must not do, and what makes it easy
to read.

Number convention (the same as the SQL's, see its module docstring): figures become Python
floats (IEEE doubles), each block's points are added in the block's order, and the total is
rounded half-up to the cent as floor((E + S) * 100 + 0.5 + 1e-9) cents.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_CEILING, Decimal

from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.models import KeyProject

EPS = 1e-9

# Block E (规上): key, numerator, denominator — RANKING.md's table, indicators 1 to 6.
BLOCK_E = (
    ("tax_per_mu", "tax_paid", "land_area_mu"),
    ("added_value_per_mu", "added_value", "land_area_mu"),
    ("labour_productivity", "added_value", "avg_employees"),
    ("added_value_per_energy", "added_value", "energy_use_tce"),
    ("added_value_per_emission", "added_value", "emissions"),
    ("rd_intensity", "rd_expense", "main_revenue"),
)
# Block E_below (规下), part 2's table.
BLOCK_E_BELOW = (
    ("tax_per_mu", "tax_paid", "land_area_mu"),
    ("tax_per_electricity", "tax_paid", "electricity"),
)
ROBOT = ("robot_density", "robots_in_service", "avg_employees")
ALL_KEYS = (*(k for k, _n, _d in BLOCK_E), "tax_per_electricity")
FIGURES = (
    "tax_paid",
    "added_value",
    "avg_employees",
    "energy_use_tce",
    "emissions",
    "rd_expense",
    "main_revenue",
    "electricity",
    "robots_in_service",
)


def _f(value):
    return None if value is None else float(value)


def _ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def _clamp(value, cap):
    return min(max(value, 0.0), cap)


def _cutoff(share: Decimal, n: int) -> int:
    return int((share * n).to_integral_value(rounding=ROUND_CEILING))


def _year_facts(company, data):
    """Part 2: the class and land area of the year (the year's figure, else the company's)."""
    above = company.above_size
    land = company.land_area_mu
    if data is not None:
        if data.above_size is not None:
            above = data.above_size
        if data.land_area_mu is not None:
            land = data.land_area_mu
    return ("above" if above else "below"), _f(land)


def _s_block(scheme, year_end, certs, assessments, projects, robot_points):
    valid = [
        c
        for c in certs
        if c.issued_on
        and c.expires_on
        and c.issued_on <= year_end < c.expires_on
        and c.status not in ("suspended", "revoked")
    ]
    level_points = {
        "AAA": scheme.ims_points_aaa,
        "AA": scheme.ims_points_aa,
        "A": scheme.ims_points_a,
    }
    ims = max(
        (float(level_points.get(c.level, scheme.ims_points_no_level)) for c in valid), default=0.0
    )
    levels = [m.level for m in assessments if m.assessed_on <= year_end]
    maturity = float(max(levels, default=0)) * float(scheme.maturity_points_per_level)
    project = 0.0
    for kp in projects:
        if kp.accepted_on is None or kp.accepted_on > year_end:
            continue
        if kp.kind == "future_factory":
            project += float(scheme.future_factory)  # 10 at any level (RANKING.md)
            continue
        if kp.level not in ("city", "province", "national"):
            continue  # a county-level project is no level RANKING.md scores
        level = kp.level
        if kp.kind == "digital_workshop":
            project += float(getattr(scheme, f"digital_workshop_{level}"))
        elif kp.kind in ("iot_factory", "smart_factory"):
            project += float(getattr(scheme, f"factory_{level}"))
    s_uncapped = ims + maturity + project + robot_points
    return s_uncapped, min(s_uncapped, float(scheme.s_cap))


def reference_scores(*, year: int, scheme) -> dict[int, dict]:
    """company id -> expected result (rated companies: class, points, total cents, ranks,
    grade, position; the others: class and the reason they are not rated)."""
    year_end = datetime.date(year, 12, 31)
    region_scope = scheme.evaluation_scope == "region"
    min_land = float(scheme.below_min_land_mu)
    annual = {a.company_id: a for a in AnnualData.objects.filter(year=year, voided_at=None)}
    results: dict[int, dict] = {}
    populations: dict[tuple, list] = {}  # (class, region or None) -> rated rows

    for company in Company.objects.order_by("pk"):
        data = annual.get(company.pk)
        size_class, land = _year_facts(company, data)
        if not company.rated:
            reason = "not_participating"
        elif land is None or land <= 0:
            reason = "no_land_area"
        elif size_class == "below" and land < min_land:
            reason = "land_below_min"
        elif data is None:
            reason = "no_data"
        else:
            reason = ""
        if reason:
            results[company.pk] = {"rated": False, "reason": reason, "size_class": size_class}
            continue
        figures = {"land_area_mu": land, **{f: _f(getattr(data, f)) for f in FIGURES}}
        block = BLOCK_E if size_class == "above" else BLOCK_E_BELOW
        values = {key: _ratio(figures[num], figures[den]) for key, num, den in (*block, ROBOT)}
        row = {"company": company, "data": data, "figures": figures, "values": values}
        key = (size_class, company.region_id if region_scope else None)
        populations.setdefault(key, []).append(row)

    certificates, assessments, projects = {}, {}, {}
    for cert in Certification.objects.filter(voided_at=None):
        certificates.setdefault(cert.company_id, []).append(cert)
    # Only third-party assessments score (RANKING.md part 2), not self-diagnoses.
    for assessment in MaturityAssessment.objects.filter(voided_at=None, kind="third_party"):
        assessments.setdefault(assessment.company_id, []).append(assessment)
    for kp in KeyProject.objects.filter(status="accepted", voided_at=None):
        projects.setdefault(kp.company_id, []).append(kp)

    for (size_class, _region), rows in populations.items():
        above = size_class == "above"
        block = BLOCK_E if above else BLOCK_E_BELOW
        # Baselines over this population: ratio of sums over the defined values; the scheme's
        # fixed baselines are those of 规上.
        baselines = {}
        for key, num, den in (*block, ROBOT):
            fixed = getattr(scheme, f"baseline_{key}") if above else None
            if fixed is not None:
                baselines[key] = float(fixed)
                continue
            defined = [
                (r["figures"][num], r["figures"][den]) for r in rows if r["values"][key] is not None
            ]
            den_sum = sum(d for _n, d in defined)
            baselines[key] = sum(n for n, _d in defined) / den_sum if defined and den_sum else None
        if above:
            cap = float(scheme.points_cap)
            weights = {key: float(getattr(scheme, f"weight_{key}")) for key, _n, _d in block}
        else:
            cap = float(scheme.below_points_cap)
            weights = {key: float(getattr(scheme, f"weight_below_{key}")) for key, _n, _d in block}

        def points(value, baseline, weight, cap_):
            if value is None or not baseline:
                return 0.0
            return weight * _clamp(value / baseline, cap_)

        for r in rows:
            r["points"] = {key: 0.0 for key in ALL_KEYS}
            for key, _n, _d in block:
                r["points"][key] = points(r["values"][key], baselines[key], weights[key], cap)
        if above:  # indicator 5: no emissions figure -> the population's mean p5
            with_emissions = [
                r["points"]["added_value_per_emission"]
                for r in rows
                if r["figures"]["emissions"] is not None
            ]
            mean_p5 = sum(with_emissions) / len(with_emissions) if with_emissions else 0.0
            for r in rows:
                if r["figures"]["emissions"] is None:
                    r["points"]["added_value_per_emission"] = mean_p5

        for r in rows:
            company = r["company"]
            robot = points(
                r["values"]["robot_density"],
                baselines["robot_density"],
                float(scheme.robot_density_weight),
                float(scheme.robot_density_cap),
            )
            e = 0.0
            for key, _n, _d in block:
                e = e + r["points"][key]
            s_uncapped, s = _s_block(
                scheme,
                year_end,
                certificates.get(company.pk, []),
                assessments.get(company.pk, []),
                projects.get(company.pk, []),
                robot,
            )
            results[company.pk] = {
                "rated": True,
                "reason": "",
                "size_class": size_class,
                "points": r["points"],
                "values": r["values"],
                "e": e,
                "s": s,
                "s_uncapped": s_uncapped,
                "cents": math.floor((e + s) * 100 + 0.5 + EPS),
                "incident": r["data"].major_incident,
                "founded_on": company.founded_on,
                "region_id": company.region_id,
                "industry_id": company.industry_id,
                "population_size": len(rows),
            }

    _rank_and_grade(results, scheme, year, region_scope)
    return results


def _rank_and_grade(results, scheme, year, region_scope):
    protect_after = (
        datetime.date(year - scheme.protection_years, 12, 31) if scheme.protection_years else None
    )
    for size_class in ("above", "below"):
        ids = [pk for pk, r in results.items() if r["rated"] and r["size_class"] == size_class]
        suffix = "" if size_class == "above" else "_below"
        shares = [getattr(scheme, f"grade_{g}_share{suffix}") for g in "abc"]

        def higher(r, same, ids=ids):
            return sum(1 for o in ids if same(results[o]) and results[o]["cents"] > r["cents"])

        for pk in ids:
            r = results[pk]
            r["city_rank"] = None if region_scope else 1 + higher(r, lambda o: True)
            r["region_rank"] = 1 + higher(r, lambda o, r=r: o["region_id"] == r["region_id"])
            r["industry_rank"] = 1 + higher(
                r,
                lambda o, r=r: (
                    o["industry_id"] == r["industry_id"]
                    and (not region_scope or o["region_id"] == r["region_id"])
                ),
            )
            rank = r["region_rank"] if region_scope else r["city_rank"]
            cut = [_cutoff(share, r["population_size"]) for share in shares]
            grade = (
                "A" if rank <= cut[0] else "B" if rank <= cut[1] else "C" if rank <= cut[2] else "D"
            )
            r["veto"] = bool(scheme.veto_enabled and r["incident"] and grade in ("A", "B"))
            r["protection"] = bool(
                protect_after
                and r["founded_on"]
                and r["founded_on"] > protect_after
                and grade == "D"
            )
            r["grade"] = "C" if r["veto"] or r["protection"] else grade

        def display_key(pk):
            r = results[pk]
            tax = r["values"]["tax_per_mu"]
            first = (r["region_rank"],) if region_scope else ()
            return (*first, -r["cents"], tax is None, -(tax or 0.0), pk)

        for position, pk in enumerate(sorted(ids, key=display_key), start=1):
            results[pk]["position"] = position


def cents_of(total: Decimal | None) -> int | None:
    return None if total is None else int(total * 100)
