"""The RANKING.md method as set-based SQL, identical on SQLite (>= 3.25) and PostgreSQL.

A year is computed in a handful of statements, all run by the database:

0. `rated_set` — the rated companies with their figures cast to doubles and their indicator
   values, written once into a temporary table (`RATED_TABLE`) that the statements below
   read: the casts (slow on PostgreSQL, numeric → double goes through text) and the values
   are computed once, not once per statement and per reference (measured at 100,000 rated:
   the score SELECT costs half as much, the baseline sums a tenth).
1. `baseline_sums` — one aggregate over the rated sets, grouped by population: a size class
   (规上 / 规下, RANKING.md part 2) over the city, or — evaluation scope "region" — a class
   within one region. Per population: N and, per indicator, Σ numerator and Σ denominator
   over the companies whose value is defined (ratio of sums). Python divides the two sums
   (unless the scheme fixes the baseline) and works out the grade cut-offs ceil(share · N)
   exactly, in decimals; the service stores them as the run's `RunBaseline` rows.
2. `insert_rated` — one INSERT … SELECT that joins each rated company to its population's
   `RunBaseline` row and computes values, points (E for 规上, E_below for 规下), the
   indicator-5 mean rule (an AVG per population, joined back), the S block, the rounded total,
   the three `RANK()`s within the class, the display position (`ROW_NUMBER()`), the grade,
   veto and protection.
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

from contextlib import contextmanager

from django.db import connection

from companies.choices import AssessmentKind
from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.choices import ProjectKind, ProjectStatus
from projects.models import KeyProject
from rankings.choices import SizeClass
from rankings.indicators import BELOW_INDICATORS, EMISSION_INDICATOR, INDICATORS
from rankings.sql import storage
from rankings.sql.common import (
    NOT_RATED_REASON,
    PLANNER_SETTINGS,
    RATED_COMPANY,
    RATED_TABLE,
    SIZE_CLASS,
    VALID_CERT_EXCLUDED,
    YEAR_LAND,
    clamp,
    create_temporary,
    float_type,
    floor_to_int,
    materialized,
    quoted_table,
    rated_table,
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
    "rated_set",
    "tuned",
]

ROUNDING_EPSILON_CENTS = 1e-9


# --- the rated sets and their values ------------------------------------------------------

# (alias in SQL, AnnualData field) of every figure the method reads.
_FIGURES = (
    ("tax_paid", "tax_paid"),
    ("added_value", "added_value"),
    ("avg_employees", "avg_employees"),
    ("energy_use_tce", "energy_use_tce"),
    ("emissions", "emissions"),
    ("rd_expense", "rd_expense"),
    ("main_revenue", "main_revenue"),
    ("electricity", "electricity"),
    ("robots_in_service", "robots_in_service"),
)

# Every indicator value a score row holds: block E's six and E_below's tax per electricity
# (tax per mu is in both).
_BELOW_ONLY = tuple(ind for ind in BELOW_INDICATORS if ind.key not in {i.key for i in INDICATORS})
ALL_INDICATORS = (*INDICATORS, *_BELOW_ONLY)
_BELOW_KEYS = {ind.key for ind in BELOW_INDICATORS}
_ABOVE_KEYS = {ind.key for ind in INDICATORS}
# Baselines a population has: every indicator's and the robot density's.
BASELINE_KEYS = (*(ind.key for ind in ALL_INDICATORS), "robot_density")


def _part_expr(params: YearParameters) -> str:
    """The population key within a class: the region in region scope, else one (0)."""
    return "c.region_id" if params.region_scope else "0"


def _rated_cte(params: YearParameters) -> str:
    """R_above(Y) ∪ R_below(Y) (RATED_COMPANY), with each company's class and population."""
    double_type = float_type()
    figures = ",\n      ".join(
        f"CAST(a.{col} AS {double_type}) AS {alias}" for alias, col in _FIGURES
    )
    return f"""
    rated AS {materialized()} (
      SELECT c.id AS company_id, c.credit_code, c.name AS company_name, c.region_id,
      c.industry_id, c.founded_on, a.major_incident AS incident,
      {SIZE_CLASS} AS size_class, {_part_expr(params)} AS part,
      CAST({YEAR_LAND} AS {double_type}) AS land_area_mu,
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


def _class_value_expr(ind) -> str:
    """An indicator's value, only for the class whose block has it (NULL for the other)."""
    expr = _value_expr(ind.numerator, ind.denominator)
    if ind.key in _ABOVE_KEYS and ind.key in _BELOW_KEYS:
        return expr
    size_class = SizeClass.ABOVE if ind.key in _ABOVE_KEYS else SizeClass.BELOW
    return f"CASE WHEN r.size_class = '{size_class.value}' THEN {expr} END"


