"""Authorization matrix entries of the reminders app (see tests/access.py)."""

from factorytiers.campaigns.models import Campaign, Task
from factorytiers.reminders.models import CampaignReminders, Preference, Urge
from factorytiers.reminders.services import renew_calendar_token
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, ROLES, everyone, get, post

LOGGED_IN = [role for role in ROLES if role != "anonymous"]


class _Token:
    """A calendar token as a URL argument (the matrix passes ``.pk``)."""

    def __init__(self, value: str):
        self.pk = value


def _campaign(objects):
    return Campaign.objects.get(year=2026)


def _self_assessment(objects):
    return Task.objects.get(campaign__year=2026, kind=Task.Kind.SELF_ASSESSMENT)


def _preference(objects, role):
    return Preference.objects.filter(user=objects["users"][role]).first()


def _urged_own_unit_only(objects, role):
    own = objects["enterprise_a"] if role == "city_a" else objects["enterprise_b"]
    return set(Urge.objects.values_list("enterprise_id", flat=True)) == {own.pk}


OBJECTS = {
    "reminders_campaign": _campaign,
    "reminders_task": _self_assessment,
    # City A's private calendar link; the feed answers whoever holds it, logged in or not.
    "calendar_token_a": lambda o: _Token(
        renew_calendar_token(actor=o["users"]["city_a"]).calendar_token
    ),
    "calendar_token_wrong": lambda o: _Token("not-a-token-" + "x" * 31),
}

MATRIX = {
    "reminders:preferences": [
        get({}, everyone(OK, anonymous=LOGIN)),
        post(
            {},
            everyone(REDIRECT, anonymous=LOGIN),
            data=lambda o, role: {"language": "zh-hans", "version": "1"},
            allowed=LOGGED_IN,
            effect=lambda o, role: _preference(o, role).email_enabled is False,
        ),
    ],
    "reminders:renew_calendar": [
        post(
            {},
            everyone(REDIRECT, anonymous=LOGIN),
            data=lambda o, role: {},
            allowed=LOGGED_IN,
            effect=lambda o, role: bool(_preference(o, role).calendar_token),
        )
    ],
    "reminders:calendar": [
        get({"token": "calendar_token_a"}, everyone(OK)),
        get({"token": "calendar_token_wrong"}, everyone(NOT_FOUND)),
    ],
    "reminders:urge": [
        # City B names unit A's list: it urges its own unit's enterprises, never unit A's.
        post(
            {},
            everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=REDIRECT),
            data=lambda o, role: {
                "source": "enterprises",
                "unit": str(o["enterprise_a"].unit_id),
                "task": str(o["reminders_task"].pk),
                "confirm": "1",
            },
            allowed={"city_a", "city_b"},
            effect=_urged_own_unit_only,
        )
    ],
    "reminders:campaign_reminders": [
        get({"pk": "reminders_campaign"}, everyone(FORBIDDEN, anonymous=LOGIN, province=OK)),
        post(
            {"pk": "reminders_campaign"},
            everyone(FORBIDDEN, anonymous=LOGIN, province=REDIRECT),
            data=lambda o, role: {"days_before": "5,2", "version": "1"},
            allowed={"province"},
            effect=lambda o, role: CampaignReminders.objects.filter(
                campaign=o["reminders_campaign"], days_before=[5, 2]
            ).exists(),
        ),
    ],
}
