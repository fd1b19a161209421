"""Generated requests against every operation of the OpenAPI schema (schemathesis), signed in
with a province token, in process (WSGI, no network): no answer is a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from factorytiers.api.endpoints import api

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_every_operation_is_generated():
    assert len(OPERATIONS) == 15


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection as a request starts and ends; the test's
    transaction lives on it, so it stays open (as Django's test client keeps it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_generated_request_is_a_server_error(sides, bearer, connection_kept, operation):
    app = get_wsgi_application()
    headers = bearer("province")
    statuses = set()

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(app=app, headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    run()
    assert 401 not in statuses  # every case was signed in with the token
    if operation.method.upper() == "GET" and "{" not in operation.path:  # lists: some rows
        assert any(200 <= status < 300 for status in statuses), statuses
