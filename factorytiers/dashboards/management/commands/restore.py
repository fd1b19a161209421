"""`manage.py restore <file.tar.gz> [--replace]`: put a backup into this instance."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factorytiers.dashboards.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复整个实例（先执行 migrate；实例中已有用户账号时须加 --replace）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="由 manage.py backup 生成的备份文件")
        parser.add_argument(
            "--replace", action="store_true", help="覆盖已有数据（包括已有的用户账号）"
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            summary = restore_backup(file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已恢复：{summary.tables} 张数据表、{summary.rows} 行，"
            f"{summary.files} 个上传文件（{summary.bytes} 字节）← {file}"
        )
