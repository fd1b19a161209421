from __future__ import annotations

import queue
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction

from factorytiers.accounts import bulk
from factorytiers.accounts.models import Role, User
from factorytiers.assessments import demo as assessment_demo
from factorytiers.assessments.models import Assessment, PlatformResult
from factorytiers.campaigns import demo as campaign_demo
from factorytiers.documents import demo as documents_demo
from factorytiers.enterprises import demo
from factorytiers.enterprises.grouping import regrouped
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from factorytiers.reference.models import Region

# Demo log-ins of city officers, by unit code (demo data only).
CITY_LOGINS = {
    "140100": "taiyuan",
    "140200": "datong",
    "140300": "yangquan",
    "140400": "changzhi",
    "140500": "jincheng",
    "140600": "shuozhou",
    "140700": "jinzhong",
    "140800": "yuncheng",
    "140900": "xinzhou",
    "141000": "linfen",
    "141100": "lvliang",
    "14Z001": "zonggaiqu",
}


# The small demo: up to this many enterprises, everything goes through the services (campaigns,
# applications, reports); the enterprises past it are written in bulk, a chunk at a time.
SMALL_DEMO = 3000

# The two demo enterprise users: the first enterprise of each of these units.
ENTERPRISE_LOGIN_UNITS = {"140100": "太原市", "140200": "大同市"}


def _demo_enterprise(unit_code: str) -> Enterprise | None:
    return Enterprise.objects.filter(unit__code=unit_code).order_by("pk").first()


def generate_bulk(*, count: int, seed: int, chunk_size: int = demo.CHUNK_SIZE, writers: int = 1):
    """Write ``count`` more enterprises with their factories, recognitions and results, one
    transaction per chunk; yields what each chunk wrote. The chunks are drawn in order (one
    random stream) and numbered as drawn; ``writers`` > 1 (PostgreSQL, outside a transaction)
    writes that many chunks at once, each on a connection of its own, while the next is drawn:
    the database's work on two cores, and drawing the rows, overlap. Only a few chunks' rows
    are held at a time."""
    if writers > 1 and connection.vendor != "postgresql":
        raise ValueError("several writers need PostgreSQL")
    if writers > 1 and connection.in_atomic_block:
        raise ValueError("several writers need no open transaction (each writes on its own)")
    results = assessment_demo.BulkResults(seed)
    ids = bulk.NextIds(_NUMBERED)

    def batches():
        for chunk in demo.chunks(count=count, seed=seed, size=chunk_size):
            rows = demo.numbered(chunk, ids)
            above = [(row["id"], row["is_above_scale"]) for row in rows[Enterprise]]
            yield rows, results.draw(above, ids)

    try:
        if writers == 1:
            for batch in batches():
                yield _write(*batch)
        else:
            yield from _write_in_parallel(batches(), writers)
    finally:
        # The ids were given by hand; the sequences move past those written.
        bulk.reset_sequences(_NUMBERED)
    # The planner knows nothing of rows loaded around the ORM until the tables are analysed
    # (autovacuum may be off or behind): a bulk load ends with ANALYZE, as after a restore.
    _analyze()


def default_writers() -> int:
    """Two writers on PostgreSQL outside a transaction (the database's work of two chunks on
    two cores), else one."""
    return 2 if connection.vendor == "postgresql" and not connection.in_atomic_block else 1


# The tables whose ids the bulk demo gives by hand.
_NUMBERED = (Enterprise, Factory, TierRecognition, PlatformResult, Assessment)


def _write(rows: dict, drawn, tally_lock: threading.Lock | None = None) -> dict:
    """Write one chunk in one transaction. Its rows are written around the models: the
    enterprises, with their results, announce themselves to the kept counts (``regrouped``).
    With ``tally_lock`` (several writers), the foreign keys are checked first and the kept
    counts, which every chunk adds to, are written and committed under the lock: one chunk
    at a time, so two never wait on each other's rows. The tier recognitions are written
    under it too: they count up their units' figures versions (``documents.FiguresVersion``,
    by triggers), rows every chunk touches, which two writers would otherwise take in
    opposite orders (a deadlock)."""
    held = False
    recognitions = {TierRecognition: rows.get(TierRecognition, [])}
    try:
        with transaction.atomic():
            demo.insert({model: r for model, r in rows.items() if model is not TierRecognition})
            written = assessment_demo.BulkResults.write(drawn)
            if tally_lock is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                tally_lock.acquire()
                held = True
            demo.insert(recognitions)
            enterprises = rows[Enterprise]  # numbered in a row (``demo.numbered``)
            if enterprises:
                span = (enterprises[0]["id"], enterprises[-1]["id"])
                regrouped.send(Enterprise, enterprises=Enterprise.objects.filter(pk__range=span))
    finally:
        if held:
            tally_lock.release()
    return {"enterprises": len(rows[Enterprise]), "factories": len(rows[Factory]), **written}


