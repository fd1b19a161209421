"""The registry import (规上企业名录) beside django-import-export and a raw floor, one file.

Run: FACTORYTIERS_DEV=1 .venv/bin/python bench/registry_import.py [--rows 100000]
     [--database-url postgres://postgres@127.0.0.1:5432/ft_regimport_bench]

Generates one deterministic registry XLSX of valid rows, then runs each variant in its own
process (so that ``ru_maxrss`` is that variant's peak) against the same freshly migrated
database, the enterprises emptied before each:

- ours: ``enterprises.registry.start_import`` (the dry run) + ``apply_import`` (re-read,
  recomputed, written), as the province, tasks inline;
- import-export: django-import-export's ``ModelResource`` with ``use_bulk=True`` importing the
  same file into the same model. It is not a dependency of the product: the script makes its
  own environment ``.venv-bench`` (``pip install -e . "django-import-export>=4"``) and runs this
  variant with ``.venv-bench/bin/python``;
- floor: python-calamine read + ``bulk_create`` with no check at all.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADER = ["统一社会信用代码", "企业名称", "所在地市", "行业代码", "从业人员", "营业收入(万元)",
          "企业性质", "所属行业"]  # fmt: skip
UNITS = ["140100", "140200", "140300", "140400", "140500", "140600", "140700", "140800"]
INDUSTRIES = [("3311", "装备制造"), ("3511", "装备制造"), ("1351", "消费品"), ("3011", "原材料")]
NATURES = ["民营企业", "地方国企", "三资企业", "中央企业"]


def generate(path: Path, rows: int) -> None:
    import xlsxwriter

    from factorytiers.domain.credit_code import make_credit_code

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("名录")
    for col, title in enumerate(HEADER):
        sheet.write_string(0, col, title)
    for i in range(rows):
        unit = UNITS[i % len(UNITS)]
        industry, sector = INDUSTRIES[i % len(INDUSTRIES)]
        values = [
            make_credit_code(division=unit, org_body=f"{i:08d}"),
            f"山西第{i}号制造有限公司",
            unit,
            industry,
            20 + (i * 37) % 3000,
            2000 + (i * 7919) % 90000 + 0.5,
            NATURES[i % len(NATURES)],
            sector,
        ]
        for col, value in enumerate(values):
            sheet.write(i + 1, col, value)
    book.close()


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django

    django.setup()


def empty_registry() -> None:
    from factorytiers.enterprises.models import Enterprise, RegistryImport

    RegistryImport.objects.all().delete()
    Enterprise.history.all().delete()
    Enterprise.objects.all().delete()


def run_ours(path: Path) -> int:
    from django.core.files import File

    from factorytiers.accounts.models import Role, User
    from factorytiers.enterprises import registry
    from factorytiers.enterprises.models import Enterprise

    user, _ = User.objects.get_or_create(username="bench-province", role=Role.PROVINCE)
    with path.open("rb") as handle:
        upload = File(handle, name="名录.xlsx")
        job = registry.start_import(actor=user, upload=upload)
    job.refresh_from_db()
    assert job.status == job.Status.DONE, job.error
    registry.apply_import(actor=user, job=job)
    job.refresh_from_db()
    assert job.stage == job.Stage.APPLIED, job.error
    return Enterprise.objects.count()


def run_import_export(path: Path) -> int:
    import tablib
    from import_export import fields, resources, widgets

    from factorytiers.enterprises.models import Enterprise
    from factorytiers.reference.models import IndustryCode, Region

    class EnterpriseResource(resources.ModelResource):
        credit_code = fields.Field("credit_code", column_name="统一社会信用代码")
        name = fields.Field("name", column_name="企业名称")
        unit = fields.Field(
            "unit", column_name="所在地市", widget=widgets.ForeignKeyWidget(Region, "code")
        )
        industry = fields.Field(
            "industry",
            column_name="行业代码",
            widget=widgets.ForeignKeyWidget(IndustryCode, "code"),
        )
        employees = fields.Field(
            "employees", column_name="从业人员", widget=widgets.IntegerWidget()
        )
        revenue_wan = fields.Field(
            "revenue_wan", column_name="营业收入(万元)", widget=widgets.DecimalWidget()
        )
        nature = fields.Field("nature", column_name="企业性质")
        sector = fields.Field("sector", column_name="所属行业")

        class Meta:
            model = Enterprise
            fields = ("credit_code", "name", "unit", "industry", "employees", "revenue_wan",
                      "nature", "sector")  # fmt: skip
            import_id_fields = ("credit_code",)
            use_bulk = True
            batch_size = 2000
            skip_unchanged = True

    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = EnterpriseResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return Enterprise.objects.count()


def run_floor(path: Path) -> int:
    from decimal import Decimal

    from python_calamine import CalamineWorkbook

    from factorytiers.enterprises.models import Enterprise
    from factorytiers.reference.models import IndustryCode, Region

    units = dict(Region.objects.values_list("code", "id"))
    industries = dict(IndustryCode.objects.values_list("code", "id"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    batch = [
        Enterprise(
            credit_code=r[0],
            name=r[1],
            unit_id=units[str(r[2])],
            industry_id=industries[str(r[3])],
            employees=int(r[4]),
            revenue_wan=Decimal(repr(r[5])),
            nature=r[6],
            sector=r[7],
        )
        for r in rows[1:]
    ]
    Enterprise.objects.bulk_create(batch, batch_size=2000)
    return Enterprise.objects.count()


VARIANTS = {"ours": run_ours, "import-export": run_import_export, "floor": run_floor}


def child(variant: str, path: Path) -> None:
    setup_django()
    empty_registry()
    start = time.perf_counter()
    count = VARIANTS[variant](path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": count, "seconds": seconds, "peak_mb": peak}))


def bench_python() -> str:
    python = ROOT / ".venv-bench/bin/python"
    probe = [str(python), "-c", "import import_export, django, python_calamine"]
    if not python.exists() or subprocess.run(probe, capture_output=True).returncode != 0:
        subprocess.run(["python3", "-m", "venv", str(ROOT / ".venv-bench")], check=True)
        pip = str(ROOT / ".venv-bench/bin/pip")
        subprocess.run(
            [pip, "install", "--quiet", "-e", str(ROOT), "django-import-export>=4"], check=True
        )
    return str(python)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        child(args.variant, Path(args.file))
        return
    folder = Path(tempfile.mkdtemp(prefix="ft-bench-registry-"))
    env = dict(os.environ, FACTORYTIERS_VAR_DIR=str(folder), FACTORYTIERS_DEV="1")
    env.pop("CELERY_BROKER_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        name = args.database_url.rsplit("/", 1)[1]
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    else:
        env.pop("DATABASE_URL", None)
    path = folder / "registry.xlsx"
    generate(path, args.rows)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, check=True
    )
    pythons = {"ours": sys.executable, "import-export": bench_python(), "floor": sys.executable}
    results = {}
    for variant, python in pythons.items():
        out = subprocess.run(
            [python, __file__, "--variant", variant, "--file", str(path)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[variant] = json.loads(out.strip().splitlines()[-1])
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB XLSX, {engine}")
    print("| variant | rows stored | seconds | rows/s | peak MB |")
    print("|---|---|---|---|---|")
    for variant, r in results.items():
        rate = args.rows / r["seconds"]
        print(
            f"| {variant} | {r['rows']:,} | {r['seconds']:.1f} | {rate:,.0f} | {r['peak_mb']:.0f} |"
        )
    ours, other, floor = (results[v]["seconds"] for v in ("ours", "import-export", "floor"))
    print(f"ours vs import-export: {other / ours:.1f}× faster (goal ≥ 10×)")
    print(f"ours vs floor: {ours / floor:.1f}× the floor's time (goal ≤ 3×)")
    print(f"ours peak: {results['ours']['peak_mb']:.0f} MB (goal < 500 MB)")


if __name__ == "__main__":
    main()
