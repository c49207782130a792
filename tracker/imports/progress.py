"""How far a job has got (`processed_rows` of `total_rows`), saved for the page that polls it.

The check saves it as rows are read and checked. The import re-checks the file (the first
half of its bar), then writes inside one transaction (the second half), where a save on the
import's own connection would only show once everything is committed: on PostgreSQL the
write's progress goes through a connection of its own, outside that transaction (it updates
a column no lock of the import's holds). SQLite lets one connection write at a time, so
there the bar waits at the half until the import ends.
"""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connections

# The least time between two saves: each is a commit, so a few per second at most, however
# fast the rows go (a 100,000-row file still moves its bar every 1 % or so).
PROGRESS_SECONDS = 0.5


class Progress:
    """Save `processed_rows` of `job` through `save(job, rows)` at most every
    PROGRESS_SECONDS, and always when the last row is reached."""

    def __init__(self, job, save, *, total: int):
        self.job = job
        self.save = save
        self.total = total
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS or done >= self.total:
            self.last = now
            self.save(self.job, min(done, self.total))


class OutsideTransaction:
    """Saves a job's progress on a connection of its own (PostgreSQL), so the page sees it
    while the import's transaction is open; on SQLite, not at all. Close it at the end."""

    def __init__(self):
        self.connection = None
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, job, rows: int) -> None:
        if self.connection is None:
            return
        meta = type(job)._meta
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:  # autocommit: visible at once
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {quote('processed_rows')} = %s "
                f"WHERE {quote(meta.pk.column)} = %s",
                [rows, job.pk],
            )
        job.processed_rows = rows

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
