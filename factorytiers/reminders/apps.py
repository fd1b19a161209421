from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "factorytiers.reminders"
    verbose_name = "提醒与日历"

    def ready(self):
        from factorytiers.campaigns.notify import notifications_sent

        from .mail import mail_after_commit

        notifications_sent.connect(mail_after_commit, dispatch_uid="reminders.mail")
