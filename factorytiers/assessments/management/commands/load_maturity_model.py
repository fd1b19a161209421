from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factorytiers.assessments.loaders import load_model_file
from factorytiers.assessments.models import MaturityModelEdition
from factorytiers.domain.maturity import DEFAULT_MODEL_PATH, ModelError


class Command(BaseCommand):
    help = "把成熟度模型文件（TOML）登记为一个模型版本；已登记的版本不重复登记。"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_MODEL_PATH))
        parser.add_argument("--activate", action="store_true", help="登记后设为当前启用的版本")

    def handle(self, *args, path, activate, **options):
        try:
            with transaction.atomic():
                row, created = load_model_file(MaturityModelEdition, Path(path), activate=activate)
                if activate and not row.is_active:
                    MaturityModelEdition.objects.filter(is_active=True).update(is_active=False)
                    row.is_active = True
                    row.save(update_fields=["is_active"])
        except ModelError as exc:
            raise CommandError(str(exc)) from exc
        state = "已登记" if created else "已存在"
        self.stdout.write(f"{state}：{row}{'（当前启用）' if row.is_active else ''}")
