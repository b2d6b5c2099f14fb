"""Schemathesis against the sandbox: every served operation, every check, nothing found.

The spec is ``tests/data/telnyx-number-ordering.openapi.yaml``; the sandbox serves every operation of it, so
``unsupported_method`` and ``allow_header_conformance`` hold it to exactly the spec's methods. Every
operation gets schema-valid requests (``positive_data_acceptance``: accepted) and schema-breaking ones
(``negative_data_rejection``: refused), with the key, without it and with a wrong one (``ignored_auth``), and
every answer is held to its declared status, content type, headers and schema, within ``max_response_time``.
A second test chains the operations (a created or listed order is then retrieved), which is where
``ensure_resource_availability`` and ``use_after_free`` look.

Where the API has a rule that Telnyx documents but no schema keyword states, the schema given to schemathesis
states it, next to the document that says so (:func:`served_spec`). Examples are bounded and derandomized, so
a run is the same run everywhere and takes seconds.

Schemathesis needs Python 3.11+ and is heavy, so only the ``conformance`` nox session installs it; every other
session skips this module.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from telnyx_orders.testing import OPERATIONS, Sandbox

schemathesis = pytest.importorskip("schemathesis")

if TYPE_CHECKING:
    from collections.abc import Iterator

SPEC_PATH = Path(__file__).parent / "data" / "telnyx-number-ordering.openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
API_KEY = "sandbox-api-key"

LOOKUPS = sorted(
    operation["operationId"]
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS and "{" in path
)
"""Operations that look an id up (a path with an id in it): for them a schema-valid request may name no
document (404)."""
STATEFUL = ["CancelSubNumberOrder", "DownloadSubNumberOrdersReport", "ExtendNumberReservationExpiryTime"]
"""Lookups that the spec allows only in one state, answered 422 in any other: a sub number order can be
cancelled only in 'pending' status, a report downloaded only once its status is 'success', a reservation
extended only while it holds a number."""

CONFIG: dict[str, Any] = {
    "headers": {"Authorization": f"Bearer {API_KEY}"},
    "checks": {
        # Off unless given a limit; an in-memory sandbox answers in milliseconds, so this only catches a hang.
        "max_response_time": 10.0,
        # Tighter than the default (which also lets 401, 403, 409, 429 and 5xx pass): a valid request with the
        # right key is answered 200, or 404 by a lookup whose generated id names no order.
        "positive_data_acceptance": {"expected-statuses": [200]},
    },
    "operations": [
        {
            "include-operation-id": [lookup for lookup in LOOKUPS if lookup not in STATEFUL],
            "checks": {"positive_data_acceptance": {"expected-statuses": [200, 404]}},
        },
        {
            "include-operation-id": STATEFUL,
            "checks": {"positive_data_acceptance": {"expected-statuses": [200, 404, 422]}},
        },
        {
            # The one operation whose success is a 202 (the report is built in the background).
            "include-operation-id": ["CreateSubNumberOrdersReport"],
            "checks": {"positive_data_acceptance": {"expected-statuses": [202]}},
        },
    ],
}

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    # Health checks judge the data generation, not the sandbox: none of them is a finding here.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def operation_ids(spec: dict[str, Any]) -> set[str]:
    """Every operationId in ``spec``."""
    return {
        item[method]["operationId"]
        for item in spec["paths"].values()
        for method in HTTP_METHODS
        if method in item
    }


def served_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as the sandbox serves it: each rule Telnyx documents in prose written as the schema keyword
    it means."""
    served = copy.deepcopy(spec)
    # The schema leaves phone_number a plain string, but the spec describes it as "e164_phone_number", as
    # does Telnyx's API reference (https://developers.telnyx.com/api/numbers/create-number-order), and
    # Telnyx's error codes include 10016 "Phone number must be in +E.164 format". The sandbox enforces it,
    # so schemathesis generates valid numbers in E.164 and invalid ones outside it.
    numbers = served["components"]["schemas"]["CreateNumberOrderRequest"]["properties"]["phone_numbers"]
    numbers["items"]["properties"]["phone_number"]["pattern"] = r"^\+[1-9][0-9]{1,14}$"
    # The schema requires no filter, but Telnyx documents "Country code is always required in search
    # requests" (https://developers.telnyx.com/docs/numbers/phone-numbers/number-search): the sandbox refuses
    # a number search without one, so a valid search names a country.
    [filters] = served["paths"]["/available_phone_numbers"]["get"]["parameters"]
    filters["required"] = True
    filters["schema"]["required"] = ["country_code"]
    return served


def test_the_sandbox_serves_every_operation_of_the_spec() -> None:
    assert operation_ids(SPEC) == operation_ids(served_spec(SPEC)) == OPERATIONS
    assert {"RetrieveInexplicitNumberOrder", "RetrieveNumberOrder", "GetSubNumberOrder"} <= set(LOOKUPS)


schema = schemathesis.openapi.from_dict(served_spec(SPEC), config=schemathesis.Config.from_dict(CONFIG))


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    """A sandbox served in a thread, with one order of each kind so lists and lookups have data."""
    with Sandbox(api_key=API_KEY).serve_in_thread() as sandbox:
        sandbox.add_inexplicit_number_order()
        sandbox.add_number_order(phone_numbers_count=2)
        sandbox.add_sub_number_order(phone_numbers_count=3)
        sandbox.add_number_reservation()
        yield sandbox


@schema.parametrize()
@BOUNDED
def test_every_served_operation_passes_every_check(case: Any, served: Sandbox) -> None:
    case.call_and_validate(base_url=served.base_url)


def test_chained_operations_pass_every_check(served: Sandbox) -> None:
    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": served.base_url}

    Workflow.run(settings=settings(BOUNDED, max_examples=15, stateful_step_count=6))
