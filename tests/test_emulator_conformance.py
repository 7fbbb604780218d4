"""Property-based conformance: schemathesis drives the emulator from the official spec.

Every operation of the On-call group and Platform Members/Teams that the emulator routes is
called with the spec's examples, boundary values and generated bodies, in-process over ASGI.
Each answer must be no server error, carry a documented status and content type, and (for
2xx) validate against the operation's response schema. The spec is the vendored one with the
protocol corrections of ``emulator.spec.SPEC_CORRECTIONS`` (listed in docs/architecture.md).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from flashcat_prefect.api import find_endpoint
from flashcat_prefect.emulator import create_app
from flashcat_prefect.emulator.spec import current_spec

APP_KEY = "conformance-key-0123456789abcdef"
GROUP_TAGS = ("On-call/", "Platform/Members", "Platform/Teams")
CASES_PER_OPERATION = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def in_group(operation: dict[str, Any]) -> bool:
    return any(tag.startswith(GROUP_TAGS) for tag in operation.get("tags", []))


def group_spec() -> tuple[dict[str, Any], list[str]]:
    """The corrected spec cut to the group's operations the emulator routes, and the rest."""
    spec = copy.deepcopy(current_spec())
    spec["servers"] = [{"url": "http://emulator.invalid"}]  # in-process only, never the net
    not_routed = []
    for path in list(spec["paths"]):
        operations = {verb: op for verb, op in spec["paths"][path].items() if in_group(op)}
        if operations and find_endpoint(path) is None:
            not_routed.append(path)
        if not operations or find_endpoint(path) is None:
            del spec["paths"][path]
        else:
            spec["paths"][path] = operations
    return spec, not_routed


SPEC, NOT_ROUTED = group_spec()
APP = create_app(app_key=APP_KEY, seed="demo", now=1_775_000_000, rate_limits=False)
schema = schemathesis.openapi.from_dict(SPEC)
schema.app = APP


def test_the_group_is_covered() -> None:
    """Every group operation is driven, except those the emulator does not route yet."""
    operations = sum(len(ops) for ops in SPEC["paths"].values())
    assert operations >= 145
    assert all(path.startswith(("/status-page/", "/webhook/history/")) for path in NOT_ROUTED)


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_operation_conforms_to_the_spec(case: Any) -> None:
    case.call_and_validate(params={"app_key": APP_KEY}, checks=CHECKS)


@pytest.fixture(autouse=True, scope="module")
def _restore_logging() -> Any:
    yield


# --- stateful sequences: create -> read -> update -> delete through the spec's own ids -------

RESOURCE_LINKS = {
    # create operation: (id field in its answer, [(target operation, request body with the id)])
    "calendarCreate": ("cal_id", ["calendarInfo", "calendarUpdate", "calendarDelete"]),
    "scheduleCreate": ("schedule_id", ["scheduleInfo", "scheduleUpdate"]),
    "channelCreate": ("channel_id", ["channelInfo", "channelUpdate", "channelDelete"]),
    "template-write-create": (
        "template_id",
        ["template-read-info", "template-write-update", "template-write-delete"],
    ),
    "incidentCreate": ("incident_id", ["incidentInfo"]),
}


def linked_spec() -> dict[str, Any]:
    """The group spec cut to the linked operations, with OpenAPI links from each create."""
    spec = copy.deepcopy(SPEC)
    by_id = {
        op.get("operationId"): (path, verb)
        for path, ops in spec["paths"].items()
        for verb, op in ops.items()
    }
    wanted = {
        name
        for create, (_, targets) in RESOURCE_LINKS.items()
        for name in (create, *targets)
        if name in by_id
    }
    for create, (field, targets) in RESOURCE_LINKS.items():
        path, verb = by_id[create]
        spec["paths"][path][verb]["responses"]["200"]["links"] = {
            target: {"operationId": target, "requestBody": {field: f"$response.body#/data/{field}"}}
            for target in targets
            if target in by_id
        }
    spec["paths"] = {
        path: ops
        for path, ops in spec["paths"].items()
        if any(op.get("operationId") in wanted for op in ops.values())
    }
    return spec


stateful_schema = schemathesis.openapi.from_dict(linked_spec())
stateful_schema.app = APP


class ConformanceMachine(stateful_schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of linked calls, every answer judged by the same checks."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"params": {"app_key": APP_KEY}}

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


TestLinkedSequences = ConformanceMachine.TestCase
TestLinkedSequences.settings = settings(
    max_examples=5,
    stateful_step_count=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
