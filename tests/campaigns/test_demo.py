from factorytiers.campaigns import demo
from factorytiers.campaigns.models import Application, Campaign, Submission, Transition
from factorytiers.enterprises.models import TierRecognition
from tests.conftest import make_enterprise


def test_the_demo_puts_applications_in_several_states(db, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for i in range(3):
        make_enterprise(unit_a, name=f"太原演示{i}有限公司", body=f"MA0D000{i}")
        make_enterprise(unit_b, name=f"大同演示{i}有限公司", body=f"MA0E000{i}")
    counts = demo.generate(seed=1)
    states = set(Application.objects.filter(campaign__year=2026).values_list("state", flat=True))
    assert counts["applications"] >= 6
    assert {"returned", "recognized"} <= states
    assert (
        TierRecognition.objects.filter(year=2026).exclude(recognized_by="unit").count()
        == (counts["recognized"])
    )
    # 2026 is a finished year: every step fell before its deadline.
    for submission in Submission.objects.filter(task__campaign__year=2026, state="submitted"):
        assert not submission.is_late
        assert submission.submitted_at.date() <= submission.task.deadline
    for transition in Transition.objects.filter(application__campaign__year=2026):
        assert transition.at.year == 2026
    # 2027 is created from 2026, dates moved on a year, and in progress.
    campaign_2027 = Campaign.objects.get(year=2027)
    assert campaign_2027.tasks.get(kind="advanced").deadline.isoformat() == "2027-05-06"
    assert Application.objects.filter(campaign=campaign_2027, state="submitted").exists()
