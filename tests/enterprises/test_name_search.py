"""The enterprise search by the shape of what is typed: the same rows as “the name holds it
(any case) or the credit code starts with it”, asked so that PostgreSQL reads an index."""

import pytest
from django.db import connection
from django.db.models import Q

from factorytiers.enterprises.models import Enterprise
from factorytiers.enterprises.selectors import enterprises_for
from tests.conftest import make_enterprise


@pytest.fixture
def named(users, unit_a, unit_b):
    make_enterprise(unit_a, name="太原重型机械集团有限公司", body="MA0N0001")
    make_enterprise(unit_a, name="太原3D打印科技有限公司", body="MA0N0002")
    make_enterprise(unit_b, name="大同ABB电气有限公司", body="MA0N0003")
    make_enterprise(unit_b, name="大同机", body="MA0N0004")
    make_enterprise(unit_b, name="机械", body="MA0N0005")


QUERIES = [
    "机械",  # two characters: the name's pairs on PostgreSQL
    "机",
    "械有",
    "机械集团",
    "重型机械集团有限公司",
    "3d",  # a pair of code characters: name or code
    "3D打印",
    "abb",
    "Ab",
    "91140100",  # a code prefix
    "91140100ma0n",
    "9114",
    "91",
    "%",
    "_",
    "大同机",
    "同机",
    "91140100MA0N00011X99",  # longer than a code
]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("role", ["province", "city_b"])
def test_the_search_finds_the_same_rows_as_name_or_code_prefix(named, users, role, q):
    user = users[role]
    expected = Enterprise.objects.visible_to(user).filter(
        Q(name__icontains=q) | Q(credit_code__startswith=q.upper())
    )
    found = enterprises_for(user, filters={"q": q})
    assert set(found.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))


def test_a_search_that_is_no_code_prefix_asks_the_name_only(users):
    sql = str(enterprises_for(users["province"], filters={"q": "重型机械"}).query)
    assert "credit_code" not in sql.split(" WHERE ")[1], sql
    sql = str(enterprises_for(users["province"], filters={"q": "91140100ma"}).query)
    assert '"credit_code"' in sql.split(" WHERE ")[1], sql


# ----------------------------------------------------------------- PostgreSQL's plans
def _plan(queryset) -> str:
    """The plan of the search's rows with a column no index holds and no order: with the plain
    scan discouraged, only an index that serves the condition can read them."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.order_by().values("pk", "contact_name").explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(
    ("q", "indexes"),
    [
        ("机械", ["enterprise_name_upper_bigrams"]),
        ("重型机械", ["enterprise_name_upper_trgm"]),
        # Code characters: the name or the start of the code, a BitmapOr of two indexes.
        ("Ab", ["enterprise_name_upper_bigrams", "_like", "BitmapOr"]),
        ("911401", ["enterprise_name_upper_trgm", "_like", "BitmapOr"]),
        ("91140100MA0N", ["enterprise_name_upper_trgm", "_like", "BitmapOr"]),
    ],
)
def test_a_search_is_served_by_its_indexes(named, users, q, indexes):
    plan = _plan(enterprises_for(users["province"], filters={"q": q}))
    assert all(index in plan for index in indexes) and "Seq Scan" not in plan, plan
