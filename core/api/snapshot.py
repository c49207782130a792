"""Reads that must agree with each other: one database snapshot per list request."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS):
    """Run the enclosed reads against one snapshot of the database.

    A list answer is several queries: the current ranking run, the count, the page. A
    recompute that commits between them replaces the run, and without a snapshot the page
    would come back empty or 404. PostgreSQL gives a snapshot per transaction under
    REPEATABLE READ; SQLite (WAL) holds one from a transaction's first read. Inside an
    enclosing transaction (tests, a caller's atomic block) the caller's isolation stands.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            yield
        return
    # psycopg opens the transaction with `BEGIN ISOLATION LEVEL REPEATABLE READ`: one round
    # trip, where BEGIN then SET TRANSACTION took two (each costs more than a page's query
    # on a busy database server).
    from psycopg import IsolationLevel

    connection.ensure_connection()
    driver = connection.connection
    previous = driver.isolation_level
    driver.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        if not driver.closed:
            driver.isolation_level = previous
