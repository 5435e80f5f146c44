"""A bounded schemathesis run against the OpenAPI description the application serves.

Every operation of /api/v1/schema/ gets generated requests (valid and invalid ones, derandomised so that a run
is reproducible), sent through the application's own WSGI handler with the real token of a referent and of a
prescriber of a small world. Each answer must not be a server error and must conform to the description: a
documented status code, the documented content type, a body matching the documented schema.

Half of the examples aim at the world's real objects (the pathway, its step and appointment, the application,
the participant) so that the write endpoints are exercised beyond the 404 of a random id.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from parcours.plie.enums import PathwayStatus
from tests import factories

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", APP)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ACTORS = ("referent", "prescriber")


@pytest.fixture
def same_connection():
    """The WSGI handler closes "old" database connections around each request; the test's transaction must
    survive it, as Django's test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(same_connection, territory, operator, referent, prescriber_org, prescriber, coordinator):
    """An active pathway of the referent's structure with a step and an appointment; an application of the
    prescriber's structure assigned to the referent; the tokens of both."""
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    step = factories.StepFactory(pathway=pathway)
    appointment = factories.AppointmentFactory(pathway=pathway)
    application = factories.ApplicationFactory(
        prescriber_organisation=prescriber_org, pathway__participant__territory=territory,
        pathway__status=PathwayStatus.ASSIGNED, pathway__operator=operator, pathway__referent=referent,
        pathway__assigned_at=datetime.date.today())
    ids = {"pathway_pk": pathway.pk,
           "/steps/": step.pk, "/appointments/": appointment.pk,
           "/applications/": application.pathway_id, "/participants/": pathway.participant_id,
           "/pathways/": pathway.pk}
    headers = {name: {"Authorization": f"Token {factories.api_token(user)}"}
               for name, user in (("referent", referent), ("prescriber", prescriber))}
    return {"ids": ids, "headers": headers, "turn": itertools.count()}


def aim_at_the_world(case, world) -> None:
    """Every other example, replace the generated ids with the world's (negative examples keep theirs)."""
    if next(world["turn"]) % 2 or case.path_parameters is None:
        return
    ids = world["ids"]
    if "pathway_pk" in case.path_parameters:
        case.path_parameters["pathway_pk"] = ids["pathway_pk"]
    if "id" in case.path_parameters:
        path = case.operation.path
        for marker in ("/steps/", "/appointments/", "/applications/", "/participants/", "/pathways/"):
            if marker in path:
                case.path_parameters["id"] = ids[marker]
                break


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_conforms_to_its_description(case, world):
    aim_at_the_world(case, world)
    for actor in ACTORS:
        case.call_and_validate(headers=world["headers"][actor], checks=CHECKS)


def test_the_run_covers_every_operation_of_the_description():
    """A new endpoint is fuzzed without anyone having to remember it: the run takes the served description."""
    operations = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert ("POST", "/api/v1/applications/") in operations
    assert ("PATCH", "/api/v1/pathways/{pathway_pk}/steps/{id}/") in operations
    assert ("POST", "/api/v1/pathways/{pathway_pk}/appointments/") in operations
    assert ("GET", "/api/v1/indicators/") in operations
    assert len(operations) == 15
