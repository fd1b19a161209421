"""The list behind a figure is a query, never a list of ids: it works for more enterprises than
SQLite takes parameters in one statement by default (32,766; some builds allow more, so the
statements are also checked to stay short whatever the number of enterprises)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factorytiers.domain.credit_code import make_credit_code
from factorytiers.domain.enterprise_size import size_class
from factorytiers.enterprises.models import Enterprise
from factorytiers.reference.models import IndustryCode

COUNT = 40_000
NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_list_of_a_figure_of_40000_enterprises(client, users, unit_a):
    industry = IndustryCode.objects.get(code="3511")
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                unit=unit_a,
                name=f"规模测试{n:05d}有限公司",
                credit_code=make_credit_code(division=unit_a.code, org_body=f"MT{n:06d}"),
                nature="民营企业",
                industry=industry,
                sector="装备制造",
                employees=300,
                revenue_wan=Decimal("30000"),
                size_class=size_class(300, Decimal("30000")).value,
                is_above_scale=True,
                contact_name="王强",
                contact_phone="13912345678",
            )
            for n in range(COUNT)
        ],
        batch_size=2000,
    )
    client.force_login(users["province"])
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        for figure in ("enterprises", "above_scale"):
            response = client.get(
                reverse("documents:statistics_list"), {"year": 2026, "figure": figure}
            )
            assert response.status_code == 200
            assert response.context["count"] > COUNT
            assert len(response.context["page"].object_list) == 100
        response = client.get(
            reverse("documents:statistics_list"),
            {
                "year": 2026,
                "figure": "above_scale",
                "by": "unit",
                "group": unit_a.name,
                "page": 400,
            },
        )
        assert response.status_code == 200 and response.context["page"].number == 400
    assert max(len(query["sql"]) for query in queries) < 10_000  # no id list in any statement
