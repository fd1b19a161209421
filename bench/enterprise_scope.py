"""Cost of the unit scope on the enterprise registry, beside an unscoped reference run.

Run: .venv/bin/python bench/enterprise_scope.py [--enterprises 3000]
Builds a throw-away SQLite database in a temporary folder, generates the demo enterprises, then
times (median of 7 runs) the list page query, the search and the XLSX export for a city officer
and for the province, each beside the same query without the scope.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=3000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ft-bench-")
    os.environ["FACTORYTIERS_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from factorytiers.accounts.models import Role, User
    from factorytiers.enterprises import demo, selectors
    from factorytiers.enterprises.exports import enterprise_list_xlsx
    from factorytiers.enterprises.models import Enterprise
    from factorytiers.reference.models import Region

    demo.generate(count=args.enterprises)
    city = User.objects.create(
        username="b-city", role=Role.CITY, unit=Region.objects.get(code="140100")
    )
    province = User.objects.create(username="b-prov", role=Role.PROVINCE)

    def page(qs):
        return qs.count(), list(qs[:50])

    rows = [
        ("list page, city (scoped)", lambda: page(selectors.enterprises_for(city))),
        (
            "list page, unscoped reference",
            lambda: page(
                Enterprise.objects.filter(unit=city.unit).select_related("unit", "industry__parent")
            ),
        ),
        (
            "search '机械', province",
            lambda: page(selectors.enterprises_for(province, filters={"q": "机械"})),
        ),
        (
            "search '机械', unscoped reference",
            lambda: page(
                Enterprise.objects.filter(name__icontains="机械").select_related(
                    "unit", "industry__parent"
                )
            ),
        ),
        (
            "XLSX export, province (all rows)",
            lambda: enterprise_list_xlsx(selectors.enterprises_for(province)),
        ),
        (
            "XLSX export, unscoped reference",
            lambda: enterprise_list_xlsx(
                Enterprise.objects.select_related("unit", "industry__parent")
            ),
        ),
    ]
    print(f"enterprises: {Enterprise.objects.count()}  database: SQLite (temporary file)")
    for label, fn in rows:
        print(f"{label:<36} {timed(fn):8.1f} ms")


if __name__ == "__main__":
    main()
