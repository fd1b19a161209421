"""`manage.py backup <file.tar.gz>`: every table's rows and every uploaded file in one file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factorytiers.dashboards.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "备份整个实例（全部数据表与上传文件）到一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件路径（.tar.gz，不能已存在）")

    def handle(self, *args, file: Path, **options):
        try:
            summary = write_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已备份：{summary.tables} 张数据表、{summary.rows} 行，"
            f"{summary.files} 个上传文件（{summary.bytes} 字节）→ {file}"
        )
