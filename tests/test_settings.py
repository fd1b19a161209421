"""Settings fail closed: production (no FACTORYTIERS_DEV) needs SECRET_KEY and has DEBUG off.

Each case imports the settings in a fresh interpreter with its own environment, since this
process already runs in development mode.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

# Variables a developer's shell, pytest or CI may set that would leak into the case.
_CLEARED = (
    "FACTORYTIERS_DEV",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "HTTPS",
    "PROXY_SSL_HEADER",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "SESSION_IDLE_MINUTES",
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "REQUEST_MAX_BYTES",
    "UPLOAD_MAX_BYTES",
    "IMPORT_MAX_BYTES",
    "REQUEST_FORM_BYTES",
    "FILE_UPLOAD_MEMORY_BYTES",
    "FILE_UPLOAD_TEMP_DIR",
    "ARCHIVE_MAX_UNPACKED_BYTES",
    "ARCHIVE_MAX_MEMBERS",
    "ARCHIVE_MAX_RATIO",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_COLUMNS",
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_S3_ACCESS_KEY",
    "MEDIA_S3_SECRET_KEY",
    "MEDIA_S3_PREFIX",
    # The browser tests set it for their live server; a production process never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

# A production key: long and random-looking, as check --deploy wants it.
KEY = "t3st-Key-0f-pr0duction-" + "q8Zr1vWx5LmN2bTc7HyJ4kPd9sFg6A0eUoIi3"

SHOW_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'DEBUG': settings.DEBUG, 'SECRET_KEY': settings.SECRET_KEY}))"
)


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env["DJANGO_SETTINGS_MODULE"] = "factorytiers.settings"
    env["FACTORYTIERS_VAR_DIR"] = str(tmp_path / "var")
    env.update(values)
    return env


def python(tmp_path: Path, *args: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment(tmp_path, **values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in(tmp_path: Path, **values: str) -> dict:
    done = python(tmp_path, "-c", SHOW_SETTINGS, **values)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_secret_key_production_does_not_start(tmp_path):
    done = python(tmp_path, "manage.py", "check")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "SECRET_KEY is not set" in done.stderr
    assert "未设置 SECRET_KEY" in done.stderr


def test_an_empty_secret_key_is_missing(tmp_path):
    done = python(tmp_path, "-c", SHOW_SETTINGS, SECRET_KEY="")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_production_has_debug_off(tmp_path):
    assert settings_in(tmp_path, SECRET_KEY=KEY) == {
        "DEBUG": False,
        "SECRET_KEY": KEY,
    }


def test_development_flag_turns_debug_on_with_a_fixed_key(tmp_path):
    shown = settings_in(tmp_path, FACTORYTIERS_DEV="1")
    assert shown["DEBUG"] is True
    assert shown["SECRET_KEY"].startswith("dev-only-insecure-key")


@pytest.mark.parametrize(
    ("values", "debug"),
    [
        ({"FACTORYTIERS_DEV": "1", "DEBUG": "0"}, False),
        ({"SECRET_KEY": KEY, "DEBUG": "1"}, True),
        ({"FACTORYTIERS_DEV": "0", "SECRET_KEY": KEY}, False),
    ],
)
def test_debug_variable_decides_when_set(tmp_path, values, debug):
    assert settings_in(tmp_path, **values)["DEBUG"] is debug


def test_an_unknown_flag_value_stops_the_start(tmp_path):
    done = python(tmp_path, "-c", SHOW_SETTINGS, FACTORYTIERS_DEV="maybe")
    assert done.returncode != 0
    assert "FACTORYTIERS_DEV='maybe' is not an on/off value" in done.stderr


RENDER_LOGIN = """
import django
django.setup()
from django.test import Client
from django.urls import reverse
response = Client().get(reverse("accounts:login"), secure=True)
assert response.status_code == 200, response.status_code
print(response.content.decode())
"""


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """STATIC_ROOT after collectstatic under the production settings (once for the module)."""
    root = tmp_path_factory.mktemp("production")
    static = root / "static"
    done = python(
        root, "manage.py", "collectstatic", "--noinput", SECRET_KEY=KEY, STATIC_ROOT=str(static)
    )
    assert done.returncode == 0, done.stderr
    return static


def test_production_serves_hashed_static_files_after_collectstatic(tmp_path, collected):
    assert (collected / "staticfiles.json").is_file()
    page = python(tmp_path, "-c", RENDER_LOGIN, SECRET_KEY=KEY, STATIC_ROOT=str(collected))
    assert page.returncode == 0, page.stderr
    assert re.search(r"/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css", page.stdout)
    assert re.search(r"/static/css/app\.[0-9a-f]{12}\.css", page.stdout)
    assert "bootstrap.min.css" not in page.stdout


def test_development_serves_plain_static_names_without_collectstatic(client):
    page = client.get(reverse("accounts:login"))
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in page.content.decode()


def test_this_suite_runs_in_development_mode():
    from django.conf import settings

    assert settings.FACTORYTIERS_DEV is True


# -- production security -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["short-key", "dev-only-insecure-key-never-use-in-production"])
def test_a_short_or_development_key_stops_production(tmp_path, key):
    done = python(tmp_path, "-c", SHOW_SETTINGS, SECRET_KEY=key)
    assert done.returncode != 0
    assert "SECRET_KEY 过短或是开发用密钥" in done.stderr


def test_check_deploy_is_clean_under_the_production_settings(tmp_path):
    done = python(
        tmp_path,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=KEY,
        ALLOWED_HOSTS="ftiers.example.gov.cn",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


HTTPS_ANSWERS = """
import django, json
django.setup()
from django.test import Client
from django.urls import reverse
url = reverse("accounts:login")
plain = Client().get(url)
proxied = Client().get(url, headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "proxied": proxied.status_code,
    "hsts": proxied.get("Strict-Transport-Security", ""),
    "csrf_secure": bool(proxied.cookies["csrftoken"]["secure"]),
}))
"""


def test_production_answers_only_over_https_with_hsts_and_secure_cookies(tmp_path, collected):
    done = python(tmp_path, "-c", HTTPS_ANSWERS, SECRET_KEY=KEY, STATIC_ROOT=str(collected))
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert answers["plain"] == [301, "https://testserver/accounts/login/"]
    assert answers["proxied"] == 200
    assert answers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert answers["csrf_secure"] is True


def test_https_can_be_turned_off_for_a_closed_test_network(tmp_path, collected):
    done = python(
        tmp_path, "-c", HTTPS_ANSWERS, SECRET_KEY=KEY, HTTPS="0", STATIC_ROOT=str(collected)
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert answers["plain"][0] == 200
    assert answers["hsts"] == ""
    assert answers["csrf_secure"] is False


def test_a_session_ends_after_the_idle_time(client, users, settings):
    """Each request extends the session; after SESSION_IDLE_MINUTES without one it is over."""
    import time_machine

    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    idle = settings.SESSION_COOKIE_AGE
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False) as clock:
        client.force_login(users["city_a"])
        assert client.get(reverse("home")).status_code == 200
        clock.shift(idle - 60)
        assert client.get(reverse("home")).status_code == 200  # still in, and extended
        clock.shift(idle - 60)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(idle + 60)
        assert client.get(reverse("home")).status_code == 302  # out: back to the log-in


LIMITS = (
    "REQUEST_MAX_BYTES",
    "UPLOAD_MAX_BYTES",
    "IMPORT_MAX_BYTES",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "ARCHIVE_MAX_UNPACKED_BYTES",
    "ARCHIVE_MAX_MEMBERS",
    "ARCHIVE_MAX_RATIO",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_COLUMNS",
)
SHOW_LIMITS = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name) for name in {LIMITS!r}}}))"
)


def test_request_and_upload_limits_come_from_the_environment(tmp_path):
    values = {name: str(n + 7) for n, name in enumerate(LIMITS)}
    values["REQUEST_FORM_BYTES"] = values.pop("DATA_UPLOAD_MAX_MEMORY_SIZE")
    done = python(tmp_path, "-c", SHOW_LIMITS, FACTORYTIERS_DEV="1", **values)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["REQUEST_MAX_BYTES"] == 7 and shown["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 10
    assert shown["IMPORT_MAX_ROWS"] == 14 and shown["IMPORT_MAX_COLUMNS"] == 15


def test_the_default_limits(tmp_path):
    done = python(tmp_path, "-c", SHOW_LIMITS, FACTORYTIERS_DEV="1")
    shown = json.loads(done.stdout)
    assert shown["REQUEST_MAX_BYTES"] == 60 * 1024 * 1024
    assert shown["UPLOAD_MAX_BYTES"] == 50 * 1024 * 1024
    assert (shown["IMPORT_MAX_ROWS"], shown["IMPORT_MAX_COLUMNS"]) == (20_001, 64)


@pytest.mark.parametrize("value", ["60MB", "-1", "0", ""])
def test_a_limit_that_is_not_a_positive_number_stops_the_start(tmp_path, value):
    done = python(tmp_path, "-c", SHOW_LIMITS, FACTORYTIERS_DEV="1", UPLOAD_MAX_BYTES=value)
    assert done.returncode != 0
    assert "环境变量 UPLOAD_MAX_BYTES 的值无效" in done.stderr


SHOW_MAIL = (
    "import json; from django.conf import settings as s; print(json.dumps([s.EMAIL_BACKEND, "
    "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
    "s.DEFAULT_FROM_EMAIL]))"
)


def test_mail_is_printed_to_the_console_without_a_mail_server(tmp_path):
    done = python(tmp_path, "-c", SHOW_MAIL, FACTORYTIERS_DEV="1")
    assert json.loads(done.stdout)[0] == "django.core.mail.backends.console.EmailBackend"


def test_the_mail_server_comes_from_the_environment(tmp_path):
    done = python(
        tmp_path,
        "-c",
        SHOW_MAIL,
        FACTORYTIERS_DEV="1",
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="noreply",
        EMAIL_HOST_PASSWORD="pw",
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="智能工厂 <noreply@example.gov.cn>",
    )
    assert json.loads(done.stdout) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gov.cn",
        465,
        "noreply",
        "pw",
        False,
        "智能工厂 <noreply@example.gov.cn>",
    ]


SHOW_STORAGE = (
    "import json; from django.conf import settings; from django.core.files.storage import "
    "default_storage as s; print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
    "'bucket': getattr(s, 'bucket_name', None), 'endpoint': getattr(s, 'endpoint_url', None), "
    "'acl': getattr(s, 'default_acl', None), 'location': getattr(s, 'location', None)}))"
)


def test_media_is_on_disk_unless_a_bucket_is_named(tmp_path):
    done = python(tmp_path, "-c", SHOW_STORAGE, SECRET_KEY=KEY)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["backend"] == "django.core.files.storage.FileSystemStorage"


def test_a_named_bucket_puts_media_on_private_s3_compatible_storage(tmp_path):
    done = python(
        tmp_path,
        "-c",
        SHOW_STORAGE,
        SECRET_KEY=KEY,
        MEDIA_S3_BUCKET="factorytiers-media",
        MEDIA_S3_ENDPOINT_URL="https://minio.internal:9000",
        MEDIA_S3_ACCESS_KEY="key",
        MEDIA_S3_SECRET_KEY="secret",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "backend": "storages.backends.s3.S3Storage",
        "bucket": "factorytiers-media",
        "endpoint": "https://minio.internal:9000",
        "acl": "private",
        "location": "media",
    }
