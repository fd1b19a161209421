"""Background work of the reminders app (Celery beat runs it daily; see settings)."""

from celery import shared_task


@shared_task
def send_reminders_task() -> int:
    """Send the reminders due today, each once (as ``manage.py send_reminders``)."""
    from .services import send_reminders

    return send_reminders()
