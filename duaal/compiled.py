"""Queries compiled once per process and bound per call (issue 13, decision 0022).

Building a queryset and compiling it to SQL costs the ORM 0.5-1 ms of CPU for a query with
subqueries, on every request, although the SQL of a permission filter is the same for every
person: only the person's id differs. ``bound_sql`` compiles such a query once (per key and
database vendor) from ``build(*sentinels)`` and afterwards only swaps the sentinels in the
parameters for the values of the call. The SQL text stays the same, so PostgreSQL's prepared
statements are reused too.

``build`` must use its arguments only as query parameters, and its query must depend on
nothing but them and the key (no clock, no settings read at call time).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# Negative ids no row can have; each must appear among the compiled query's parameters.
SENTINELS = (-7_654_321, -7_654_322, -7_654_323)
# The same for a bound UUID (e.g. a public id): UUIDs no row is given (version 4 is random).
UUID_SENTINELS = tuple(uuid.UUID(int=7_654_321 + i) for i in range(len(SENTINELS)))

_compiled: dict[tuple[Hashable, str], tuple[str, tuple[Any, ...]]] = {}
# Per compiled query, the field converters of its columns (position, converters, expression):
# what the ORM would apply to a row (e.g. SQLite's UUIDs come back as hex digits).
_converters: dict[tuple[Hashable, str], list[tuple[int, list[Any], Any]]] = {}


def bound_sql(
    key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int | uuid.UUID
) -> tuple[str, tuple[Any, ...]]:
    """(SQL, parameters) of ``build(*values)``'s query, compiled once per ``key``. A value is
    an integer or a UUID (the database gets it as the ORM would: a UUID, or its hex digits
    where the database has no UUID type)."""
    if len(values) > len(SENTINELS):
        raise ValueError(f"at most {len(SENTINELS)} bound values")
    entry = _compiled.get((key, connection.vendor))
    if entry is None:
        sentinels = [
            UUID_SENTINELS[i] if isinstance(value, uuid.UUID) else SENTINELS[i]
            for i, value in enumerate(values)
        ]
        compiler = build(*sentinels).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        _converters[(key, connection.vendor)] = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(
                [column[0] for column in compiler.select]
            ).items()
        ]
        missing = [
            s
            for s in sentinels
            if s not in params and not (isinstance(s, uuid.UUID) and s.hex in params)
        ]
        if missing:
            raise ValueError(f"{key!r}: the query does not use its arguments {missing}")
        entry = _compiled[(key, connection.vendor)] = (sql, tuple(params))
    sql, params = entry
    swap: dict[Any, Any] = dict(zip(SENTINELS, values, strict=False))
    for sentinel, value in zip(UUID_SENTINELS, values, strict=False):
        if isinstance(value, uuid.UUID):
            swap[sentinel] = value
            swap[sentinel.hex] = value.hex
    return sql, tuple(
        swap.get(p, p) if isinstance(p, int | str | uuid.UUID) and not isinstance(p, bool) else p
        for p in params
    )


def bound_subquery(key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int) -> RawSQL:
    """``build(*values)``'s query as a subquery expression (e.g. ``Q(pk__in=...)``)."""
    # The SQL is the ORM's own compilation of ``build``; every value is a bound parameter.
    return RawSQL(*bound_sql(key, build, *values))  # noqa: S611


def fetch_column(key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int) -> list:
    """The first column of ``build(*values)``'s rows (``bound_sql``, one query)."""
    return [row[0] for row in fetch_rows(key, build, *values)]


def fetch_rows(
    key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int | uuid.UUID
) -> list[tuple[Any, ...]]:
    """The rows of ``build(*values)``'s ``values_list`` query as tuples (``bound_sql``, one
    query), each value converted as the ORM converts it (a UUID is a ``uuid.UUID`` on every
    database, a date a ``date``)."""
    sql, params = bound_sql(key, build, *values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    converters = _converters.get((key, connection.vendor), [])
    if converters:
        for row in rows:
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
    return [tuple(row) for row in rows]