def _values_cte() -> str:
    cols = ",\n      ".join(f"{_class_value_expr(ind)} AS {ind.key}" for ind in ALL_INDICATORS)
    return f"""
    vals AS (
      SELECT r.*,
      {cols},
      {_value_expr("robots_in_service", "avg_employees")} AS robot_density
      FROM rated r
    )"""


def _baseline_terms():
    return [
        *((ind.key, ind.numerator, ind.denominator) for ind in ALL_INDICATORS),
        ("robot_density", "robots_in_service", "avg_employees"),
    ]


@contextmanager
def rated_set(params: YearParameters):
    """Write the year's rated set with its values (`_rated_cte`, `_values_cte`) into the
    temporary table RATED_TABLE for the statements of one recompute, and drop it afterwards.
    Must run inside the recompute's transaction (on PostgreSQL the table also goes at commit)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {rated_table()}")
        cursor.execute(
            f"{create_temporary(RATED_TABLE)} AS "
            f"WITH {_rated_cte(params)}, {_values_cte()} SELECT * FROM vals",
            {"year": params.year, "below_min_land": params.below_min_land},
        )
        if connection.vendor == "postgresql":
            # Its size, and the keys it is joined and grouped by: without them the planner
            # takes the table for one row and hashes it, all 100,000 wide rows, instead of
            # the small certificate and project aggregates it is joined to.
            cursor.execute(f"ANALYZE {rated_table()} (company_id, size_class, part)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {rated_table()}")


def baseline_sums(params: YearParameters) -> list[tuple[str, int, int, dict]]:
    """Per population (class, part): N and, per indicator, (Σ numerator, Σ denominator) over
    the companies whose value is defined. One statement, on the `rated_set` table."""
    parts = ["size_class", "part", "COUNT(*)"]
    terms = _baseline_terms()
    for key, num, den in terms:
        parts.append(f"SUM(CASE WHEN {key} IS NOT NULL THEN {num} END)")
        parts.append(f"SUM(CASE WHEN {key} IS NOT NULL THEN {den} END)")
    sql = (
        f"SELECT {', '.join(parts)} FROM {rated_table()} "
        f"GROUP BY size_class, part ORDER BY size_class, part"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    result = []
    for row in rows:
        sums = {key: (row[3 + 2 * i], row[4 + 2 * i]) for i, (key, _n, _d) in enumerate(terms)}
        result.append((row[0], row[1], row[2] or 0, sums))
    return result


def baselines_for(params: YearParameters) -> list[Baselines]:
    """Every population's N and baselines (RANKING.md: ratio of sums, undefined without a
    defined value or with a zero denominator sum). The scheme's fixed baselines are those
    of block E and the robot density of 规上; 规下 baselines are always ratios of sums."""
    result = []
    for size_class, part, count, sums in baseline_sums(params):
        values = {}
        for key in BASELINE_KEYS:
            num_sum, den_sum = sums[key]
            fixed = params.fixed_baselines.get(key) if size_class == SizeClass.ABOVE else None
            if fixed is not None:
                values[key] = fixed
            elif num_sum is None or not den_sum:
                values[key] = None
            else:
                values[key] = float(num_sum) / float(den_sum)
        result.append(
            Baselines(
                size_class=size_class,
                region_id=part if params.region_scope else None,
                rated_count=count,
                values=values,
            )
        )
    return result


# --- scores of the rated companies -------------------------------------------------------


def _points_expr(key: str, weight: str, cap: str) -> str:
    """p = w · min(max(x / b, 0), cap) against the population's baseline `bl`; 0 when x or b
    is undefined. A baseline of 0 is treated as undefined too (RANKING.md: db 0 → 0 points)."""
    b = f"bl.baseline_{key}"
    ratio = f"v.{key} / {b}"
    return (
        f"(CASE WHEN v.{key} IS NULL OR {b} IS NULL OR {b} = 0 THEN 0 "
        f"ELSE %({weight})s * {clamp(ratio, cap)} END)"
    )


def _indicator_points(ind) -> str:
    """An indicator's points with its class's weight and cap (tax per mu is in both blocks)."""
    above = _points_expr(ind.key, f"w_{ind.key}", "points_cap")
    below = _points_expr(ind.key, f"wb_{ind.key}", "below_points_cap")
    if ind.key in _ABOVE_KEYS and ind.key in _BELOW_KEYS:
        return f"CASE WHEN v.size_class = 'above' THEN {above} ELSE {below} END"
    return above if ind.key in _ABOVE_KEYS else below


def _score_select(params: YearParameters, id_value: str = "") -> tuple[str, dict]:
    """The rated companies' rows as a SELECT in SCORE_COLUMNS' order (after `id_value`, the
    id column's value when the target table needs one: rankings.sql.storage.id_column)."""
    double_type = float_type()
    year_end = params.year_end
    sql_params: dict = {
        "year": params.year,
        "year_end": year_end,
        "below_min_land": params.below_min_land,
        "points_cap": params.points_cap,
        "below_points_cap": params.below_points_cap,
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
    for ind in INDICATORS:
        sql_params[f"w_{ind.key}"] = params.weights[ind.key]
    for ind in BELOW_INDICATORS:
        sql_params[f"wb_{ind.key}"] = params.below_weights[ind.key]

    points = ",\n      ".join(
        f"{_indicator_points(ind)} AS {ind.key}_points" for ind in ALL_INDICATORS
    )
    robot_points = _points_expr("robot_density", "robot_weight", "robot_cap")
    emission = f"{EMISSION_INDICATOR}_points"
    # Indicator 5 (规上 only): a company without an emissions figure gets the mean p5 of
    # those of its population with one.
    # Grouped from the rated set and joined by population, not a window over the rows: a
    # window would sort every whole row by population first.
    emission_points = _indicator_points(
        next(ind for ind in ALL_INDICATORS if ind.key == EMISSION_INDICATOR)
    )
    mean_p5 = "m.mean_p5"
    from_mean = "(p.size_class = 'above' AND p.emissions IS NULL)"
    final_points = []
    for ind in ALL_INDICATORS:
        if ind.key == EMISSION_INDICATOR:
            final_points.append(
                f"CASE WHEN {from_mean} THEN COALESCE({mean_p5}, 0) "
                f"ELSE p.{emission} END AS {emission}"
            )
        else:
            final_points.append(f"p.{ind.key}_points")
    # E adds its block's points in the block's order (the reference adds them the same way).
    e_above = " + ".join(f"q.{ind.key}_points" for ind in INDICATORS)
    e_below = " + ".join(f"q.{ind.key}_points" for ind in BELOW_INDICATORS)

    kinds = {
        "dw": ProjectKind.DIGITAL_WORKSHOP.value,
        "iot": ProjectKind.IOT_FACTORY.value,
        "smart": ProjectKind.SMART_FACTORY.value,
        "future": ProjectKind.FUTURE_FACTORY.value,
    }
    sql_params.update({f"kind_{k}": v for k, v in kinds.items()})

    veto = "g.incident" if params.veto_enabled else "FALSE"
    protect_after = params.protected_if_founded_after
    if protect_after is None:
        protect = "FALSE"
    else:
        protect = "(g.founded_on IS NOT NULL AND g.founded_on > %(protect_after)s)"
        sql_params["protect_after"] = protect_after
    veto_hit = f"({veto} AND g.base_grade IN ('A', 'B'))"
    protect_hit = f"({protect} AND g.base_grade = 'D')"

    # Ranks are within the class. In region scope every population is a region: the city
    # rank is left empty, the industry rank is taken within the region, and the grade
    # follows the region rank on the region's N (RANKING.md part 2).
    if params.region_scope:
        city_rank = "CAST(NULL AS INTEGER)"
        industry_partition = "c.size_class, c.region_id, c.industry_id"
        grading_rank = "r.region_rank"
        position_first = "c.region_rank, "
    else:
        city_rank = "RANK() OVER (PARTITION BY c.size_class ORDER BY c.total_cents DESC)"
        industry_partition = "c.size_class, c.industry_id"
        grading_rank = "r.city_rank"
        position_first = ""
    region_rank = "RANK() OVER (PARTITION BY c.size_class, c.region_id ORDER BY c.total_cents DESC)"
    value_columns = ", ".join(f"p.{ind.key}" for ind in ALL_INDICATORS)
    rank_input, rank_output = _rank_input_and_output()

    sql = f"""
    WITH ims AS (
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
      SELECT v.*, bl.cutoff_a, bl.cutoff_b, bl.cutoff_c,
      {points},
      {robot_points} AS robot_points,
      CAST(COALESCE(ims.pts, 0) AS {double_type}) AS ims_points,
      CAST(COALESCE(maturity.lvl, 0) AS {double_type}) * %(maturity_per_level)s AS maturity_points,
      CAST(COALESCE(proj.pts, 0) AS {double_type}) AS project_points
      FROM {rated_table()} v
      JOIN {_baseline_table()} bl ON bl.run_id = %(run_id)s AND bl.size_class = v.size_class
        AND COALESCE(bl.region_id, 0) = v.part
      LEFT JOIN ims ON ims.company_id = v.company_id
      LEFT JOIN maturity ON maturity.company_id = v.company_id
      LEFT JOIN proj ON proj.company_id = v.company_id
    ),
    mean5 AS (
      SELECT v.size_class, v.part,
      AVG(CASE WHEN v.emissions IS NOT NULL THEN {emission_points} END) AS mean_p5
      FROM {rated_table()} v
      JOIN {_baseline_table()} bl ON bl.run_id = %(run_id)s AND bl.size_class = v.size_class
        AND COALESCE(bl.region_id, 0) = v.part
      GROUP BY v.size_class, v.part
    ),
    pts5 AS (
      SELECT p.company_id, p.credit_code, p.company_name, p.region_id, p.industry_id,
      p.founded_on, p.incident, p.size_class, p.cutoff_a, p.cutoff_b, p.cutoff_c,
      {value_columns},
      p.robot_density, p.robot_points, p.ims_points, p.maturity_points, p.project_points,
      {from_mean} AS emission_from_mean,
      {", ".join(final_points)}
      FROM pts p
      LEFT JOIN mean5 m ON m.size_class = p.size_class AND m.part = p.part
    ),
    blocks AS (
      SELECT q.*,
      CASE WHEN q.size_class = 'above' THEN ({e_above}) ELSE ({e_below}) END AS e_points,
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
      {city_rank} AS city_rank,
      {region_rank} AS region_rank,
      RANK() OVER (PARTITION BY {industry_partition} ORDER BY c.total_cents DESC)
        AS industry_rank
      FROM ({rank_input}) c
    ),
    placed AS (
      SELECT c.*,
      ROW_NUMBER() OVER (PARTITION BY c.size_class ORDER BY {position_first}c.total_cents DESC,
        CASE WHEN c.tax_per_mu IS NULL THEN 1 ELSE 0 END, c.tax_per_mu DESC, c.company_id)
        AS position
      FROM ranked c
    ),
    joined AS ({rank_output}),
    graded AS (
      SELECT r.*, CASE WHEN {grading_rank} <= r.cutoff_a THEN 'A'
        WHEN {grading_rank} <= r.cutoff_b THEN 'B'
        WHEN {grading_rank} <= r.cutoff_c THEN 'C' ELSE 'D' END AS base_grade
      FROM joined r
    )
    SELECT {id_value}%(run_id)s, g.company_id, g.credit_code, g.company_name, g.region_id, g.industry_id,
      TRUE, '', g.size_class,
      {", ".join(f"g.{ind.key}" for ind in ALL_INDICATORS)},
      {", ".join(f"g.{ind.key}_points" for ind in ALL_INDICATORS)},
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


# What the rank windows sort. On PostgreSQL only the columns they read: each window sorts its
# input, and sorting the whole rows (some 60 columns) four times cost more than the rest of
# the statement; the ranks are joined back to the rows by company (a hash join). SQLite has no
# hash join — it would look each company up in an unindexed CTE, quadratic (measured: a
# 30,000-row year took a minute) — so there the windows run over the whole rows.
_RANK_INPUT_COLUMNS = "company_id, size_class, region_id, industry_id, total_cents, tax_per_mu"


def _rank_input_and_output() -> tuple[str, str]:
    """What the rank windows read (from `cents`), and the rows with their ranks (from
    `placed`): narrow and joined back on PostgreSQL, whole rows on SQLite."""
    if connection.vendor == "postgresql":
        return (
            f"SELECT {_RANK_INPUT_COLUMNS} FROM cents",
            "SELECT w.*, r.city_rank, r.region_rank, r.industry_rank, r.position "
            "FROM cents w JOIN placed r ON r.company_id = w.company_id",
        )
    return "SELECT * FROM cents", "SELECT * FROM placed"


SCORE_COLUMNS = (
    "run_id",
    "company_id",
    "credit_code",
    "company_name",
    "region_id",
    "industry_id",
    "rated",
    "not_rated_reason",
    "size_class",
    *(ind.key for ind in ALL_INDICATORS),
    *(f"{ind.key}_points" for ind in ALL_INDICATORS),
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


def _baseline_table() -> str:
    from rankings.models import RunBaseline

    return quoted_table(RunBaseline)


def insert_rated(*, run_id: int, params: YearParameters) -> int:
    """The rated companies' rows, from the `rated_set` table; the run's `RunBaseline` rows
    must be written first."""
    id_column, id_value = storage.id_column()
    select, sql_params = _score_select(params, id_value)
    sql_params["run_id"] = run_id
    sql = f"INSERT INTO {storage.score_table(run_id)} ({id_column}{', '.join(SCORE_COLUMNS)}) {select}"
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return cursor.rowcount


def insert_not_rated(*, run_id: int, params: YearParameters) -> int:
    """Every company outside the rated sets, with its class in Y and the first reason that
    applies (NOT_RATED_REASON, in RANKING.md part 2's order)."""
    # indicator points, then ims, maturity, project, robot, s_uncapped, e and s points
    zero_points = ", ".join(["0"] * (len(ALL_INDICATORS) + 7))
    columns = (
        "run_id, company_id, credit_code, company_name, region_id, industry_id, rated, "
        "not_rated_reason, size_class, "
        + ", ".join(f"{ind.key}_points" for ind in ALL_INDICATORS)
        + ", ims_points, maturity_points, project_points, robot_points, s_uncapped, e_points"
        + ", s_points, emission_points_from_mean, grade, veto_applied, protection_applied"
    )
    id_column, id_value = storage.id_column()
    sql = f"""
    INSERT INTO {storage.score_table(run_id)} ({id_column}{columns})
    SELECT {id_value}%(run_id)s, c.id, c.credit_code, c.name, c.region_id, c.industry_id, FALSE,
      {NOT_RATED_REASON}, {SIZE_CLASS},
      {zero_points}, FALSE, '', FALSE, FALSE
    FROM {quoted_table(Company)} c
    LEFT JOIN {quoted_table(AnnualData)} a ON a.company_id = c.id AND a.year = %(year)s
      AND a.voided_at IS NULL
    WHERE NOT ({RATED_COMPANY})
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"run_id": run_id, "year": params.year, "below_min_land": params.below_min_land},
        )
        return cursor.rowcount
