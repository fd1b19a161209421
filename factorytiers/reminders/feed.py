"""A user's deadlines as an iCalendar feed (RFC 5545), written with ``icalendar``.

Each deadline is an all-day event on its date in Asia/Shanghai (the notice gives dates, not
hours), with a UID that stays the same across renders (task and user), a Chinese SUMMARY in
the user's e-mail language, and the task's address.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from factorytiers.domain.deadlines import SHANGHAI


def ics(tasks, *, user, language: str, now: datetime, reviews=()) -> bytes:
    """``tasks``: the deadlines waiting on the user; ``reviews``: an expert's assignments still
    to be scored, each an event on its score due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Factory Tiers//智能工厂梯度培育管理系统//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    with translation.override(language):
        calendar.add("x-wr-calname", _("智能工厂梯度培育 · 截止日期"))
        for task in tasks:
            calendar.add_component(
                _event(
                    uid=f"task-{task.pk}-user-{user.pk}@factorytiers",
                    now=now,
                    on=task.deadline,
                    summary=_("截止：%(task)s") % {"task": task.title},
                    description=_("%(campaign)s：“%(task)s”于%(deadline)s截止。")
                    % {
                        "campaign": task.campaign.title,
                        "task": task.title,
                        "deadline": task.deadline.isoformat(),
                    },
                    path=reverse("campaigns:task", args=[task.pk]),
                )
            )
        for assignment in reviews:
            application = assignment.application
            subject = f"{application.enterprise.name} · {application.project_name}"
            calendar.add_component(
                _event(
                    uid=f"review-{assignment.pk}-user-{user.pk}@factorytiers",
                    now=now,
                    on=assignment.due_on,
                    summary=_("评分截止：%(subject)s") % {"subject": subject},
                    description=_("%(task)s：“%(subject)s”的评分于%(deadline)s截止。")
                    % {
                        "task": application.task.title,
                        "subject": subject,
                        "deadline": assignment.due_on.isoformat(),
                    },
                    path=reverse("campaigns:score", args=[assignment.pk]),
                )
            )
    return calendar.to_ical()


def _event(*, uid: str, now: datetime, on: date, summary: str, description: str, path: str):
    """One all-day event on the date ``on``, free time (TRANSP), linking to the page at
    ``path`` on the site."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(SHANGHAI))
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", settings.SITE_URL.rstrip("/") + path)
    event.add("transp", "TRANSPARENT")
    return event
