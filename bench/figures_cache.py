"""The statistics' counts from the ``figures`` cache against counted afresh, page by page.

    DATABASE_URL=postgres://…/<db> FACTORYTIERS_DEV=1 .venv/bin/python bench/figures_cache.py
    [--runs 7]

For the pages that read the kept counts (the statistics page, the province home, the statistics
export), as the first province officer: the median and slowest of ``--runs`` requests when
nothing was written since the last one (the counts taken from the cache), and the same with a
write before each request: one kept tally row updated to its own value (as an assessment's or
a result's write: the tallies are read again, the tier counts stay in the cache), then one
tier recognition so (as a recognition's write: the tier counts are read again, and the
tallies with them on the statistics page). The triggers count either as a change of its
unit; the rows' values are unchanged.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from factorytiers.accounts.models import Role, User
    from factorytiers.enterprises.models import Enterprise

    officer = User.objects.filter(role=Role.PROVINCE, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(officer)
    pages = [
        ("统计 /documents/statistics/", reverse("documents:statistics")),
        ("省级首页 /", "/"),
        ("统计汇总导出 XLSX", reverse("documents:statistics_export") + "?by=unit"),
    ]

    def touch(table: str, column: str):
        def write() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {column} = {column} "
                    f"WHERE id = (SELECT MIN(id) FROM {table})"
                )

        return write

    def timed(url: str, before) -> list[float]:
        times = []
        for _ in range(args.runs):
            before()
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        return times

    print(
        f"{connection.vendor}, {Enterprise.objects.count():,} enterprises, "
        f"median and slowest of {args.runs}"
    )
    print(
        "| page | from the cache | slowest | a tally written before each | slowest "
        "| a recognition written before each | slowest |"
    )
    print("|---|---|---|---|---|---|---|")
    tally = touch("assessments_grouptally", "enterprises")
    recognition = touch("enterprises_tierrecognition", "version")
    for label, url in pages:
        client.get(url)  # warm-up
        cells = []
        for before in (lambda: None, tally, recognition):
            times = timed(url, before)
            cells += [statistics.median(times), max(times)]
        print(f"| {label} | " + " | ".join(f"{t * 1000:,.0f} ms" for t in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
