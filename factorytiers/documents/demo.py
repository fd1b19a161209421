"""Demo 附件2 reports: a few units write their report and hand it in before 5月22日."""

from datetime import date

from factorytiers.accounts.demo import on
from factorytiers.campaigns.demo import report_unit_task
from factorytiers.campaigns.models import Campaign, Task
from factorytiers.enterprises.models import Enterprise

from . import services


def generate(units: int = 3) -> int:
    campaign = Campaign.objects.get(year=2026)
    task = campaign.tasks.get(kind=Task.Kind.REPORT)
    written = 0
    for unit_id in (
        Enterprise.objects.values_list("unit_id", flat=True).distinct().order_by("unit_id")[:units]
    ):
        with on(date(2026, 5, 20)):
            city = report_unit_task(
                task,
                unit_id,
                before=lambda city: services.save_report(
                    actor=city,
                    unit=city.unit,
                    campaign=campaign,
                    texts={
                        "measures": "一是健全工作机制，二是强化政策支持，三是开展诊断服务。",
                        "next_steps": "持续开展梯度培育，推动更多企业达到先进级。",
                    },
                    version=0,
                ),
            )
        written += city is not None
    return written
