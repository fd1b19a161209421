"""The plan of the slowest query of each officer page, on whatever data the database holds.

    DATABASE_URL=postgres://… FACTORYTIERS_DEV=1 .venv/bin/python bench/explain.py [--runs 5]

For each page (province home, city home, assessment overview, statistics page, the list behind
a figure, the enterprise search by credit-code prefix) it requests the page through the test
client as the first province / city officer, times ``--runs`` warm requests, finds the slowest
statement of one more request and prints its plan: ``EXPLAIN ANALYZE`` on PostgreSQL,
``EXPLAIN QUERY PLAN`` on SQLite; then one line per page with the median times.
It writes nothing but the officers' log-in sessions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def pages(year: int) -> list[tuple[str, str, str, dict]]:
    from django.urls import reverse

    from factorytiers.enterprises.models import Enterprise

    code = Enterprise.objects.order_by("pk").values_list("credit_code", flat=True).first() or ""
    return [
        ("province home", "province", reverse("home"), {}),
        ("city home", "city", reverse("home"), {}),
        ("overview", "province", reverse("assessments:overview"), {"year": year}),
        ("statistics", "province", reverse("documents:statistics"), {"year": year}),
        (
            "drill-down list",
            "province",
            reverse("documents:statistics_list"),
            {"year": year, "figure": "assessed"},
        ),
        ("credit-code search", "province", reverse("enterprises:list"), {"q": code[:12]}),
    ]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--only", default="", help="pages to run, comma-separated names")
    parser.add_argument("--no-plans", action="store_true", help="page medians only")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from factorytiers.accounts.models import User
    from factorytiers.accounts.roles import Role
    from factorytiers.documents.selectors import default_year
    from factorytiers.enterprises.models import Enterprise

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    year = args.year or default_year()
    officers = {
        "province": User.objects.filter(role=Role.PROVINCE, is_active=True).order_by("pk").first(),
        "city": User.objects.filter(role=Role.CITY, is_active=True).order_by("pk").first(),
    }
    print(
        f"{connection.vendor}, {Enterprise.objects.count():,} enterprises, year {year}, "
        f"median of {args.runs} warm requests"
    )
    lines = []
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    for name, role, url, params in pages(year):
        if only and name not in only:
            continue
        client = Client()
        client.force_login(officers[role])
        assert client.get(url, params).status_code == 200, (name, url)  # warm
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url, params)
            times.append(time.perf_counter() - start)
        if args.no_plans:
            lines.append(f"{name:<20} page {statistics.median(times) * 1000:9.1f} ms")
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        query_times = []
        for _ in range(args.runs):
            with connection.cursor() as cursor:
                start = time.perf_counter()
                cursor.execute(slowest["sql"])
                cursor.fetchall()
                query_times.append(time.perf_counter() - start)
        print(f"\n=== {name}: {url}?{'&'.join(f'{k}={v}' for k, v in params.items())}")
        print(f"--- slowest of {len(queries)} statements ({len(slowest['sql'])} characters):")
        print(slowest["sql"][:2000] + (" …" if len(slowest["sql"]) > 2000 else ""))
        print("--- plan:")
        print(explain(slowest["sql"]))
        lines.append(
            f"{name:<20} page {statistics.median(times) * 1000:9.1f} ms   "
            f"slowest statement {statistics.median(query_times) * 1000:9.1f} ms   "
            f"({len(queries)} statements)"
        )
    print("\n=== medians")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
