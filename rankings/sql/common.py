"""SQL helpers shared by the ranking statements: planner settings, and the few spellings
that differ between SQLite and PostgreSQL."""

from contextlib import contextmanager

from django.db import connection

from companies.choices import CertificationStatus

# PostgreSQL planner settings while a recompute runs (see `tuned`).
PLANNER_SETTINGS = {
    # Room for the materialised CTEs and window sorts of a province-sized year in memory.
    "work_mem": "64MB",
    # The planner cannot estimate the materialised CTEs; a nested loop over them would be
    # quadratic, a hash join is linear.
    "enable_nestloop": "off",
    # Those estimates also make the plan look huge, so JIT would compile these long
    # expressions: seconds spent to save milliseconds (measured: 4 s → 1.3 s at 10,000).
    "jit": "off",
}


@contextmanager
def tuned(settings: dict[str, str] = PLANNER_SETTINGS):
    """Apply `settings` (by default PLANNER_SETTINGS) to the current transaction only, and put
    the previous values back afterwards, so the rest of an enclosing transaction keeps its
    own. Must run inside an atomic block."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        previous = {}
        for name, value in settings.items():
            cursor.execute(
                "SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value]
            )
            previous[name] = cursor.fetchone()[0]
    # On an error the enclosing atomic block rolls back, which undoes the settings too.
    yield
    with connection.cursor() as cursor:
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


# RANKING.md part 2: size class and land area are facts of the year — the year's own figure
# when given, else the company's current field — on a company `c` LEFT JOINed to its live
# annual data `a` for Y (a company without data for Y takes the company's fields).
# (`companies.models.AnnualData.is_above_size` is the same rule for one row in Python.)
YEAR_ABOVE_SIZE = "COALESCE(a.above_size, c.above_size)"
YEAR_LAND = "COALESCE(a.land_area_mu, c.land_area_mu)"

# The rated sets R_above(Y) ∪ R_below(Y): rated (参评), annual data for Y, land area in Y > 0,
# and — below designated size (规下) — land in Y at least the scheme's `below_min_land_mu`,
# passed as the float parameter %(below_min_land)s. The one home of "who is rated".
RATED_COMPANY = (
    f"c.rated AND a.id IS NOT NULL AND COALESCE({YEAR_LAND}, 0) > 0 "
    f"AND ({YEAR_ABOVE_SIZE} OR {YEAR_LAND} >= %(below_min_land)s)"
)

# Why a company outside the rated sets is not rated: the first reason that applies, in
# RANKING.md part 2's order (not 参评; no land area; land under the threshold; no data).
NOT_RATED_REASON = f"""CASE WHEN NOT c.rated THEN 'not_participating'
      WHEN COALESCE({YEAR_LAND}, 0) <= 0 THEN 'no_land_area'
      WHEN NOT {YEAR_ABOVE_SIZE} AND {YEAR_LAND} < %(below_min_land)s THEN 'land_below_min'
      ELSE 'no_data' END"""

# The class of a company in Y as stored on its score row.
SIZE_CLASS = f"CASE WHEN {YEAR_ABOVE_SIZE} THEN 'above' ELSE 'below' END"

# Certificates in these states never count (RANKING.md, block S).
VALID_CERT_EXCLUDED = (CertificationStatus.SUSPENDED.value, CertificationStatus.REVOKED.value)


def float_type() -> str:
    """The database's double-precision type, to which every figure is cast (see compute)."""
    return "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"


def floor_to_int(expr: str) -> str:
    """`expr` rounded down to an integer; for the non-negative values it is given,
    SQLite's truncating CAST does the same as PostgreSQL's FLOOR."""
    if connection.vendor == "postgresql":
        return f"CAST(FLOOR({expr}) AS BIGINT)"
    return f"CAST({expr} AS INTEGER)"


def materialized() -> str:
    """PostgreSQL inlines a CTE into every place that reads it, so the numeric → double casts
    (slow: they go through text) and the points would be evaluated again for each reference.
    MATERIALIZED computes them once. SQLite (>= 3.25, before the keyword existed) gets none."""
    return "MATERIALIZED" if connection.vendor == "postgresql" else ""


def clamp(expr: str, cap_param: str) -> str:
    """min(max(expr, 0), cap) without LEAST/GREATEST, which SQLite spells differently."""
    return (
        f"(CASE WHEN ({expr}) < 0 THEN 0 WHEN ({expr}) > %({cap_param})s "
        f"THEN %({cap_param})s ELSE ({expr}) END)"
    )


def quoted_table(model) -> str:
    """The model's table name, quoted for this database, to write into a statement."""
    return connection.ops.quote_name(model._meta.db_table)


# The temporary table holding a recompute's rated set with its values
# (`rankings.sql.compute.rated_set`), private to the connection; the score, baseline and league
# statements read it.
RATED_TABLE = "rankings_rated_set"


def temporary_table(name: str) -> str:
    """A temporary table of the recompute, qualified with the database's schema of temporary
    tables (to read or drop it)."""
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    return f"{schema}.{name}"


def create_temporary(name: str) -> str:
    """The start of `CREATE TEMPORARY TABLE name … AS`: private to the connection, and on
    PostgreSQL gone at commit even if the recompute fails before dropping it."""
    on_commit = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    return f"CREATE TEMPORARY TABLE {name}{on_commit}"


def rated_table() -> str:
    """RATED_TABLE, qualified (see temporary_table)."""
    return temporary_table(RATED_TABLE)
