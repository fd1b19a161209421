"""Fault tests: a real Celery worker (a subprocess) against the local Redis, on a database and a
media folder of the test's own, and the faults done to it for real.

The test process and the worker share the database, so it cannot be pytest-django's test
database (an in-memory SQLite one on `make test`): for the length of the test the default
connection points at a database made for it — a SQLite file, or a new PostgreSQL database when
the suite runs on PostgreSQL — migrated like any instance. The worker reaches Redis DB 10
under a key prefix of the test's own, so parallel runs never share a message.

Without Redis the tests are skipped, except under CI=true where they fail: they cannot
silently not run in CI.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from celery import _state as celery_state
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/10")
STALE_SECONDS = 3
# Variables of this process that must not reach the worker: it gets its own.
_CLEARED = ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "FACTORYTIERS_VAR_DIR")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS} ({error}); .ci/run starts it.")
        pytest.skip(f"Redis is not reachable at {REDIS}: the fault tests need a real broker")
    return REDIS


@contextmanager
def own_database(folder: Path):
    """Point the default connection at a new, migrated database; yield its URL for the
    worker. The test database's connection is kept aside, untouched (closing an in-memory
    SQLite database would lose it), and put back afterwards."""
    connection = connections["default"]
    saved_settings = copy.deepcopy(connection.settings_dict)
    saved_connection, connection.connection = connection.connection, None
    if connection.vendor == "sqlite":
        name = str(folder / "faults.sqlite3")
        url = f"sqlite:///{name}"
    else:
        name = f"test_faults_{uuid.uuid4().hex[:12]}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        s = saved_settings
        credentials = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        url = f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield url
    finally:
        connection.close()
        if connection.vendor != "sqlite":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection
        ContentType.objects.clear_cache()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """The test process's side of the queue: the Celery app the services send through."""

    def __init__(self, url: str, prefix: str):
        self.url, self.prefix = url, prefix

    @contextmanager
    def current(self, url: str | None = None):
        """Make the services send to ``url`` (default: the test's Redis)."""
        previous = celery_state.get_current_app()
        app = Celery("factorytiers", broker=url or self.url, set_as_current=False)
        app.conf.update(
            task_always_eager=False,
            broker_transport_options={"global_keyprefix": self.prefix},
            broker_connection_retry_on_startup=False,
        )
        app.set_current()
        try:
            yield app
        finally:
            previous.set_current()
            app.close()

    def clean(self) -> None:
        client = redis.Redis.from_url(self.url)
        for key in client.scan_iter(match=f"{self.prefix}*"):
            client.delete(key)


class Workers:
    """Celery worker subprocesses sharing the test's database, media folder and broker keys."""

    def __init__(self, folder: Path, environment: dict[str, str]):
        self.folder, self.environment, self.started = folder, environment, []

    def start(self, *, slow: float = 0) -> subprocess.Popen:
        number = len(self.started) + 1
        ready = self.folder / f"worker-{number}.ready"
        log = (self.folder / f"worker-{number}.log").open("wb")
        command = [sys.executable, str(ROOT / "tests" / "faults" / "worker.py")]
        if os.geteuid() == 0:
            # Root writes into a read-only folder anyway; a service user cannot. Without the
            # capability to override file permissions the worker behaves like one.
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to run the worker as root"
            command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *command]
        env = {
            **self.environment,
            "FAULTS_READY_FILE": str(ready),
            "FAULTS_SLOW_SECONDS": str(slow),
        }
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        process.log_path = log.name
        self.started.append(process)
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert process.poll() is None, f"the worker stopped:\n{self.log(process)}"
            assert time.monotonic() < deadline, f"the worker did not start:\n{self.log(process)}"
            time.sleep(0.1)
        return process

    @staticmethod
    def log(process) -> str:
        return Path(process.log_path).read_text(errors="replace")[-4000:]

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def instance(redis_url, tmp_path, django_db_blocker):
    """The test's own database, media folder and broker keys; ``workers`` to start workers on
    them and ``broker`` to send through; everything is removed afterwards."""
    media = tmp_path / "media"
    media.mkdir()
    prefix = f"faults-{uuid.uuid4().hex[:12]}:"
    broker = Broker(redis_url, prefix)
    with (
        django_db_blocker.unblock(),
        own_database(tmp_path) as database_url,
        override_settings(MEDIA_ROOT=str(media), JOB_STALE_SECONDS=STALE_SECONDS),
    ):
        environment = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        environment.update(
            FACTORYTIERS_DEV="1",
            PYTHONPATH=str(ROOT),
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(media),
            FACTORYTIERS_VAR_DIR=str(tmp_path / "var"),
            CELERY_BROKER_URL=redis_url,
            JOB_STALE_SECONDS=str(STALE_SECONDS),
            FAULTS_KEY_PREFIX=prefix,
        )
        workers = Workers(tmp_path, environment)
        try:
            yield type("Instance", (), {"media": media, "workers": workers, "broker": broker})
        finally:
            workers.stop_all()
            broker.clean()
            for folder in [media, *media.rglob("*")]:
                if folder.is_dir():
                    folder.chmod(0o755)
