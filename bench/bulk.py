"""A bulk row writer for the scale seed: rows are given as field values, get
their primary keys here (so children can point at parents before anything is
written), and are written in large batches — COPY on PostgreSQL, bulk_create
elsewhere. Only for bench.seed: the platform itself writes through services."""

from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection, models

FLUSH_AT = 50_000  # rows held per model before they are written


class Rows:
    def __init__(self):
        self.pending: dict[type[models.Model], list[dict]] = defaultdict(list)
        self.next_id: dict[type[models.Model], int] = {}
        self.written: dict[type[models.Model], int] = defaultdict(int)
        self.order: list[type[models.Model]] = []  # first use: parents before children

    def add(self, model: type[models.Model], **values) -> int:
        if model not in self.next_id:
            top = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_id[model] = top + 1
            self.order.append(model)
        pk = values.setdefault(model._meta.pk.attname, self.next_id[model])
        self.next_id[model] = max(self.next_id[model], pk + 1)
        self.pending[model].append(values)
        if len(self.pending[model]) >= FLUSH_AT:
            self.flush()
        return pk

    def flush(self) -> None:
        """Write everything pending, parents first."""
        for model in self.order:
            rows = self.pending[model]
            if rows:
                _write(model, rows)
                self.written[model] += len(rows)
                self.pending[model] = []

    def finish(self) -> dict[str, int]:
        """Flush and move each table's id sequence past the ids given here."""
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.order):
                cursor.execute(sql)
        return {m._meta.label: n for m, n in self.written.items()}


def _write(model, rows: list[dict]) -> None:
    fields = model._meta.concrete_fields
    defaults = {f.attname: f.get_default() for f in fields}
    if connection.vendor == "postgresql":
        _copy(model, fields, defaults, rows)
    else:
        objs = [model(**{**defaults, **row}) for row in rows]
        model.objects.bulk_create(objs, batch_size=500)


def _copy(model, fields, defaults, rows) -> None:
    from psycopg.types.json import Jsonb

    json = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = [row[n] if n in row else defaults.get(n) for n in names]
            if json:
                values = [Jsonb(v) if n in json else v for n, v in zip(names, values, strict=True)]
            copy.write_row(values)
