from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from factorytiers.reference.loaders import load_all


class Command(BaseCommand):
    help = "从 factorytiers/data 的数据文件重新载入参考数据（幂等）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_all(lambda name: apps.get_model("reference", name))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
