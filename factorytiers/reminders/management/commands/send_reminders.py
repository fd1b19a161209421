"""``manage.py send_reminders``: the deadline reminders due today, each once (for cron).

Safe to run as often as wanted, and on several nodes at once: a reminder already sent is never
sent again.
"""

from django.core.management.base import BaseCommand

from factorytiers.reminders.services import send_reminders


class Command(BaseCommand):
    help = "发送今天到期的截止提醒（每条只发一次，可重复运行）。"

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(f"已提醒 {count} 人次。")
