"""Fast bulk loading for the bench data set: PostgreSQL COPY fed from model instances.

Model instances supply every column (defaults included), so the loader keeps working as models
grow new fields; ids are assigned here so children can point at parents without a round trip.
"""

from collections.abc import Iterable

from django.db import connection, models


def next_ids(model: type[models.Model], count: int) -> range:
    """Reserve ``count`` ids from the table's sequence (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 — table name from our own model
        start = cursor.fetchone()[0] + 1
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, start + count]
        )
    return range(start, start + count)


def copy_instances(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for obj in instances:
                copy.write_row([_prep(f, obj) for f in fields])
                written += 1
    return written


def _prep(field: models.Field, obj: models.Model):
    value = field.get_db_prep_save(getattr(obj, field.attname), connection)
    if isinstance(field, models.JSONField):
        import json

        return json.dumps(getattr(obj, field.attname))
    return value
