"""Every response of every operation served, success and error, checked against the schema it declares.

The spec is ``tests/data/telnyx-number-ordering.openapi.yaml``, a verbatim copy of the fragment the SDK is
built from. The operations, their paths, their declared statuses and their response schemas all come
from that file, so an operation the sandbox serves without a request recipe here fails. 429, which the spec
declares on no operation but Telnyx sends to all of them, is checked against ``x_docs_TooManyRequests``.

The checks are stricter than a plain schema validation: a key the schema does not declare is an error
(``UNDECLARED_BUT_DOCUMENTED`` lists the only exception), ``uuid`` and ``date-time`` formats are enforced,
and a ``null`` where the spec says ``string`` is as wrong as an integer there.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from telnyx_orders.testing import OPERATIONS, Sandbox

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator, Mapping

SPEC_PATH = Path(__file__).parent / "data" / "telnyx-number-ordering.openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SPEC_URI = "urn:telnyx-number-ordering"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
TOO_MANY_REQUESTS = "/components/responses/x_docs_TooManyRequests"

UNDECLARED_BUT_DOCUMENTED: dict[str, dict[str, Any]] = {
    # The spec's header: newer revisions of the official SDK add phone_numbers[] to SubNumberOrder
    # (the first 50 numbers, sent only with filter[include_phone_numbers]=true).
    "SubNumberOrder": {
        "phone_numbers": {"type": "array", "items": {"$ref": "#/components/schemas/PhoneNumber"}}
    },
}

FORMATS = FormatChecker()
SUCCESS = (200, 202)
"""The success statuses the spec declares: 202 only for the report create."""
CSV_COLUMNS = [
    "id",
    "order_request_id",
    "is_block_sub_number_order",
    "status",
    "phone_number_type",
    "requirements_met",
    "phone_numbers_count",
    "country_code",
    "user_id",
    "customer_reference",
    "created_at",
    "updated_at",
]
"""The header of the spec's example CSV download."""


# --- the spec, as the validator reads it -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Operation:
    """One operation of the spec: where it lives and which statuses it declares."""

    operation_id: str
    method: str
    path: str
    pointer: str
    """JSON pointer to the operation object in the spec."""
    statuses: tuple[int, ...]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def spec_operations() -> dict[str, Operation]:
    """Every operation in the spec, by operationId."""
    found: dict[str, Operation] = {}
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                found[operation["operationId"]] = Operation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    pointer=f"/paths/{_escape(path)}/{method}",
                    statuses=tuple(sorted(int(status) for status in operation["responses"])),
                )
    return found


def _closed(schema: Any) -> Any:
    """``schema`` with every object schema in it refusing keys it does not declare."""
    if not isinstance(schema, dict):
        return schema
    closed: dict[str, Any] = dict(schema)
    if "properties" in closed:
        closed["properties"] = {name: _closed(sub) for name, sub in closed["properties"].items()}
        closed.setdefault("unevaluatedProperties", False)
    if "items" in closed:
        closed["items"] = _closed(closed["items"])
    return closed


def _strict_spec() -> dict[str, Any]:
    strict = copy.deepcopy(SPEC)
    schemas = strict["components"]["schemas"]
    for name, extra in UNDECLARED_BUT_DOCUMENTED.items():
        schemas[name]["properties"].update(extra)
    strict["components"]["schemas"] = {name: _closed(schema) for name, schema in schemas.items()}
    for item in strict["paths"].values():
        for method in HTTP_METHODS:
            for response in item.get(method, {}).get("responses", {}).values():
                media = response.get("content", {}).get("application/json")
                if media is not None:
                    media["schema"] = _closed(media["schema"])
    return strict


STRICT_SPEC = _strict_spec()
REGISTRY: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(STRICT_SPEC))


def _resolve(pointer: str) -> Any:
    node: Any = STRICT_SPEC
    for token in pointer.lstrip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def response_pointer(operation: Operation, status: int) -> str:
    """Pointer to the response object the spec declares for ``status`` (429: the docs' shape)."""
    if status == 429:
        return TOO_MANY_REQUESTS
    pointer = f"{operation.pointer}/responses/{status}"
    reference = _resolve(pointer).get("$ref")
    return pointer if reference is None else str(reference).removeprefix("#")


def validator(response: str) -> Draft202012Validator:
    """A validator of the JSON body of the response object at ``response``."""
    schema = {"$ref": f"{SPEC_URI}#{response}/content/{_escape('application/json')}/schema"}
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def violations(response: str, body: Any) -> list[str]:
    """Every way ``body`` breaks the schema of the response at ``response``, one line each."""
    errors = sorted(validator(response).iter_errors(body), key=lambda error: list(error.absolute_path))
    return [f"{error.json_path}: {error.message}" for error in errors]


OPERATIONS_IN_SPEC = {name: operation for name, operation in spec_operations().items() if name in OPERATIONS}
"""The spec's operations the sandbox serves; it serves the others in later issues."""


# --- how to call each operation ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Call:
    """What varies between two requests to one operation."""

    path_params: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])
    params: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])
    body: bytes | None = None
    authorized: bool = True


def body_of(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def ordering_group(**fields: Any) -> dict[str, Any]:
    return {"country_iso": "US", "phone_number_type": "local", "count_requested": "1", **fields}


EVERY_GROUP_FIELD = ordering_group(
    count_requested="2",
    national_destination_code="303",
    phone_number={"starts_with": "303", "ends_with": "12", "contains": "55"},
    administrative_area="CO",
    locality="Denver",
    features=["voice", "sms"],
    quickship=True,
    exclude_held_numbers=True,
    strategy="always",
)
SHARED = {
    "connection_id": "346789098765567",
    "messaging_profile_id": str(uuid.uuid4()),
    "billing_group_id": str(uuid.uuid4()),
    "customer_reference": "MY REF 001",
}


def _list_inexplicit(sandbox: Sandbox) -> Call:
    sandbox.add_inexplicit_number_order()
    sandbox.add_inexplicit_number_order()
    return Call(params={"page_number": "1", "page_size": "1"})


def _create_inexplicit(_: Sandbox) -> Call:
    return Call(body=body_of({"ordering_groups": [EVERY_GROUP_FIELD, ordering_group()], **SHARED}))


def _retrieve_inexplicit(sandbox: Sandbox) -> Call:
    return Call(path_params={"id": sandbox.add_inexplicit_number_order()["id"]})


def _list_number_orders(sandbox: Sandbox) -> Call:
    sandbox.add_number_order(phone_numbers_count=2)
    return Call(params={"page[number]": "1", "page[size]": "20"})


def _create_number_order(_: Sandbox) -> Call:
    numbers = [
        {"phone_number": "+19705555098", "bundle_id": str(uuid.uuid4())},
        {"phone_number": "+18885550100", "requirement_group_id": str(uuid.uuid4())},
        {"phone_number": "+14165550100"},
        {"phone_number": "+442071838750"},
    ]
    return Call(body=body_of({"phone_numbers": numbers, **SHARED}))


def _retrieve_number_order(sandbox: Sandbox) -> Call:
    return Call(path_params={"number_order_id": sandbox.add_number_order(phone_numbers_count=2)["id"]})


def _list_sub_number_orders(sandbox: Sandbox) -> Call:
    sandbox.add_number_order()
    sandbox.add_sub_number_order(phone_numbers_count=3)
    return Call(params={"filter[include_phone_numbers]": "true"})


def _get_sub_number_order(sandbox: Sandbox) -> Call:
    sub = sandbox.add_sub_number_order(phone_numbers_count=2)
    return Call(
        path_params={"sub_number_order_id": sub["id"]}, params={"filter[include_phone_numbers]": "true"}
    )


def _list_block_orders(sandbox: Sandbox) -> Call:
    sandbox.seed("number_block_orders")
    return Call(params={"page[number]": "1", "page[size]": "20", "filter[status]": "success"})


def _create_block_order(_: Sandbox) -> Call:
    return Call(body=body_of({"starting_number": "+19705556000", "range": 10, "customer_reference": "REF"}))


def _retrieve_block_order(sandbox: Sandbox) -> Call:
    return Call(path_params={"number_block_order_id": sandbox.seed("number_block_orders")["id"]})


def _update_number_order(sandbox: Sandbox) -> Call:
    order = sandbox.add_number_order()
    body = {"customer_reference": "RENAMED", "regulatory_requirements": [REQUIREMENT_VALUE]}
    return Call(path_params={"number_order_id": order["id"]}, body=body_of(body))


def _update_sub_number_order(sandbox: Sandbox) -> Call:
    sub = sandbox.add_sub_number_order(phone_numbers_count=2)
    body = {"regulatory_requirements": [REQUIREMENT_VALUE]}
    return Call(path_params={"sub_number_order_id": sub["id"]}, body=body_of(body))


def _cancel_sub_number_order(sandbox: Sandbox) -> Call:
    sub = sandbox.add_sub_number_order(status="pending", requirements_met=False)
    return Call(path_params={"sub_number_order_id": sub["id"]})


def _sub_order_requirement_group(sandbox: Sandbox) -> Call:
    sub = sandbox.add_sub_number_order(phone_numbers_count=2)
    return Call(path_params={"id": sub["id"]}, body=body_of({"requirement_group_id": str(uuid.uuid4())}))


def _list_order_phone_numbers(sandbox: Sandbox) -> Call:
    sandbox.add_number_order(phone_numbers_count=2)
    return Call(params={"filter[country_code]": "US"})


def _order_phone_number(sandbox: Sandbox) -> dict[str, str]:
    return {"number_order_phone_number_id": sandbox.seed("number_order_phone_numbers")["id"]}


def _update_order_phone_number(sandbox: Sandbox) -> Call:
    body = {"regulatory_requirements": [REQUIREMENT_VALUE]}
    return Call(path_params=_order_phone_number(sandbox), body=body_of(body))


def _phone_number_requirement_group(sandbox: Sandbox) -> Call:
    number = sandbox.seed("number_order_phone_numbers")
    return Call(path_params={"id": number["id"]}, body=body_of({"requirement_group_id": str(uuid.uuid4())}))


def _create_report(sandbox: Sandbox) -> Call:
    sandbox.add_sub_number_order()
    filters = {"country_code": "US", "created_at_gt": "2020-01-01T00:00:00Z", "status": "success"}
    return Call(body=body_of({**filters, "customer_reference": "MY REF 001"}))


def _report(sandbox: Sandbox) -> dict[str, str]:
    sandbox.add_sub_number_order()
    return {"report_id": sandbox.seed("sub_number_orders_report")["id"]}


def _search(sandbox: Sandbox) -> Call:
    sandbox.set_inventory("US", "local", 5, national_destination_code="312")
    filters = {
        "filter[country_code]": "US",
        "filter[phone_number_type]": "local",
        "filter[national_destination_code]": "312",
        "filter[phone_number][starts_with]": "55",
        "filter[features]": "sms,voice",
        "filter[limit]": "4",
        "filter[best_effort]": "true",
        "filter[reservable]": "true",
    }
    return Call(params=filters)


def _search_blocks(_: Sandbox) -> Call:
    return Call(params={"filter[country_code]": "CA", "filter[locality]": "Toronto"})


def _list_reservations(sandbox: Sandbox) -> Call:
    sandbox.add_number_reservation(customer_reference="held")
    return Call(params={"page[number]": "1", "page[size]": "20", "filter[customer_reference]": "held"})


def _create_reservation(sandbox: Sandbox) -> Call:
    held = sandbox.add_number_reservation(account="another-account")["phone_numbers"][0]["phone_number"]
    numbers = [{"phone_number": "+19705551234"}, {"phone_number": held}, {"phone_number": "555"}]
    return Call(body=body_of({"phone_numbers": numbers, "customer_reference": "MY REF 001"}))


def _expired_reservation(sandbox: Sandbox) -> Call:
    sandbox.reservation_hold = 0
    return Call(path_params=_reservation(sandbox))


def _reservation(sandbox: Sandbox) -> dict[str, str]:
    return {"number_reservation_id": sandbox.add_number_reservation()["id"]}


REQUIREMENT_VALUE = {
    "requirement_id": str(uuid.uuid4()),
    "field_value": "45f45a04-b4be-4592-95b1-9306b9db2b21",
}


SUCCEEDS: dict[str, Callable[[Sandbox], Call]] = {
    "ListInexplicitNumberOrders": _list_inexplicit,
    "CreateInexplicitNumberOrder": _create_inexplicit,
    "RetrieveInexplicitNumberOrder": _retrieve_inexplicit,
    "ListNumberOrders": _list_number_orders,
    "CreateNumberOrder": _create_number_order,
    "RetrieveNumberOrder": _retrieve_number_order,
    "ListSubNumberOrders": _list_sub_number_orders,
    "GetSubNumberOrder": _get_sub_number_order,
    "ListNumberBlockOrders": _list_block_orders,
    "CreateNumberBlockOrder": _create_block_order,
    "RetrieveNumberBlockOrder": _retrieve_block_order,
    "UpdateNumberOrder": _update_number_order,
    "UpdateSubNumberOrder": _update_sub_number_order,
    "CancelSubNumberOrder": _cancel_sub_number_order,
    "updateSubNumberOrderRequirementGroup": _sub_order_requirement_group,
    "RetrieveOrderPhoneNumbers": _list_order_phone_numbers,
    "GetNumberOrderPhoneNumber": lambda sandbox: Call(path_params=_order_phone_number(sandbox)),
    "UpdateNumberOrderPhoneNumber": _update_order_phone_number,
    "updateNumberOrderPhoneNumberRequirementGroup": _phone_number_requirement_group,
    "CreateSubNumberOrdersReport": _create_report,
    "GetSubNumberOrdersReport": lambda sandbox: Call(path_params=_report(sandbox)),
    "DownloadSubNumberOrdersReport": lambda sandbox: Call(path_params=_report(sandbox)),
    "ListAvailablePhoneNumbers": _search,
    "ListAvailablePhoneNumberBlocks": _search_blocks,
    "ListNumberReservations": _list_reservations,
    "CreateNumberReservation": _create_reservation,
    "RetrieveNumberReservation": lambda sandbox: Call(path_params=_reservation(sandbox)),
    "ExtendNumberReservationExpiryTime": lambda sandbox: Call(path_params=_reservation(sandbox)),
}
"""A request each operation answers with its success status (200, or 202), after seeding what it needs."""


def _unknown(name: str) -> Callable[[Sandbox], Call]:
    return lambda _: Call(path_params={name: str(uuid.uuid4())})


FAILS: dict[tuple[str, int], Callable[[Sandbox], Call]] = {
    ("ListInexplicitNumberOrders", 400): lambda _: Call(params={"page_number": "first"}),
    ("ListInexplicitNumberOrders", 422): lambda _: Call(params={"page_size": "251"}),
    ("CreateInexplicitNumberOrder", 400): lambda _: Call(body=b'{"ordering_groups": ['),
    ("CreateInexplicitNumberOrder", 422): lambda _: Call(
        body=body_of({"ordering_groups": [{"country_iso": "FR", "count_requested": 2}, "x"]})
    ),
    ("RetrieveInexplicitNumberOrder", 404): _unknown("id"),
    ("ListNumberOrders", 400): lambda _: Call(params={"filter[requirements_met]": "yes"}),
    ("ListNumberOrders", 422): lambda _: Call(params={"page[size]": "0"}),
    ("CreateNumberOrder", 400): lambda _: Call(body=b"NaN"),
    ("CreateNumberOrder", 422): lambda _: Call(body=body_of({"phone_numbers": [{"phone_number": "555"}]})),
    ("RetrieveNumberOrder", 404): _unknown("number_order_id"),
    ("ListSubNumberOrders", 400): lambda _: Call(params={"filter[phone_numbers_count]": "many"}),
    ("GetSubNumberOrder", 400): lambda sandbox: Call(
        path_params={"sub_number_order_id": sandbox.add_sub_number_order()["id"]},
        params={"filter[include_phone_numbers]": "yes"},
    ),
    ("GetSubNumberOrder", 404): _unknown("sub_number_order_id"),
    ("ListNumberBlockOrders", 400): lambda _: Call(params={"filter[created_at][on]": "2018-01-01"}),
    ("ListNumberBlockOrders", 422): lambda _: Call(params={"page[size]": "251"}),
    ("CreateNumberBlockOrder", 400): lambda _: Call(body=b"{"),
    ("CreateNumberBlockOrder", 422): lambda _: Call(body=body_of({"starting_number": "+19705550000"})),
    ("RetrieveNumberBlockOrder", 404): _unknown("number_block_order_id"),
    ("UpdateNumberOrder", 400): lambda sandbox: Call(
        path_params={"number_order_id": sandbox.add_number_order()["id"]}, body=b"{"
    ),
    ("UpdateNumberOrder", 404): lambda _: Call(path_params={"number_order_id": "unknown"}, body=b"{}"),
    ("UpdateNumberOrder", 422): lambda sandbox: Call(
        path_params={"number_order_id": sandbox.add_number_order()["id"]},
        body=body_of({"regulatory_requirements": {"requirement_id": "not-a-list"}}),
    ),
    ("UpdateSubNumberOrder", 404): lambda _: Call(path_params={"sub_number_order_id": "unknown"}, body=b"{}"),
    ("UpdateSubNumberOrder", 422): lambda sandbox: Call(
        path_params={"sub_number_order_id": sandbox.add_sub_number_order()["id"]},
        body=body_of({"regulatory_requirements": [{"field_value": 7}]}),
    ),
    ("CancelSubNumberOrder", 404): _unknown("sub_number_order_id"),
    # Telnyx cancels only a pending sub number order; the sandbox answers the spec's 422 for any other.
    ("CancelSubNumberOrder", 422): lambda sandbox: Call(
        path_params={"sub_number_order_id": sandbox.add_sub_number_order(status="success")["id"]}
    ),
    ("updateSubNumberOrderRequirementGroup", 404): lambda _: Call(
        path_params={"id": str(uuid.uuid4())}, body=body_of({"requirement_group_id": str(uuid.uuid4())})
    ),
    ("updateSubNumberOrderRequirementGroup", 422): lambda sandbox: Call(
        path_params={"id": sandbox.add_sub_number_order()["id"]}, body=body_of({})
    ),
    ("GetNumberOrderPhoneNumber", 404): _unknown("number_order_phone_number_id"),
    ("UpdateNumberOrderPhoneNumber", 400): lambda sandbox: Call(
        path_params=_order_phone_number(sandbox), body=b""
    ),
    ("UpdateNumberOrderPhoneNumber", 404): lambda _: Call(
        path_params={"number_order_phone_number_id": "unknown"}, body=b"{}"
    ),
    ("updateNumberOrderPhoneNumberRequirementGroup", 422): lambda sandbox: Call(
        path_params={"id": sandbox.seed("number_order_phone_numbers")["id"]},
        body=body_of({"requirement_group_id": "group-1"}),
    ),
    ("CreateSubNumberOrdersReport", 400): lambda _: Call(body=b"[1,"),
    ("CreateSubNumberOrdersReport", 422): lambda _: Call(body=body_of({"status": "failed"})),
    ("GetSubNumberOrdersReport", 404): _unknown("report_id"),
    ("DownloadSubNumberOrdersReport", 404): _unknown("report_id"),
    ("ListAvailablePhoneNumbers", 400): lambda _: Call(
        params={"filter[country_code]": "US", "filter[features]": "sms,telepathy"}
    ),
    # Telnyx documents the country code as required in every number search.
    ("ListAvailablePhoneNumbers", 422): lambda _: Call(params={"filter[limit]": "2"}),
    ("ListAvailablePhoneNumberBlocks", 400): lambda _: Call(params={"filter[phone_number_type]": "landline"}),
    ("ListNumberReservations", 400): lambda _: Call(params={"filter[created_at][on]": "2018-01-01"}),
    ("ListNumberReservations", 422): lambda _: Call(params={"page[number]": "0"}),
    ("CreateNumberReservation", 400): lambda _: Call(body=b"{"),
    ("CreateNumberReservation", 422): lambda _: Call(body=body_of({"phone_numbers": [{"phone_number": 1}]})),
    ("RetrieveNumberReservation", 404): _unknown("number_reservation_id"),
    ("ExtendNumberReservationExpiryTime", 404): _unknown("number_reservation_id"),
    # A reservation whose hold ended cannot be extended.
    ("ExtendNumberReservationExpiryTime", 422): _expired_reservation,
    ("DownloadSubNumberOrdersReport", 422): lambda sandbox: Call(
        path_params={"report_id": sandbox.seed("sub_number_orders_report", status="pending")["id"]}
    ),
}
"""Requests the sandbox refuses by itself with that status; other error statuses are scripted faults."""


def provoke(sandbox: Sandbox, operation: Operation, status: int) -> Call:
    """A request ``operation`` answers with ``status``: by itself where it can, else by a fault."""
    recipe = FAILS.get((operation.operation_id, status))
    if recipe is not None:
        return recipe(sandbox)
    call = SUCCEEDS[operation.operation_id](sandbox)
    if status == 401:
        return dataclasses.replace(call, authorized=False)
    if status == 429:
        sandbox.faults.rate_limit(operation=operation.operation_id)
    elif status not in SUCCESS:
        sandbox.faults.status(status, operation=operation.operation_id)
    return call


def cases() -> Iterator[Any]:
    for operation in OPERATIONS_IN_SPEC.values():
        for status in (*operation.statuses, 429):
            how = (
                "natural"
                if status in (*SUCCESS, 401) or (operation.operation_id, status) in FAILS
                else "fault"
            )
            yield pytest.param(operation, status, id=f"{operation.operation_id}-{status}-{how}")


# --- sending and checking -------------------------------------------------------------------------------


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def send_checked(
    http: aiohttp.ClientSession, sandbox: Sandbox, operation: Operation, call: Call, status: int = 200
) -> Any:
    """Send ``call`` to ``operation``, require ``status``, validate the body against the spec; the body."""
    path = operation.path.format_map(call.path_params)
    headers = {"Content-Type": "application/json"}
    if call.authorized:
        headers["Authorization"] = f"Bearer {sandbox.api_key}"
    async with http.request(
        operation.method, sandbox.base_url + path, params=call.params, data=call.body, headers=headers
    ) as response:
        raw = await response.read()
        assert response.status == status, raw
        media_type = response.content_type
        response_headers = response.headers
    if media_type == "text/csv" and "text/csv" in _resolve(response_pointer(operation, status))["content"]:
        header, *rows = raw.decode().splitlines()
        assert header.split(",") == CSV_COLUMNS
        assert all(len(row.split(",")) == len(CSV_COLUMNS) for row in rows), raw
        return {"data": rows}
    assert media_type == "application/json"
    body = json.loads(raw)
    declared = response_pointer(operation, status)
    problems = violations(declared, body)
    if problems:
        pytest.fail(
            f"{operation.operation_id} {status} breaks {declared}:\n  " + "\n  ".join(problems), pytrace=False
        )
    for name in _resolve(declared).get("headers", {}):
        assert response_headers[name].isdigit(), (name, response_headers.get(name))
    return body


@pytest.mark.parametrize(("operation", "status"), list(cases()))
async def test_every_declared_response_matches_its_schema(
    sandbox: Sandbox, http: aiohttp.ClientSession, operation: Operation, status: int
) -> None:
    call = provoke(sandbox, operation, status)
    body = await send_checked(http, sandbox, operation, call, status)
    if status in SUCCESS:
        assert body["data"], "an empty answer proves nothing about the shape of its documents"
    else:
        assert body["errors"][0]["code"]


def test_the_operations_come_from_the_spec_and_each_has_a_recipe() -> None:
    assert set(OPERATIONS_IN_SPEC) == OPERATIONS == set(SUCCEEDS)
    for operation in OPERATIONS_IN_SPEC.values():
        # The report create alone answers 202 and declares no 404, as the spec's header notes.
        expected = (
            {202, 400, 401, 422, 500}
            if operation.operation_id == "CreateSubNumberOrdersReport"
            else {200, 400, 401, 404, 422, 500}
        )
        assert expected <= set(operation.statuses), operation
    assert {operation for operation, _ in FAILS} <= set(OPERATIONS_IN_SPEC)


# --- the checker catches what it is for ---------------------------------------------------------------

GOOD_ORDER: dict[str, Any] = {
    "id": "an-order",
    "created_at": "2026-01-02T03:04:05.000006Z",
    "ordering_groups": [{"count_requested": 2, "status": "pending", "orders": []}],
}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        pytest.param({"count_requested": "2"}, "'2' is not of type 'integer'", id="string-for-integer"),
        pytest.param({"error_reason": None}, "None is not of type 'string'", id="null-for-string"),
        pytest.param({"status": "done"}, "'done' is not one of", id="outside-the-enum"),
        pytest.param({"count_wanted": 2}, "Unevaluated properties are not allowed", id="undeclared-key"),
        pytest.param({"created_at": "yesterday"}, "is not a 'date-time'", id="bad-date-time"),
        pytest.param(
            {"orders": [{"number_order_id": "7", "sub_number_order_ids": []}]},
            "is not a 'uuid'",
            id="bad-uuid",
        ),
    ],
)
def test_the_checker_rejects_a_document_the_spec_types_differently(
    change: dict[str, Any], complaint: str
) -> None:
    response = response_pointer(OPERATIONS_IN_SPEC["RetrieveInexplicitNumberOrder"], 200)
    assert violations(response, {"data": GOOD_ORDER}) == []
    broken = copy.deepcopy(GOOD_ORDER)
    broken["ordering_groups"][0].update(change)
    [problem] = violations(response, {"data": broken})
    assert problem.startswith("$.data.ordering_groups[0]")
    assert complaint in problem


def test_formats_are_checked_not_just_named() -> None:
    # Without rfc3339-validator jsonschema skips date-time silently; the dependency must be installed.
    assert {"date-time", "uuid"} <= set(FORMATS.checkers)


def test_the_429_shape_declares_the_rate_limit_headers() -> None:
    assert set(_resolve(TOO_MANY_REQUESTS)["headers"]) == {
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    }


# --- the whole lifecycle, every stage validated --------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_every_stage_of_the_ordering_workflow_matches_the_spec(http: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    ops = OPERATIONS_IN_SPEC
    async with Sandbox(lifecycle_step=1.0, clock=clock) as sandbox:
        sandbox.set_inventory("US", "local", 1, national_destination_code="312")
        sandbox.set_inventory("CA", "mobile", 0)
        groups = [
            EVERY_GROUP_FIELD,
            ordering_group(count_requested="3", national_destination_code="312"),  # partial_success
            ordering_group(country_iso="CA", phone_number_type="mobile", strategy="never"),  # failed
            ordering_group(phone_number_type="toll_free", phone_number={"ends_with": "0000"}),
            ordering_group(country_iso="CA", phone_number_type="national", count_requested="2"),
            ordering_group(phone_number_type="shared_cost", phone_number={"contains": "77"}),
        ]
        create = ops["CreateInexplicitNumberOrder"]
        order = (await send_checked(http, sandbox, create, Call(body=body_of({"ordering_groups": groups}))))[
            "data"
        ]
        numbers = [{"phone_number": "+19705555098"}, {"phone_number": "+8613800000000"}]
        await send_checked(
            http, sandbox, ops["CreateNumberOrder"], Call(body=body_of({"phone_numbers": numbers}))
        )
        seen_statuses: set[str] = set()
        for _ in range(3):
            retrieved = await send_checked(
                http, sandbox, ops["RetrieveInexplicitNumberOrder"], Call(path_params={"id": order["id"]})
            )
            seen_statuses.update(group["status"] for group in retrieved["data"]["ordering_groups"])
            await send_checked(http, sandbox, ops["ListInexplicitNumberOrders"], Call())
            number_orders = await send_checked(http, sandbox, ops["ListNumberOrders"], Call())
            for number_order in number_orders["data"]:
                await send_checked(
                    http,
                    sandbox,
                    ops["RetrieveNumberOrder"],
                    Call(path_params={"number_order_id": number_order["id"]}),
                )
            for include in ("true", "false"):
                subs = await send_checked(
                    http,
                    sandbox,
                    ops["ListSubNumberOrders"],
                    Call(params={"filter[include_phone_numbers]": include}),
                )
                for sub in subs["data"]:
                    await send_checked(
                        http,
                        sandbox,
                        ops["GetSubNumberOrder"],
                        Call(
                            path_params={"sub_number_order_id": sub["id"]},
                            params={"filter[include_phone_numbers]": include},
                        ),
                    )
            clock.now += 1.0
    assert seen_statuses == {"pending", "processing", "success", "partial_success", "failed"}


