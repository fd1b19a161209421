"""The statistics' counts, kept on every write: ``GroupTally`` (enterprises per unit, sector,
大类 and 规上 flag), ``LevelTally`` (per group, year and counted level, with the score sum) and
``ScoreTally`` (per unit, sector, 大类, year and score).

The figures of the statistics page are sums over these few thousand rows instead of a
``GROUP BY`` over every enterprise (seconds at 500,000 enterprises). They are moved, never
recomputed: :func:`move` takes a set of enterprises out of the counts (``-1``) or puts them in
(``+1``) as they stand at that moment, with one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` per
table, so a write costs what it touches. The moves happen in the transaction of the write:

- an enterprise write (``enterprises.grouping``) announces ``regrouping`` before it — the
  enterprises leave their groups with their counted results — and ``regrouped`` after it;
- ``counted.refresh_counted`` takes a batch's counted results of a year out before replacing
  them and puts the new ones in after.

A count may fall to 0 and its row stays (a key once seen). :func:`rebuild` recomputes all three
from scratch (the migration, ``rebuild_counted``); ``tests/assessments/test_tallies.py`` holds
the kept counts equal to a rebuild after random sequences of writes.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import QuerySet


def _models(apps=None):
    if apps is None:
        from factorytiers.enterprises.models import Enterprise
        from factorytiers.reference.models import IndustryCode

        from .models import CountedResult, GroupTally, LevelTally, ScoreTally
    else:
        try:
            GroupTally = apps.get_model("assessments", "GroupTally")
        except LookupError:  # a migration from before the tallies: nothing to keep
            return None
        Enterprise = apps.get_model("enterprises", "Enterprise")
        IndustryCode = apps.get_model("reference", "IndustryCode")
        CountedResult = apps.get_model("assessments", "CountedResult")
        LevelTally = apps.get_model("assessments", "LevelTally")
        ScoreTally = apps.get_model("assessments", "ScoreTally")
    return Enterprise, IndustryCode, CountedResult, GroupTally, LevelTally, ScoreTally


def move(
    enterprises: QuerySet,
    sign: int,
    *,
    results_only: bool = False,
    year: int | None = None,
    apps=None,
    using: str | None = None,
) -> None:
    """Take ``enterprises`` out of the counts (``sign=-1``) or put them in (``+1``), as they
    and their counted results stand now; ``results_only``: their counted results only (of
    ``year`` when given), not the enterprises themselves."""
    if sign not in (-1, 1):
        raise ValueError(sign)
    models = _models(apps)
    if models is None:
        return
    Enterprise, IndustryCode, CountedResult, GroupTally, LevelTally, ScoreTally = models
    using = using or router.db_for_write(GroupTally)
    connection = connections[using]
    q = connection.ops.quote_name
    try:
        ids_sql, ids_params = enterprises.order_by().values("pk").query.get_compiler(using).as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: no enterprise to move
        return
    # The enterprise, its 小类 and the 中类 above it: the 大类 is the 中类's parent.
    industries = (
        f"JOIN {q(IndustryCode._meta.db_table)} i ON i.id = e.industry_id "
        f"JOIN {q(IndustryCode._meta.db_table)} m ON m.id = i.parent_id"
    )
    groups = f"{q(Enterprise._meta.db_table)} e {industries}"
    counted = (
        f"{q(CountedResult._meta.db_table)} c "
        f"JOIN {q(Enterprise._meta.db_table)} e ON e.id = c.enterprise_id {industries}"
    )
    hundredths = "CAST(ROUND(c.score * 100) AS INTEGER)"

    def upsert(model, keys: list[str], values: list[tuple[str, str]], source: str, where: str):
        table = q(model._meta.db_table)
        columns = [column for column, _expression in keys] + [name for name, _sql in values]
        select = [expression for _column, expression in keys] + [sql for _name, sql in values]
        group_by = ", ".join(expression for _column, expression in keys)
        updates = ", ".join(
            f"{q(name)} = {table}.{q(name)} + excluded.{q(name)}" for name, _sql in values
        )
        return (
            f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
            f"SELECT {', '.join(select)} FROM {source} WHERE {where} GROUP BY {group_by} "
            f"ON CONFLICT ({', '.join(q(column) for column, _e in keys)}) DO UPDATE SET {updates}"
        )

    group_keys = [
        ("unit_id", "e.unit_id"),
        ("sector", "e.sector"),
        ("division_id", "m.parent_id"),
    ]
    statements = []
    if not results_only:
        statements.append(
            (
                upsert(
                    GroupTally,
                    [*group_keys, ("is_above_scale", "e.is_above_scale")],
                    [("enterprises", f"{sign} * COUNT(*)")],
                    groups,
                    f"e.id IN ({ids_sql})",
                ),
                ids_params,
            )
        )
    where = f"c.enterprise_id IN ({ids_sql})"
    params = list(ids_params)
    if year is not None:
        where += " AND c.year = %s"
        params.append(year)
    statements.append(
        (
            upsert(
                LevelTally,
                [
                    ("year", "c.year"),
                    *group_keys,
                    ("is_above_scale", "e.is_above_scale"),
                    ("level", "c.level"),
                ],
                [
                    ("enterprises", f"{sign} * COUNT(*)"),
                    ("score_hundredths", f"{sign} * SUM({hundredths})"),
                ],
                counted,
                where,
            ),
            params,
        )
    )
    statements.append(
        (
            upsert(
                ScoreTally,
                [("year", "c.year"), *group_keys, ("score_hundredths", hundredths)],
                [("enterprises", f"{sign} * COUNT(*)")],
                counted,
                where,
            ),
            params,
        )
    )
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        for sql, statement_params in statements:
            cursor.execute(sql, statement_params)


def rebuild(*, apps=None, using: str | None = None) -> None:
    """Recompute the three tables from scratch."""
    models = _models(apps)
    if models is None:
        return
    Enterprise, _industry, _counted, GroupTally, LevelTally, ScoreTally = models
    using = using or router.db_for_write(GroupTally)
    with transaction.atomic(using=using):
        for model in (GroupTally, LevelTally, ScoreTally):
            model._default_manager.using(using).all().delete()
        move(Enterprise._default_manager.using(using).all(), 1, apps=apps, using=using)


# -- the enterprises' announcements ------------------------------------------------------------


def enterprises_leaving(sender, enterprises, **kwargs) -> None:
    move(enterprises, -1, using=enterprises.db)


def enterprises_joining(sender, enterprises, **kwargs) -> None:
    move(enterprises, 1, using=enterprises.db)
