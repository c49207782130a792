"""Inserting many rows of one model straight through the database driver.

The fast lane of `core.services.records_bulk_write` for rows whose ids are not needed
afterwards and that get no history rows (the demo dataset). `bulk_create` compiles a
multi-row INSERT per batch and adapts every value through the field's generic path, which
costs more than generating the demo data itself; `executemany` on the driver's cursor
(SQLite) or COPY (PostgreSQL) does the same work several times faster. Values go in as the
model instances hold them: ints, strings, booleans, Decimals, dates and aware datetimes;
auto_now fields that are empty get the write's timestamp, as `bulk_create` would give them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import connections, models, router
from django.utils import timezone

CHUNK_ROWS = 5000


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """INSERT `objects` (their primary keys stay unset) and return how many went in."""
    if not objects:
        return 0
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    sqlite = connection.vendor == "sqlite"
    now = timezone.now()
    converters = [_converter(field, connection, sqlite, now) for field in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    columns = [(field.attname, convert) for field, convert in zip(fields, converters, strict=True)]
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(objects), CHUNK_ROWS):
            rows = [
                tuple(convert(getattr(obj, name)) for name, convert in columns)
                for obj in objects[start : start + CHUNK_ROWS]
            ]
            if sqlite:
                marker = ", ".join(["?"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marker})", rows)
            else:
                # PostgreSQL (psycopg 3): COPY is the fastest way in.
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
    finally:
        cursor.close()
    return len(objects)


def _unchanged(value):
    return value


def _converter(field, connection, sqlite: bool, now: datetime.datetime):
    """How a field's value goes to the driver: dates as ISO text for SQLite (as Django's
    backend sends them), empty auto_now / auto_now_add timestamps as the load's time."""
    if isinstance(field, models.DateTimeField):
        auto = field.auto_now or field.auto_now_add

        def convert(value):
            if value is None and auto:
                value = now
            if sqlite and value is not None:
                return connection.ops.adapt_datetimefield_value(value)
            return value

        return convert
    if sqlite and isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return _unchanged
