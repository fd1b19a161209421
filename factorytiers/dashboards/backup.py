"""Backup and restore of a whole instance: every table's rows and every uploaded file.

A backup is one ``.tar.gz``:

- ``manifest.json``: the format, when it was made, the database engine it came from, the
  migrations applied (a restore needs the same ones), each table's row count and each file's
  size and SHA-256;
- ``data/<app_label.model>.jsonl``: the rows of every concrete model (history tables, the
  many-to-many tables, content types and permissions included): a line naming the columns, then
  one line per row, every value exact (microseconds, decimals, bytes), read back line by line
  without loading a table into memory;
- ``media/…``: the uploaded files as stored under MEDIA_ROOT.

The rows are read in one transaction (a consistent snapshot on PostgreSQL: REPEATABLE READ).
Sessions are left out: a restored instance starts with everyone logged out. So are the
statistics' versions (see ``LEFT_OUT``).

A restore goes into an instance migrated to the same migrations and holding no accounts (a fresh
``migrate``, whose seeded reference data it replaces); ``replace=True`` overwrites an instance that
has some. It empties every table and loads every row in one transaction — the foreign keys are
deferred, so the order of the tables does not matter, and they are checked before the commit —
then puts the files back and checks each one's checksum. Any failure leaves the database as it
was.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

FORMAT = "factorytiers-backup/1"
# The figures' versions are left out too, neither saved nor emptied: the database's triggers
# count them up as the rows are deleted and loaded, never back to a number a running process
# may have cached counts under (``documents.models.FiguresVersion``).
LEFT_OUT = {"sessions.session", "documents.figuresversion"}
BATCH = 2000


class BackupError(Exception):
    """The backup cannot be made or restored; the message (Chinese) says why."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def backed_up_models() -> list:
    """Every concrete model with a table of its own, many-to-many tables included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in LEFT_OUT:
            continue
        found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _columns(model) -> list:
    return list(model._meta.local_concrete_fields)


def _encode(value: Any) -> Any:
    """A column's value as JSON, losing nothing (Django's JSON encoder cuts microseconds)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _dump_table(model, stream: TextIO, using: str) -> int:
    """The table as JSON lines: first the column names, then one list of values per row."""
    fields = _columns(model)
    stream.write(json.dumps({"columns": [f.attname for f in fields]}) + "\n")
    rows = model._base_manager.using(using).order_by("pk").values_list(*[f.attname for f in fields])
    count = 0
    for row in rows.iterator(chunk_size=BATCH):
        stream.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
        count += 1
    return count


# -- backup ------------------------------------------------------------------------------------


