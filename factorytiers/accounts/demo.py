"""The demo data's clock: steps taken inside ``on(day)`` carry that day (the services, the audit
log and the history read it as now), so a demo year's dates fall where a real year's would."""

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def on(day: date, hour: int = 10):
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield
