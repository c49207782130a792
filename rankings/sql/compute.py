"""The RANKING.md method as set-based SQL, identical on SQLite (>= 3.25) and PostgreSQL.

A year is computed in a handful of statements, all run by the database:

1. `baseline_sums` — one aggregate over the rated set R(Y): the number of rated companies
   and, per indicator, Σ numerator and Σ denominator over the companies whose value is
   defined (ratio of sums). Python divides the two sums (unless the scheme fixes the
   baseline) and works out the grade cut-offs ceil(share · N) exactly, in decimals.
2. `insert_rated` — one INSERT … SELECT whose CTEs compute values, points, the indicator-5
   mean rule (a window AVG), the S block, the rounded total, the three `RANK()`s, the
   display position (`ROW_NUMBER()`), the grade, veto and protection.
3. `insert_not_rated` — one INSERT … SELECT listing every other company with its reason.
4. `insert_league` (rankings.sql.league) — one INSERT … SELECT of the region league table.

No statement loops over companies in Python or loads them into memory.

Numbers. Every figure is cast to double precision first (`REAL` on SQLite, where decimals
are stored as REAL anyway; `DOUBLE PRECISION` on PostgreSQL, where they are numeric), so both
databases do the same IEEE arithmetic, in the same order, as the Python reference
implementation in tests/rankings/reference.py. Only the total is rounded, half-up to the
cent, as `floor((E + S) · 100 + 0.5 + 1e-9)` cents: the 1e-9 (a billionth of a cent) absorbs
the representation error of a double so that a true …5 rounds up, and is far too small to
move any other value. Totals are never negative (weights and points are non-negative), so
floor and truncation agree; SQLite truncates with CAST(… AS INTEGER), PostgreSQL uses FLOOR.
Ranks compare these integer cents, so ties are exact on both databases.
"""

from __future__ import annotations

from django.db import connection

from companies.choices import AssessmentKind
from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.choices import ProjectKind, ProjectStatus
from projects.models import KeyProject
from rankings.indicators import EMISSION_INDICATOR, INDICATORS
from rankings.sql.common import (
    PLANNER_SETTINGS,
    RATED_COMPANY,
    VALID_CERT_EXCLUDED,
    clamp,
    float_type,
    floor_to_int,
    materialized,
    quoted_table,
    tuned,
)
from rankings.sql.league import insert_league
from rankings.sql.parameters import Baselines, YearParameters

__all__ = [
    "PLANNER_SETTINGS",
    "Baselines",
    "YearParameters",
    "baselines_for",
    "insert_league",
    "insert_not_rated",
    "insert_rated",
    "tuned",
]

ROUNDING_EPSILON_CENTS = 1e-9


# --- the rated set and its values --------------------------------------------------------

# (alias in SQL, AnnualData field) of every figure the method reads.
_FIGURES = (
    ("tax_paid", "tax_paid"),
    ("added_value", "added_value"),
    ("avg_employees", "avg_employees"),
    ("energy_use_tce", "energy_use_tce"),
    ("emissions", "emissions"),
    ("rd_expense", "rd_expense"),
    ("main_revenue", "main_revenue"),
    ("robots_in_service", "robots_in_service"),
)


def _rated_cte() -> str:
    """R(Y): rated (参评), above size (规上), land area > 0, with annual data for Y."""
    double_type = float_type()
    figures = ",\n      ".join(
        f"CAST(a.{col} AS {double_type}) AS {alias}" for alias, col in _FIGURES
    )
    return f"""
    rated AS {materialized()} (
      SELECT c.id AS company_id, c.credit_code, c.name AS company_name, c.region_id,
      c.industry_id, c.founded_on, a.major_incident AS incident,
      CAST(c.land_area_mu AS {double_type}) AS land_area_mu,
      {figures}
      FROM {quoted_table(Company)} c
      JOIN {quoted_table(AnnualData)} a ON a.company_id = c.id AND a.year = %(year)s
        AND a.voided_at IS NULL
      WHERE {RATED_COMPANY}
    )"""


def _value_expr(numerator: str, denominator: str) -> str:
    """x = numerator / denominator, undefined (NULL) when either is missing or it is 0."""
    return (
        f"CASE WHEN r.{numerator} IS NOT NULL AND r.{denominator} IS NOT NULL "
        f"AND r.{denominator} <> 0 THEN r.{numerator} / r.{denominator} END"
    )


def _values_cte() -> str:
    cols = ",\n      ".join(
        f"{_value_expr(ind.numerator, ind.denominator)} AS {ind.key}" for ind in INDICATORS
    )
    return f"""
    vals AS (
      SELECT r.*,
      {cols},
      {_value_expr("robots_in_service", "avg_employees")} AS robot_density
      FROM rated r
    )"""


def baseline_sums(year: int) -> tuple[int, dict[str, tuple[float | None, float | None]]]:
    """N and, per indicator, (Σ numerator, Σ denominator) over the companies whose value is
    defined. One statement."""
    parts = ["COUNT(*)"]
    keys = [*((ind.key, ind.numerator, ind.denominator) for ind in INDICATORS)]
    keys.append(("robot_density", "robots_in_service", "avg_employees"))
    for key, num, den in keys:
        parts.append(f"SUM(CASE WHEN {key} IS NOT NULL THEN {num} END)")
        parts.append(f"SUM(CASE WHEN {key} IS NOT NULL THEN {den} END)")
    sql = f"WITH {_rated_cte()}, {_values_cte()} SELECT {', '.join(parts)} FROM vals"
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        row = cursor.fetchone()
    sums = {}
    for i, (key, _num, _den) in enumerate(keys):
        sums[key] = (row[1 + 2 * i], row[2 + 2 * i])
    return row[0] or 0, sums


def baselines_for(params: YearParameters) -> Baselines:
    count, sums = baseline_sums(params.year)
    values = {}
    for key, (num_sum, den_sum) in sums.items():
        fixed = params.fixed_baselines.get(key)
        if fixed is not None:
            values[key] = fixed
        elif num_sum is None or not den_sum:
            values[key] = None  # no defined value, or a zero denominator sum: undefined
        else:
            values[key] = float(num_sum) / float(den_sum)
    return Baselines(rated_count=count, values=values)


# --- scores of the rated companies -------------------------------------------------------


def _points_expr(key: str, baseline: float | None, weight: str, cap: str) -> str:
    """p = w · min(max(x / b, 0), cap); 0 when x or b is undefined. A baseline of 0 is
    treated as undefined too (RANKING.md: db 0 → 0 points)."""
    if baseline is None or baseline == 0:
        return "0"
    ratio = f"v.{key} / %(b_{key})s"
    return f"(CASE WHEN v.{key} IS NULL THEN 0 ELSE %({weight})s * {clamp(ratio, cap)} END)"


def _score_select(params: YearParameters, baselines: Baselines) -> tuple[str, dict]:
    double_type = float_type()
    year_end = params.year_end
    sql_params: dict = {
        "year": params.year,
        "year_end": year_end,
        "points_cap": params.points_cap,
        "robot_cap": params.robot_cap,
        "robot_weight": params.robot_weight,
        "s_cap": params.s_cap,
        "maturity_per_level": params.maturity_per_level,
        "third_party": AssessmentKind.THIRD_PARTY,
        "ims_aaa": params.ims_aaa,
        "ims_aa": params.ims_aa,
        "ims_a": params.ims_a,
        "ims_no_level": params.ims_no_level,
        "dw_city": params.dw_city,
        "dw_province": params.dw_province,
        "dw_national": params.dw_national,
        "factory_city": params.factory_city,
        "factory_province": params.factory_province,
        "factory_national": params.factory_national,
        "future_factory": params.future_factory,
        "cert_excluded_1": VALID_CERT_EXCLUDED[0],
        "cert_excluded_2": VALID_CERT_EXCLUDED[1],
        "accepted": ProjectStatus.ACCEPTED.value,
        "eps": ROUNDING_EPSILON_CENTS,
    }
    for key, value in baselines.values.items():
        sql_params[f"b_{key}"] = value
    for ind in INDICATORS:
        sql_params[f"w_{ind.key}"] = params.weights[ind.key]

    points = ",\n      ".join(
        f"{_points_expr(ind.key, baselines.values[ind.key], f'w_{ind.key}', 'points_cap')}"
        f" AS {ind.key}_points"
        for ind in INDICATORS
    )
    robot_points = _points_expr(
        "robot_density", baselines.values["robot_density"], "robot_weight", "robot_cap"
    )
    emission = f"{EMISSION_INDICATOR}_points"
    # Indicator 5: a company without an emissions figure gets the mean p5 of those with one.
    mean_p5 = f"AVG(CASE WHEN p.emissions IS NOT NULL THEN p.{emission} END) OVER ()"
    final_points = []
    for ind in INDICATORS:
        if ind.key == EMISSION_INDICATOR:
            final_points.append(
                f"CASE WHEN p.emissions IS NULL THEN COALESCE({mean_p5}, 0) "
                f"ELSE p.{emission} END AS {emission}"
            )
        else:
            final_points.append(f"p.{ind.key}_points")
    e_sum = " + ".join(f"q.{ind.key}_points" for ind in INDICATORS)

    kinds = {
        "dw": ProjectKind.DIGITAL_WORKSHOP.value,
        "iot": ProjectKind.IOT_FACTORY.value,
        "smart": ProjectKind.SMART_FACTORY.value,
        "future": ProjectKind.FUTURE_FACTORY.value,
    }
    sql_params.update({f"kind_{k}": v for k, v in kinds.items()})

    cut_a, cut_b, cut_c = params.cutoffs(baselines.rated_count)
    sql_params.update({"cut_a": cut_a, "cut_b": cut_b, "cut_c": cut_c})
    veto = "g.incident" if params.veto_enabled else "FALSE"
    protect_after = params.protected_if_founded_after
    if protect_after is None:
        protect = "FALSE"
    else:
        protect = "(g.founded_on IS NOT NULL AND g.founded_on > %(protect_after)s)"
        sql_params["protect_after"] = protect_after
    veto_hit = f"({veto} AND g.base_grade IN ('A', 'B'))"
    protect_hit = f"({protect} AND g.base_grade = 'D')"

    sql = f"""
    WITH {_rated_cte()}, {_values_cte()},
    ims AS (
      SELECT company_id, MAX(CASE level WHEN 'AAA' THEN %(ims_aaa)s WHEN 'AA' THEN %(ims_aa)s
        WHEN 'A' THEN %(ims_a)s ELSE %(ims_no_level)s END) AS pts
      FROM {quoted_table(Certification)}
      WHERE issued_on <= %(year_end)s AND expires_on > %(year_end)s
        AND status NOT IN (%(cert_excluded_1)s, %(cert_excluded_2)s) AND voided_at IS NULL
      GROUP BY company_id
    ),
    maturity AS (
      SELECT company_id, MAX(level) AS lvl FROM {quoted_table(MaturityAssessment)}
      WHERE assessed_on <= %(year_end)s AND kind = %(third_party)s AND voided_at IS NULL
      GROUP BY company_id
    ),
    proj AS (
      SELECT company_id, SUM(CASE
        WHEN kind = %(kind_dw)s THEN CASE level WHEN 'national' THEN %(dw_national)s
          WHEN 'province' THEN %(dw_province)s WHEN 'city' THEN %(dw_city)s ELSE 0 END
        WHEN kind IN (%(kind_iot)s, %(kind_smart)s) THEN CASE level
          WHEN 'national' THEN %(factory_national)s WHEN 'province' THEN %(factory_province)s
          WHEN 'city' THEN %(factory_city)s ELSE 0 END
        WHEN kind = %(kind_future)s THEN %(future_factory)s
        ELSE 0 END) AS pts
      FROM {quoted_table(KeyProject)}
      WHERE status = %(accepted)s AND accepted_on <= %(year_end)s AND voided_at IS NULL
      GROUP BY company_id
    ),
    pts AS (
      SELECT v.*,
      {points},
      {robot_points} AS robot_points,
      CAST(COALESCE(ims.pts, 0) AS {double_type}) AS ims_points,
      CAST(COALESCE(maturity.lvl, 0) AS {double_type}) * %(maturity_per_level)s AS maturity_points,
      CAST(COALESCE(proj.pts, 0) AS {double_type}) AS project_points
      FROM vals v
      LEFT JOIN ims ON ims.company_id = v.company_id
      LEFT JOIN maturity ON maturity.company_id = v.company_id
      LEFT JOIN proj ON proj.company_id = v.company_id
    ),
    pts5 AS (
      SELECT p.company_id, p.credit_code, p.company_name, p.region_id, p.industry_id,
      p.founded_on, p.incident, {", ".join(f"p.{ind.key}" for ind in INDICATORS)},
      p.robot_density, p.robot_points, p.ims_points, p.maturity_points, p.project_points,
      (p.emissions IS NULL) AS emission_from_mean,
      {", ".join(final_points)}
      FROM pts p
    ),
    blocks AS (
      SELECT q.*, ({e_sum}) AS e_points,
      (q.ims_points + q.maturity_points + q.project_points + q.robot_points) AS s_uncapped
      FROM pts5 q
    ),
    totals AS (
      SELECT b.*,
      CASE WHEN b.s_uncapped > %(s_cap)s THEN %(s_cap)s ELSE b.s_uncapped END AS s_points
      FROM blocks b
    ),
    cents AS {materialized()} (
      SELECT t.*, {floor_to_int("(t.e_points + t.s_points) * 100 + 0.5 + %(eps)s")}
        AS total_cents
      FROM totals t
    ),
    ranked AS (
      SELECT c.*,
      RANK() OVER (ORDER BY c.total_cents DESC) AS city_rank,
      RANK() OVER (PARTITION BY c.region_id ORDER BY c.total_cents DESC) AS region_rank,
      RANK() OVER (PARTITION BY c.industry_id ORDER BY c.total_cents DESC) AS industry_rank,
      ROW_NUMBER() OVER (ORDER BY c.total_cents DESC,
        CASE WHEN c.tax_per_mu IS NULL THEN 1 ELSE 0 END, c.tax_per_mu DESC, c.company_id)
        AS position
      FROM cents c
    ),
    graded AS (
      SELECT r.*, CASE WHEN r.city_rank <= %(cut_a)s THEN 'A' WHEN r.city_rank <= %(cut_b)s
        THEN 'B' WHEN r.city_rank <= %(cut_c)s THEN 'C' ELSE 'D' END AS base_grade
      FROM ranked r
    )
    SELECT %(run_id)s, g.company_id, g.credit_code, g.company_name, g.region_id, g.industry_id,
      TRUE, '',
      {", ".join(f"g.{ind.key}" for ind in INDICATORS)},
      {", ".join(f"g.{ind.key}_points" for ind in INDICATORS)},
      g.emission_from_mean,
      g.ims_points, g.maturity_points, g.project_points, g.robot_density, g.robot_points,
      g.s_uncapped, g.e_points, g.s_points,
      g.total_cents / 100.0,
      g.city_rank, g.region_rank, g.industry_rank, g.position,
      CASE WHEN {veto_hit} OR {protect_hit} THEN 'C' ELSE g.base_grade END,
      {veto_hit}, {protect_hit}
    FROM graded g
    """
    return sql, sql_params


