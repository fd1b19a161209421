"""Cursor pagination: every row once, in key order, whatever the page size."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.api.pagination import decode_cursor, encode_cursor
from tests.conftest import make_enterprise

pytestmark = pytest.mark.django_db


@given(st.integers(min_value=1, max_value=2**31 - 1))
def test_a_cursor_reads_back_as_its_key(pk):
    assert decode_cursor(encode_cursor(pk)) == pk


def test_limit_2_walks_every_row_once(users, unit_a, bearer):
    for n in range(7):
        make_enterprise(unit_a, name=f"太原测试企业{n}有限公司", body=f"MA0P{n:04d}")
    headers = bearer("city_a")
    expected = sorted(
        row["id"] for row in Client().get("/api/enterprises", headers=headers).json()["items"]
    )
    assert len(expected) == 8  # the fixture's enterprise A and these seven
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = Client().get("/api/enterprises", params, headers=headers).json()
        assert len(body["items"]) <= 2
        seen += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == expected  # in key order, no duplicate, none left out
    assert pages == 4


# Not base64; "abc"; "-1"; a key past a database integer.
@pytest.mark.parametrize("cursor", ["!!", "YWJj", "LTE", "OTk5OTk5OTk5OTk5"])
def test_a_cursor_we_did_not_hand_out_is_a_400(users, bearer, cursor):
    response = Client().get("/api/enterprises", {"cursor": cursor}, headers=bearer("province"))
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize("limit", [0, 501, -1])
def test_the_limit_is_bounded(users, bearer, limit):
    response = Client().get("/api/enterprises", {"limit": limit}, headers=bearer("province"))
    assert response.status_code == 422
