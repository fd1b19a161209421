"""Editing an enterprise: validation in Chinese naming the field, nothing saved on bad input,
optimistic locking, history and audit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry, Role
from factorytiers.enterprises.models import Enterprise
from tests.conftest import make_user


def form_data(enterprise: Enterprise, **overrides) -> dict:
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "address": enterprise.address,
        "nature": enterprise.nature,
        "industry": f"{enterprise.industry.code} {enterprise.industry.name}",
        "sector": enterprise.sector,
        "employees": enterprise.employees,
        "revenue_wan": str(enterprise.revenue_wan),
        "main_business_revenue_wan": "",
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": "",
        "version": enterprise.version,
    }
    data.update(overrides)
    return data


def test_it_saves_and_recomputes_size_class(city_client, enterprise_a):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    response = city_client.post(url, form_data(enterprise_a, employees=1500, revenue_wan="50000"))
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.employees == 1500
    assert enterprise_a.size_class == "大型企业"
    assert enterprise_a.is_above_scale is True
    assert enterprise_a.version == 2


def test_it_records_history_and_audit(city_client, users, enterprise_a):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    city_client.post(url, form_data(enterprise_a, contact_name="王芳"))
    history = enterprise_a.history.order_by("-history_date").first()
    assert history.contact_name == "王芳"
    assert history.history_user == users["city_a"]
    entry = AuditEntry.objects.get(action="enterprise.update")
    assert entry.actor == users["city_a"]
    assert entry.changes["changed"]["contact_name"] == ["张伟", "王芳"]
    assert entry.ip_address == "127.0.0.1"
    page = city_client.get(reverse("enterprises:history", args=[enterprise_a.pk]))
    assert "企业联系人：张伟 → 王芳" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91140100MA0A00010X", "统一社会信用代码"),
        ("credit_code", "9114010", "应为18位"),
        ("industry", "0610 烟煤和无烟煤开采洗选", "不是GB/T 4754-2017制造业（C门类）的小类代码"),
        ("industry", "351", "不是GB/T 4754-2017制造业（C门类）的小类代码"),
        ("contact_phone", "12345", "不是有效的手机号或固定电话"),
        ("employees", "-5", "从业人数不能为负数"),
        ("revenue_wan", "-1", "不能为负数"),
        ("nature", "外资企业", "选择一个有效的选项"),
        ("name", "", "这个字段是必填项"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(city_client, enterprise_a, field, value, message):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    before = Enterprise.objects.values().get(pk=enterprise_a.pk)
    response = city_client.post(url, form_data(enterprise_a, **{field: value}))
    assert response.status_code == 400
    content = response.content.decode()
    label = Enterprise._meta.get_field(field).verbose_name if field != "industry" else "行业小类"
    assert f"{label}：" in content  # the error summary names the field
    assert message in content
    assert Enterprise.objects.values().get(pk=enterprise_a.pk) == before
    assert not AuditEntry.objects.exists()


def test_a_second_editor_is_told_of_the_conflict(client, users, enterprise_a):
    client.force_login(users["city_a"])
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    stale = form_data(enterprise_a)  # both opened version 1
    first = client.post(url, form_data(enterprise_a, contact_name="王芳"))
    assert first.status_code == 302
    client.force_login(make_user("city_a2", Role.CITY, unit=enterprise_a.unit))
    second = client.post(url, dict(stale, contact_name="刘洋", revenue_wan="1.00"))
    assert second.status_code == 409
    assert "已被他人修改" in second.content.decode()
    assert 'id="edit-conflict"' in second.content.decode()
    enterprise_a.refresh_from_db()
    assert enterprise_a.contact_name == "王芳"  # the first save stands
    assert enterprise_a.revenue_wan == Decimal("25000.00")
    assert "刘洋" in second.content.decode()  # the second editor's input is kept in the form


def test_a_city_officer_cannot_move_an_enterprise_to_another_unit(
    city_client, enterprise_a, unit_b
):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    city_client.post(url, form_data(enterprise_a, unit=unit_b.pk))
    enterprise_a.refresh_from_db()
    assert enterprise_a.unit.code == "140100"


def test_it_refuses_get_of_another_units_enterprise(client, users, enterprise_b):
    client.force_login(users["city_a"])
    assert client.get(reverse("enterprises:edit", args=[enterprise_b.pk])).status_code == 404
    response = client.post(
        reverse("enterprises:edit", args=[enterprise_b.pk]), form_data(enterprise_b, name="x")
    )
    assert response.status_code == 404
    enterprise_b.refresh_from_db()
    assert enterprise_b.name == "大同云冈机械有限公司"


def test_an_enterprise_user_edits_its_own_profile(client, users, enterprise_a):
    client.force_login(users["enterprise_a"])
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    assert client.post(url, form_data(enterprise_a, address="太原市小店区")).status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.address == "太原市小店区"


def test_put_is_refused(city_client, enterprise_a):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    assert city_client.put(url).status_code == 405


def test_an_enterprise_user_cannot_grant_itself_the_pilot_winner_flag_or_change_its_code(
    client, users, enterprise_a
):
    client.force_login(users["enterprise_a"])
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    page = client.get(url).content.decode()
    assert 'name="is_pilot_winner"' not in page and 'name="credit_code"' not in page
    data = form_data(enterprise_a, is_pilot_winner="on", credit_code="91140100MA0A0001XX")
    assert client.post(url, data).status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.is_pilot_winner is False
    assert enterprise_a.credit_code != "91140100MA0A0001XX"


def test_the_service_refuses_officer_fields_from_an_enterprise_user(users, enterprise_a):
    from django.core.exceptions import PermissionDenied

    from factorytiers.enterprises import services

    with pytest.raises(PermissionDenied):
        services.update_enterprise(
            actor=users["enterprise_a"],
            enterprise=enterprise_a,
            data={"is_pilot_winner": True},
            version=enterprise_a.version,
        )
    enterprise_a.refresh_from_db()
    assert enterprise_a.is_pilot_winner is False


def test_the_history_page_costs_the_same_queries_for_many_records(
    city_client, enterprise_a, django_assert_max_num_queries
):
    for n in range(30):
        enterprise_a.contact_name = f"联系人{n}"
        enterprise_a.save()
    with django_assert_max_num_queries(12):
        page = city_client.get(reverse("enterprises:history", args=[enterprise_a.pk]))
    assert "企业联系人：联系人28 → 联系人29" in page.content.decode()


def test_an_edit_without_the_page_version_is_refused_and_saves_nothing(city_client, enterprise_a):
    data = form_data(enterprise_a, contact_name="王芳")
    del data["version"]
    response = city_client.post(reverse("enterprises:edit", args=[enterprise_a.pk]), data)
    assert "页面已过期，请刷新后重新填写并提交" in response.content.decode()
    enterprise_a.refresh_from_db()
    assert enterprise_a.contact_name == "张伟"
