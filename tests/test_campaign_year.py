"""A whole campaign year per tier kind, over HTTP with a frozen clock, as the real roles: two
enterprises in two cities, the cities, the province and two experts. Each year runs from the
self-assessment result to the end its tier has (the city's or the province's recognition, or the
ministry's result), through a return and a resubmission, ranking, the unit's report, expert
scores, 公示 batches with an upheld objection, a downgrade, and next year's campaign created from
this one; at the end the official files are opened and compared with rows computed here."""

import io
import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from factorytiers.campaigns.models import (
    Application,
    Campaign,
    Publicity,
    Scenario,
    Submission,
    Task,
)
from factorytiers.enterprises.models import Factory, TierRecognition
from tests.access import form_on_page
from tests.campaigns.conftest import PDF, docx_bytes
from tests.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADVANCED_SCENARIOS = (9, 22, 30)  # 生产管理, 生产作业, 运营管理
ALL_LINKS_SCENARIOS = (1, 4, 9, 22, 30)  # every construction 环节


def on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


class Year:
    """The people of a campaign year, each with a logged-in browser-like client."""

    def __init__(self, users, kind: str):
        self.users = {**users, "expert2": make_user("expert2", "expert")}
        self.campaign = Campaign.objects.get(year=2026)
        self.task = self.campaign.tasks.get(kind=kind)
        self.clients: dict[str, Client] = {}

    def client(self, role: str) -> Client:
        # Logged in again on each use: the frozen clock jumps months, past the session's age.
        client = self.clients.setdefault(role, Client())
        client.force_login(self.users[role])
        return client

    def get(self, role, name, *args) -> str:
        response = self.client(role).get(reverse(name, args=args))
        assert response.status_code == 200, (name, role, response.status_code)
        return response.content.decode()

    def post(self, role, name, args, data=None, files=None) -> str:
        """A form posted as the role; a refusal on the page fails the test with its message."""
        response = self.client(role).post(
            reverse(name, args=args), {**(data or {}), **(files or {})}, follow=True
        )
        assert response.status_code == 200, (name, role, response.status_code)
        page = response.content.decode()
        refused = re.findall(r'alert-danger"[^>]*>(.*?)</div>', page, re.S)
        refused += re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', page, re.S)
        assert not refused, (name, role, refused)
        return page

    def refused(self, role, name, args, data) -> str:
        response = self.client(role).post(reverse(name, args=args), data, follow=True)
        return " ".join(
            re.findall(r'alert-danger"[^>]*>(.*?)</div>', response.content.decode(), re.S)
        )

    # -- the steps, as the pages take them ---------------------------------------------------

    def self_assessment(self, role, level: int, score: str, on_day: date):
        self.post(
            role,
            "assessments:platform_new",
            [],
            {
                "year": "2026",
                "score": score,
                "level": str(level),
                "assessed_on": on_day.isoformat(),
            },
        )

    def apply(self, role, factory, project, numbers, *, level="3", ai=1, task=None) -> Application:
        task = task or self.task
        pks = [
            str(p)
            for p in Scenario.objects.filter(edition__code="2025", number__in=numbers).values_list(
                "pk", flat=True
            )
        ]
        data = {
            "project_name": project,
            "maturity_level": level,
            "scenarios": pks,
            "ai_scenarios": pks[:ai],
        }
        if factory is not None:
            data["factory"] = str(factory.pk)
        self.post(role, "campaigns:application_create", [task.pk], data)
        application = Application.objects.get(project_name=project)
        for slot in self.campaign.settings["material_slots"][application.kind]:
            if slot["required"]:
                content, name = (
                    (docx_bytes(), "a.docx") if "docx" in slot["kinds"] else (PDF, "a.pdf")
                )
                self.post(
                    role,
                    "campaigns:material_upload",
                    [application.pk],
                    {"slot": slot["key"]},
                    {"file": _upload(name, content)},
                )
        return application

    def step(self, role, application, action, comment="", **extra):
        application.refresh_from_db()
        return self.post(
            role,
            "campaigns:application_action",
            [application.pk],
            {"action": action, "comment": comment, "version": application.version, **extra},
        )

    def report(self, role, task=None, *, ranks=None):
        """Rank, upload the stamped 推荐文件 and paper copies, and report the task."""
        task = task or self.task
        unit = self.users[role].unit
        if ranks:
            self.post(
                role,
                "campaigns:rank",
                [task.pk],
                {
                    **{f"rank_{a.pk}": str(n) for a, n in ranks.items()},
                    "version": _version(task, unit),
                },
            )
        if task.takes_recommendation_file:
            self.post(
                role,
                "campaigns:unit_files",
                [task.pk],
                {
                    "paper_copies": "7",
                    "paper_sent_on": "2026-05-04",
                    "version": _version(task, unit),
                },
                {"file": _upload("推荐文件.pdf", PDF)},
            )
        self.post(
            role, "campaigns:submit_recommendation", [task.pk], {"version": _version(task, unit)}
        )
        return Submission.objects.get(task=task, unit=unit)

    def review(self, application, points=("15", "25", "15", "8", "8", "8")):
        for expert in ("expert", "expert2"):
            self.post(
                "province",
                "campaigns:assign_expert",
                [application.pk],
                {"expert": self.users[expert].pk},
            )
            assignment = application.assignments.get(expert=self.users[expert])
            keys = [row["key"] for row in self.campaign.settings["score_sheet"]]
            self.post(
                expert,
                "campaigns:score",
                [assignment.pk],
                {
                    **{f"points_{k}": p for k, p in zip(keys, points, strict=True)},
                    "comment": "符合条件。",
                },
            )

    def next_campaign(self):
        html = self.get("province", "campaigns:create")
        self.post("province", "campaigns:create", [], form_on_page(html, form_id="campaign-form"))
        return Campaign.objects.get(year=2027)


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _version(task, unit) -> int:
    stored = Submission.objects.filter(task=task, unit=unit).first()
    return stored.version if stored else 1


