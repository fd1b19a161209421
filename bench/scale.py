"""Every heavy page and document at scale: generate the demo at N enterprises, then time them.

Run: FACTORYTIERS_DEV=1 .venv/bin/python bench/scale.py --enterprises 30000
         [--database-url postgres://postgres@127.0.0.1:5432/ft_scale] [--only home_province,...]
         [--repeat 5] [--generate-only] [--keep]

Builds the data set in a scratch database — an SQLite file under var/bench/scale-sqlite-<N>/, or the
PostgreSQL database the URL names, created here and dropped afterwards (unless --keep) — with
``load_demo``: the small demo (users, campaigns, reports) and the enterprises past it written in
bulk; it prints the bulk generator's rate (enterprises/s) and the process's peak RSS. Then, with
DEBUG off and the day fixed at 2026-12-01 (Asia/Shanghai), it asks each page with the Django
test client, logged in as the demo's province officer or as the 太原 city officer: one warm-up
request, then --repeat timed ones, and prints a Markdown table of median, p95 and the queries
of one request. A page answering anything but 200 shows its status (a redirect shows where it
goes, e.g. to a background job's page) beside its time; a ``…_job`` row POSTs, starting the
background job, which runs inline without a broker: its time is the job's. On PostgreSQL it runs ``VACUUM
ANALYZE`` first: the planner's statistics, as autovacuum keeps them where it is on.
"""

import argparse
import html
import json
import os
import re
import resource
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAY = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PAGE_FIELDS = ("key", "label", "median", "p95", "queries", "status")


def _scratch(args) -> str | None:
    """Point the settings at a fresh scratch database; returns the PostgreSQL name to drop."""
    where = urlsplit(args.database_url).path.lstrip("/") if args.database_url else "sqlite"
    folder = ROOT / "var" / "bench" / f"scale-{where}-{args.enterprises}"
    if not args.reuse:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["FACTORYTIERS_VAR_DIR"] = str(folder)
    os.environ.setdefault("DEBUG", "0")
    if not args.database_url:
        return None
    os.environ["DATABASE_URL"] = args.database_url
    if args.reuse:
        return None
    import psycopg

    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"database name {name!r}: lower-case letters, digits and _ only")
    admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return name


