"""Model instances from one hand-written SELECT, for the queries every request runs.

Building a query through the ORM costs more CPU than running it: on this stack the seller
pages' membership lookup spent ~0.9 ms compiling its SQL and ~0.07 ms in the database. The
few queries that run on *every* request (tenancy's membership + shop) are written once as
SQL here, and their rows become real model instances through ``Model.from_db`` with the
same database converters the ORM applies, so callers cannot tell the difference (tests
compare them with ORM-loaded instances field by field on SQLite and PostgreSQL).
"""

from collections.abc import Sequence

from django.db import connections


class Columns:
    """The SELECT list for one model under a table alias, and the row → instance step."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self._converters: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, connection) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def instance(self, values: list, connection):
        for i, col, funcs in self._plan(connection):
            for func in funcs:
                values[i] = func(values[i], col, connection)
        return self.model.from_db(connection.alias, self.attnames, values)

    def _plan(self, connection) -> list:
        plan = self._converters.get(connection.alias)
        if plan is None:
            plan = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                funcs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                if funcs:
                    plan.append((i, col, funcs))
            self._converters[connection.alias] = plan
        return plan


_SQL: dict = {}


def prepared_sql(key, build, *, using: str = "default") -> str:
    """The SQL text ``build(connection, quote_name)`` writes, built once per key and database
    vendor (identifiers come from model metadata, quoted; values are always parameters)."""
    connection = connections[using]
    cache_key = (key, connection.vendor)
    sql = _SQL.get(cache_key)
    if sql is None:
        sql = _SQL[cache_key] = build(connection, connection.ops.quote_name)
    return sql


def fetch(sql: str, params: Sequence, models: Sequence[Columns], *, using: str = "default"):
    """Run ``sql`` — its SELECT list is each model's columns in order, then any plain values —
    and return, per row, a tuple of the instances followed by the plain values."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        start, items = 0, []
        for columns in models:
            items.append(columns.instance(list(row[start : start + len(columns)]), connection))
            start += len(columns)
        out.append((*items, *row[start:]))
    return out