async def test_every_stage_of_search_hold_and_order_matches_the_spec(http: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    ops = OPERATIONS_IN_SPEC
    async with Sandbox(lifecycle_step=1.0, clock=clock) as sandbox:
        theirs = sandbox.add_number_reservation(account="another-account")["phone_numbers"][0]["phone_number"]
        search = Call(
            params={"filter[country_code]": "US", "filter[limit]": "2", "filter[best_effort]": "true"}
        )
        found = (await send_checked(http, sandbox, ops["ListAvailablePhoneNumbers"], search))["data"]
        chosen = [item["phone_number"] for item in found]
        reserve = Call(body=body_of({"phone_numbers": [{"phone_number": n} for n in [*chosen, theirs]]}))
        reservation = (await send_checked(http, sandbox, ops["CreateNumberReservation"], reserve))["data"]
        assert [entry["status"] for entry in reservation["phone_numbers"]] == [
            "success",
            "success",
            "failure",
        ]
        by_id = Call(path_params={"number_reservation_id": reservation["id"]})
        await send_checked(http, sandbox, ops["ExtendNumberReservationExpiryTime"], by_id)
        numbers = [{"phone_number": number} for number in [chosen[0], theirs]]
        placed = await send_checked(
            http, sandbox, ops["CreateNumberOrder"], Call(body=body_of({"phone_numbers": numbers}))
        )
        clock.now += 2.0
        order_id = Call(path_params={"number_order_id": placed["data"]["id"]})
        done = (await send_checked(http, sandbox, ops["RetrieveNumberOrder"], order_id))["data"]
        assert [number["status"] for number in done["phone_numbers"]] == ["success", "failure"]
        await send_checked(http, sandbox, ops["RetrieveNumberReservation"], by_id)
        await send_checked(http, sandbox, ops["ListNumberReservations"], Call())
        await send_checked(http, sandbox, ops["ListAvailablePhoneNumberBlocks"], Call())
        clock.now += 2 * 30 * 60.0  # every hold is over
        await send_checked(http, sandbox, ops["ExtendNumberReservationExpiryTime"], by_id, 422)
