"""Small hot queries compiled once per process.

On a page answered from the cache, the ORM spends more time building and compiling the few
small queries left (the current ranking run, say) than the database spends answering them:
a filter, an annotation and the SQL compiler cost ~1 ms of Python, the query itself ~0.1 ms.
`CompiledValues` builds such a query with the ORM once per database alias — so it is the
same query, with the same scoping and joins — and afterwards runs its SQL with new
arguments in place of the sentinels it was built with.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


class CompiledValues:
    """`build(*arguments)`, a `.values()` queryset, compiled once; `first(*arguments)` is its
    first row as a dict (None when it has none). The arguments must reach the SQL as
    parameters (filter values), and `sentinels` are values for them that appear nowhere
    else in the query. Columns are converted as the ORM converts them."""

    def __init__(self, build: Callable[..., QuerySet], *sentinels):
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[str, tuple[str, list, list[int]]] = {}

    def _sql(self, using: str):
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self.build(*self.sentinels)[:1]
            query = queryset.query
            compiler = query.get_compiler(using)
            sql, params = compiler.as_sql()
            params = list(params)
            slots = [params.index(sentinel) for sentinel in self.sentinels]
            # The names and converters of the columns, as ValuesIterable reads them.
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            converters = compiler.get_converters(
                [column for column, _sql, _alias in compiler.select]
            )
            compiled = self._compiled[using] = (sql, params, slots, names, compiler, converters)
        return compiled

    def first(self, *arguments, using: str = DEFAULT_DB_ALIAS) -> dict | None:
        sql, params, slots, names, compiler, converters = self._sql(using)
        if slots:
            params = list(params)
            for slot, value in zip(slots, arguments, strict=True):
                params[slot] = value
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:  # e.g. SQLite's times, which the driver returns naive
            row = next(iter(compiler.apply_converters([row], converters)))
        return dict(zip(names, row, strict=True))