def write_backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the instance's rows and files to ``target`` (a new .tar.gz)."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("备份文件“%(name)s”已存在，不会覆盖。") % {"name": target})
    media_root = Path(settings.MEDIA_ROOT)
    connection = connections[using]
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work:
        data_dir = Path(work) / "data"
        data_dir.mkdir()
        # A snapshot of every table at one moment (PostgreSQL; SQLite's transaction is one).
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for model in backed_up_models():
                label = model._meta.label_lower
                with (data_dir / f"{label}.jsonl").open("w", encoding="utf-8") as stream:
                    counts[label] = _dump_table(model, stream, using)
            migrations = _applied_migrations(using)
        files = {
            name: {"size": path.stat().st_size, "sha256": _sha256(path)}
            for name, path in _media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": connection.vendor,
            "migrations": migrations,
            "tables": counts,
            "files": files,
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(
                    archive,
                    "manifest.json",
                    json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
                )
                for path in sorted(data_dir.iterdir()):
                    archive.add(path, arcname=f"data/{path.name}")
                for name in files:
                    archive.add(media_root / name, arcname=f"media/{name}")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(
        len(counts), sum(counts.values()), len(files), sum(f["size"] for f in files.values())
    )


# -- restore -----------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError as error:
        raise BackupError(_("这不是本系统的备份文件：缺少 manifest.json。")) from error
    if member is None:
        raise BackupError(_("这不是本系统的备份文件：缺少 manifest.json。"))
    try:
        manifest = json.loads(member.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(_("备份文件的 manifest.json 已损坏。")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份文件格式“%(format)s”不受支持（应为 %(expected)s）。")
            % {"format": manifest.get("format"), "expected": FORMAT}
        )
    return manifest


def _check_target(manifest: dict, *, using: str, replace: bool) -> None:
    if manifest["migrations"] != _applied_migrations(using):
        raise BackupError(
            _(
                "备份时的数据库结构（迁移）与本实例不同：请用生成备份的同一版本程序，"
                "在执行 migrate 后恢复。"
            )
        )
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if not replace and user_model._base_manager.using(using).exists():
        raise BackupError(
            _("本实例已有用户账号，恢复会覆盖全部数据。如确需覆盖，请加 --replace 再执行。")
        )
    known = {model._meta.label_lower for model in backed_up_models()}
    if set(manifest["tables"]) != known:
        raise BackupError(_("备份中的数据表与本实例的数据表不一致，不能恢复。"))


def _load_rows(archive: tarfile.TarFile, manifest: dict, using: str) -> int:
    connection = connections[using]
    models = backed_up_models()
    tables = [model._meta.db_table for model in models]
    if connection.vendor == "postgresql":
        # Settle the foreign-key checks of earlier writes in this transaction (a caller's):
        # PostgreSQL refuses to TRUNCATE a table with checks pending.
        connection.check_constraints()
    # Empty every backed-up table (the seeded reference data of a fresh migrate included).
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)
    loaded = 0
    for model in models:
        label = model._meta.label_lower
        member = archive.extractfile(f"data/{label}.jsonl")
        if member is None:
            raise BackupError(_("备份文件缺少数据表 %(table)s。") % {"table": label})
        text = io.TextIOWrapper(member, encoding="utf-8")
        fields = _columns(model)
        columns = json.loads(text.readline() or "{}").get("columns")
        if columns != [f.attname for f in fields]:
            raise BackupError(_("数据表 %(table)s 的列与本实例不一致。") % {"table": label})
        batch = []
        count = 0
        for number, line in enumerate(text, start=2):
            batch.append(_row(model, fields, line, f"{label}:{number}"))
            if len(batch) >= BATCH:
                count += _insert(model, batch, using)
                batch = []
        count += _insert(model, batch, using)
        if count != manifest["tables"][label]:
            raise BackupError(
                _("数据表 %(table)s 应有 %(expected)s 行，备份中只有 %(found)s 行。")
                % {"table": label, "expected": manifest["tables"][label], "found": count}
            )
        loaded += count
    connection.check_constraints(table_names=tables)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return loaded


def _row(model, fields: list, line: str, where: str):
    try:
        values = json.loads(line)
        return model(**{f.attname: f.to_python(v) for f, v in zip(fields, values, strict=True)})
    except (ValueError, TypeError, ValidationError) as error:
        raise BackupError(_("备份数据第 %(where)s 行已损坏。") % {"where": where}) from error


def _insert(model, rows: list, using: str) -> int:
    """Insert the rows as they are: a raw insert (as ``loaddata`` saves), so that no field fills
    itself in — an ``auto_now`` date keeps the backup's value."""
    if not rows:
        return 0
    fields = model._meta.local_concrete_fields
    size = max(1, connections[using].ops.bulk_batch_size(fields, rows))
    manager = model._base_manager.using(using)
    for start in range(0, len(rows), size):
        manager._insert(rows[start : start + size], fields=fields, raw=True, using=using)
    return len(rows)


def _restore_files(archive: tarfile.TarFile, manifest: dict, media_root: Path) -> int:
    """Unpack media/ into a fresh folder beside MEDIA_ROOT, check every checksum, then swap."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        members = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
        names = {PurePosixPath(m.name).relative_to("media").as_posix() for m in members}
        if names != set(manifest["files"]):
            raise BackupError(_("备份中的上传文件与清单不一致，不能恢复。"))
        archive.extractall(staging, members=members, filter="data")
        for name, expected in manifest["files"].items():
            if _sha256(staging / "media" / name) != expected["sha256"]:
                raise BackupError(
                    _("上传文件“%(name)s”校验失败，备份文件可能已损坏。") % {"name": name}
                )
        unpacked = staging / "media"
        unpacked.mkdir(exist_ok=True)
        if media_root.exists():
            old = media_root.with_name(media_root.name + ".before-restore")
            shutil.rmtree(old, ignore_errors=True)
            media_root.replace(old)
            unpacked.replace(media_root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            unpacked.replace(media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(manifest["files"])


def restore_backup(
    source: Path, *, using: str = DEFAULT_DB_ALIAS, replace: bool = False
) -> Summary:
    """Replace this instance's rows and files with the backup's (see the module's text)."""
    try:
        archive = tarfile.open(Path(source), "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("无法打开备份文件“%(name)s”。") % {"name": source}) from error
    with archive:
        manifest = _read_manifest(archive)
        _check_target(manifest, using=using, replace=replace)
        with transaction.atomic(using=using):
            rows = _load_rows(archive, manifest, using)
            # Files last, inside the transaction: a bad file rolls the rows back too.
            files = _restore_files(archive, manifest, Path(settings.MEDIA_ROOT))
    size = sum(entry["size"] for entry in manifest["files"].values())
    return Summary(len(manifest["tables"]), rows, files, size)
