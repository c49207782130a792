"""Schemathesis against the live schema, in-process over WSGI, as city staff with a token
(the schema itself is fetched with it).

Every GET operation and a few writes get a handful of generated requests each; a 5xx, or a
response (status, headers or body) that the schema does not describe, fails the test. The
number of examples is bounded so the run stays around a minute on SQLite.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory
from tracker.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)

MAX_EXAMPLES = 5
# What the issue asks: no 5xx, and every response as the schema describes it. Not included:
# "positive data accepted" — a schema-valid id of a company that does not exist is rightly 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
WRITES = {
    ("POST", "/api/v1/companies/"),
    ("PATCH", "/api/v1/companies/{id}/"),
    ("POST", "/api/v1/annual-data/"),
    ("POST", "/api/v1/projects/{id}/transition/"),
}


@pytest.fixture
def fuzz_world(records, world):
    AnnualDataFactory(company=world["other"], year=2018)
    run = rankings_recompute(year=2019)
    # Detail operations get a real id, so their 200 answers are checked too, not just 404s.
    return {
        "/api/v1/regions/{id}/": world["own"].region_id,
        "/api/v1/industries/{id}/": world["own"].industry_id,
        "/api/v1/batches/{id}/": records["batch"].pk,
        "/api/v1/companies/{id}/": world["own"].pk,
        "/api/v1/designations/{id}/": records["own"]["designation"].pk,
        "/api/v1/certifications/{id}/": records["own"]["certification"].pk,
        "/api/v1/maturity-assessments/{id}/": records["own"]["maturity"].pk,
        "/api/v1/annual-data/{id}/": records["own"]["annual"].pk,
        "/api/v1/projects/{id}/": records["own"]["project"].pk,
        "/api/v1/projects/{id}/history/": records["own"]["project"].pk,
        "/api/v1/projects/{id}/transition/": records["own"]["project"].pk,
        "/api/v1/progress-reports/{id}/": records["own"]["report"].pk,
        "/api/v1/runs/{id}/": run.pk,
        "run_id": run.pk,
        "company_id": world["own"].pk,
        "year": 2019,
    }


def selected(operation) -> bool:
    method = operation.method.upper()
    return method == "GET" or (method, operation.path) in WRITES


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across WSGI requests.

    Schemathesis calls the real WSGI handler, whose request signals close "old" connections;
    inside the test's transaction that closes the PostgreSQL connection (SQLite's in-memory
    test database ignores it). Django's own test client disconnects the same handler.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_server_error_and_every_response_matches_the_schema(
    world, fuzz_world, keep_test_connection
):
    token = Token.objects.create(user=world["users"]["city"]).key
    headers = {"Authorization": f"Token {token}"}
    # The schema is for signed-in users too.
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers=headers
    )
    failures = {}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not selected(operation):
            continue
        path_parameters = {}
        if "{id}" in operation.path and operation.path in fuzz_world:
            path_parameters["id"] = fuzz_world[operation.path]
        for name in ("run_id", "company_id", "year"):
            if "{" + name + "}" in operation.path:
                path_parameters[name] = fuzz_world[name]
        strategy = operation.as_strategy(path_parameters=path_parameters or None)

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure
            failures[f"{operation.method.upper()} {operation.path}"] = str(exc)[:2000]
        tested += 1
    assert tested > 40
    assert not failures, "\n\n".join(f"{op}: {message}" for op, message in failures.items())
