"""``manage.py load_demo`` (what `make run` loads) runs through every app's demo data and prints
the log-ins; every write goes through the services, versions included."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from factorytiers.accounts.models import User
from factorytiers.assessments.models import Assessment
from factorytiers.campaigns.models import Application
from factorytiers.enterprises.models import Enterprise


def test_the_demo_loads_and_prints_the_log_ins(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("load_demo", enterprises=120, stdout=out)
    printed = out.getvalue()
    assert "已生成演示数据：企业 120 家" in printed
    taiyuan = Enterprise.objects.filter(unit__code="140100").order_by("pk").first()
    for username in ("admin", "province", "taiyuan", taiyuan.credit_code):
        assert username in printed
        assert User.objects.filter(username=username).exists()
    # The enterprise user logs in with the credit code, as a registered enterprise does.
    assert (
        client.post(
            reverse("accounts:login"),
            {"username": taiyuan.credit_code.lower(), "password": settings.DEMO_PASSWORD},
        ).status_code
        == 302
    )
    assert Assessment.objects.filter(status="submitted").exists()
    assert Application.objects.filter(state="recognized").exists()
    # A second run keeps the data and only prints the log-ins.
    call_command("load_demo", enterprises=120, stdout=StringIO())
    assert User.objects.filter(username="admin").count() == 1
