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
        sql, params = build(*sentinels).query.sql_with_params()
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
    sql, params = bound_sql(key, build, *values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fetch_rows(
    key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int | uuid.UUID
) -> list[tuple[Any, ...]]:
    """The rows of ``build(*values)``'s query as tuples (``bound_sql``, one query): for a
    ``values_list`` query whose columns need no conversion by a field (the database
    adapter's types: numbers, text, dates, UUIDs)."""
    sql, params = bound_sql(key, build, *values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
