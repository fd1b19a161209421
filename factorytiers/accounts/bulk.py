"""Raw bulk inserts for generated data (the demo at national sizes) and bulk imports.

``bulk_create`` builds a model instance per row and prepares every value of every row through
the query compiler: about 1 ms per enterprise with its factory and history, too slow for half a
million. Here rows are plain dicts keyed by attribute name (``unit_id``, not ``unit``), primary
keys are allocated by the caller (``next_id``) so related rows can point at them before they
are written, only dates, times and JSON are prepared by their field, and rows go out as
multi-row ``INSERT``s (SQLite) or ``COPY`` (PostgreSQL) on the database's own cursor (not
logged, even under DEBUG). The creation history row of each (``HistoricalRecords``, history type
``+``) is copied from the written rows in one ``INSERT … SELECT``. Call everything inside a transaction; no signal is
sent and no ``save()`` runs, so derived fields must already be in the rows.

An import that lets the database number its rows (``insert_rows`` without ``id``, which never
races the id sequence) copies their history rows by a unique column instead
(``copy_history_of``, with the importer as the history's user), and changes rows with
``update_rows`` (one statement run for every row).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

# Parameters per statement: below SQLite's (32,766) and PostgreSQL's (65,535) limits.
MAX_PARAMETERS = 30_000
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DecimalField,  # the caller gives Decimals of the field's places
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)
_HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


def next_id(model: type[models.Model]) -> int:
    """The first free primary key: ids from here on are the caller's to give."""
    top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


class NextIds:
    """Ids handed out by the caller, for tables nothing else writes meanwhile: from the first
    free one of each on, a run at a time, so rows can be numbered before they are written (and
    written in any order, by several connections); ``reset_sequences`` afterwards."""

    def __init__(self, models_: Iterable[type[models.Model]]):
        self._next = {model: next_id(model) for model in models_}

    def take(self, model: type[models.Model], count: int) -> int:
        """The first of ``count`` ids of ``model`` (the next call's first follows them)."""
        first = self._next[model]
        self._next[model] += count
        return first


def insert_rows(
    model: type[models.Model], rows: Sequence[dict], *, now: datetime | None = None
) -> int:
    """Insert rows given as ``{attname: value}`` (every row the same keys, ``id`` included).
    ``auto_now`` / ``auto_now_add`` fields missing from the rows get ``now``; fields missing
    otherwise take their default (an empty string, None). Returns the number of rows written."""
    if not rows:
        return 0
    now = now or timezone.now()
    given = list(rows[0])
    fields, constants = [], {}
    for field in model._meta.concrete_fields:
        if field.attname in given:
            fields.append(field)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field] = field.get_db_prep_save(now, connection)
        elif not field.primary_key:
            constants[field] = field.get_db_prep_save(field.get_default(), connection)
    prepare = [None if isinstance(field, _PLAIN) else _preparer(field) for field in fields]
    columns = [f.column for f in fields] + [f.column for f in constants]
    tail = tuple(constants.values())

    def values(row: dict) -> list:
        out = [
            row[field.attname]
            if prep is None or row[field.attname] is None
            else prep(row[field.attname])
            for field, prep in zip(fields, prepare, strict=True)
        ]
        out.extend(tail)
        return out

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(map(quote, columns))
    with connection.cursor() as wrapper:
        # The database's own cursor: not logged under DEBUG, which would keep every
        # statement's SQL and parameters for the whole run.
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            # COPY: many times faster than INSERTs of thousands of parameters on PostgreSQL.
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return len(rows)
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_statement = max(1, MAX_PARAMETERS // len(columns))
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            params = [value for row in batch for value in values(row)]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(batch)), params
            )
    return len(rows)


def _preparer(field: models.Field):
    if not isinstance(field, models.JSONField):

        def prepare(value):
            return field.get_db_prep_save(value, connection)

        return prepare
    # Rows often share one dict (an answer sheet): it is encoded once per call.
    encoded: dict[int, tuple] = {}

    def prepare_json(value):
        hit = encoded.get(id(value))
        if hit is None or hit[0] is not value:
            # As Django's JSONField writes it on SQLite; COPY hands PostgreSQL the same text.
            hit = encoded[id(value)] = (value, json.dumps(value, cls=field.encoder))
        return hit[1]

    return prepare_json


def copy_history(model: type[models.Model], first_id: int, last_id: int, *, when=None) -> None:
    """Write the creation history row (``+``, no user) of the rows with ids in
    ``first_id … last_id``, copied from the table in one statement."""
    quote = connection.ops.quote_name
    head, date = _history_insert(model, ["history_date", "history_type"], when)
    with connection.cursor() as cursor:
        cursor.execute(
            head + f"WHERE {quote(model._meta.pk.column)} BETWEEN %s AND %s",
            [date, "+", first_id, last_id],
        )


def _history_insert(model: type[models.Model], own: list[str], when) -> tuple[str, object]:
    """``INSERT INTO <history> (<tracked>, <own…>) SELECT <tracked>, %s… FROM <table> `` (a
    WHERE to follow, the ``own`` values as the first parameters), and the history date."""
    history = model.history.model
    quote = connection.ops.quote_name
    tracked = [f.column for f in history._meta.concrete_fields if f.attname not in _HISTORY_OWN]
    columns = ", ".join(quote(c) for c in tracked)
    date = history._meta.get_field("history_date").get_db_prep_save(
        when or timezone.now(), connection
    )
    head = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({columns}, {', '.join(quote(c) for c in own)}) "
        f"SELECT {columns}, {', '.join(['%s'] * len(own))} FROM {quote(model._meta.db_table)} "
    )
    return head, date


def copy_history_of(
    model: type[models.Model],
    column: str,
    keys: Sequence,
    *,
    history_type: str,
    user_id: int | None = None,
    when=None,
) -> None:
    """Write a history row (``+`` created, ``~`` changed) of each row whose ``column`` (unique)
    is one of ``keys``, copied from the table as it is now, by ``user_id``."""
    quote = connection.ops.quote_name
    head, date = _history_insert(model, ["history_date", "history_type", "history_user_id"], when)
    head += f"WHERE {quote(column)} IN "
    per_statement = MAX_PARAMETERS - 3
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # not logged under DEBUG (see insert_rows)
        for start in range(0, len(keys), per_statement):
            part = list(keys[start : start + per_statement])
            cursor.execute(
                head + "(" + ", ".join(["%s"] * len(part)) + ")",
                [date, history_type, user_id, *part],
            )


def update_rows(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence], *, bump: str = ""
) -> None:
    """``UPDATE`` each row: ``rows`` are ``(value of each of attnames…, pk)`` with values ready
    for the database (Decimals of the field's places, prepared dates); ``bump`` names an integer
    field raised by one on every row (the edit version)."""
    quote = connection.ops.quote_name
    sets = [f"{quote(model._meta.get_field(name).column)} = %s" for name in attnames]
    if bump:
        column = quote(model._meta.get_field(bump).column)
        sets.append(f"{column} = {column} + 1")
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    with connection.cursor() as wrapper:
        wrapper.cursor.executemany(sql, list(rows))  # not logged under DEBUG


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move the databases' id sequences past the ids given by hand (PostgreSQL; SQLite's
    AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
