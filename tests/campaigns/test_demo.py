from factorytiers.campaigns import demo
from factorytiers.campaigns.models import Application
from factorytiers.enterprises.models import TierRecognition
from tests.conftest import make_enterprise


def test_the_demo_puts_applications_in_several_states(db, unit_a, unit_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for i in range(3):
        make_enterprise(unit_a, name=f"太原演示{i}有限公司", body=f"MA0D000{i}")
        make_enterprise(unit_b, name=f"大同演示{i}有限公司", body=f"MA0E000{i}")
    counts = demo.generate(seed=1)
    states = set(Application.objects.values_list("state", flat=True))
    assert counts["applications"] == 6
    assert {"draft", "returned"} <= states
    assert TierRecognition.objects.count() == counts["recognized"]
