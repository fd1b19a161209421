"""`manage.py backup` and `restore`: an instance with the demo data (accounts, applications with
their uploaded files, recognitions, audit and history rows) is backed up, emptied to a fresh
`migrate`'s state, restored, and compared table by table, row by row, and file by file."""

import hashlib
import io
import json
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from factorytiers.accounts.models import User
from factorytiers.dashboards.backup import backed_up_models
from factorytiers.enterprises.models import Enterprise
from tests.access import database_rows


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _every_row() -> dict[str, list[tuple]]:
    """Every row of every backed-up table, the ones `database_rows` leaves out included."""
    rows = database_rows()
    for model in backed_up_models():
        label = model._meta.label_lower
        rows.setdefault(label, list(model._base_manager.order_by("pk").values_list()))
    return rows


def _fresh_instance(media: Path) -> None:
    """What `migrate` leaves on a new machine: the seeded data only, and no uploaded file."""
    if connection.vendor == "postgresql":
        connection.check_constraints()  # PostgreSQL will not TRUNCATE with checks pending
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", run_syncdb=False, verbosity=0)
    shutil.rmtree(media)


@pytest.fixture
def instance(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", enterprises=60, stdout=StringIO())
    return settings.MEDIA_ROOT


def test_a_restore_brings_back_every_row_and_every_file(instance, tmp_path):
    before_rows, before_files = _every_row(), _files(instance)
    assert before_files, "the demo has uploaded files"
    assert sum(map(len, before_rows.values())) > 1000
    backup = tmp_path / "ft.tar.gz"
    out = StringIO()
    call_command("backup", str(backup), stdout=out)
    assert "已备份" in out.getvalue()

    _fresh_instance(instance)
    assert not User.objects.exists() and not instance.exists()
    call_command("restore", str(backup), stdout=StringIO())

    after = _every_row()
    changed = [table for table in before_rows if before_rows[table] != after[table]]
    assert not changed, changed
    assert _files(instance) == before_files
    # The instance goes on: new rows get new ids after the restored ones.
    enterprise = Enterprise.objects.order_by("-pk").first()
    copy = Enterprise.objects.create(
        **{
            f.attname: getattr(enterprise, f.attname)
            for f in Enterprise._meta.concrete_fields
            if f.attname not in {"id", "credit_code"}
        },
        credit_code="91140100MA0Z00000X",
    )
    assert copy.pk > enterprise.pk


def test_the_manifest_counts_rows_and_checksums_files(instance, tmp_path):
    backup = tmp_path / "ft.tar.gz"
    call_command("backup", str(backup), stdout=StringIO())
    with tarfile.open(backup) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["tables"]["enterprises.enterprise"] == Enterprise.objects.count()
    assert "sessions.session" not in manifest["tables"]
    assert manifest["files"] == {
        name: {"size": (instance / name).stat().st_size, "sha256": digest}
        for name, digest in _files(instance).items()
    }


def test_a_restore_over_an_instance_with_accounts_needs_replace(instance, tmp_path):
    backup = tmp_path / "ft.tar.gz"
    call_command("backup", str(backup), stdout=StringIO())
    before = _every_row()
    with pytest.raises(CommandError, match="本实例已有用户账号"):
        call_command("restore", str(backup), stdout=StringIO())
    assert _every_row() == before
    call_command("restore", str(backup), replace=True, stdout=StringIO())
    assert _every_row() == before


def test_a_damaged_file_rolls_the_whole_restore_back(instance, tmp_path):
    backup = tmp_path / "ft.tar.gz"
    call_command("backup", str(backup), stdout=StringIO())
    # Rewrite one uploaded file's bytes inside the backup, keeping its name and size.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(backup) as source, tarfile.open(damaged, "w:gz") as target:
        flipped = False
        for member in source.getmembers():
            content = source.extractfile(member).read() if member.isfile() else None
            if content and member.name.startswith("media/") and not flipped:
                content = bytes([content[0] ^ 0xFF]) + content[1:]
                flipped = True
            target.addfile(member, None if content is None else io.BytesIO(content))
    _fresh_instance(instance)
    seeded = _every_row()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(damaged), stdout=StringIO())
    assert _every_row() == seeded
    assert not instance.exists()


def test_an_existing_backup_file_is_not_overwritten(instance, tmp_path):
    backup = tmp_path / "ft.tar.gz"
    backup.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(backup), stdout=StringIO())
    assert backup.read_bytes() == b"keep me"


def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="无法打开备份文件"):
        call_command("restore", str(bogus), stdout=StringIO())
