"""A user's own notifications."""

from ..models import Notification


def mark_read(*, actor, notification: Notification) -> None:
    Notification.objects.visible_to(actor).filter(pk=notification.pk).update(is_read=True)
