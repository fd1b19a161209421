"""Notifications written by the services: who hears of what."""

from django.urls import reverse
from django.utils.translation import gettext as _

from factorytiers.accounts.models import Role, User

from .models import Application, Notification
from .workflow import state_label


def send(recipients, text: str, link: str = "") -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=user, text=text[:300], link=link) for user in set(recipients)]
    )


def enterprise_users(enterprise_id):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True)


def unit_officers(unit_id):
    return User.objects.filter(role=Role.CITY, unit_id=unit_id, is_active=True)


def province_officers():
    return User.objects.filter(role=Role.PROVINCE, is_active=True)


def application_changed(application: Application, comment: str = "") -> None:
    link = reverse("campaigns:application_detail", args=[application.pk])
    text = _("“%(project)s”状态：%(state)s") % {
        "project": application.project_name,
        "state": state_label(application.state, for_enterprise=True),
    }
    if comment:
        text += _("。意见：%(comment)s") % {"comment": comment}
    send(enterprise_users(application.enterprise_id), text, link)
    if application.state == "submitted":
        send(
            unit_officers(application.unit_id),
            _("%(enterprise)s提交了“%(project)s”，待审核。")
            % {"enterprise": application.enterprise.name, "project": application.project_name},
            link,
        )
