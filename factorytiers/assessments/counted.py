"""The counted result, computed (``live_counted``) and kept (``refresh_counted``).

``live_counted`` is the one definition of the rule (see ``selectors``' module docstring): the
winning platform result is the latest one no submitted assessment of the year equals or beats
(later date, or the same date recorded at the same time or later), and the winning assessment
the latest one no platform result beats (later date, or the same date recorded later); at most
one of the two exists, so every column is one subquery, never a choice repeated per column.

``CountedResult`` holds its result per enterprise and year. Every write of an assessment or a
platform result — ``save``, ``delete``, and the queryset's ``bulk_create``, ``insert_rows`` (raw
rows), ``update`` (so also ``bulk_update``) and ``delete`` — refreshes the keys it touched in
its own transaction (``CountedWritesMixin``, ``CountedWritesQuerySet``), by recomputing them
with ``live_counted``: the table is never stale, and the services need not remember it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from factorytiers.accounts import bulk
from factorytiers.accounts.scope import ScopedQuerySet

from .tallies import move, rebuild

SOURCE_ASSESSMENT = "assessment"
SOURCE_PLATFORM = "platform"
SUBMITTED = "submitted"
CHUNK = 500  # scattered enterprises per recomputing query (well under SQLite's variable limit)
RANGE = 5000  # enterprises per recomputing query over a contiguous run of ids
MIN_RUN = 64  # ids in a row from which a run is read as a range

# Fields whose change can change a counted result.
COUNTED_FIELDS = {
    "Assessment": frozenset(
        {"enterprise", "enterprise_id", "year", "status", "score", "level"}
        | {"submitted_on", "submitted_at"}
    ),
    "PlatformResult": frozenset(
        {"enterprise", "enterprise_id", "year", "score", "level", "assessed_on", "entered_at"}
    ),
}


class ScoreField(DecimalField):
    """A two-place score read back from an expression: SQLite hands annotations back as
    15-digit decimals (2.40000000000000), PostgreSQL as 2.40; both become Decimal("2.40")."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places))


def _models(apps=None):
    if apps is not None:
        return apps.get_model("assessments", "Assessment"), apps.get_model(
            "assessments", "PlatformResult"
        )
    from .models import Assessment, PlatformResult

    return Assessment, PlatformResult


def live_counted(
    enterprises: QuerySet, year: int, *, as_of: date | None = None, apps=None
) -> QuerySet:
    """``enterprises`` annotated with the counted result of ``year`` computed from the
    assessments and platform results themselves (``as_of``: from those dated up to that day).
    Annotation names and types are those of ``selectors.with_counted_result``."""
    Assessment, PlatformResult = _models(apps)
    a_dated = Q(submitted_on__lte=as_of) if as_of is not None else Q()
    p_dated = Q(assessed_on__lte=as_of) if as_of is not None else Q()
    # An assessment of the platform result's enterprise that equals or beats it.
    beats_platform = Assessment._default_manager.filter(
        a_dated,
        Q(submitted_on__gt=OuterRef("assessed_on"))
        | Q(submitted_on=OuterRef("assessed_on"), submitted_at__gte=OuterRef("entered_at"))
        | Q(submitted_on=OuterRef("assessed_on"), submitted_at__isnull=True),
        enterprise=OuterRef("enterprise_id"),
        year=year,
        status=SUBMITTED,
    )
    # A platform result of the assessment's enterprise that beats it.
    beats_assessment = PlatformResult._default_manager.filter(
        p_dated,
        Q(assessed_on__gt=OuterRef("submitted_on"))
        | Q(assessed_on=OuterRef("submitted_on"), entered_at__gt=OuterRef("submitted_at")),
        enterprise=OuterRef("enterprise_id"),
        year=year,
    )
    platform = (
        PlatformResult._default_manager.filter(p_dated, enterprise=OuterRef("pk"), year=year)
        .filter(~Exists(beats_platform))
        .order_by("-assessed_on", "-entered_at", "-pk")
    )
    assessment = (
        Assessment._default_manager.filter(
            a_dated, enterprise=OuterRef("pk"), year=year, status=SUBMITTED
        )
        .filter(~Exists(beats_assessment))
        .order_by("-submitted_on", "-submitted_at", "-pk")
    )

    def first(qs, name):
        return Subquery(qs.values(name)[:1])

    def either(name, output_field):
        return Coalesce(first(platform, name), first(assessment, name), output_field=output_field)

    # The source is read off the winners' ids, not from EXISTS: an EXISTS here may be planned as
    # a hashed subplan over every result of the year (PostgreSQL after a bulk load), where the
    # ordered LIMIT 1 subqueries are always looked up per enterprise by index.
    return enterprises.annotate(
        counted_assessment_id=first(assessment, "pk"),
        counted_platform_result_id=first(platform, "pk"),
    ).annotate(
        counted_source=Case(
            When(counted_platform_result_id__isnull=False, then=Value(SOURCE_PLATFORM)),
            When(counted_assessment_id__isnull=False, then=Value(SOURCE_ASSESSMENT)),
            default=None,
            output_field=CharField(max_length=16),
        ),
        counted_score=either("score", ScoreField(max_digits=4, decimal_places=2)),
        counted_level=either("level", IntegerField()),
        counted_on=Coalesce(
            first(platform, "assessed_on"),
            first(assessment, "submitted_on"),
            output_field=DateField(),
        ),
    )


