"""The task page's application tables show the workflow labels, never the state codes:
the officer's label to officers, the enterprise's label to the enterprise."""

import re

from django.urls import reverse

from factorytiers.campaigns.services import (
    submissions,
)
from factorytiers.campaigns.workflow import STATES

from .conftest import recommended, stamped, submitted, unit_submission


def state_cells(response, table_id="applications"):
    html = response.content.decode()
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(r'<td class="application-state">(.*?)</td>', table)


def test_the_enterprise_sees_its_label_and_the_city_the_officer_label(
    client, users, advanced_task, factory_a
):
    submitted(users, advanced_task, factory_a)
    url = reverse("campaigns:task", args=[advanced_task.pk])
    client.force_login(users["enterprise_a"])
    assert state_cells(client.get(url)) == ["已提交，市级审核中"]
    client.force_login(users["city_a"])
    assert state_cells(client.get(url)) == ["待市级审核"]


def test_the_province_review_table_shows_officer_labels(
    client, users, advanced_task, factory_a, unit_a
):
    application = recommended(users, advanced_task, factory_a)
    submission = unit_submission(advanced_task, unit_a)
    submissions.rank_applications(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        ranks={application.pk: 1},
        version=submission.version,
    )
    submissions.submit_recommendation(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        version=stamped(advanced_task, unit_a).version,
    )
    client.force_login(users["province"])
    response = client.get(reverse("campaigns:task", args=[advanced_task.pk]))
    html = response.content.decode()
    review = re.search(r'<form[^>]*id="fix-list-form".*?</form>', html, re.S).group(0)
    assert re.findall(r'<td class="application-state">(.*?)</td>', review) == ["已报送省级"]
    assert state_cells(response) == ["已报送省级"]
    for code in STATES:
        assert f"<td>{code}</td>" not in html and f'">{code}</td>' not in html


def test_every_state_renders_a_label_in_the_table(client, users, advanced_task, factory_a):
    application = submitted(users, advanced_task, factory_a)
    url = reverse("campaigns:task", args=[advanced_task.pk])
    client.force_login(users["enterprise_a"])
    for code, state in STATES.items():
        type(application).objects.filter(pk=application.pk).update(state=code)
        assert state_cells(client.get(url)) == [str(state.enterprise_label)]
