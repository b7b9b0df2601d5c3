"""Hot reads compiled to SQL once per process.

Building and compiling a Django query costs Python time that grows with its
subqueries. For the few reads that nearly every request of a kind runs — the
role grants on every page, a teacher's 我的研修 figures on their home page — it
cost several times more than running the SQL (issue 15). A CompiledRead builds
its query once, with stand-in ids, keeps the SQL, and each call runs that SQL
with the real ids.

CompiledModels does the same for model instances (with their select_related
rows and annotations): the activity read behind every activity page and
action, a teacher's activities on their boards.

Only ids may change between calls: the SQL must not depend on anything else
(today's date, a search term, a flag). Compiling refuses a query whose
parameters hold a date or a time, the usual way such a dependency slips in,
and one that does not use every id it names.
"""

import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

# Ids no row has: where each named id goes in the compiled parameters.
_STAND_IN = -7_340_000
# Always the primary database: these reads decide what a person may do and
# see, and a lagging replica would show a change a request late.
_DB = DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple  # per parameter: the id's name, or None for a constant
    converters: dict  # column position -> (converters, expression), as Django reads rows
    columns: tuple = ()  # the columns' names, when the SQL does not alias them
    instances: object = None  # CompiledModels: how a row becomes instances (_Instances)


class CompiledRead:
    """`build(**ids)` returns the queryset (a `values()` or a union of them);
    `rows(**ids)` runs its SQL and returns dicts by column alias."""

    def __init__(self, build: Callable, *names: str):
        self.build = build
        self.names = names
        self._by_vendor: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, **ids: int) -> list[dict]:
        connection = connections[_DB]
        compiled = self._compiled(connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self._params(compiled, ids))
            names = compiled.columns or [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        return [
            dict(zip(names, _converted(row, compiled, connection), strict=True)) for row in rows
        ]

    def _compiled(self, connection) -> _Compiled:
        compiled = self._by_vendor.get(connection.vendor)
        if compiled is None:
            with self._lock:
                compiled = self._by_vendor.get(connection.vendor) or self._compile()
                self._by_vendor[connection.vendor] = compiled
        return compiled

    @staticmethod
    def _params(compiled: _Compiled, ids: dict) -> list:
        return [
            ids[slot] if slot else value
            for slot, value in zip(compiled.slots, compiled.params, strict=True)
        ]

    def _stand_ins(self) -> dict[str, int]:
        return {name: _STAND_IN - i for i, name in enumerate(self.names)}

    def _compile(self) -> _Compiled:
        compiler = self.build(**self._stand_ins()).query.get_compiler(using=_DB)
        sql, params = compiler.as_sql()
        # A union's columns are its branches' own: text and numbers, nothing to convert.
        converters = {}
        if not compiler.query.combinator:
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return _Compiled(sql, tuple(params), self._slots(params), converters)

    def _slots(self, params) -> tuple:
        if any(_is_a_date(p) for p in params):
            raise ValueError("A compiled read may vary only by ids: this one holds a date.")
        named = {value: name for name, value in self._stand_ins().items()}
        slots = tuple(named.get(p) if type(p) is int else None for p in params)
        if unused := set(self.names) - set(slots):
            raise ValueError(f"A compiled read names ids it does not use: {sorted(unused)}")
        return slots


class CompiledAggregate(CompiledRead):
    """`build(**ids)` returns (queryset, {name: aggregate}); `rows(**ids)` runs
    the SQL of queryset.aggregate(...) and returns its one row by name. Django
    compiles an aggregate only as it runs it, so the first call (with the
    stand-in ids, which match nothing) is watched for its SQL. Aggregates that
    count and sum: the values are read as the database returns them.

    On PostgreSQL the aggregated rows are fenced (OFFSET 0): otherwise the
    planner pulls the annotated subquery up into the aggregate and runs each
    correlated subquery again for every FILTER that names its column (issue
    15: the school's review and lacking counts, 13.6 → 5.4 ms at 300 teachers)."""

    def _compile(self) -> _Compiled:
        qs, aggregates = self.build(**self._stand_ins())
        seen = []

        def watch(execute, sql, params, many, context):
            seen.append((sql, tuple(params)))
            return execute(sql, params, many, context)

        with connections[_DB].execute_wrapper(watch):
            qs.aggregate(**aggregates)
        ((sql, params),) = seen
        if connections[_DB].vendor == "postgresql" and sql.endswith(_INNER_END):
            sql = sql[: -len(_INNER_END)] + " OFFSET 0" + _INNER_END
        return _Compiled(sql, params, self._slots(params), {}, tuple(aggregates))


class CompiledModels(CompiledRead):
    """`build(**ids)` returns a queryset of one model (select_related and
    annotations allowed, no prefetch_related); `all(**ids)` runs its SQL and
    returns the instances Django would have built, `get(**ids)` the one row's
    instance or None."""

    def all(self, **ids: int) -> list:
        compiled, rows = self._fetch(ids, None)
        return [compiled.instances.build(row) for row in rows]

    def get(self, **ids: int):
        compiled, rows = self._fetch(ids, 2)
        if len(rows) > 1:
            raise ValueError("A compiled get found more than one row.")
        return compiled.instances.build(rows[0]) if rows else None

    def _fetch(self, ids: dict, size: int | None) -> tuple[_Compiled, list]:
        connection = connections[_DB]
        compiled = self._compiled(connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self._params(compiled, ids))
            rows = cursor.fetchall() if size is None else cursor.fetchmany(size)
        return compiled, [_converted(row, compiled, connection) for row in rows]

    def _compile(self) -> _Compiled:
        qs = self.build(**self._stand_ins())
        if qs._prefetch_related_lookups:
            raise ValueError("A compiled get cannot prefetch: it reads one query.")
        compiler = qs.query.get_compiler(using=_DB)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return _Compiled(
            sql, tuple(params), self._slots(params), converters, instances=_Instances(compiler)
        )


class _Instances:
    """How Django's ModelIterable builds an instance from a row (the model's
    columns, the select_related rows, the annotations), worked out once from
    the compiled query and used for every row after."""

    def __init__(self, compiler):
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        self.first = klass_info["select_fields"][0]
        self.last = klass_info["select_fields"][-1] + 1
        self.names = [column[0].target.attname for column in select[self.first : self.last]]
        self.related = get_related_populators(klass_info, select, _DB)
        self.annotations = list(compiler.annotation_col_map.items())

    def build(self, row):
        instance = self.model.from_db(_DB, self.names, row[self.first : self.last])
        for populator in self.related:
            populator.populate(row, instance)
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


# How Django closes the annotated rows an aggregate reads from.
_INNER_END = ") subquery"


# How SQLite's backend passes a date or a time: as ISO text.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_a_date(param) -> bool:
    if isinstance(param, datetime.date | datetime.time):
        return True
    return isinstance(param, str) and bool(_ISO_DATE.match(param))


def _converted(row, compiled: _Compiled, connection):
    if not compiled.converters:
        return row
    row = list(row)
    for position, (converters, expression) in compiled.converters.items():
        value = row[position]
        for converter in converters:
            value = converter(value, expression, connection)
        row[position] = value
    return row