def _write_in_parallel(batches, writers: int):
    """``_write`` each batch on one of ``writers`` threads (each its own connection); yields
    what each wrote as it is done. The first failure stops the drawing and is raised."""
    todo: queue.Queue = queue.Queue(maxsize=writers)
    done: queue.Queue = queue.Queue()
    tally_lock = threading.Lock()
    failed = threading.Event()

    def work():
        try:
            while (batch := todo.get()) is not None:
                if not failed.is_set():
                    try:
                        done.put(_write(*batch, tally_lock))
                    except BaseException as error:  # raised in the caller's thread
                        failed.set()
                        done.put(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(writers)]
    for thread in threads:
        thread.start()

    def finished():
        while not done.empty():
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            yield item

    try:
        for batch in batches:
            if failed.is_set():
                break
            todo.put(batch)  # waits while every writer is busy and one batch is waiting
            yield from finished()
    except BaseException:
        failed.set()  # stopped early (an error, or the caller stopped): queued chunks are skipped
        raise
    finally:
        for _ in threads:
            todo.put(None)
        for thread in threads:
            thread.join()
    yield from finished()


def _analyze() -> None:
    """ANALYZE the database."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "生成演示数据（企业、工厂、各角色演示账号）并打印演示账号；已生成时只打印账号。"

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--chunk-size", type=int, default=demo.CHUNK_SIZE)
        parser.add_argument(
            "--writers",
            type=int,
            default=None,
            help="同时写入的批数（PostgreSQL 默认 2，SQLite 只能 1）",
        )

    def handle(
        self, *args, enterprises: int, seed: int, chunk_size: int, writers: int | None, **options
    ):
        password = settings.DEMO_PASSWORD
        if not User.objects.filter(username="admin").exists():
            with transaction.atomic():
                result = demo.generate(count=min(enterprises, SMALL_DEMO), seed=seed)
                self._users(password)
                assessed = assessment_demo.generate(seed)
                campaign = campaign_demo.generate(seed)
                reports = documents_demo.generate()
            self.stdout.write(
                f"已生成演示数据：企业 {result.enterprises} 家，工厂 {result.factories} 个；"
                f"国家平台自评估结果 {assessed['platform_results']} 条，"
                f"在线自评估 {assessed['assessments']} 份；"
                f"2026年度（已办结）申报 {campaign['applications']} 项，"
                f"已认定 {campaign['recognized']} 项，情况报告 {reports} 份；"
                f"基础级智能工厂 {campaign['basic']} 个；"
                f"2027年度（进行中）申报 {campaign['applications_2027']} 项。"
            )
            if enterprises > SMALL_DEMO:
                if writers is None:
                    writers = default_writers()
                self._bulk(
                    enterprises - SMALL_DEMO, seed, chunk_size, writers, options["verbosity"]
                )
        self._print_logins(password)

    def _bulk(self, count: int, seed: int, chunk_size: int, writers: int, verbosity: int) -> None:
        totals = dict.fromkeys(("enterprises", "factories", "platform_results", "assessments"), 0)
        start = time.perf_counter()
        for written in generate_bulk(
            count=count, seed=seed, chunk_size=chunk_size, writers=writers
        ):
            for key, value in written.items():
                totals[key] += value
            if verbosity > 1:
                self.stdout.write(f"  已写入企业 {totals['enterprises']} 家")
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"另批量生成企业 {totals['enterprises']} 家，工厂 {totals['factories']} 个；"
            f"国家平台自评估结果 {totals['platform_results']} 条，"
            f"在线自评估 {totals['assessments']} 份；"
            f"用时 {seconds:.1f} 秒（每秒 {totals['enterprises'] / seconds:,.0f} 家企业）。"
        )

    def _users(self, password: str) -> None:
        def make(username, **fields):
            user = User(username=username, **fields)
            user.set_password(password)
            user.save()
            return user

        province = Region.objects.get(code="140000")
        make("admin", role=Role.ADMIN, full_name="系统管理员", is_staff=True, is_superuser=True)
        make("province", role=Role.PROVINCE, full_name="省工信厅装备处", unit=province)
        make("expert", role=Role.EXPERT, full_name="评审专家甲")
        for code, username in CITY_LOGINS.items():
            unit = Region.objects.filter(code=code).first()
            if unit:
                make(username, role=Role.CITY, full_name=f"{unit.name}工信局", unit=unit)
        for code in ENTERPRISE_LOGIN_UNITS:
            enterprise = _demo_enterprise(code)
            # An enterprise logs in with its credit code, as after a registration.
            make(
                enterprise.credit_code,
                role=Role.ENTERPRISE,
                full_name=enterprise.contact_name,
                enterprise=enterprise,
            )

    def _print_logins(self, password: str) -> None:
        rows = [
            ("系统管理员", "admin"),
            ("省级管理员", "province"),
            ("评审专家", "expert"),
            ("评审专家", "expert2"),
            ("市级管理员（太原市）", "taiyuan"),
            ("市级管理员（大同市）", "datong"),
        ]
        for code, city in ENTERPRISE_LOGIN_UNITS.items():
            enterprise = _demo_enterprise(code)
            if enterprise is not None:
                rows.append((f"企业用户（{city}，{enterprise.name}）", enterprise.credit_code))
        self.stdout.write(f"\n演示账号（密码均为 {password}）：")
        for label, username in rows:
            self.stdout.write(f"  {label:<16} {username}")
        others = ", ".join(v for k, v in CITY_LOGINS.items() if v not in ("taiyuan", "datong"))
        self.stdout.write(f"  其他市级管理员：{others}")
        self.stdout.write("网址：http://127.0.0.1:8000/\n")
