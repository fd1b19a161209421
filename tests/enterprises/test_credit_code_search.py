"""The enterprise search matches the start of the credit code, typed in any case, with a
lookup PostgreSQL serves from an index."""

import pytest
from django.db import connection
from django.urls import reverse

from factorytiers.enterprises.models import Enterprise
from factorytiers.enterprises.selectors import enterprises_for


def _names(client, q):
    response = client.get(reverse("enterprises:list"), {"q": q})
    assert response.status_code == 200
    return {e.name for e in response.context["page"].object_list}


def test_a_prefix_of_the_credit_code_finds_the_enterprise_in_any_case(
    client, users, enterprise_a, enterprise_b
):
    client.force_login(users["province"])
    code = enterprise_a.credit_code
    assert _names(client, code[:12]) == {enterprise_a.name}
    assert _names(client, code[:12].lower()) == {enterprise_a.name}
    assert _names(client, f"  {code}  ") == {enterprise_a.name}
    assert _names(client, code[6:14]) == set()  # the middle of a code is no prefix


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_prefix_lookup_is_served_by_an_index(users, enterprise_a):
    code = enterprise_a.credit_code[:12]
    query = Enterprise.objects.filter(credit_code__startswith=code)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "Index" in plan and "Seq Scan" not in plan, plan
    # The search itself uses that very lookup.
    sql = str(enterprises_for(users["province"], filters={"q": code}).query)
    assert (
        '"credit_code"::text LIKE' in sql
        and 'UPPER("enterprises_enterprise"."credit_code"' not in sql
    )