def _state(application) -> str:
    return Application.objects.get(pk=application.pk).state


def _xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def _download(year, role, name, *args) -> bytes:
    response = year.client(role).get(reverse(name, args=args))
    assert response.status_code == 200, (name, role, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _data_rows(rows):
    """The rows of a form below its header: those whose first cell is a number (the 序号)."""
    return [row for row in rows if isinstance(row[0], int | float) and row[0] >= 1]


@pytest.fixture
def second_factory(factory_a):
    return Factory.objects.create(enterprise=factory_a.enterprise, name="晋华二厂", location="太原")


# -- 先进级: the whole path ------------------------------------------------------------------------


def test_an_advanced_year(
    users, factory_a, factory_b, second_factory, unit_a, unit_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    year = Year(users, Task.Kind.ADVANCED)
    with on(date(2026, 3, 20)):
        year.self_assessment("enterprise_a", 3, "2.95", date(2026, 3, 18))
        year.self_assessment("enterprise_b", 2, "2.10", date(2026, 3, 19))
    with on(date(2026, 4, 10)):
        first = year.apply("enterprise_a", factory_a, "晋华一厂智能工厂", ADVANCED_SCENARIOS)
        second = year.apply("enterprise_a", second_factory, "晋华二厂智能工厂", ADVANCED_SCENARIOS)
        other = year.apply("enterprise_b", factory_b, "云冈一厂智能工厂", ADVANCED_SCENARIOS)
        for application, role in (
            (first, "enterprise_a"),
            (second, "enterprise_a"),
            (other, "enterprise_b"),
        ):
            year.step(role, application, "submit", "申报书已按模板填写。")
    with on(date(2026, 4, 15)):
        year.step("city_a", first, "return", "请补充近三年财务报表。")
        year.post(
            "enterprise_a",
            "campaigns:material_upload",
            [first.pk],
            {"slot": "form_pdf"},
            {"file": _upload("v2.pdf", PDF)},
        )
        year.step("enterprise_a", first, "submit", "已补充财务报表。")
    with on(date(2026, 4, 20)):
        year.step("city_a", first, "recommend")
        year.step("city_a", second, "recommend")
        report_a = year.report("city_a", ranks={first: 1, second: 2})
    assert not report_a.is_late and _state(first) == "at_province"
    with on(date(2026, 5, 10)):
        year.review(first)
        year.review(second)
    with on(date(2026, 6, 1)):
        year.post(
            "province",
            "campaigns:fix_list",
            [year.task.pk],
            {"selected": [first.pk, second.pk], "shown": f"{first.pk},{second.pk}"},
        )
        year.post(
            "province", "campaigns:open_publicity", [year.task.pk], {"starts_on": "2026-06-03"}
        )
    batch1 = Publicity.objects.get(number=1)
    assert batch1.ends_on == date(2026, 6, 9)  # 6-3, 4, 5, 8, 9
    with on(date(2026, 6, 5)):
        # An objection to the second factory is upheld: it leaves the list.
        year.post(
            "province",
            "campaigns:record_objection",
            [second.pk],
            {"received_on": "2026-06-05", "content": "申报数据与实际不符"},
        )
        year.step("province", second, "withdraw", "异议属实，撤出名单。")
        # Datong reports late (after 5月6日): marked late, not refused.
        year.step("city_b", other, "recommend")
        report_b = year.report("city_b", ranks={other: 1})
    assert report_b.is_late
    with on(date(2026, 6, 12)):
        year.review(other)
        year.post(
            "province",
            "campaigns:fix_list",
            [year.task.pk],
            {"selected": [other.pk], "shown": str(other.pk)},
        )
    with on(date(2026, 6, 15)):
        year.post(
            "province",
            "campaigns:record_recognition",
            [batch1.pk],
            {"document_number": "晋工信装备字〔2026〕88号", "recognized_on": "2026-06-15"},
        )
        year.post(
            "province", "campaigns:open_publicity", [year.task.pk], {"starts_on": "2026-06-22"}
        )
    batch2 = Publicity.objects.get(number=2)
    assert list(batch2.applications.values_list("pk", flat=True)) == [other.pk]
    # Each batch's list as published: the withdrawn factory stays on the first batch's list.
    province = year.task.campaign.province.name
    for batch, published in ((batch1, [first, second]), (batch2, [other])):
        rows = _xlsx_rows(_download(year, "province", "documents:publicity_list", batch.pk, "xlsx"))
        assert rows[1][0] == f"2026年{province}先进级智能工厂拟认定名单（第{batch.number}批）"
        start, end = batch.starts_on, batch.ends_on
        assert rows[2][0] == (
            f"公示期：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
        )
        assert rows[3] == ("序号", "所在地市", "企业名称", "工厂（项目）名称", "申报类别")
        assert _data_rows(rows) == [
            (seq, a.unit.name, a.enterprise.name, a.factory.name, "先进级")
            for seq, a in enumerate(published, start=1)
        ]
    with on(date(2026, 7, 10)):
        year.post(
            "province",
            "campaigns:record_recognition",
            [batch2.pk],
            {"document_number": "晋工信装备字〔2026〕99号", "recognized_on": "2026-07-10"},
        )
    assert (_state(first), _state(second), _state(other)) == (
        "recognized",
        "not_selected",
        "recognized",
    )
    recognition = TierRecognition.objects.get(factory=factory_a, tier="先进级")
    with on(date(2026, 9, 1)):
        page = year.post(
            "province",
            "campaigns:revoke_recognition",
            [recognition.pk],
            {
                "reason": "发生较大安全事故",
                "revoked_on": "2026-09-01",
                "downgrade_to": "基础级",
                "document_number": "晋工信装备字〔2026〕120号",
                "version": recognition.version,
            },
        )
    assert "已将晋华一厂的先进级认定自2026-09-01起降为基础级" in page
    history = year.get("enterprise_a", "campaigns:factory_tiers", factory_a.pk)
    assert "已降为基础级（2026-09-01：发生较大安全事故）" in history
    with on(date(2026, 11, 30)):
        campaign_2027 = year.next_campaign()
    assert campaign_2027.tasks.get(kind="advanced").deadline == date(2027, 5, 6)
    assert campaign_2027.tasks.get(kind="advanced").instructions

    # The official files, compared with rows computed here.
    form1_a = _data_rows(
        _xlsx_rows(
            _download(
                year, "city_a", "documents:form_download", year.task.pk, unit_a.pk, "form1", "xlsx"
            )
        )
    )
    names = ["车间智能排产", "先进过程控制", "智能经营决策"]
    assert [row[:3] for row in form1_a] == [
        (1, "太原晋华重工有限公司", "晋华一厂"),
        (2, "太原晋华重工有限公司", "晋华二厂"),
    ]
    assert all(name in form1_a[0][3] for name in names)
    form1_b = _data_rows(
        _xlsx_rows(
            _download(
                year, "city_b", "documents:form_download", year.task.pk, unit_b.pk, "form1", "xlsx"
            )
        )
    )
    assert [row[:3] for row in form1_b] == [(1, "大同云冈机械有限公司", "云冈一厂")]
    rollup = _data_rows(
        _xlsx_rows(
            _download(year, "province", "documents:rollup_download", year.task.pk, "form1", "xlsx")
        )
    )
    # Each unit's rows under its own 序号, with the 报送单位 column after it.
    assert [row[:4] for row in rollup] == [
        (1, "太原市", "太原晋华重工有限公司", "晋华一厂"),
        (2, "太原市", "太原晋华重工有限公司", "晋华二厂"),
        (1, "大同市", "大同云冈机械有限公司", "云冈一厂"),
    ]

    # 附件2 as of the day City A's officer chose: 晋华一厂 now holds 基础级 (after the downgrade),
    # 晋华二厂 was withdrawn; the report's counts are its table's rows.
    report_task = year.task.campaign.tasks.get(kind="report")
    with on(date(2026, 11, 30)):
        year.post(
            "city_a",
            "documents:report_edit",
            [report_task.pk, unit_a.pk],
            {"as_of": "2026-11-30", "progress": "本年度推荐先进级两家。", "version": "0"},
        )
        table = _data_rows(
            _xlsx_rows(
                _download(
                    year,
                    "city_a",
                    "documents:form_download",
                    report_task.pk,
                    unit_a.pk,
                    "form2",
                    "xlsx",
                )
            )
        )
        report = docx.Document(
            io.BytesIO(
                _download(
                    year, "city_a", "documents:report_download", report_task.pk, unit_a.pk, "docx"
                )
            )
        )
    enterprise = factory_a.enterprise
    industry = enterprise.industry
    assert table == [
        (
            1,
            enterprise.name,
            "晋华一厂",
            2.95,
            "基础级",
            enterprise.sector,
            enterprise.nature,
            enterprise.size_class,
            f"{industry.parent.code} {industry.parent.name}",
            f"{industry.code} {industry.name}",
            "、".join(names),  # the scenarios of the application behind the recognition
        )
    ]
    text = "\n".join(paragraph.text for paragraph in report.paragraphs)
    assert (
        "截至2026年11月30日，太原市现有在有效期内的基础级智能工厂1家、先进级智能工厂0家、"
        "卓越级智能工厂0家、领航级智能工厂0家" in text
    )
    assert "本年度推荐先进级两家。" in text
    package = _package(year, "city_a", unit_a)
    assert any(
        name.endswith("太原市-1-太原晋华重工有限公司-晋华一厂智能工厂.pdf") for name in package
    )
    assert any(
        name.endswith("太原市-2-太原晋华重工有限公司-晋华二厂智能工厂.docx") for name in package
    )


def _package(year, role, unit) -> list[str]:
    page = year.post(role, "documents:package_request", [year.task.pk, unit.pk])
    build = re.search(r"/documents/packages/(\d+)/", page)
    from factorytiers.documents.models import PackageBuild
    from factorytiers.documents.services import run_package_build

    build_id = int(build.group(1)) if build else PackageBuild.objects.latest("pk").pk
    run_package_build(build_id)  # the build starts after the commit: here, inline
    content = _download(year, role, "documents:package_download", build_id)
    return zipfile.ZipFile(io.BytesIO(content)).namelist()


# -- 基础级: recognized by the city ----------------------------------------------------------------


def test_a_basic_year(users, factory_a, unit_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    year = Year(users, Task.Kind.ONGOING)
    with on(date(2026, 3, 20)):
        year.self_assessment("enterprise_a", 2, "2.20", date(2026, 3, 18))
    with on(date(2026, 4, 10)):
        application = year.apply("enterprise_a", factory_a, "晋华一厂基础级", (22,))
        year.step("enterprise_a", application, "submit")
        year.step("city_a", application, "return", "请补充场景说明。")
        year.step("enterprise_a", application, "submit", "已补充。")
        application.refresh_from_db()
        year.post(
            "city_a",
            "campaigns:recognize_basic",
            [application.pk],
            {
                "document_number": "并工信发〔2026〕12号",
                "recognized_on": "2026-04-10",
                "version": application.version,
            },
        )
    recognition = TierRecognition.objects.get(factory=factory_a)
    assert (recognition.tier, recognition.recognized_by) == ("基础级", "unit")
    with on(date(2026, 10, 8)):
        page = year.post(
            "province",
            "campaigns:revoke_recognition",
            [recognition.pk],
            {"reason": "停产", "revoked_on": "2026-10-08", "version": recognition.version},
        )
    assert "已撤销晋华一厂的基础级认定，自2026-10-08起不再有效。" in page
    with on(date(2026, 11, 30)):
        assert year.next_campaign().tasks.get(kind="ongoing").deadline_note == "全年"


# -- 卓越级 and 领航级: the ministry decides ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "tier", "passed"),
    [(Task.Kind.EXCELLENT, "卓越级", True), (Task.Kind.LEADING, "领航级", False)],
)
def test_a_ministry_year(users, factory_a, unit_a, settings, tmp_path, kind, tier, passed):
    settings.MEDIA_ROOT = tmp_path
    year = Year(users, kind)
    with on(date(2026, 3, 20)):
        year.self_assessment("enterprise_a", 4, "3.90", date(2026, 3, 18))
    with on(date(2026, 5, 20)):
        application = year.apply(
            "enterprise_a", factory_a, f"晋华一厂{tier}", ALL_LINKS_SCENARIOS, ai=4
        )
        year.step("enterprise_a", application, "submit")
        year.step("city_a", application, "return", "请补充人工智能应用说明。")
        year.step("enterprise_a", application, "submit", "已补充。")
        year.step("city_a", application, "recommend")
        year.report("city_a", ranks={application: 1})
    with on(date(2026, 6, 10)):
        year.review(application)
        year.step("province", application, "recommend_to_ministry", "初审通过。")
    assert _state(application) == "province_recommended"
    with on(date(2026, 11, 20)):
        application.refresh_from_db()
        year.post(
            "province",
            "campaigns:ministry_result",
            [application.pk],
            {
                "passed": "1" if passed else "0",
                "document_number": "工信厅通装函〔2026〕300号",
                "decided_on": "2026-11-20",
                "version": application.version,
            },
        )
    application.refresh_from_db()
    if passed:
        assert application.state == "recognized"
        recognition = TierRecognition.objects.get(factory=factory_a)
        assert recognition.tier == tier
        with on(date(2026, 11, 25)):
            page = year.post(
                "province",
                "campaigns:revoke_recognition",
                [recognition.pk],
                {
                    "reason": "复核不达标",
                    "revoked_on": "2026-11-25",
                    "downgrade_to": "先进级",
                    "document_number": "晋工信装备字〔2026〕130号",
                    "version": recognition.version,
                },
            )
        assert f"已将晋华一厂的{tier}认定自2026-11-25起降为先进级" in page
        assert TierRecognition.objects.in_force(date(2026, 11, 26)).get().tier == "先进级"
    else:
        assert application.state == "ministry_not_passed"
        assert not TierRecognition.objects.exists()
    with on(date(2026, 11, 30)):
        year.next_campaign()


# -- 揭榜验收: 附件4 and the ministry's acceptance ----------------------------------------------------


def test_a_pilot_acceptance_year(users, factory_a, unit_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = factory_a.enterprise
    enterprise.is_pilot_winner = True
    enterprise.save()
    year = Year(users, Task.Kind.PILOT_ACCEPTANCE)
    with on(date(2026, 4, 1)):
        application = year.apply("enterprise_a", factory_a, "矿山装备揭榜项目", ADVANCED_SCENARIOS)
        year.step("enterprise_a", application, "submit")
        year.step("city_a", application, "return", "请补充验收自评报告。")
        year.step("enterprise_a", application, "submit", "已补充。")
        year.step("city_a", application, "recommend")
        year.report("city_a", ranks={application: 1})
    form4 = _data_rows(
        _xlsx_rows(
            _download(
                year, "city_a", "documents:form_download", year.task.pk, unit_a.pk, "form4", "xlsx"
            )
        )
    )
    assert [row[:3] for row in form4] == [(1, "太原晋华重工有限公司", "矿山装备揭榜项目")]
    rollup4 = _data_rows(
        _xlsx_rows(
            _download(year, "province", "documents:rollup_download", year.task.pk, "form4", "xlsx")
        )
    )
    assert rollup4 == [(1, "太原市", "太原晋华重工有限公司", "矿山装备揭榜项目")]
    with on(date(2026, 6, 1)):
        year.step("province", application, "recommend_to_ministry", "推荐验收。")
    with on(date(2026, 9, 1)):
        application.refresh_from_db()
        year.post(
            "province",
            "campaigns:ministry_result",
            [application.pk],
            {
                "passed": "1",
                "document_number": "工信厅通装函〔2026〕200号",
                "decided_on": "2026-09-01",
                "version": application.version,
            },
        )
    entry = TierRecognition.objects.get(factory=factory_a)
    assert entry.tier == "揭榜验收"
    assert "通过验收" in year.get("enterprise_a", "campaigns:factory_tiers", factory_a.pk)
    with on(date(2026, 11, 30)):
        year.next_campaign()


# -- 附件5: the overseas list ------------------------------------------------------------------------


def test_an_overseas_year(users, factory_a, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from factorytiers.campaigns.models import OverseasRecommendation
    from factorytiers.reference.models import Country

    overseas = Factory.objects.create(
        enterprise=factory_a.enterprise,
        name="晋华印尼工厂",
        location="雅加达",
        is_overseas=True,
        country=Country.objects.get(iso2="ID"),
    )
    year = Year(users, Task.Kind.OVERSEAS)
    entry = {
        "factory": str(overseas.pk),
        "self_assessed_level": "先进级",
        "sector": "装备制造",
        "employees": "300",
        "revenue_wan": "20000",
        "introduction": "印尼工厂已建成数字化车间。",
        "contact": "张伟 13912345678",
    }
    with on(date(2026, 3, 2)):
        year.post("enterprise_a", "campaigns:overseas_create", [year.task.pk], entry)
        item = OverseasRecommendation.objects.get()
        year.post(
            "city_a",
            "campaigns:overseas_select",
            [year.task.pk],
            {f"rank_{item.pk}": "1", "version": _version(year.task, unit_a)},
        )
        year.report("city_a")
        # Datong has none to recommend, and says so.
        refusal = year.refused(
            "city_b", "campaigns:submit_recommendation", [year.task.pk], {"version": "1"}
        )
        assert "如确无推荐，请勾选“本单位无海外智能工厂推荐”后报送" in refusal
        year.post(
            "city_b",
            "campaigns:submit_recommendation",
            [year.task.pk],
            {"version": _version(year.task, unit_b), "no_overseas": "1"},
        )
    form5 = _data_rows(
        _xlsx_rows(
            _download(
                year, "city_a", "documents:form_download", year.task.pk, unit_a.pk, "form5", "xlsx"
            )
        )
    )
    assert [row[:4] for row in form5] == [(1, "太原晋华重工有限公司", "晋华印尼工厂", "先进级")]
    rollup = _xlsx_rows(
        _download(year, "province", "documents:rollup_download", year.task.pk, "form5", "xlsx")
    )
    assert any("晋华印尼工厂" in row and "太原市" in row for row in rollup)
    progress = year.get("province", "campaigns:task", year.task.pk)
    assert "无海外推荐" in progress
