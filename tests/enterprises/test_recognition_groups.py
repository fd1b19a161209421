"""Every tier recognition carries its enterprise's statistics group (``group_unit``,
``group_sector``, ``group_division``), whatever wrote the recognition (a service, ``create``,
``bulk_create``) and whatever moved the enterprise (``save``, a queryset ``update``,
``bulk_update``) or the factory: checked against the group read through the factory after
every step of random sequences of writes (hypothesis)."""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorytiers.campaigns.services.factories import recognize
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from factorytiers.reference.models import IndustryCode

INDUSTRIES = ("3511", "1351", "3011")  # three 大类: 35, 13, 30
SECTORS = ("装备制造", "消费品", "原材料")


def copied() -> dict[int, tuple]:
    return {
        r.pk: (r.group_unit_id, r.group_sector, r.group_division_id)
        for r in TierRecognition.objects.all()
    }


def from_the_enterprise() -> dict[int, tuple]:
    return {
        r.pk: (
            r.factory.enterprise.unit_id,
            r.factory.enterprise.sector,
            r.factory.enterprise.industry.parent.parent_id,
        )
        for r in TierRecognition.objects.select_related("factory__enterprise__industry__parent")
    }


def _fields(n: int) -> dict:
    return {
        "tier": "基础级",
        "year": 2026,
        "recognized_by": "unit",
        "document_number": f"并工信〔2026〕{n}号",
        "recognized_on": date(2026, 3, 1),
    }


def _recognition(factory, n: int) -> TierRecognition:
    return TierRecognition(factory=factory, **_fields(n))


def _step(step, enterprises, units, n) -> None:
    kind, which, choice = step
    enterprise = Enterprise.objects.get(pk=enterprises[which % len(enterprises)].pk)
    factories = list(Factory.objects.filter(enterprise__in=enterprises).order_by("pk"))
    factory = factories[choice % len(factories)]
    if kind == "move_unit":  # save()
        enterprise.unit = units[choice % 2]
        enterprise.save()
    elif kind == "sector":  # a queryset update
        Enterprise.objects.filter(pk=enterprise.pk).update(sector=SECTORS[choice])
    elif kind == "industry":  # bulk_update
        enterprise.industry = IndustryCode.objects.get(code=INDUSTRIES[choice])
        Enterprise.objects.bulk_update([enterprise], ["industry"])
    elif kind == "unit_of_all":  # a queryset update of a whole unit's list
        Enterprise.objects.filter(unit=units[choice % 2]).update(unit=units[(choice + 1) % 2])
    elif kind == "recognize":  # the service
        recognize(
            factory=factory,
            tier=("基础级", "先进级", "卓越级")[choice],
            year=2026,
            level="unit",
            unit=units[0],
            document_number=f"并工信〔2026〕{n}号",
            recognized_on=date(2026, 4, 1),
            valid_until=None,
        )
    elif kind == "create":
        _recognition(factory, n).save()
    elif kind == "bulk_create":
        TierRecognition.objects.bulk_create([_recognition(f, n) for f in factories[:2]])
    elif kind == "new_factory":
        created = Factory.objects.create(
            enterprise=enterprise, name=f"新建{n}号厂", location="某地"
        )
        TierRecognition.objects.create(factory=created, **_fields(n))
    else:  # the factory moves to another enterprise (the admin may do it)
        factory.enterprise = enterprise
        factory.save()


steps = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "move_unit",
                "sector",
                "industry",
                "unit_of_all",
                "recognize",
                "create",
                "bulk_create",
                "new_factory",
                "move_factory",
            ]
        ),
        st.integers(0, 2),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_a_recognition_always_carries_its_enterprises_group(
    unit_a, unit_b, enterprise_a, enterprise_b, factory_a, factory_b, steps
):
    with transaction.atomic():
        _recognition(factory_a, 0).save()
        for n, step in enumerate(steps, start=1):
            _step(step, [enterprise_a, enterprise_b], [unit_a, unit_b], n)
            assert copied() == from_the_enterprise(), step
        transaction.set_rollback(True)


def test_a_recognition_made_without_its_group_is_refused_by_the_database(factory_a):
    """No path may leave the group empty: the columns are NOT NULL."""
    from django.db import IntegrityError

    recognition = _recognition(factory_a, 1)
    recognition.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        TierRecognition.objects.filter(pk=recognition.pk).update(group_sector=None)
