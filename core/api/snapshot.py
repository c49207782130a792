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
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
