"""Where a run's score rows are written, and how they go.

PostgreSQL: each run's rows go into a table of their own, `rankings_companyscore_run_<id>`,
that inherits the model's table `rankings_companyscore`, so every query of CompanyScore reads
it as before (inheritance; a query naming the run reads only that run's table, the others are
excluded by their `CHECK (run_id = …)`). The table is created bare, filled by the run's
INSERT … SELECTs with no index to keep up row by row, indexed once when full, and joined to
the parent last — all in the run's transaction, so readers see the whole run at commit or
nothing of it. A replaced run's rows are deleted (older snapshots still read them) and its
table is dropped whole once no snapshot can (`drop`, `drop_retired`). Measured at 100,000
companies: writing a run this way costs about a third of inserting into the shared, indexed
table (docs/performance.md).

SQLite (the embedded default, city scale): the rows go into the shared table.

Rows written before this existed (or by anything else) stay in the parent table; `drop`
removes a run from both.

Migrations: ALTER TABLE on the parent (columns, CHECK constraints) reaches the run tables by
itself; an index does not — add it to RUN_TABLE_INDEXES (a test compares the two) and, in the
migration, to the existing run tables.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, OperationalError, connection, transaction

from rankings.sql.common import tuned

logger = logging.getLogger(__name__)

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
        # indexes: some 60 columns), from a small sample: these columns have few distinct
        # values, or are unique (ids).
        with tuned({"default_statistics_target": "10"}):
            cursor.execute(f"ANALYZE {table} ({ANALYZED_COLUMNS})")
        cursor.execute(f"ALTER TABLE {table} INHERIT {connection.ops.quote_name(_parent())}")


def drop(run_id: int) -> None:
    """Remove a run's score rows, as readers expect: a request that took its snapshot before
    this transaction commits (the API reads a list's run, count and page in one REPEATABLE
    READ snapshot) must still find them. So the rows are deleted (MVCC: older snapshots still
    see them) and the run's table is only marked retired, with this transaction's id; it is
    dropped whole by `drop_retired` once no snapshot that could see its rows is left. A DROP
    here would take the rows from under such a snapshot (catalogs are not versioned)."""
    parent = connection.ops.quote_name(_parent())
    with connection.cursor() as cursor:
        if not separate_tables():
            cursor.execute(f"DELETE FROM {parent} WHERE run_id = %s", [run_id])
            return
        cursor.execute(f"DELETE FROM ONLY {parent} WHERE run_id = %s", [run_id])
        cursor.execute("SELECT to_regclass(%s)", [run_table_name(run_id)])
        if cursor.fetchone()[0] is None:
            return
        table = score_table(run_id)
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute("SELECT txid_current()")
        cursor.execute(f"COMMENT ON TABLE {table} IS '{RETIRED} {int(cursor.fetchone()[0])}'")
    # Robust: a failure to tidy up must not fail the caller after its run has committed.
    transaction.on_commit(drop_retired, robust=True)


# The comment of a retired run table: this word and the id (txid_current) of the transaction
# that retired it.
RETIRED = "retired"


def drop_retired() -> list[str]:
    """Drop the retired run tables that no snapshot can read any more: every client session's
    oldest snapshot (pg_stat_activity.backend_xmin) began after the retiring transaction
    committed. (Autovacuum's own snapshots do not count: it skips a table that is gone.)
    Each DROP is its own short transaction; it waits for nobody (lock_timeout), a table still
    in use is left for the next time (after every run's commit). Returns the tables dropped."""
    if not separate_tables():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            CROSS JOIN LATERAL (
              SELECT obj_description(c.oid, 'pg_class') AS comment
            ) described
            CROSS JOIN LATERAL (
              SELECT CASE WHEN described.comment ~ %s
                THEN split_part(described.comment, ' ', 2)::bigint END AS txid
            ) retired
            WHERE i.inhparent = %s::regclass AND retired.txid IS NOT NULL
              AND NOT EXISTS (
                SELECT 1 FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.backend_type = 'client backend'
                  AND a.backend_xmin IS NOT NULL
                  AND age(a.backend_xmin) >= age((retired.txid %% 4294967296)::text::xid)
              )
            ORDER BY c.relname""",
            [f"^{RETIRED} [0-9]+$", _parent()],
        )
        names = [row[0] for row in cursor.fetchall()]
    dropped = []
    for name in names:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '100ms'")
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)}")
        except OperationalError:
            continue  # in use: the next run's commit tries again
        except DatabaseError as exc:
            # Something of someone else's depends on it (a view, say): say so, and go on with
            # the others; it stays (empty) until that is removed.
            logger.warning("rankings: could not drop the retired table %s: %s", name, exc)
            continue
        dropped.append(name)
    return dropped