def _batches(ids: Iterable[int]) -> Iterator[Q]:
    """Conditions on the enterprise id that cover ``ids`` a batch at a time: a contiguous run
    (what a bulk load writes) as one range of up to RANGE ids, two parameters however long;
    scattered ids up to CHUNK at a time (under SQLite's variable limit)."""
    ordered = sorted(set(ids))
    scattered: list[int] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start + 1 >= MIN_RUN:
            for low in range(ordered[start], ordered[end] + 1, RANGE):
                yield Q(pk__range=(low, min(low + RANGE - 1, ordered[end])))
        else:
            scattered.extend(ordered[start : end + 1])
        start = end + 1
    for low in range(0, len(scattered), CHUNK):
        yield Q(pk__in=scattered[low : low + CHUNK])


def refresh_counted(keys: Iterable[tuple[int, int]], *, apps=None, using: str | None = None):
    """Recompute the stored counted result of every (enterprise id, year) in ``keys``, from
    scratch, in the current transaction (one of its own when there is none): per batch of
    enterprises, one DELETE and one INSERT … SELECT of :func:`live_counted`, so no row passes
    through Python."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, year in keys:
        if enterprise_id is not None and year is not None:
            by_year[int(year)].add(int(enterprise_id))
    if not by_year:
        return
    if apps is None:
        from factorytiers.enterprises.models import Enterprise

        from .models import CountedResult
    else:
        Enterprise = apps.get_model("enterprises", "Enterprise")
        CountedResult = apps.get_model("assessments", "CountedResult")
    using = using or router.db_for_write(CountedResult)
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = CountedResult._meta
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in (
            "enterprise",
            "year",
            "source",
            "score",
            "level",
            "counted_on",
            "assessment",
            "platform_result",
        )
    )
    with transaction.atomic(using=using, savepoint=False):
        for year, ids in sorted(by_year.items()):
            for batch in _batches(ids):
                enterprise_ids = Enterprise._default_manager.using(using).filter(batch)
                move(enterprise_ids, -1, results_only=True, year=year, apps=apps, using=using)
                CountedResult._default_manager.using(using).filter(
                    enterprise__in=enterprise_ids.values("pk"), year=year
                ).delete()
                live = live_counted(enterprise_ids.order_by(), year, apps=apps).values(
                    "pk",
                    "counted_source",
                    "counted_score",
                    "counted_level",
                    "counted_on",
                    "counted_assessment_id",
                    "counted_platform_result_id",
                )
                sql, params = live.query.get_compiler(using).as_sql()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
                        "SELECT live.pk, %s, live.counted_source, live.counted_score, "
                        "live.counted_level, live.counted_on, live.counted_assessment_id, "
                        f"live.counted_platform_result_id FROM ({sql}) live "
                        "WHERE live.counted_source IS NOT NULL",
                        (year, *params),
                    )
                move(enterprise_ids, 1, results_only=True, year=year, apps=apps, using=using)


def rebuild_counted(*, apps=None, using: str | None = None) -> None:
    """Recompute the whole table (the data migration; after data was loaded around the ORM)."""
    Assessment, PlatformResult = _models(apps)
    keys = set(
        Assessment._default_manager.using(using)
        .filter(status=SUBMITTED)
        .order_by()
        .values_list("enterprise_id", "year")
        .distinct()
    )
    keys |= set(
        PlatformResult._default_manager.using(using)
        .order_by()
        .values_list("enterprise_id", "year")
        .distinct()
    )
    if apps is None:
        from .models import CountedResult
    else:
        CountedResult = apps.get_model("assessments", "CountedResult")
    with transaction.atomic(using=using or router.db_for_write(CountedResult)):
        CountedResult._default_manager.using(using).all().delete()
        refresh_counted(keys, apps=apps, using=using)
        # The table was emptied around the tallies' moves: they are recounted too.
        rebuild(apps=apps, using=using)


# -- keeping it current -----------------------------------------------------------------------


def _counts(obj) -> bool:
    """Whether a loaded or saved row can be a counted result (a draft cannot)."""
    status = obj.__dict__.get("status", SUBMITTED)
    return type(obj).__name__ != "Assessment" or status == SUBMITTED


def _key(obj) -> tuple[int, int] | None:
    values = obj.__dict__
    if "enterprise_id" not in values or "year" not in values:
        return None
    return values["enterprise_id"], values["year"]


class CountedWritesMixin:
    """``save`` and ``delete`` of an assessment or a platform result refresh its counted result
    (the key as loaded and the key as saved) in the same transaction; saving a draft that was a
    draft when loaded refreshes nothing (autosave)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._counted_loaded = (_key(obj), _counts(obj))
        return obj

    def _counted_touched(self) -> set[tuple[int, int]]:
        keys = set()
        loaded = getattr(self, "_counted_loaded", None)
        if loaded is not None and loaded[0] is not None and loaded[1]:
            keys.add(loaded[0])
        if _counts(self):
            keys.add((self.enterprise_id, self.year))
        return keys

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            refresh_counted(self._counted_touched(), using=using)
        self._counted_loaded = (_key(self), _counts(self))

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        keys = self._counted_touched() | {(self.enterprise_id, self.year)}
        with transaction.atomic(using=using, savepoint=False):
            result = super().delete(*args, **kwargs)
            refresh_counted(keys, using=using)
        return result


