"""A plain-Python implementation of RANKING.md, written straight from the text, to check the
SQL in rankings/sql/compute.py against. It reads the inputs with the ORM and loops over
companies — exactly what the production code must not do, and what makes it easy to read.

Number convention (the same as the SQL's, see its module docstring): figures become Python
floats (IEEE doubles), sums are added in the same order as the SQL adds them, and the total is
rounded half-up to the cent as floor((E + S) * 100 + 0.5 + 1e-9) cents.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_CEILING, Decimal

from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.models import KeyProject
from rankings.indicators import EMISSION_INDICATOR, INDICATORS

EPS = 1e-9


def _f(value):
    return None if value is None else float(value)


def _ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def _clamp(value, cap):
    return min(max(value, 0.0), cap)


def reference_scores(*, year: int, scheme) -> dict[int, dict]:
    """company id -> expected result (rated companies: points, total cents, ranks, grade;
    the others: the reason they are not rated)."""
    year_end = datetime.date(year, 12, 31)
    annual = {a.company_id: a for a in AnnualData.objects.filter(year=year)}
    results: dict[int, dict] = {}
    rated = []
    for company in Company.objects.order_by("pk"):
        data = annual.get(company.pk)
        land = _f(company.land_area_mu)
        if not company.above_size:
            reason = "not_above_size"
        elif data is None:
            reason = "no_data"
        elif not land or land <= 0:
            reason = "no_land_area"
        elif not company.rated:
            reason = "not_participating"
        else:
            reason = ""
        if reason:
            results[company.pk] = {"rated": False, "reason": reason}
            continue
        figures = {
            "land_area_mu": land,
            **{
                f: _f(getattr(data, f))
                for f in (
                    "tax_paid",
                    "added_value",
                    "avg_employees",
                    "energy_use_tce",
                    "emissions",
                    "rd_expense",
                    "main_revenue",
                    "robots_in_service",
                )
            },
        }
        values = {
            ind.key: _ratio(figures[ind.numerator], figures[ind.denominator]) for ind in INDICATORS
        }
        values["robot_density"] = _ratio(figures["robots_in_service"], figures["avg_employees"])
        rated.append((company, data, figures, values))

    # Baselines: ratio of sums over the companies whose value is defined, unless fixed.
    baselines = {}
    keys = [(ind.key, ind.numerator, ind.denominator) for ind in INDICATORS]
    keys.append(("robot_density", "robots_in_service", "avg_employees"))
    for key, num, den in keys:
        fixed = getattr(scheme, f"baseline_{key}")
        if fixed is not None:
            baselines[key] = float(fixed)
            continue
        defined = [(fig[num], fig[den]) for _c, _d, fig, val in rated if val[key] is not None]
        den_sum = sum(d for _n, d in defined)
        baselines[key] = sum(n for n, _d in defined) / den_sum if defined and den_sum else None

    cap = float(scheme.points_cap)
    weights = {ind.key: float(getattr(scheme, f"weight_{ind.key}")) for ind in INDICATORS}

    def points(value, baseline, weight, cap_):
        if value is None or not baseline:
            return 0.0
        return weight * _clamp(value / baseline, cap_)

    rows = []
    for company, data, figures, values in rated:
        p = {
            ind.key: points(values[ind.key], baselines[ind.key], weights[ind.key], cap)
            for ind in INDICATORS
        }
        rows.append([company, data, figures, values, p])
    with_emissions = [r[4][EMISSION_INDICATOR] for r in rows if r[2]["emissions"] is not None]
    mean_p5 = sum(with_emissions) / len(with_emissions) if with_emissions else 0.0
    for r in rows:
        if r[2]["emissions"] is None:
            r[4][EMISSION_INDICATOR] = mean_p5

    certificates, assessments, projects = {}, {}, {}
    for cert in Certification.objects.all():
        certificates.setdefault(cert.company_id, []).append(cert)
    # Only third-party assessments score (RANKING.md part 2), not self-diagnoses.
    for assessment in MaturityAssessment.objects.filter(kind="third_party"):
        assessments.setdefault(assessment.company_id, []).append(assessment)
    for kp in KeyProject.objects.filter(status="accepted"):
        projects.setdefault(kp.company_id, []).append(kp)

    for company, data, _figures, values, p in rows:
        certs = [
            c
            for c in certificates.get(company.pk, [])
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
            (float(level_points.get(c.level, scheme.ims_points_no_level)) for c in certs),
            default=0.0,
        )
        levels = [m.level for m in assessments.get(company.pk, []) if m.assessed_on <= year_end]
        maturity = float(max(levels, default=0)) * float(scheme.maturity_points_per_level)
        project = 0.0
        for kp in projects.get(company.pk, []):
            if kp.accepted_on is None or kp.accepted_on > year_end:
                continue
            if kp.level not in ("city", "province", "national"):
                continue  # a county-level project is no level RANKING.md scores
            level = kp.level
            if kp.kind == "digital_workshop":
                project += float(getattr(scheme, f"digital_workshop_{level}"))
            elif kp.kind in ("iot_factory", "smart_factory"):
                project += float(getattr(scheme, f"factory_{level}"))
            elif kp.kind == "future_factory":
                project += float(scheme.future_factory)
        robot = points(
            values["robot_density"],
            baselines["robot_density"],
            float(scheme.robot_density_weight),
            float(scheme.robot_density_cap),
        )
        e = 0.0
        for ind in INDICATORS:
            e = e + p[ind.key]
        s_uncapped = ims + maturity + project + robot
        s = min(s_uncapped, float(scheme.s_cap))
        cents = math.floor((e + s) * 100 + 0.5 + EPS)
        results[company.pk] = {
            "rated": True,
            "reason": "",
            "points": p,
            "values": values,
            "e": e,
            "s": s,
            "s_uncapped": s_uncapped,
            "cents": cents,
            "incident": data.major_incident,
            "founded_on": company.founded_on,
            "region_id": company.region_id,
            "industry_id": company.industry_id,
        }

    rated_ids = [c.pk for c, *_ in rows]
    n = len(rated_ids)
    cut = [
        int((share * n).to_integral_value(rounding=ROUND_CEILING))
        for share in (scheme.grade_a_share, scheme.grade_b_share, scheme.grade_c_share)
    ]
    protect_after = (
        datetime.date(year - scheme.protection_years, 12, 31) if scheme.protection_years else None
    )
    for pk in rated_ids:
        r = results[pk]
        r["city_rank"] = 1 + sum(1 for o in rated_ids if results[o]["cents"] > r["cents"])
        r["region_rank"] = 1 + sum(
            1
            for o in rated_ids
            if results[o]["region_id"] == r["region_id"] and results[o]["cents"] > r["cents"]
        )
        r["industry_rank"] = 1 + sum(
            1
            for o in rated_ids
            if results[o]["industry_id"] == r["industry_id"] and results[o]["cents"] > r["cents"]
        )
        rank = r["city_rank"]
        grade = "A" if rank <= cut[0] else "B" if rank <= cut[1] else "C" if rank <= cut[2] else "D"
        r["veto"] = bool(scheme.veto_enabled and r["incident"] and grade in ("A", "B"))
        r["protection"] = bool(
            protect_after and r["founded_on"] and r["founded_on"] > protect_after and grade == "D"
        )
        r["grade"] = "C" if r["veto"] or r["protection"] else grade

    def display_key(pk):
        r = results[pk]
        tax = r["values"]["tax_per_mu"]
        return (-r["cents"], tax is None, -(tax or 0.0), pk)

    for position, pk in enumerate(sorted(rated_ids, key=display_key), start=1):
        results[pk]["position"] = position
    return results


def cents_of(total: Decimal | None) -> int | None:
    return None if total is None else int(total * 100)
