"""Where a run's score rows are written, and how they go.

PostgreSQL: each run's rows go into a table of their own, `rankings_companyscore_run_<id>`,
that inherits the model's table `rankings_companyscore`, so every query of CompanyScore reads
it as before (inheritance; a query naming the run reads only that run's table, the others are
excluded by their `CHECK (run_id = …)`). The table is created bare, filled by the run's
INSERT … SELECTs with no index to keep up row by row, indexed once when full, and joined to
the parent last — all in the run's transaction, so readers see the whole run at commit or
nothing of it. Replacing a run drops its table whole instead of deleting its rows one by one.
Measured at 100,000 companies (bench/rankings.py): writing a run this way costs about a third
of inserting into the shared, indexed table, and leaves no dead rows behind for VACUUM.

SQLite (the embedded default, city scale): the rows go into the shared table.

Rows written before this existed (or by anything else) stay in the parent table; `drop`
removes a run from both.
"""

from __future__ import annotations

from django.db import connection

# The parent's indexes that each run's table repeats, by their columns (with `run_id` first,
# so plans read the same as on the parent). Kept beside the model's Meta.indexes: a test
# compares the two.
RUN_TABLE_INDEXES = (
    ("id", True, ""),
    ("run_id, company_id", True, ""),
    ("run_id, position, id", False, ""),
    ("run_id, company_id", False, "rated"),
    ("run_id, size_class, position", False, ""),
    ("run_id, region_id, position", False, ""),
    ("company_id", False, ""),
)

ANALYZED_COLUMNS = "run_id, company_id, rated, size_class, region_id, industry_id, position, grade"


def _parent() -> str:
    from rankings.models import CompanyScore

    return CompanyScore._meta.db_table


def separate_tables() -> bool:
    return connection.vendor == "postgresql"


def run_table_name(run_id: int) -> str:
    return f"{_parent()}_run_{int(run_id)}"


def score_table(run_id: int) -> str:
    """The (quoted) table a run's score rows are inserted into, once `create` has run."""
    name = run_table_name(run_id) if separate_tables() else _parent()
    return connection.ops.quote_name(name)


def id_column() -> tuple[str, str]:
    """The id column and its value for an INSERT into `score_table`: a run's own table has no
    identity of its own, so its ids are drawn from the parent's sequence (ids stay unique
    across every run); the parent fills in its own."""
    if not separate_tables():
        return "", ""
    return "id, ", f"nextval(pg_get_serial_sequence('{_parent()}', 'id')), "


def create(run_id: int) -> None:
    """The run's empty table, with the parent's columns and checks (not yet its child)."""
    if not separate_tables():
        return
    table = score_table(run_id)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (LIKE {connection.ops.quote_name(_parent())} "
            f"INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK (run_id = {int(run_id)}))"
        )


def seal(run_id: int) -> None:
    """Index the filled table, give the planner its statistics and make it the parent's
    child: from the commit on, queries of CompanyScore read it. Joining takes a brief
    SHARE UPDATE EXCLUSIVE lock on the parent, which readers and writers do not wait for."""
    if not separate_tables():
        return
    table = score_table(run_id)
    with connection.cursor() as cursor:
        for number, (columns, unique, condition) in enumerate(RUN_TABLE_INDEXES):
            name = connection.ops.quote_name(f"{run_table_name(run_id)}_{number}")
            where = f" WHERE {condition}" if condition else ""
            kind = "UNIQUE INDEX" if unique else "INDEX"
            cursor.execute(f"CREATE {kind} {name} ON {table} ({columns}){where}")
        # The columns queries filter and join by (all of them would take longer than the
        # indexes: some 60 columns).
        cursor.execute(f"ANALYZE {table} ({ANALYZED_COLUMNS})")
        cursor.execute(f"ALTER TABLE {table} INHERIT {connection.ops.quote_name(_parent())}")


def drop(run_id: int) -> None:
    """Remove a run's score rows: its own table whole, and any rows in the parent. Dropping a
    child locks only the child (not the parent), for the rest of the transaction."""
    parent = connection.ops.quote_name(_parent())
    with connection.cursor() as cursor:
        if separate_tables():
            cursor.execute(f"DROP TABLE IF EXISTS {score_table(run_id)}")
            cursor.execute(f"DELETE FROM ONLY {parent} WHERE run_id = %s", [run_id])
        else:
            cursor.execute(f"DELETE FROM {parent} WHERE run_id = %s", [run_id])
