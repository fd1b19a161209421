"""Accounts for the load run: one log-in per enterprise that has no self-assessment this year,
and the demo city officers. Writes the list the locust file reads.

Run by ``bench/load/run.sh`` against the load database (never the development one).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
django.setup()

from django.conf import settings  # noqa: E402

from factorytiers.accounts.models import Role, User  # noqa: E402
from factorytiers.assessments.models import Assessment  # noqa: E402
from factorytiers.campaigns.models import Task  # noqa: E402
from factorytiers.enterprises.models import Enterprise  # noqa: E402

YEAR = int(os.environ.get("LOAD_YEAR", "2026"))
PASSWORD = "Load#2026-bench"


def main(enterprises: int, out: Path) -> None:
    assessed = Assessment.objects.filter(year=YEAR).values("enterprise_id")
    chosen = list(
        Enterprise.objects.exclude(pk__in=assessed)
        .exclude(pk__in=User.objects.filter(enterprise__isnull=False).values("enterprise_id"))
        .order_by("pk")[:enterprises]
    )
    accounts = []
    for enterprise in chosen:
        user = User(
            username=enterprise.credit_code,
            role=Role.ENTERPRISE,
            full_name=enterprise.contact_name or "联系人",
            enterprise=enterprise,
        )
        user.set_password(PASSWORD)
        user.save()
        accounts.append({"role": "enterprise", "username": user.username, "password": PASSWORD})
    # The report of the campaign in progress: the one text each officer edits.
    report = Task.objects.filter(kind=Task.Kind.REPORT).order_by("-campaign__year").first()
    for city in User.objects.filter(role=Role.CITY).order_by("username"):
        accounts.append(
            {
                "role": "city",
                "username": city.username,
                "password": settings.DEMO_PASSWORD,
                "report": f"/documents/tasks/{report.pk}/units/{city.unit_id}/report/edit/",
            }
        )
    out.write_text(json.dumps({"year": YEAR, "accounts": accounts}, ensure_ascii=False))
    print(f"load accounts: {len(chosen)} enterprises, {len(accounts) - len(chosen)} city officers")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
