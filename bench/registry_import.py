"""The registry import (规上企业名录) beside django-import-export and a raw floor, one file;
with ``--kind platform`` the national-platform results import beside the same floor.

Run: FACTORYTIERS_DEV=1 .venv/bin/python bench/registry_import.py [--rows 100000]
     [--database-url postgres://postgres@127.0.0.1:5432/ft_regimp_bench]
     [--kind registry|platform] [--only ours,floor]  (a PostgreSQL database is dropped at the end)

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

``--kind platform``: the enterprises of the registry file are written first (by the floor, not
timed), then one file of the platform's columns (统一社会信用代码, 年度, 评估得分, 成熟度等级,
评估日期, 企业名称; one 2025 result per enterprise, at most the import's 20,000 rows) is imported:

- ours: ``read_workbook`` + ``assessments.services.import_platform_results`` as the province
  (every check, history rows, the counted results refreshed, the audit entry);
- floor: python-calamine read + ``bulk_create`` of the results on a plain queryset (no check,
  no history, no counted result).
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


PLATFORM_HEADER = ["统一社会信用代码", "年度", "评估得分", "成熟度等级", "评估日期", "企业名称"]
PLATFORM_TODAY = (2026, 12, 1)


def generate_platform(path: Path, registry: Path, rows: int) -> None:
    """The registry's enterprises written (floor), then a results file naming the first
    ``rows`` of them, each score with the level the active model gives it."""
    from datetime import date
    from decimal import Decimal

    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from factorytiers.assessments.models import MaturityModelEdition
    from factorytiers.domain.maturity import level_name
    from factorytiers.domain.maturity.scoring import level_for_score

    empty_registry()
    run_floor(registry)
    model = MaturityModelEdition.objects.active().model
    codes = CalamineWorkbook.from_path(str(registry)).get_sheet_by_index(0).to_python()[1:]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("结果")
    for col, title in enumerate(PLATFORM_HEADER):
        sheet.write_string(0, col, title)
    for i, source in enumerate(codes[:rows]):
        score = Decimal(50 + (i * 37) % 450) / 100
        day = date(2025, 1 + i % 12, 1 + i % 28)
        level = level_name(level_for_score(score, model=model))
        values = [source[0], 2025, float(score), level, day.isoformat(), source[1]]
        for col, value in enumerate(values):
            sheet.write(i + 1, col, value)
    book.close()


def empty_platform() -> None:
    from factorytiers.assessments.models import CountedResult, PlatformImport, PlatformResult

    PlatformResult.history.all().delete()
    PlatformResult.objects.all().delete()
    CountedResult.objects.all().delete()
    PlatformImport.objects.all().delete()


def run_platform_ours(path: Path) -> int:
    from datetime import date

    from factorytiers.accounts.models import Role, User
    from factorytiers.accounts.workbooks import read_workbook
    from factorytiers.assessments import services
    from factorytiers.assessments.models import PlatformResult

    user, _ = User.objects.get_or_create(username="bench-province", role=Role.PROVINCE)
    with path.open("rb") as handle:
        rows = next(iter(read_workbook(handle).values()))
    outcome = services.import_platform_results(
        actor=user, rows=rows, file_name="结果.xlsx", today=date(*PLATFORM_TODAY)
    )
    assert outcome.saved and not outcome.bad, (outcome.file_errors, outcome.bad[:3])
    return PlatformResult.objects.count()


def run_platform_floor(path: Path) -> int:
    from datetime import date
    from decimal import Decimal

    from django.db.models import QuerySet
    from python_calamine import CalamineWorkbook

    from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
    from factorytiers.domain.maturity import level_name
    from factorytiers.enterprises.models import Enterprise

    enterprises = dict(Enterprise.objects.values_list("credit_code", "id"))
    edition = MaturityModelEdition.objects.active()
    levels = {level_name(n): n for n in range(edition.model.max_level + 1)}
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    batch = [
        PlatformResult(
            enterprise_id=enterprises[r[0]],
            year=int(r[1]),
            score=Decimal(repr(r[2])),
            level=levels[r[3]],
            assessed_on=date.fromisoformat(r[4]),
            source=PlatformResult.Source.IMPORT,
            edition=edition,
        )
        for r in rows[1:]
    ]
    QuerySet(PlatformResult).bulk_create(batch, batch_size=2000)
    return PlatformResult.objects.count()


VARIANTS = {"ours": run_ours, "import-export": run_import_export, "floor": run_floor}
PLATFORM_VARIANTS = {"ours": run_platform_ours, "floor": run_platform_floor}


def child(variant: str, path: Path, kind: str = "registry") -> None:
    setup_django()
    if kind == "platform":
        empty_platform()
    else:
        empty_registry()
    start = time.perf_counter()
    count = (PLATFORM_VARIANTS if kind == "platform" else VARIANTS)[variant](path)
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
    parser.add_argument("--kind", choices=("registry", "platform"), default="registry")
    parser.add_argument("--only", default="", help="comma-separated variants to run")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--registry-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant == "generate-platform":
        setup_django()
        generate_platform(Path(args.file), Path(args.registry_file), args.rows)
        return
    if args.variant:
        child(args.variant, Path(args.file), args.kind)
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
    if args.kind == "platform":
        registry, path = path, folder / "platform.xlsx"
        rows = min(args.rows, 20_000)  # the import's bound (domain/platform_results.MAX_ROWS)
        subprocess.run(
            [sys.executable, __file__, "--variant", "generate-platform", "--file", str(path),
             "--registry-file", str(registry), "--rows", str(rows)],
            env=env,
            check=True,
        )  # fmt: skip
        args.rows = rows
        pythons = {"ours": sys.executable, "floor": sys.executable}
    else:
        pythons = {"ours": sys.executable, "import-export": "", "floor": sys.executable}
    if args.only:
        pythons = {k: v for k, v in pythons.items() if k in args.only.split(",")}
    if "import-export" in pythons:
        pythons["import-export"] = bench_python()
    results = {}
    for variant, python in pythons.items():
        out = subprocess.run(
            [python, __file__, "--variant", variant, "--file", str(path), "--kind", args.kind],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[variant] = json.loads(out.strip().splitlines()[-1])
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.kind}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB XLSX, {engine}")
    print("| variant | rows stored | seconds | rows/s | peak MB |")
    print("|---|---|---|---|---|")
    for variant, r in results.items():
        rate = args.rows / r["seconds"]
        print(
            f"| {variant} | {r['rows']:,} | {r['seconds']:.1f} | {rate:,.0f} | {r['peak_mb']:.0f} |"
        )
    seconds = {variant: r["seconds"] for variant, r in results.items()}
    if "ours" in seconds and "import-export" in seconds:
        print(
            f"ours vs import-export: {seconds['import-export'] / seconds['ours']:.1f}× faster (goal ≥ 10×)"
        )
    if "ours" in seconds and "floor" in seconds:
        goal = "2×" if args.kind == "platform" else "3×"
        print(
            f"ours vs floor: {seconds['ours'] / seconds['floor']:.1f}× the floor's time (goal ≤ {goal})"
        )
    if "ours" in results:
        print(f"ours peak: {results['ours']['peak_mb']:.0f} MB")
    if args.database_url:
        subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=True)


if __name__ == "__main__":
    main()
