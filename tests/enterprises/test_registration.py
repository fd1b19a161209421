"""Self-registration of an enterprise and its review by the city officer."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry, Registration, Role, User
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise
from tests.conftest import make_enterprise


def registration_data(unit, **overrides):
    values = {
        "name": "太原汾河食品有限公司",
        "credit_code": make_credit_code(division="140100", org_body="MA0E0005"),
        "unit": unit.pk,
        "nature": "民营企业",
        "industry": "1351 牲畜屠宰",
        "sector": "消费品",
        "employees": "80",
        "revenue_wan": "2600",
        "contact_name": "孙丽",
        "contact_phone": "13900001111",
        "password": "Fenhe#2026x",
        "password_again": "Fenhe#2026x",
    }
    values.update(overrides)
    return values


def test_an_enterprise_submits_a_registration(client, unit_a):
    response = client.post(reverse("registrations:register"), registration_data(unit_a))
    assert response.status_code == 200
    assert "注册申请已提交，请等待太原市工信局审核" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "pending"
    assert registration.profile["industry"] == "1351"
    assert registration.password_hash != "Fenhe#2026x"
    assert not User.objects.filter(username=registration.credit_code).exists()
    assert not Enterprise.objects.filter(name="太原汾河食品有限公司").exists()


def test_bad_registration_names_the_fields_and_saves_nothing(client, unit_a):
    data = registration_data(
        unit_a,
        credit_code="91140100MA0E00051X",
        contact_phone="123",
        employees="-1",
        password_again="other",
    )
    content = client.post(reverse("registrations:register"), data).content.decode()
    assert "统一社会信用代码：" in content
    assert "联系电话：" in content
    assert "从业人数：从业人数不能为负数" in content
    assert "确认密码：两次输入的密码不一致" in content
    assert not Registration.objects.exists()


def test_the_city_officer_approves_and_the_enterprise_logs_in(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a))
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    listing = client.get(reverse("registrations:list")).content.decode()
    assert "太原汾河食品有限公司" in listing
    response = client.post(reverse("registrations:approve", args=[registration.pk]))
    assert response.status_code == 302
    user = User.objects.get(username=registration.credit_code)
    assert user.role == Role.ENTERPRISE
    assert user.enterprise.name == "太原汾河食品有限公司"
    assert user.enterprise.unit == unit_a
    assert user.enterprise.is_above_scale is True
    assert user.check_password("Fenhe#2026x")
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.reviewed_by == users["city_a"]
    assert AuditEntry.objects.filter(action="registration.approve").exists()


def test_approving_twice_is_refused(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a))
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    client.post(reverse("registrations:approve", args=[registration.pk]))
    response = client.post(reverse("registrations:approve", args=[registration.pk]), follow=True)
    assert "该申请已处理，不能重复审核" in response.content.decode()
    assert User.objects.filter(username=registration.credit_code).count() == 1


def test_rejection_needs_a_reason(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a))
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    response = client.post(
        reverse("registrations:reject", args=[registration.pk]), {"reason": " "}, follow=True
    )
    assert "驳回时须填写审核意见" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    client.post(
        reverse("registrations:reject", args=[registration.pk]), {"reason": "信用代码与执照不符"}
    )
    registration.refresh_from_db()
    assert registration.status == "rejected" and registration.reason == "信用代码与执照不符"


def test_another_units_officer_cannot_see_or_approve(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a))
    registration = Registration.objects.get()
    client.force_login(users["city_b"])
    assert "太原汾河食品有限公司" not in client.get(reverse("registrations:list")).content.decode()
    assert client.post(reverse("registrations:approve", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_a_credit_code_already_in_the_registry_is_accepted_alike(client, users, enterprise_a):
    data = registration_data(enterprise_a.unit, credit_code=enterprise_a.credit_code)
    response = client.post(reverse("registrations:register"), data)
    # The sender learns nothing of the registry: the same answer as for a new enterprise.
    assert response.status_code == 200
    assert "注册申请已提交" in response.content.decode()
    assert Registration.objects.get().credit_code == enterprise_a.credit_code


def test_an_enterprise_entered_by_the_city_is_claimed_and_keeps_its_data(client, users, unit_a):
    entered = make_enterprise(unit_a, name="太原市级登记企业有限公司", body="MA0C0101")
    entered.employees, entered.contact_name = 999, "原联系人"
    entered.save()
    data = registration_data(
        unit_a, credit_code=entered.credit_code, name="另一个名称", employees="1"
    )
    client.post(reverse("registrations:register"), data)
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    page = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert 'id="registration-claim"' in page and "太原市级登记企业有限公司" in page
    assert client.post(reverse("registrations:approve", args=[registration.pk])).status_code == 302
    user = User.objects.get(username=entered.credit_code)
    assert user.enterprise == entered and user.role == Role.ENTERPRISE
    entered.refresh_from_db()
    assert (entered.name, entered.employees, entered.contact_name) == (
        "太原市级登记企业有限公司",
        999,
        "原联系人",
    )
    assert Enterprise.objects.filter(credit_code=entered.credit_code).count() == 1
    entry = AuditEntry.objects.get(action="registration.approve")
    assert entry.changes["facts"]["claimed"] is True


def test_a_replacement_with_a_reason_supersedes_the_first_and_is_audited(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a, contact_name="钱敏"))
    first = Registration.objects.get()
    client.force_login(users["city_a"])
    client.post(reverse("registrations:approve", args=[first.pk]))
    impostor = User.objects.get(username=first.credit_code)
    enterprise = impostor.enterprise
    client.logout()
    client.post(
        reverse("registrations:register"),
        registration_data(
            unit_a, contact_name="赵刚", password="Zhao#Gang2026", password_again="Zhao#Gang2026"
        ),
    )
    second = Registration.objects.latest("pk")
    client.force_login(users["city_a"])
    response = client.post(
        reverse("registrations:approve", args=[second.pk]),
        {"replace": "on", "reason": "营业执照核对，赵刚为企业经办人"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    impostor.refresh_from_db()
    assert first.status == Registration.Status.SUPERSEDED
    assert second.status == Registration.Status.APPROVED and second.replaces == first
    assert second.reason == "营业执照核对，赵刚为企业经办人"
    assert not impostor.is_active and impostor.enterprise is None
    owner = User.objects.get(username=first.credit_code)
    assert owner.enterprise == enterprise and owner.check_password("Zhao#Gang2026")
    entry = AuditEntry.objects.get(action="registration.supersede")
    assert entry.changes["facts"]["reason"] == "营业执照核对，赵刚为企业经办人"
    assert entry.changes["facts"]["replaced_users"] == [first.credit_code]
    page = client.get(reverse("registrations:detail", args=[first.pk])).content.decode()
    assert "已被替换" in page


def test_the_approved_account_gets_the_enterprise_email_for_password_resets(client, users, unit_a):
    client.post(
        reverse("registrations:register"),
        registration_data(unit_a, contact_email="fenhe@example.com"),
    )
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    client.post(reverse("registrations:approve", args=[registration.pk]))
    assert User.objects.get(username=registration.credit_code).email == "fenhe@example.com"


def test_the_enterprise_logs_in_with_its_credit_code_in_any_case(client, users, unit_a):
    client.post(reverse("registrations:register"), registration_data(unit_a))
    registration = Registration.objects.get()
    client.force_login(users["city_a"])
    client.post(reverse("registrations:approve", args=[registration.pk]))
    client.logout()
    typed = " ".join(registration.credit_code.lower()[i : i + 6] for i in (0, 6, 12))
    response = client.post(
        reverse("accounts:login"), {"username": typed, "password": "Fenhe#2026x"}
    )
    assert response.status_code == 302


def test_one_approved_registration_per_credit_code_is_enforced_by_the_database(users, unit_a):
    code = make_credit_code(division="140100", org_body="MA0C0202")
    fields = {
        "credit_code": code,
        "enterprise_name": "甲",
        "unit": unit_a,
        "contact_name": "甲",
        "contact_phone": "13900001111",
        "password_hash": "x",
        "status": Registration.Status.APPROVED,
    }
    Registration.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(**fields)
