"""Inserting many rows of one model straight through the database driver.

The fast lane of `core.services.records_bulk_write`. `bulk_create` compiles a multi-row
INSERT per batch and adapts every value through the field's generic path, which costs more
than checking the rows (a 10,000-row import spent most of its write there); `executemany`
(SQLite) or COPY (PostgreSQL) does the same work several times faster. Values go in as the model instances hold them: ints,
strings, booleans, Decimals, dates, aware datetimes and JSON; empty auto_now fields get the
write's timestamp, as `bulk_create` would give them.

`insert_rows(..., returning_ids=True)` also gives each object its new primary key (and marks
it stored), for rows that history rows or an import's record point to: PostgreSQL takes the
ids from the table's sequence first and copies them in; on SQLite, the ids follow the last
one of each statement.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence

from django.db import connections, models, router
from django.utils import timezone

CHUNK_ROWS = 5000


def insert_rows(
    model: type[models.Model], objects: Sequence[models.Model], *, returning_ids: bool = False
) -> int:
    """INSERT `objects` and return how many went in. Without `returning_ids` their primary
    keys stay unset; with it each gets its id and counts as stored (`_state.adding` False),
    as after `bulk_create`."""
    if not objects:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    _pre_save(fields, objects)
    names = [field.attname for field in fields]
    if not returning_ids:
        rows = (tuple(getattr(obj, name) for name in names) for obj in objects)
        return insert_values(model, fields, rows)
    pk = model._meta.pk
    ids = _next_ids(connection, model, len(objects))
    if ids is not None:  # PostgreSQL: ids first, then COPY them in with the rows
        for obj, new_id in zip(objects, ids, strict=True):
            setattr(obj, pk.attname, new_id)
        rows = (tuple(getattr(obj, name) for name in (pk.attname, *names)) for obj in objects)
        insert_values(model, [pk, *fields], rows)
    else:
        rows = (tuple(getattr(obj, name) for name in names) for obj in objects)
        for obj, new_id in zip(objects, insert_values(model, fields, rows, ids=True), strict=True):
            setattr(obj, pk.attname, new_id)
    alias = connection.alias
    for obj in objects:
        obj._state.adding = False
        obj._state.db = alias
    return len(objects)


def insert_values(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Iterable[tuple],
    *,
    ids: bool = False,
):
    """INSERT `rows` (tuples of Python values, one per field of `fields`) into `model`'s
    table. Returns how many went in, or with `ids` (SQLite only) the new rows' ids in order.

    The statements go through Django's cursor (its execute wrappers and query log see one
    statement per chunk), except PostgreSQL's COPY, which the driver runs itself."""
    connection = connections[router.db_for_write(model)]
    sqlite = connection.vendor == "sqlite"
    now = timezone.now()
    converters = [_converter(field, connection, sqlite, now) for field in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    new_ids: list[int] = []
    count = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, CHUNK_ROWS):
            converted = [
                tuple(
                    value if convert is None else convert(value)
                    for value, convert in zip(row, converters, strict=True)
                )
                for row in chunk
            ]
            count += len(converted)
            if sqlite:
                marker = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marker})", converted)
                if ids:
                    new_ids += _inserted_ids(cursor, model, len(converted))
            else:
                # PostgreSQL (psycopg 3): COPY is the fastest way in.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in converted:
                        copy.write_row(row)
    return new_ids if ids else count


def _inserted_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    """The ids SQLite gave the `count` rows one statement just inserted. They are
    consecutive: a new rowid is one more than the largest yet (Django's tables are
    AUTOINCREMENT) and no one else writes while this transaction holds the write lock;
    counting them in the table makes sure."""
    cursor.execute("SELECT last_insert_rowid()")
    last = cursor.fetchone()[0]
    first = last - count + 1
    quote = cursor.db.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    cursor.execute(
        f"SELECT COUNT(*) FROM {table} WHERE {pk} BETWEEN %s AND %s",
        [first, last],
    )
    if cursor.fetchone()[0] != count:
        raise RuntimeError(f"The ids of the rows inserted into {model._meta.db_table} are unknown.")
    return list(range(first, last + 1))


def _pre_save(fields: Sequence[models.Field], objects: Sequence[models.Model]) -> None:
    """What `bulk_create` has each field do before the insert (`pre_save(add=True)`), so
    the objects hold the values stored (a history row copies them): empty auto_now /
    auto_now_add dates get the write's time (one already set is kept: the demo dataset
    dates its rows), and a field with its own `pre_save` (a file field) runs it."""
    now = timezone.now()
    for field in fields:
        if isinstance(field, models.DateField):
            if not (field.auto_now or field.auto_now_add):
                continue
            value = now if isinstance(field, models.DateTimeField) else timezone.localdate(now)
            for obj in objects:
                if getattr(obj, field.attname) is None:
                    setattr(obj, field.attname, value)
        elif type(field).pre_save is not models.Field.pre_save:
            for obj in objects:
                setattr(obj, field.attname, field.pre_save(obj, add=True))


def _next_ids(connection, model: type[models.Model], count: int) -> list[int] | None:
    """`count` new ids from the PostgreSQL sequence of `model`'s primary key (None on SQLite,
    which reports each id as its row goes in)."""
    if connection.vendor != "postgresql":
        return None
    # The names are the model's own (no user input); inline, so the statement names its table.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', '{model._meta.pk.column}')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def _chunks(rows: Iterable[tuple], size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _converter(field, connection, sqlite: bool, now: datetime.datetime) -> Callable | None:
    """How a field's value goes to the driver (None: as it is): dates as ISO text for SQLite
    (as Django's backend sends them), empty auto_now / auto_now_add timestamps as the write's
    time, JSON as text (SQLite) or as the driver's JSON value (PostgreSQL)."""
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
    if isinstance(field, models.JSONField):
        encoder = field.encoder or json.JSONEncoder

        def dumps(value) -> str:
            return json.dumps(value, cls=encoder)

        if sqlite:
            return lambda value: None if value is None else dumps(value)
        from psycopg.types.json import Jsonb  # the driver of PostgreSQL only

        return lambda value: None if value is None else Jsonb(value, dumps=dumps)
    return None
