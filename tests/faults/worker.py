"""A Celery worker for the fault tests: the project's worker, on the test's own broker keys.

Run as ``python tests/faults/worker.py`` with the environment the test gives it: DATABASE_URL,
MEDIA_ROOT and CELERY_BROKER_URL as for any worker, and
- FAULTS_KEY_PREFIX: every Redis key of this test run starts with it (tests in parallel on the
  same Redis never see each other's messages);
- FAULTS_READY_FILE: written once the worker consumes;
- FAULTS_SLOW_SECONDS: a pause before each member of a material package, so that a test can
  kill the worker in the middle of a build.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")

import django  # noqa: E402

django.setup()

from celery.signals import worker_ready  # noqa: E402

from factorytiers.celery import app  # noqa: E402
from factorytiers.documents import packages  # noqa: E402

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "global_keyprefix": os.environ["FAULTS_KEY_PREFIX"],
}

SLOW = float(os.environ.get("FAULTS_SLOW_SECONDS", "0"))
if SLOW:
    copy_into = packages._copy_into

    def slow_copy_into(*args, **kwargs):
        time.sleep(SLOW)
        return copy_into(*args, **kwargs)

    packages._copy_into = slow_copy_into


@worker_ready.connect
def _ready(**kwargs):
    Path(os.environ["FAULTS_READY_FILE"]).write_text(str(os.getpid()))


if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
