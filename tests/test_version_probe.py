"""Every edit form carries the version the page was opened at; a post without it is refused
like a stale one and changes nothing (the whole database is compared)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import database_rows
from tests.test_authorization_matrix import MATRIX, _objects

# The forms that edit a record two people can edit (every one of them must carry a version).
EDIT_FORMS = {
    "enterprises:edit",
    "enterprises:factory_edit",
    "campaigns:edit",
    "campaigns:settings",
    "campaigns:application_edit",
    "campaigns:application_action",
    "campaigns:recognize_basic",
    "campaigns:rank",
    "campaigns:submit_recommendation",
    "campaigns:overseas_select",
    "campaigns:return_submission",
    "campaigns:factory_scenarios",
    "campaigns:revoke_recognition",
    "assessments:section",
    "assessments:autosave",
    "assessments:submit",
    "documents:report_edit",
    "documents:report_autosave",
}
CASES = [
    (name, case)
    for name, cases in MATRIX.items()
    for case in cases
    if case.method == "post" and name in EDIT_FORMS
]


def test_every_edit_form_is_probed():
    assert {name for name, _case in CASES} == EDIT_FORMS


@pytest.mark.parametrize(("url_name", "case"), CASES, ids=[name for name, _c in CASES])
def test_an_edit_without_its_version_changes_nothing(
    users, enterprise_a, enterprise_b, factory_a, factory_b, url_name, case
):
    objects = _objects(users, enterprise_a, enterprise_b, factory_a, factory_b)
    url = reverse(url_name, kwargs={key: objects[source].pk for key, source in case.kwargs.items()})
    role = sorted(case.allowed)[0]
    data = case.data(objects, role)
    assert "version" in data, f"{url_name}: the form sends no version"
    data = {key: value for key, value in data.items() if key != "version"}
    client = Client()
    client.force_login(users[role])
    before = database_rows()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 409)
    assert database_rows() == before, f"{url_name} saved without a version"
    assert not case.effect(objects, role)
