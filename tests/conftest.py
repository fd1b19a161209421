"""Shared fixtures: two units (太原, 大同), an enterprise in each, and a user of every role."""

from decimal import Decimal

import pytest

from factorytiers.accounts.models import Role, User
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise, Factory
from factorytiers.reference.models import IndustryCode, Region


@pytest.fixture
def unit_a(db) -> Region:
    return Region.objects.get(code="140100")  # 太原市


@pytest.fixture
def unit_b(db) -> Region:
    return Region.objects.get(code="140200")  # 大同市


def make_enterprise(unit: Region, *, name: str, body: str, **fields) -> Enterprise:
    defaults = {
        "credit_code": make_credit_code(
            division=unit.code if unit.code.isdigit() else "140000", org_body=body
        ),
        "nature": "民营企业",
        "industry": IndustryCode.objects.get(code="3511"),
        "sector": "装备制造",
        "employees": 350,
        "revenue_wan": Decimal("25000.00"),
        "contact_name": "张伟",
        "contact_phone": "13912345678",
    }
    defaults.update(fields)
    return Enterprise.objects.create(unit=unit, name=name, **defaults)


@pytest.fixture
def enterprise_a(unit_a) -> Enterprise:
    return make_enterprise(unit_a, name="太原晋华重工有限公司", body="MA0A0001")


@pytest.fixture
def enterprise_b(unit_b) -> Enterprise:
    return make_enterprise(unit_b, name="大同云冈机械有限公司", body="MA0B0002")


@pytest.fixture
def factory_a(enterprise_a) -> Factory:
    return Factory.objects.create(enterprise=enterprise_a, name="晋华一厂", location="太原市")


@pytest.fixture
def factory_b(enterprise_b) -> Factory:
    return Factory.objects.create(enterprise=enterprise_b, name="云冈一厂", location="大同市")


def make_user(username: str, role: str, **fields) -> User:
    user = User(username=username, role=role, **fields)
    user.set_password("Secret#2026")
    user.save()
    return user


@pytest.fixture
def users(db, unit_a, unit_b, enterprise_a, enterprise_b) -> dict[str, User]:
    """One user per role and unit, keyed as the authorization matrix names them."""
    province = Region.objects.get(code="140000")
    return {
        "enterprise_a": make_user("ent_a", Role.ENTERPRISE, enterprise=enterprise_a),
        "enterprise_b": make_user("ent_b", Role.ENTERPRISE, enterprise=enterprise_b),
        "city_a": make_user("city_a", Role.CITY, unit=unit_a),
        "city_b": make_user("city_b", Role.CITY, unit=unit_b),
        "province": make_user("prov", Role.PROVINCE, unit=province),
        "expert": make_user("expert", Role.EXPERT),
        "admin": make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
    }


@pytest.fixture
def city_client(client, users):
    client.force_login(users["city_a"])
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that check hashing itself set it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _figures_cache_empty():
    # Its keys hold versions that a database flushed between tests hands out again.
    from django.core.cache import caches

    caches["figures"].clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded materials of a test go to its own folder, never into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def seed_data(django_db_setup, django_db_blocker) -> str:
    """The database as the migrations left it (reference data, seeded campaign…), serialized
    once; transactional tests flush it, and ``seeded_transactional_db`` puts it back."""
    from django.db import connection
    from django.test.utils import override_settings

    # Content types and permissions come back by themselves after a flush (post_migrate).
    skip = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.admin"]
    with django_db_blocker.unblock(), override_settings(TEST_NON_SERIALIZED_APPS=skip):
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def seeded_transactional_db(seed_data, transactional_db):
    """A transactional test's database (committed writes, flushed afterwards) with the
    migrations' data back in place if an earlier transactional test flushed it."""
    from django.db import connection

    if not Region.objects.exists():
        connection.creation.deserialize_db_from_string(seed_data)
