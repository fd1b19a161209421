"""The officers' list and figure pages make the same number of queries for 10 enterprises as
for 1,000: nothing is read per row."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factorytiers.enterprises.models import Enterprise, Factory
from tests.assessments.conftest import bulk_enterprises, platform_result
from tests.documents import builders

NOW = datetime(2026, 4, 1, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

PAGES = [
    ("province", "home", {}),
    ("city_a", "home", {}),
    ("province", "enterprises:list", {}),
    ("city_a", "enterprises:list", {"q": "测试"}),
    ("province", "assessments:overview", {"year": 2026}),
    ("city_a", "assessments:overview", {"year": 2026, "status": "assessed"}),
    ("province", "documents:statistics", {"year": 2026}),
    ("province", "documents:statistics_list", {"year": 2026, "figure": "level_2"}),
    ("city_a", "documents:statistics_list", {"year": 2026, "figure": "penetration"}),
    (
        "province",
        "documents:statistics_list",
        {"year": 2026, "figure": "assessed", "by": "unit", "group": "太原市"},
    ),
    ("province", "documents:statistics_list", {"year": 2026, "figure": "in_force_基础级"}),
]


def grow(unit, count: int, prefix: str) -> None:
    """``count`` more enterprises, each with a factory; about two in three with a counted
    result, one factory in five recognized."""
    enterprises = bulk_enterprises(unit, count, prefix=prefix)
    factories = Factory.objects.bulk_create(
        [Factory(enterprise=e, name=f"{e.name}一厂", location="太原市") for e in enterprises]
    )
    builders.platform_results(enterprises, 2026)
    builders.recognitions(factories, 2026)


def counts(client, users) -> list[int]:
    result = []
    for role, name, params in PAGES:
        client.force_login(users[role])
        url = reverse(name)
        assert client.get(url, params).status_code == 200, (role, name, params)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        result.append(len(queries))
    return result


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_list_pages_make_a_fixed_number_of_queries(client, users, unit_a):
    grow(unit_a, 10, "QA")
    # Every listed figure has a row at both sizes (an empty page reads no rows).
    (level_2,) = bulk_enterprises(unit_a, 1, prefix="QC")
    platform_result(level_2, score="2.35", level=2)
    small = counts(client, users)
    grow(unit_a, 990, "QB")
    assert Enterprise.objects.count() > 1000
    large = counts(client, users)
    assert dict(zip(PAGES_NAMES, large, strict=True)) == dict(zip(PAGES_NAMES, small, strict=True))


PAGES_NAMES = [f"{role} {name} {sorted(params.items())}" for role, name, params in PAGES]
