"""A token reads what its user reads on the pages: a city officer its unit, an enterprise its
own rows; another unit's object is a 404, never its data."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# (list path, detail path, the Side attribute)
RESOURCES = [
    ("/api/enterprises", "/api/enterprises/{pk}", "enterprise"),
    ("/api/factories", "/api/factories/{pk}", "factory"),
    ("/api/assessments", "/api/assessments/{pk}", "assessment"),
    ("/api/platform-results", None, "platform_result"),
    ("/api/applications", "/api/applications/{pk}", "application"),
]


def _ids(client, path, headers, **params) -> set[int]:
    response = client.get(path, {"limit": 500, **params}, headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return {row["id"] for row in body["items"]}


@pytest.mark.parametrize(("listing", "detail", "attr"), RESOURCES)
def test_a_city_token_reads_its_unit_only(sides, bearer, listing, detail, attr):
    client, headers = Client(), bearer("city_a")
    own, other = getattr(sides["a"], attr), getattr(sides["b"], attr)
    assert _ids(client, listing, headers) == {own.pk}
    if detail:
        assert client.get(detail.format(pk=own.pk), headers=headers).json()["id"] == own.pk
        response = client.get(detail.format(pk=other.pk), headers=headers)
        assert response.status_code == 404
        assert sides["b"].enterprise.name not in response.content.decode()


@pytest.mark.parametrize(("listing", "detail", "attr"), RESOURCES)
def test_the_province_reads_both_units(sides, bearer, listing, detail, attr):
    ids = _ids(Client(), listing, bearer("province"))
    assert ids == {getattr(sides["a"], attr).pk, getattr(sides["b"], attr).pk}


@pytest.mark.parametrize(("listing", "detail", "attr"), RESOURCES)
def test_an_enterprise_token_reads_its_own_enterprise_only(sides, bearer, listing, detail, attr):
    client, headers = Client(), bearer("enterprise_b")
    assert _ids(client, listing, headers) == {getattr(sides["b"], attr).pk}
    if detail:
        other = getattr(sides["a"], attr)
        assert client.get(detail.format(pk=other.pk), headers=headers).status_code == 404


@pytest.mark.parametrize("role", ["expert", "admin"])
def test_experts_and_the_operator_read_no_business_rows(sides, bearer, role):
    client, headers = Client(), bearer(role)
    for listing, _detail, _attr in RESOURCES:
        assert _ids(client, listing, headers) == set()


def test_counted_results_are_per_enterprise_and_scoped(sides, bearer):
    year = sides["a"].assessment.year
    response = Client().get("/api/assessments/counted", {"year": year}, headers=bearer("city_a"))
    rows = response.json()["items"]
    assert [row["enterprise_id"] for row in rows] == [sides["a"].enterprise.pk]
    # The platform result (15 March) and the assessment (submitted today) of the same year: the
    # later one counts.
    assert rows[0]["source"] == "assessment"
    assert rows[0]["assessment_id"] == sides["a"].assessment.pk
    assert rows[0]["level"] == sides["a"].assessment.level


def test_filters_narrow_within_the_scope(sides, bearer):
    client, headers = Client(), bearer("province")
    unit_b = sides["b"].enterprise.unit_id
    assert _ids(client, "/api/enterprises", headers, unit=unit_b) == {sides["b"].enterprise.pk}
    code = sides["a"].enterprise.credit_code[:12]
    assert _ids(client, "/api/enterprises", headers, q=code) == {sides["a"].enterprise.pk}
    assert _ids(client, "/api/enterprises", headers, q="云冈") == {sides["b"].enterprise.pk}
    assert _ids(client, "/api/applications", headers, unit=unit_b) == {sides["b"].application.pk}
    # City A filtering on unit B reads nothing of it.
    assert _ids(client, "/api/enterprises", bearer("city_a"), unit=unit_b) == set()


def test_an_application_says_its_state_and_task(sides, bearer):
    application = sides["a"].application
    body = Client().get(f"/api/applications/{application.pk}", headers=bearer("city_a")).json()
    assert body["state"] == "submitted"
    assert body["state_label"] == application.get_state_display()
    assert body["task"]["id"] == application.task_id
    assert body["campaign_year"] == 2026
    assert body["enterprise_name"] == sides["a"].enterprise.name


def test_a_draft_assessment_is_not_served(sides, bearer, users):
    from factorytiers.assessments import services

    draft, _created = services.start_assessment(
        actor=users["enterprise_a"], enterprise=sides["a"].enterprise, year=2026
    )
    client, headers = Client(), bearer("enterprise_a")
    assert client.get(f"/api/assessments/{draft.pk}", headers=headers).status_code == 404
    assert draft.pk not in _ids(client, "/api/assessments", headers)
