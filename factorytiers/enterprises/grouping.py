"""An enterprise's statistics group — unit, sector, 大类 (through its industry) and 规上 flag —
and the announcements of its changes, for the counts kept by the apps above.

Every write that can add an enterprise to a group, take it out or move it — ``save``,
``delete``, and the queryset's ``bulk_create``, ``update`` (so also ``bulk_update``) and
``delete`` — sends :data:`regrouping` (the enterprises as they still stand: about to leave their
groups) before it and :data:`regrouped` (as they now stand: just joined theirs) after it, in
the same transaction, with the enterprises as a query. A write that touches none of the
:data:`GROUP_FIELDS` sends nothing. Rows written around the ORM (the bulk demo) send
:data:`regrouped` themselves.
"""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.dispatch import Signal

from factorytiers.accounts.scope import ScopedQuerySet

CHUNK = 500  # enterprises per announcement
GROUP_FIELDS = frozenset({"unit", "unit_id", "sector", "industry", "industry_id", "is_above_scale"})

# Both are sent with ``enterprises``: a queryset of the enterprises concerned.
regrouping = Signal()
regrouped = Signal()


def _loaded(obj) -> tuple | None:
    values = obj.__dict__
    if not all(name in values for name in ("unit_id", "sector", "industry_id", "is_above_scale")):
        return None
    return (values["unit_id"], values["sector"], values["industry_id"], values["is_above_scale"])


class GroupWritesMixin:
    """``save`` and ``delete`` of an enterprise announce its group change (a save that leaves
    the four fields as loaded announces nothing)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._group_loaded = _loaded(obj)
        return obj

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        adding = self._state.adding or self.pk is None
        moved = adding or getattr(self, "_group_loaded", None) != _loaded(self)
        if not moved or (update_fields is not None and not GROUP_FIELDS & set(update_fields)):
            return super().save(*args, **kwargs)
        manager = type(self)._default_manager.using(using)
        with transaction.atomic(using=using, savepoint=False):
            if not adding:
                regrouping.send(type(self), enterprises=manager.filter(pk=self.pk))
            result = super().save(*args, **kwargs)
            regrouped.send(type(self), enterprises=manager.filter(pk=self.pk))
        self._group_loaded = _loaded(self)
        return result

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        manager = type(self)._default_manager.using(using)
        with transaction.atomic(using=using, savepoint=False):
            regrouping.send(type(self), enterprises=manager.filter(pk=self.pk))
            return super().delete(*args, **kwargs)


class GroupWritesQuerySet(ScopedQuerySet):
    """The bulk writes of enterprises announce the group changes they make."""

    def _announce(self, signal: Signal, pks: list) -> None:
        """Send ``signal`` for the enterprises ``pks``, CHUNK at a time (SQLite's variable
        limit: a unit's whole list may be one write)."""
        manager = self.model._default_manager.using(self.db)
        for start in range(0, len(pks), CHUNK):
            signal.send(self.model, enterprises=manager.filter(pk__in=pks[start : start + CHUNK]))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            ids = [obj.pk for obj in created]
            if None in ids:  # a backend that cannot return the new keys
                raise RuntimeError("bulk_create returned no primary keys to count")
            regrouped.send(
                self.model,
                enterprises=self.model._default_manager.using(self.db).filter(pk__in=ids),
            )
        return created

    def update(self, **kwargs):
        if not GROUP_FIELDS & set(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            # The same enterprises before and after, by key: the write may change what the
            # queryset's filter matches.
            pks = list(self.values_list("pk", flat=True))
            self._announce(regrouping, pks)
            rows = super().update(**kwargs)
            self._announce(regrouped, pks)
        return rows

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            self._announce(regrouping, list(self.values_list("pk", flat=True)))
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


def copy_recognition_groups(enterprises: QuerySet, **kwargs) -> None:
    """Copy each enterprise's group onto the tier recognitions of its factories (their
    ``group_*`` fields) where it changed, in one UPDATE; connected to :data:`regrouped`."""
    from .models import Factory, TierRecognition

    owner = Factory._default_manager.using(enterprises.db).filter(pk=OuterRef("factory_id"))
    e = "factory__enterprise__"
    TierRecognition._default_manager.using(enterprises.db).filter(
        factory__enterprise__in=enterprises.order_by().values("pk")
    ).exclude(  # only those whose group changed (a 规上 flip, the bulk demo's rows: none)
        group_unit_id=F(e + "unit_id"),
        group_sector=F(e + "sector"),
        group_division_id=F(e + "industry__parent__parent_id"),
    ).update(
        group_unit_id=Subquery(owner.values("enterprise__unit_id")[:1]),
        group_sector=Subquery(owner.values("enterprise__sector")[:1]),
        group_division_id=Subquery(owner.values("enterprise__industry__parent__parent_id")[:1]),
    )
