"""Fixtures of the reminders tests: the seeded 2026 campaign, users with e-mail addresses, a
clock frozen on a chosen Shanghai day, and helpers for work done."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from factorytiers.campaigns.models import Campaign, Submission

SHANGHAI = ZoneInfo("Asia/Shanghai")
APRIL_15 = date(2026, 4, 15)  # the self-assessment and 揭榜 deadline of the 2026 notice


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def travel():
    """``travel(moment)`` moves the frozen clock (it does not tick)."""
    with time_machine.travel(shanghai(2026, 3, 1, 8), tick=False) as traveller:
        yield traveller.move_to


@pytest.fixture
def campaign(db) -> Campaign:
    return Campaign.objects.get(year=2026)


@pytest.fixture
def self_assessment(campaign):
    return campaign.tasks.get(kind="self_assessment")


@pytest.fixture
def mailed_users(users):
    """Every user with an e-mail address of their own."""
    for key, user in users.items():
        user.email = f"{key}@example.com"
        user.save(update_fields=["email"])
    return users


def assessed(enterprise, year=2026):
    """The enterprise has a counted result for ``year`` (a national-platform result)."""
    return PlatformResult.objects.create(
        enterprise=enterprise,
        year=year,
        score=Decimal("2.40"),
        level=2,
        assessed_on=date(year, 3, 20),
        source=PlatformResult.Source.IMPORT,
        edition=MaturityModelEdition.objects.active(),
    )


def reported(task, unit):
    """The unit has reported the task to the province."""
    return Submission.objects.update_or_create(
        task=task, unit=unit, defaults={"state": Submission.State.SUBMITTED}
    )[0]