class CountedWritesQuerySet(ScopedQuerySet):
    """The bulk writes of assessments and platform results refresh the counted results of the
    keys they touch, in the same transaction."""

    def _keys(self) -> set[tuple[int, int]]:
        return set(self.order_by().values_list("enterprise_id", "year").distinct())

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            refresh_counted({(o.enterprise_id, o.year) for o in objs if _counts(o)}, using=self.db)
        return created

    def insert_rows(self, rows: list[dict], *, now=None) -> int:
        """``accounts.bulk.insert_rows`` (plain rows, numbered by the database) with the counted
        results of their keys refreshed, in the same transaction."""
        with transaction.atomic(using=self.db, savepoint=False):
            written = bulk.insert_rows(self.model, rows, now=now)
            drafts = self.model.__name__ == "Assessment"
            keys = {
                (row["enterprise_id"], row["year"])
                for row in rows
                if not drafts or row.get("status", SUBMITTED) == SUBMITTED
            }
            refresh_counted(keys, using=self.db)
        return written

    def update(self, **kwargs):
        if not COUNTED_FIELDS[self.model.__name__] & set(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            keys = self._keys()
            moves = {"enterprise", "enterprise_id", "year"} & set(kwargs)
            pks = list(self.values_list("pk", flat=True)) if keys and moves else []
            rows = super().update(**kwargs)
            if moves:
                for start in range(0, len(pks), CHUNK):
                    keys |= set(
                        self.model._default_manager.using(self.db)
                        .filter(pk__in=pks[start : start + CHUNK])
                        .values_list("enterprise_id", "year")
                    )
            refresh_counted(keys, using=self.db)
        return rows

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            keys = self._keys()
            result = super().delete()
            refresh_counted(keys, using=self.db)
        return result

    delete.alters_data = True
    delete.queryset_only = True
