"""The PDF report: score, level, the twelve domains, radar image; a CJK font embedded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.assessments.conftest import submitted

DOMAINS = (
    "组织战略",
    "人员技能",
    "数据",
    "集成",
    "信息安全",
    "装备",
    "网络",
    "设计",
    "生产",
    "物流",
    "销售",
    "服务",
)


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Base names of the fonts whose program is embedded in the file."""
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descendant.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def report(ent_client, ent_user, enterprise_a, frozen):
    assessment = submitted(ent_user, enterprise_a, left_out={"LOGISTICS": "产品由客户自提"})
    response = ent_client.get(reverse("assessments:report_pdf", args=[assessment.pk]))
    return assessment, response


def test_the_report_holds_score_level_and_all_domains(report):
    _assessment, response = report
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "智能制造能力成熟度自评估报告" in text
    assert "3.80" in text and "四级" in text and "优化级" in text
    for name in DOMAINS:
        assert name in text, name
    assert "产品由客户自提" in text  # what was left out is said
    assert "太原晋华重工有限公司" in text


def test_the_report_embeds_a_cjk_font_and_the_radar_image(report):
    _assessment, response = report
    reader = PdfReader(io.BytesIO(response.content))
    fonts = embedded_fonts(reader)
    assert any("Noto" in name and "SC" in name for name in fonts), fonts
    assert any(page.images for page in reader.pages)


def test_a_draft_has_no_report(ent_client, draft):
    assert ent_client.get(reverse("assessments:report_pdf", args=[draft.pk])).status_code == 404


def test_another_unit_cannot_download_it(client, users, report):
    assessment, _response = report
    client.force_login(users["city_b"])
    response = client.get(reverse("assessments:report_pdf", args=[assessment.pk]))
    assert response.status_code == 404