def _drop(args, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


def generate(count: int, seed: int, writers: int = 0) -> dict:
    from io import StringIO

    from django.core.management import call_command

    from factorytiers.dashboards.management.commands import load_demo

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    small = min(count, load_demo.SMALL_DEMO)
    call_command("load_demo", enterprises=small, seed=seed, stdout=StringIO())
    loaded = time.perf_counter()
    cpu = time.process_time()
    written = 0
    writers = writers or load_demo.default_writers()
    for chunk in load_demo.generate_bulk(count=count - small, seed=seed, writers=writers):
        written += chunk["enterprises"]
        if written % 50_000 < chunk["enterprises"]:
            seconds = time.perf_counter() - loaded
            print(f"  {written:,} written, {written / seconds:,.0f}/s", file=sys.stderr, flush=True)
    done = time.perf_counter()
    seconds = done - loaded
    return {
        "migrate_s": migrated - start,
        "small_demo_s": loaded - migrated,
        "bulk_enterprises": written,
        "bulk_s": seconds,
        "bulk_cpu_s": time.process_time() - cpu,
        "rate": written / seconds if seconds else 0.0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def pages():
    """(key, label, user name, url) of every page timed; url is a callable when it needs data."""
    from django.urls import reverse

    from factorytiers.assessments.models import Assessment
    from factorytiers.campaigns.models import Task
    from factorytiers.enterprises.models import Enterprise
    from factorytiers.reference.models import Region

    report = Task.objects.get(campaign__year=2026, kind=Task.Kind.REPORT)
    taiyuan = Region.objects.get(code="140100")
    prefix = Enterprise.objects.order_by("-pk").values_list("credit_code", flat=True).first()[:6]
    city_prefix = (
        Enterprise.objects.filter(unit=taiyuan)
        .order_by("-pk")
        .values_list("credit_code", flat=True)
        .first()[:6]
    )
    result = Assessment.objects.filter(status="submitted", year=2026).order_by("-pk").first()

    def report_url(extension):
        return reverse(
            "documents:report_download",
            kwargs={"pk": report.pk, "unit": taiyuan.pk, "extension": extension},
        )

    return [
        ("home_province", "省级首页 /", "province", "/"),
        ("home_city", "市级首页 /（太原）", "taiyuan", "/"),
        (
            "overview",
            "自评估情况 /assessments/overview/",
            "province",
            reverse("assessments:overview"),
        ),
        ("statistics", "统计 /documents/statistics/", "province", reverse("documents:statistics")),
        ("drilldown", "统计下钻名单（第一个数字的链接）", "province", _first_figure_link),
        (
            "search",
            f"企业检索 信用代码前缀 {prefix}",
            "province",
            reverse("enterprises:list") + f"?q={prefix}",
        ),
        (
            "result",
            "自评估结果页（同行对比）",
            "province",
            reverse("assessments:detail", args=[result.pk]) if result else None,
        ),
        ("report_pdf", "附件2 情况报告 PDF（太原）", "taiyuan", report_url("pdf")),
        ("report_docx", "附件2 情况报告 DOCX（太原）", "taiyuan", report_url("docx")),
        ("report_preview", "附件2 情况报告 打印预览（太原）", "taiyuan", report_url("html")),
        # A long report's POST: with no broker the job runs inline, so this is the job's time.
        ("report_pdf_job", "附件2 PDF（太原）后台任务本身", "taiyuan", report_url("pdf")),
        ("report_docx_job", "附件2 DOCX（太原）后台任务本身", "taiyuan", report_url("docx")),
        (
            "overview_xlsx",
            "自评估情况导出 XLSX（全省）",
            "province",
            reverse("assessments:overview_export"),
        ),
        (
            "enterprises_xlsx",
            "企业名录导出 XLSX（全部）",
            "province",
            reverse("enterprises:export"),
        ),
        ("enterprises", "企业列表第1页（省级）", "province", reverse("enterprises:list")),
        (
            "statistics_xlsx",
            "统计汇总导出 XLSX（全省，按单位）",
            "province",
            reverse("documents:statistics_export"),
        ),
        ("enterprises_city", "企业列表第1页（太原）", "taiyuan", reverse("enterprises:list")),
        (
            "search_city",
            f"企业检索（太原） 信用代码前缀 {city_prefix}",
            "taiyuan",
            reverse("enterprises:list") + f"?q={city_prefix}",
        ),
        (
            "search_name",
            f"企业检索 名称 {NAME_QUERY}",
            "province",
            reverse("enterprises:list") + f"?q={NAME_QUERY}",
        ),
        (
            "search_name_short",
            f"企业检索 名称 {SHORT_NAME_QUERY}（两个字）",
            "province",
            reverse("enterprises:list") + f"?q={SHORT_NAME_QUERY}",
        ),
    ]


# Name searches: a part of many demo names, and a two-character one (too short for a trigram).
NAME_QUERY = "机械有限"
SHORT_NAME_QUERY = "机械"


def _first_figure_link(client) -> str:
    from django.urls import reverse

    page = client.get(reverse("documents:statistics")).content.decode()
    found = re.search(r'class="figure-link"[^>]*href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def _fetch(client, url, key=""):
    """GET the page; a key ending in ``_job`` POSTs it (starts its background job)."""
    response = client.post(url) if key.endswith("_job") else client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def time_pages(only: set[str], repeat: int, slow: set[str], slow_after: float) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from factorytiers.accounts.models import User

    clients = {}
    rows = []
    for key, label, username, url in pages():
        if only and key not in only:
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        if callable(url):
            url = url(client)
        if url is None:
            rows.append((key, label, "—", "—", "—", "no data"))
            continue
        times = []
        start = time.perf_counter()
        response = _fetch(client, url, key)  # warm-up
        warm_up = time.perf_counter() - start
        runs = 1 if key in slow or warm_up > slow_after else repeat
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = _fetch(client, url, key)
                times.append(time.perf_counter() - start)
        status = response.status_code
        note = ""
        if status in (301, 302, 303):
            note = f"{status} → {response['Location']}"
        elif status != 200:
            note = str(status)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append(
            (
                key,
                label + (" (1 request)" if runs == 1 and repeat > 1 else ""),
                f"{statistics.median(times) * 1000:,.0f} ms",
                f"{p95 * 1000:,.0f} ms",
                str(len(queries)),
                note,
            )
        )
        print("  " + " | ".join(rows[-1]), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="comma-separated page keys")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow", default="", help="page keys timed with one request only")
    parser.add_argument(
        "--slow-after",
        type=float,
        default=30.0,
        help="seconds: a page whose warm-up took longer is timed with one request",
    )
    parser.add_argument(
        "--writers", type=int, default=0, help="the bulk generator's writers (default: its own)"
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="time the pages on the data set of a --keep run"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    args = parser.parse_args()
    dropped = _scratch(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django
    import time_machine

    with time_machine.travel(DAY, tick=True):
        django.setup()
        from django.db import connection

        engine = connection.vendor
        figures = {}
        if args.reuse:
            print(f"\n{engine}: the data set of an earlier --keep run\n")
        else:
            figures = generate(args.enterprises, args.seed, args.writers)
            print(
                f"\n{engine}, {args.enterprises:,} enterprises: "
                f"migrate {figures['migrate_s']:.0f} s, small demo {figures['small_demo_s']:.0f} s; "
                f"bulk generator {figures['bulk_enterprises']:,} enterprises in "
                f"{figures['bulk_s']:.1f} s = **{figures['rate']:,.0f} enterprises/s** (CPU "
                f"{figures['bulk_cpu_s']:.1f} s = "
                f"{figures['bulk_enterprises'] / max(figures['bulk_cpu_s'], 1e-9):,.0f}/s of CPU); "
                f"peak RSS {figures['peak_rss_mb']:,.0f} MB\n",
                flush=True,
            )
        rows = []
        if not args.generate_only:
            if engine == "postgresql":
                # The planner's statistics, as autovacuum keeps them on a server where it is on
                # (a freshly generated data set has none: every table looks empty).
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            only = {key for key in args.only.split(",") if key}
            slow = {key for key in args.slow.split(",") if key}
            rows = time_pages(only, args.repeat, slow, args.slow_after)
            print(
                f"| page ({engine}, {args.enterprises:,} enterprises) | median | p95 | queries "
                "| status |"
            )
            print("|---|---|---|---|---|")
            for row in rows:
                print("| " + " | ".join(row[1:]) + " |")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "engine": engine,
                        "enterprises": args.enterprises,
                        "generator": figures,
                        "pages": [dict(zip(PAGE_FIELDS, row, strict=True)) for row in rows],
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
    if dropped and not args.keep:
        _drop(args, dropped)


if __name__ == "__main__":
    main()