SCORE_COLUMNS = (
    "run_id",
    "company_id",
    "credit_code",
    "company_name",
    "region_id",
    "industry_id",
    "rated",
    "not_rated_reason",
    *(ind.key for ind in INDICATORS),
    *(f"{ind.key}_points" for ind in INDICATORS),
    "emission_points_from_mean",
    "ims_points",
    "maturity_points",
    "project_points",
    "robot_density",
    "robot_points",
    "s_uncapped",
    "e_points",
    "s_points",
    "total",
    "city_rank",
    "region_rank",
    "industry_rank",
    "position",
    "grade",
    "veto_applied",
    "protection_applied",
)


def _score_table() -> str:
    from rankings.models import CompanyScore

    return quoted_table(CompanyScore)


def insert_rated(*, run_id: int, params: YearParameters, baselines: Baselines) -> int:
    select, sql_params = _score_select(params, baselines)
    sql_params["run_id"] = run_id
    sql = f"INSERT INTO {_score_table()} ({', '.join(SCORE_COLUMNS)}) {select}"
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return cursor.rowcount


def insert_not_rated(*, run_id: int, year: int) -> int:
    """Every company outside R(Y), with the first reason that applies, in RANKING.md's order:
    not above size, no data for Y, no land area, not 参评."""
    # indicator points, then ims, maturity, project, robot, s_uncapped, e and s points
    zero_points = ", ".join(["0"] * (len(INDICATORS) + 7))
    columns = (
        "run_id, company_id, credit_code, company_name, region_id, industry_id, rated, "
        "not_rated_reason, "
        + ", ".join(f"{ind.key}_points" for ind in INDICATORS)
        + ", ims_points, maturity_points, project_points, robot_points, s_uncapped, e_points"
        + ", s_points, emission_points_from_mean, grade, veto_applied, protection_applied"
    )
    sql = f"""
    INSERT INTO {_score_table()} ({columns})
    SELECT %(run_id)s, c.id, c.credit_code, c.name, c.region_id, c.industry_id, FALSE,
      CASE WHEN NOT c.above_size THEN 'not_above_size'
           WHEN a.id IS NULL THEN 'no_data'
           WHEN COALESCE(c.land_area_mu, 0) <= 0 THEN 'no_land_area'
           ELSE 'not_participating' END,
      {zero_points}, FALSE, '', FALSE, FALSE
    FROM {quoted_table(Company)} c
    LEFT JOIN {quoted_table(AnnualData)} a ON a.company_id = c.id AND a.year = %(year)s
      AND a.voided_at IS NULL
    WHERE NOT ({RATED_COMPANY} AND a.id IS NOT NULL)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"run_id": run_id, "year": year})
        return cursor.rowcount
