"""Every endpoint of the committed OpenAPI document, fuzzed with schemathesis against the app
in-process (WSGI): valid and invalid parameters, a bounded number of examples per operation.
No answer may be a server error, and every answer must match the document (status codes,
content types, the JSON schema of the body)."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kryptowelt.api.management.commands.api_openapi import COMMITTED

# Per operation and mode: enough to meet every parameter's edge cases, bounded so that the
# whole run stays within a minute or two on a shared 2-core machine.
EXAMPLES = 12

schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text(encoding="utf-8")))

# The calculators check their input with their pages' forms. Rules between parameters (an end
# before the start, a date in the future, a provider's minimum rate, at most two decimals of a
# euro amount) cannot be written in the document, so input the document allows may get 422
# there – but only for a rule of the form (errors of type "form"), never for a parameter the
# document describes wrongly.
FORM_CHECKED = {"calculators_sparplan", "calculators_profit", "calculators_costs"}


def rejected_only_by_the_form(ctx, response, case):
    if response.status_code == 422:
        errors = response.json().get("errors") or []
        assert errors, response.text
        assert all(error["type"] == "form" for error in errors), response.text
    return None


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def connections_kept_open():
    """The WSGI app closes the database connection after each request, like a real server;
    inside a test's transaction (on PostgreSQL) that would end the test's connection. Django's
    own test client steps aside the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzzer(app, operation, mode, checks: dict):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(app=app, headers={"Host": "testserver"}, **checks)

    return check


@pytest.mark.django_db
def test_no_endpoint_fails_or_breaks_its_schema(api_site, connections_kept_open):
    app = get_wsgi_application()
    operations = _operations()
    assert len(operations) >= 20
    failures = []
    for operation in operations:
        has_parameters = bool(operation.definition.raw.get("parameters"))
        modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * has_parameters
        form_checked = operation.definition.raw["operationId"] in FORM_CHECKED
        for mode in modes:
            checks = {}
            if form_checked and mode == GenerationMode.POSITIVE:
                checks = {
                    "excluded_checks": [positive_data_acceptance],
                    "additional_checks": [rejected_only_by_the_form],
                }
            check = _fuzzer(app, operation, mode, checks)
            try:
                check()
            except Exception as error:  # collect all operations' findings, report them at once
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
