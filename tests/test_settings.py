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
)

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
    assert settings_in(tmp_path, SECRET_KEY="s3cret-for-the-test") == {
        "DEBUG": False,
        "SECRET_KEY": "s3cret-for-the-test",
    }


def test_development_flag_turns_debug_on_with_a_fixed_key(tmp_path):
    shown = settings_in(tmp_path, FACTORYTIERS_DEV="1")
    assert shown["DEBUG"] is True
    assert shown["SECRET_KEY"].startswith("dev-only-insecure-key")


@pytest.mark.parametrize(
    ("values", "debug"),
    [
        ({"FACTORYTIERS_DEV": "1", "DEBUG": "0"}, False),
        ({"SECRET_KEY": "s3cret-for-the-test", "DEBUG": "1"}, True),
        ({"FACTORYTIERS_DEV": "0", "SECRET_KEY": "s3cret-for-the-test"}, False),
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
response = Client().get(reverse("accounts:login"))
assert response.status_code == 200, response.status_code
print(response.content.decode())
"""


def test_production_serves_hashed_static_files_after_collectstatic(tmp_path):
    production = {"SECRET_KEY": "s3cret-for-the-test", "STATIC_ROOT": str(tmp_path / "static")}
    collected = python(tmp_path, "manage.py", "collectstatic", "--noinput", **production)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()

    page = python(tmp_path, "-c", RENDER_LOGIN, **production)
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
