"""A 公示 batch's list for publication, as XLSX, PDF and print preview."""

import io
from datetime import date
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from factorytiers.campaigns.models import Publicity
from factorytiers.documents import forms
from factorytiers.documents.rows import FormRowError, PublicityRow
from tests.documents import builders
from tests.documents.inspect_files import pdf_text

HEADER = ("序号", "所在地市", "企业名称", "工厂（项目）名称", "申报类别")
NOTE = "注：公示期间如有异议，请以书面形式向省工业和信息化主管部门反映，并提供必要的证明材料。"
ROWS = [
    PublicityRow(1, "太原市", "太原晋华重工有限公司", "晋华一厂", "先进级"),
    PublicityRow(2, "山西转型综合改革示范区", "示范区精密制造有限公司", "精密一厂", "先进级"),
]


@pytest.mark.parametrize(
    ("kind", "number", "title"),
    [
        ("advanced", 1, "2026年山西省先进级智能工厂拟认定名单（第1批）"),
        ("advanced", 3, "2026年山西省先进级智能工厂拟认定名单（第3批）"),
        ("excellent", 1, "2026年山西省卓越级智能工厂拟推荐名单（第1批）"),
        ("leading", 2, "2026年山西省领航级智能工厂拟推荐名单（第2批）"),
        ("pilot_acceptance", 1, "2026年山西省智能制造示范工厂揭榜单位拟推荐验收名单（第1批）"),
    ],
)
def test_the_title_names_the_year_province_list_and_batch(kind, number, title):
    assert forms.publicity_spec(2026, "山西省", kind, number).title == title


def test_the_period_is_written_in_full_dates():
    assert forms.publicity_period(date(2026, 9, 28), date(2026, 10, 12)) == (
        "2026年9月28日至2026年10月12日"
    )


def test_the_xlsx_has_title_period_header_rows_and_note():
    spec = forms.publicity_spec(2026, "山西省", "advanced", 2)
    content = forms.form_xlsx(spec, ROWS, unit_name="2026年10月9日至2026年10月15日")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] is None  # no 附件 label: the list is not one of the notice's forms
    assert rows[1][0] == "2026年山西省先进级智能工厂拟认定名单（第2批）"
    assert rows[2][0] == "公示期：2026年10月9日至2026年10月15日"
    assert rows[3] == HEADER
    assert rows[4:6] == [
        (1, "太原市", "太原晋华重工有限公司", "晋华一厂", "先进级"),
        (2, "山西转型综合改革示范区", "示范区精密制造有限公司", "精密一厂", "先进级"),
    ]
    assert rows[6][0] == NOTE


def test_the_pdf_carries_the_title_period_rows_and_note():
    spec = forms.publicity_spec(2026, "山西省", "advanced", 1)
    text = pdf_text(forms.form_pdf(spec, ROWS, unit_name="2026年6月3日至2026年6月9日"))
    flat = text.replace("\n", "").replace(" ", "")
    for expected in (
        "2026年山西省先进级智能工厂拟认定名单（第1批）",
        "公示期：2026年6月3日至2026年6月9日",
        "太原晋华重工有限公司",
        "山西转型综合改革示范区",
        "精密一厂",
        NOTE,
    ):
        assert expected in flat, expected
    assert "附件" not in flat


def test_the_file_name_is_the_province_and_the_title():
    spec = forms.publicity_spec(2026, "山西省", "advanced", 1)
    assert forms.publicity_file_name(spec, "山西省", "pdf") == (
        "山西省-2026年山西省先进级智能工厂拟认定名单（第1批）.pdf"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_name", " ", "序号1（所在地市）：不能为空"),
        ("enterprise_name", "", "序号1（企业名称）：不能为空"),
        ("factory_name", "", "序号1（工厂（项目）名称）：不能为空"),
    ],
)
def test_a_row_with_a_blank_cell_is_refused_naming_it(field, value, message):
    values = {
        "seq": 1,
        "unit_name": "太原市",
        "enterprise_name": "某公司",
        "factory_name": "一厂",
        "kind": "先进级",
    }
    with pytest.raises(FormRowError) as raised:
        PublicityRow(**{**values, field: value})
    assert raised.value.message == message


# -- over HTTP ---------------------------------------------------------------------------------


@pytest.fixture
def batch(users, enterprise_a, factory_a):
    application = builders.ranked_application(
        enterprise_a, factory_a, rank=1, user=users["enterprise_a"], materials=False
    )
    publicity = Publicity.objects.create(
        task=application.task,
        number=1,
        starts_on=date(2026, 6, 3),
        ends_on=date(2026, 6, 9),
        opened_by=users["province"],
    )
    application.state, application.publicity = "publicity", publicity
    application.save()
    return publicity


def test_the_province_downloads_the_pdf_and_previews_it(client, users, batch, enterprise_a):
    client.force_login(users["province"])
    response = client.get(reverse("documents:publicity_list", args=[batch.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = "山西省-2026年山西省先进级智能工厂拟认定名单（第1批）.pdf"
    assert quote(name) in response["Content-Disposition"]
    flat = pdf_text(response.content).replace("\n", "").replace(" ", "")
    assert enterprise_a.name in flat
    preview = client.get(reverse("documents:publicity_list", args=[batch.pk, "html"]))
    assert preview.status_code == 200
    assert "公示期：2026年6月3日至2026年6月9日" in preview.content.decode()


def test_an_unknown_extension_is_not_found(client, users, batch):
    client.force_login(users["province"])
    response = client.get(reverse("documents:publicity_list", args=[batch.pk, "docx"]))
    assert response.status_code == 404


def test_the_task_page_links_each_batchs_list(client, users, batch):
    client.force_login(users["province"])
    page = client.get(reverse("campaigns:task", args=[batch.task_id])).content.decode()
    for extension in ("xlsx", "pdf"):
        assert reverse("documents:publicity_list", args=[batch.pk, extension]) in page
