import json
import re

from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise


def data(**overrides):
    values = {
        "name": "太原龙城电子有限公司",
        "credit_code": make_credit_code(division="140100", org_body="MA0D0004"),
        "nature": "民营企业",
        "industry": "3971 电子元件及组件制造",
        "sector": "电子信息",
        "employees": "120",
        "revenue_wan": "1500",
        "contact_name": "赵敏",
        "contact_phone": "0351-3183088",
    }
    values.update(overrides)
    return values


def test_a_city_officer_registers_an_enterprise_in_its_unit(city_client, users):
    response = city_client.post(reverse("enterprises:create"), data())
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="太原龙城电子有限公司")
    assert enterprise.unit == users["city_a"].unit
    assert enterprise.size_class == "小型企业"
    assert enterprise.is_above_scale is False
    assert enterprise.contact_phone == "0351-3183088"
    assert AuditEntry.objects.filter(action="enterprise.create").count() == 1


def test_it_refuses_a_duplicate_credit_code_without_naming_the_other_enterprise(
    city_client, enterprise_b
):
    before = Enterprise.objects.count()
    response = city_client.post(
        reverse("enterprises:create"), data(credit_code=enterprise_b.credit_code)
    )
    content = response.content.decode()
    assert "统一社会信用代码：该统一社会信用代码已被登记" in content
    assert enterprise_b.name not in content
    assert Enterprise.objects.count() == before


def test_the_province_chooses_the_unit(client, users, unit_b):
    client.force_login(users["province"])
    response = client.post(reverse("enterprises:create"), data(unit=unit_b.pk))
    assert response.status_code == 302
    assert Enterprise.objects.get(name="太原龙城电子有限公司").unit == unit_b


def test_the_form_offers_the_industry_list_and_sector_suggestions(city_client):
    content = city_client.get(reverse("enterprises:create")).content.decode()
    assert '<option value="3511 矿山机械制造">' in content
    mapping = re.search(r'id="division-sectors"[^>]*>(.*?)</script>', content).group(1)
    assert json.loads(mapping)["39"] == "电子信息"
    assert content.count('<option value="') > 609
