"""The one place that e-mails a notification: after the transaction that wrote it commits, to
each recipient with an address who has not turned e-mail off, in the recipient's language.

``campaigns.notify.send`` announces the notifications that ask their reader to act
(``notifications_sent``); reminders and 督促 go through it too. A failing mail server is logged
and never undoes or blocks the change that caused the notification: the notification itself is
in the product already.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from factorytiers.accounts.writes import after_commit
from factorytiers.campaigns.models import Notification
from factorytiers.campaigns.notify import message

from .models import Preference

logger = logging.getLogger(__name__)


def mail_after_commit(sender, notifications, **kwargs) -> None:
    """Receiver of ``notifications_sent``."""
    ids = [n.pk for n in notifications if n.pk is not None]
    if ids:
        after_commit(partial(email_notifications, ids))


def absolute(link: str) -> str:
    """A link of the product as an address that works outside it (SITE_URL + path)."""
    if not link:
        return ""
    return settings.SITE_URL.rstrip("/") + link


def email_notifications(ids) -> int:
    """E-mail the notifications ``ids``; returns how many e-mails were handed to the server."""
    notifications = list(
        Notification.objects.filter(pk__in=ids, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not notifications:
        return 0
    preferences = {
        p.user_id: p
        for p in Preference.objects.filter(user__in={n.recipient_id for n in notifications})
    }
    messages = []
    for notification in notifications:
        preference = preferences.get(notification.recipient_id)
        if preference is not None and not preference.email_enabled:
            continue
        language = preference.language if preference else settings.LANGUAGE_CODE
        with translation.override(language):
            text = message(notification)
            subject = _("【智能工厂梯度培育】%(text)s") % {"text": text}
            body = render_to_string(
                "reminders/email.txt",
                {
                    "recipient": notification.recipient,
                    "text": text,
                    "link": absolute(notification.link),
                    "preferences": absolute(reverse("reminders:preferences")),
                },
            )
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split())[:200],
                body=body,
                to=[notification.recipient.email],
            )
        )
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the mail server's failure is logged, the change stands
        logger.exception("reminder e-mails not sent (%d)", len(messages))
        return 0
