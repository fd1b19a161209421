"""Log-in: Argon2 hashes, Chinese messages, lock-out after repeated failures."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.conftest import make_user


@pytest.fixture
def officer(db, unit_a, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    return make_user("officer", "city", unit=unit_a)


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2$")
    assert make_password("x").startswith("argon2$")


def test_a_correct_password_logs_in(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "officer", "password": "Secret#2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_in_chinese(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "no"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account(client, officer):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "officer", "password": "Secret#2026"}
    )
    assert response.status_code == 429
    assert "已被锁定30分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_user_does_not_lock_others(client, officer, unit_b):
    make_user("other", "city", unit=unit_b)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "other", "password": "Secret#2026"}
    )
    assert response.status_code == 302
