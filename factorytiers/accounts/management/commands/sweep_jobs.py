"""`manage.py sweep_jobs`: end stale background jobs as 失败 (for cron where no beat runs)."""

from django.core.management.base import BaseCommand

from factorytiers.accounts.jobs import sweep


class Command(BaseCommand):
    help = "将已中断（心跳超时）或排队过久的后台任务标记为失败。可每分钟由 cron 运行。"

    def handle(self, *args, **options):
        ended = sweep()
        if options["verbosity"] >= 1:
            self.stdout.write(f"已标记为失败的后台任务：{ended} 个")
