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

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# Negative ids no row can have; each must appear among the compiled query's parameters.
SENTINELS = (-7_654_321, -7_654_322, -7_654_323)

_compiled: dict[tuple[Hashable, str], tuple[str, tuple[Any, ...]]] = {}


def bound_sql(
    key: Hashable, build: Callable[..., QuerySet[Any, Any]], *values: int
) -> tuple[str, tuple[Any, ...]]:
    """(SQL, parameters) of ``build(*values)``'s query, compiled once per ``key``."""
    if len(values) > len(SENTINELS):
        raise ValueError(f"at most {len(SENTINELS)} bound values")
    entry = _compiled.get((key, connection.vendor))
    if entry is None:
        sentinels = SENTINELS[: len(values)]
        sql, params = build(*sentinels).query.sql_with_params()
        missing = [s for s in sentinels if s not in params]
        if missing:
            raise ValueError(f"{key!r}: the query does not use its arguments {missing}")
        entry = _compiled[(key, connection.vendor)] = (sql, tuple(params))
    sql, params = entry
    swap = dict(zip(SENTINELS, values, strict=False))
    return sql, tuple(
        swap.get(p, p) if isinstance(p, int) and not isinstance(p, bool) else p for p in params
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
