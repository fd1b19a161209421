"""Identity under attack: a second registration of a credit code, names that show nothing,
guessed passwords and addresses. Each refusal is a 4xx in Chinese that stores nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from factorytiers.accounts.models import Registration, User
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise
from tests.conftest import make_enterprise
from tests.hostile.conftest import refusal_text

PASSWORD = "Fenhe#2026x"
# Text that shows nothing, each built here from its code points.
INVISIBLE = {
    "zero-width-spaces": "\u200b\u200b",
    "word-joiner": "\u2060",
    "bom": "\ufeff",
    "ideographic-spaces": "\u3000\u3000\u3000",
    "hangul-filler": "\u3164",
    "braille-blank": "\u2800\u2800",
    "direction-marks": " \u200e\u200f ",
    "lone-combining-marks": "\u0301\u0308",
    "invisible-operators": "\u2061\u2062\u2063\u2064",
    "mongolian-separator": "\u180e",
}


def _code(n: int) -> str:
    return make_credit_code(division="140100", org_body=f"MA0H{n:04d}")


def registration_data(unit, code: str, **overrides) -> dict:
    values = {
        "name": "太原汾河食品有限公司",
        "credit_code": code,
        "unit": unit.pk,
        "nature": "民营企业",
        "industry": "1351 牲畜屠宰",
        "sector": "消费品",
        "employees": "80",
        "revenue_wan": "2600",
        "contact_name": "孙丽",
        "contact_phone": "13900001111",
        "contact_email": "sunli@example.com",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    values.update(overrides)
    return values


def register(unit, code: str, **overrides) -> Registration:
    response = Client().post(
        reverse("registrations:register"), registration_data(unit, code, **overrides)
    )
    assert response.status_code == 200, response.content.decode()
    return Registration.objects.latest("pk")


@pytest.fixture
def approved_first(users, unit_a):
    """An approved registration of a new credit code (its account acts for the enterprise)
    and a second, pending registration of the same code by someone else."""
    code = _code(1)
    first = register(unit_a, code, contact_name="钱敏")
    officer = Client()
    officer.force_login(users["city_a"])
    assert officer.post(reverse("registrations:approve", args=[first.pk])).status_code == 302
    second = register(unit_a, code, contact_name="赵刚", contact_phone="13700002222")
    return first, second


def _approve(client, registration, **data):
    return client.post(reverse("registrations:approve", args=[registration.pk]), data)


# -- a repeated credit code ---------------------------------------------------------------------


def test_a_second_registration_cannot_be_approved_silently(city_client, approved_first, unchanged):
    _first, second = approved_first
    with unchanged():
        text = refusal_text(_approve(city_client, second))
    assert "该企业已有账号" in text
    assert (
        User.objects.filter(is_active=True, enterprise__credit_code=second.credit_code).count() == 1
    )


@pytest.mark.parametrize(
    "reason", ["", "   ", *INVISIBLE.values()], ids=["empty", "spaces", *INVISIBLE]
)
def test_a_replacement_without_a_written_reason_is_refused(
    city_client, approved_first, unchanged, reason
):
    _first, second = approved_first
    with unchanged():
        text = refusal_text(_approve(city_client, second, replace="on", reason=reason))
    assert "替换理由" in text


def test_the_flag_shows_the_first_registration_beside_the_second(city_client, approved_first):
    first, second = approved_first
    page = city_client.get(reverse("registrations:detail", args=[second.pk])).content.decode()
    assert 'id="registration-flag"' in page
    others = page.split('id="registration-others"', 1)[1]
    assert "钱敏" in others and "已通过" in others
    assert first.submitted_at.astimezone().strftime("%Y-%m-%d") in others
    assert 'id="registration-holders"' in page and first.credit_code in page
    listing = city_client.get(reverse("registrations:list")).content.decode()
    assert "该企业已有账号" in listing


def test_two_pending_registrations_of_one_code_are_flagged(city_client, unit_a):
    code = _code(2)
    first = register(unit_a, code, contact_name="钱敏")
    second = register(unit_a, code, contact_name="赵刚")
    page = city_client.get(reverse("registrations:detail", args=[second.pk])).content.decode()
    assert "同一信用代码还有其他待审核的申请" in page and "钱敏" in page
    assert city_client.get(reverse("registrations:detail", args=[first.pk])).status_code == 200


def test_the_impostor_loses_the_enterprise_when_replaced(city_client, approved_first):
    first, second = approved_first
    impostor = Client()
    impostor.force_login(Registration.objects.get(pk=first.pk).user)
    enterprise = Enterprise.objects.get(credit_code=first.credit_code)
    assert impostor.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 200
    response = _approve(
        city_client, second, replace="on", reason="经电话核实，原申请人非本企业员工"
    )
    assert response.status_code == 302
    # The impostor's session no longer acts for anyone, and the log-in name went to the new user.
    page = impostor.get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert page.status_code == 302 and reverse("accounts:login") in page["Location"]
    login = Client().post(
        reverse("accounts:login"), {"username": first.credit_code, "password": PASSWORD}
    )
    assert login.status_code == 302  # the new owner (same password in this test)
    assert User.objects.get(username=first.credit_code).full_name == "赵刚"


def test_a_credit_code_of_another_units_enterprise_cannot_be_approved(
    city_client, users, unit_a, unit_b, unchanged
):
    elsewhere = make_enterprise(unit_b, name="大同另一家企业有限公司", body="MA0H0077")
    registration = register(unit_a, elsewhere.credit_code)
    with unchanged():
        text = refusal_text(_approve(city_client, registration, replace="on", reason="核实"))
    assert "其他地市" in text


@pytest.mark.parametrize("reason", ["", *INVISIBLE.values()], ids=["empty", *INVISIBLE])
def test_a_rejection_needs_a_visible_reason(city_client, unit_a, unchanged, reason):
    registration = register(unit_a, _code(3))
    with unchanged():
        text = refusal_text(
            city_client.post(
                reverse("registrations:reject", args=[registration.pk]), {"reason": reason}
            )
        )
    assert "审核意见" in text


# -- the registration form tells nothing of who has an account ----------------------------------


def _answer(unit, code: str) -> str:
    response = Client().post(reverse("registrations:register"), registration_data(unit, code))
    assert response.status_code == 200
    # The page is the same but for its CSRF tokens.
    return re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode()
    )


@pytest.mark.parametrize("state", ["with-account", "pending", "approved", "entered-by-city"])
def test_the_registration_form_answers_alike_for_known_and_new_codes(users, unit_a, state):
    if state == "with-account":
        code = users["enterprise_a"].enterprise.credit_code
    elif state == "entered-by-city":
        code = make_enterprise(unit_a, name="市级登记企业有限公司", body="MA0H0005").credit_code
    else:
        code = _code(4)
        registration = register(unit_a, code)
        if state == "approved":
            officer = Client()
            officer.force_login(users["city_a"])
            officer.post(reverse("registrations:approve", args=[registration.pk]))
            assert User.objects.filter(username=code).exists()
    assert _answer(unit_a, code) == _answer(unit_a, _code(9))


def test_the_registration_form_asks_no_user_name(client, users, unit_a):
    page = client.get(reverse("registrations:register")).content.decode()
    assert 'name="username"' not in page
    # A posted user name of an existing account is ignored, not checked.
    response = client.post(
        reverse("registrations:register"),
        registration_data(unit_a, _code(10), username=users["city_a"].username),
    )
    assert response.status_code == 200 and "已被使用" not in response.content.decode()


# -- names that show nothing --------------------------------------------------------------------

NAME_FORMS = {
    "registration-name": ("registrations:register", "name", "企业名称"),
    "registration-contact": ("registrations:register", "contact_name", "企业联系人"),
    "enterprise-name": ("enterprises:create", "name", "企业名称"),
    "enterprise-contact": ("enterprises:create", "contact_name", "企业联系人"),
    "factory-name": ("enterprises:factory_create", "name", "工厂名称"),
}
NAME_CASES = [(form, key) for form in NAME_FORMS for key in INVISIBLE]


def _name_form_data(form: str, unit, field: str, text: str) -> dict:
    if form.startswith("factory"):
        return {"name": "晋华二厂", "location": "太原市", field: text}
    data = registration_data(unit, _code(11), **{field: text})
    data["industry"] = "3511 矿山机械制造"
    return data


@pytest.mark.parametrize(("form", "key"), NAME_CASES, ids=[f"{f}-{k}" for f, k in NAME_CASES])
def test_a_name_of_nothing_visible_is_refused(client, users, enterprise_a, unchanged, form, key):
    url_name, field, label = NAME_FORMS[form]
    if url_name != "registrations:register":
        client.force_login(users["city_a"])
    args = [enterprise_a.pk] if url_name == "enterprises:factory_create" else []
    data = _name_form_data(form, enterprise_a.unit, field, INVISIBLE[key])
    with unchanged():
        text = refusal_text(client.post(reverse(url_name, args=args), data))
    assert f"{label}：只有空格或不可见字符" in text


# -- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old", ["", "secret#2026", "Secret#2026 ", "\u200bSecret#2026", "x" * 5000], ids=repr
)
def test_a_wrong_old_password_changes_nothing(client, users, unchanged, old):
    client.force_login(users["enterprise_a"])
    with unchanged():
        text = refusal_text(
            client.post(
                reverse("accounts:password_change"),
                {
                    "old_password": old,
                    "new_password1": "New#Pass2027",
                    "new_password2": "New#Pass2027",
                },
            )
        )
    assert "旧密码" in text
    assert User.objects.get(pk=users["enterprise_a"].pk).check_password("Secret#2026")


@pytest.mark.parametrize(
    ("new1", "new2"),
    [("New#Pass2027", "New#Pass2028"), ("short", "short"), ("12345678901", "12345678901")],
    ids=["mismatch", "too-short", "digits-only"],
)
def test_a_weak_or_mismatched_new_password_changes_nothing(client, users, unchanged, new1, new2):
    client.force_login(users["city_a"])
    with unchanged():
        refusal_text(
            client.post(
                reverse("accounts:password_change"),
                {"old_password": "Secret#2026", "new_password1": new1, "new_password2": new2},
            )
        )


def test_a_reset_for_an_unknown_address_answers_as_for_a_known_one(client, users):
    users["enterprise_a"].email = "ent@example.com"
    users["enterprise_a"].save()
    known = client.post(reverse("accounts:password_reset"), {"email": "ENT@example.com"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ent@example.com"]
    done = client.get(known["Location"]).content.decode()
    assert "如果该邮箱登记在某个账号上" in done


def test_a_reset_for_an_inactive_account_sends_nothing(client, users):
    user = users["enterprise_b"]
    user.email, user.is_active = "old@example.com", False
    user.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "old@example.com"})
    assert response.status_code == 302 and mail.outbox == []


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "a@b", "x" * 300 + "@example.com", "\u200b@example.com"],
    ids=repr,
)
def test_a_malformed_reset_address_is_refused(client, users, unchanged, email):
    with unchanged():
        text = refusal_text(client.post(reverse("accounts:password_reset"), {"email": email}))
    assert "电子邮箱" in text
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("uid", "token"),
    [("MQ", "forged-token"), ("zzzz", "d0-0a1b2c3d4e5f6a7b8c9d"), ("%00", "x")],
    ids=["forged-token", "unknown-user", "garbage"],
)
def test_a_forged_reset_link_sets_nothing(client, users, unchanged, uid, token):
    with unchanged():
        response = client.post(
            f"/accounts/password/reset/{uid}/{token}/",
            {"new_password1": "New#Pass2027", "new_password2": "New#Pass2027"},
        )
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "该重置链接无效或已过期" in response.content.decode()
