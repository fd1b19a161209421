"""After a load run: every self-assessment the load submitted is stored once.

Compares the submits locust saw succeed (its CSV of requests) with the rows in the database:
one submitted assessment per enterprise and year, one audit entry per submission, nothing left
half-saved. Exits non-zero when a figure disagrees.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
django.setup()

from django.db.models import Count  # noqa: E402

from factorytiers.accounts.models import AuditEntry  # noqa: E402
from factorytiers.assessments.models import Assessment  # noqa: E402


def locust_successes(stats_csv: Path, name: str) -> int:
    with stats_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return int(row["Request Count"]) - int(row["Failure Count"])
    return 0


def main(accounts_file: Path, stats_csv: Path) -> int:
    data = json.loads(accounts_file.read_text(encoding="utf-8"))
    year = data["year"]
    names = [a["username"] for a in data["accounts"] if a["role"] == "enterprise"]
    mine = Assessment.objects.filter(year=year, enterprise__users__username__in=names)
    submitted = mine.filter(status=Assessment.Status.SUBMITTED)
    doubled = (
        Assessment.objects.filter(year=year)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    ids = [str(pk) for pk in submitted.values_list("pk", flat=True)]
    audited = AuditEntry.objects.filter(action="assessment.submit", target_id__in=ids)
    per_submission = audited.values("target_id").annotate(n=Count("id"))
    seen = locust_successes(stats_csv, "assessment: submit")
    figures = {
        "submits answered 302 by the server (locust)": seen,
        "submitted assessments in the database": submitted.count(),
        "draft assessments left by the load": mine.filter(status=Assessment.Status.DRAFT).count(),
        "enterprises with two assessments for one year": doubled,
        "audit entries of the submissions": audited.count(),
        "submissions with other than one audit entry": sum(1 for r in per_submission if r["n"] != 1)
        + (submitted.count() - len(per_submission)),
    }
    for label, value in figures.items():
        print(f"{label}: {value}")
    ok = (
        seen == submitted.count() == audited.count()
        and doubled == 0
        and figures["submissions with other than one audit entry"] == 0
    )
    print("stored once: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
