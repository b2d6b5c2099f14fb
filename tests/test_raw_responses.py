"""Raw responses: `client.<resource>.with_raw_response.<method>(...)` on both clients.

Every method that answers with one HTTP response (an envelope, or the first page of a listing) has a
raw twin that returns an `APIResponse`: its status, headers, request id, retries and time, and `parse()`,
which is what the plain method returns. The workflows (`wait`, `retrieve_fulfillment`) make many
requests and have none.
"""

from __future__ import annotations

import functools
import inspect
import logging
import typing
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from telnyx_orders import (
    APIResponse,
    APIResponseValidationError,
    AsyncPage,
    AsyncPaginator,
    AsyncSearch,
    AsyncTelnyx,
    NotFoundError,
    SyncPage,
    Telnyx,
)
from telnyx_orders._pagination import AsyncPageResponse
from telnyx_orders._sync._pagination import SyncPageResponse
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import Envelope, SearchResults

from .conftest import Connect, Script, status
from .hints import client_resources, hints, signature

# Which methods have a raw twin, found by introspection: those answering with an envelope or a page.

WORKFLOWS = {"wait", "retrieve_fulfillment"}
"""Methods that make many requests: no one response describes them, so they have no raw twin."""


def resources(client: type) -> dict[str, type]:
    """The client's resources by name, and their groups of actions (`number_reservations.actions`)."""
    found: dict[str, type] = {}
    for name, resource in client_resources(client).items():
        found[name] = resource
        for member, prop in vars(resource).items():
            if member != "with_raw_response" and isinstance(prop, property):
                found[f"{name}.{member}"] = hints(prop.fget)["return"]
    return found


def resource_of(client: object, name: str) -> Any:
    """`client.<name>`, for a dotted name too."""
    return functools.reduce(getattr, name.split("."), client)


def one_response_methods(resource: type) -> dict[str, Any]:
    """The public methods of `resource` that answer with one response, with their return types."""
    found: dict[str, Any] = {}
    for name, method in vars(resource).items():
        if name.startswith("_") or not inspect.isfunction(method):
            continue
        returns = hints(method)["return"]
        if typing.get_origin(returns) in (Envelope, AsyncPaginator, SyncPage, AsyncSearch, SearchResults):
            found[name] = returns
    return found


def raw_class(resource: type) -> type:
    prop = vars(resource)["with_raw_response"]
    assert isinstance(prop, property)
    return hints(prop.fget)["return"]


def expected_raw_return(returns: Any) -> Any:
    origin, (item,) = typing.get_origin(returns), typing.get_args(returns)
    if origin is AsyncPaginator:
        return AsyncPageResponse[item]
    if origin is SyncPage:
        return SyncPageResponse[item]
    if origin in (AsyncSearch, SearchResults):
        return APIResponse[SearchResults[item]]  # a search is one response, not paged
    return APIResponse[returns]


ENVELOPE_METHODS = [
    (client, name, method)
    for client in (AsyncTelnyx, Telnyx)
    for name, resource in resources(client).items()
    for method in one_response_methods(resource)
]


def test_the_envelope_methods_found_are_every_resources_reads_and_creates() -> None:
    found = {(client.__name__, name, method) for client, name, method in ENVELOPE_METHODS}

    assert found == {
        (client, resource, method)
        for client in ("AsyncTelnyx", "Telnyx")
        for resource, method in [
            ("inexplicit_number_orders", "create"),
            ("inexplicit_number_orders", "list"),
            ("inexplicit_number_orders", "retrieve"),
            ("number_orders", "create"),
            ("number_orders", "list"),
            ("number_orders", "retrieve"),
            ("sub_number_orders", "list"),
            ("sub_number_orders", "retrieve"),
            ("number_orders", "update"),
            ("sub_number_orders", "update"),
            ("sub_number_orders", "cancel"),
            ("sub_number_orders", "update_requirement_group"),
            ("number_order_phone_numbers", "list"),
            ("number_order_phone_numbers", "retrieve"),
            ("number_order_phone_numbers", "update_requirements"),
            ("number_order_phone_numbers", "update_requirement_group"),
            ("sub_number_orders_report", "create"),
            ("sub_number_orders_report", "retrieve"),
            ("available_phone_numbers", "list"),
            ("available_phone_number_blocks", "list"),
            ("number_reservations", "create"),
            ("number_reservations", "list"),
            ("number_reservations", "retrieve"),
            ("number_reservations.actions", "extend"),
            ("number_block_orders", "create"),
            ("number_block_orders", "list"),
            ("number_block_orders", "retrieve"),
        ]
    }


REQUESTING = sorted(
    name for name, resource in resources(AsyncTelnyx).items() if one_response_methods(resource)
)
"""The resources whose methods send requests (all but `webhooks`, which verifies and parses)."""


@pytest.mark.parametrize("client", [AsyncTelnyx, Telnyx])
def test_only_webhooks_which_sends_no_request_has_no_raw_twin(client: type) -> None:
    without = {name for name in resources(client) if name not in REQUESTING}

    assert without == {"webhooks"}
    assert "with_raw_response" not in vars(resources(client)["webhooks"])


@pytest.mark.parametrize("client", [AsyncTelnyx, Telnyx])
@pytest.mark.parametrize("name", REQUESTING)
def test_each_resources_raw_twin_has_exactly_its_one_response_methods(client: type, name: str) -> None:
    resource = resources(client)[name]
    plain = one_response_methods(resource)
    raw = raw_class(resource)

    twins = {method for method in vars(raw) if not method.startswith("_")}
    assert twins == set(plain)
    assert not twins & WORKFLOWS
    for method, returns in plain.items():
        twin = getattr(raw, method)
        assert inspect.iscoroutinefunction(twin) == (client is AsyncTelnyx), method
        expected = signature(getattr(resource, method))
        actual = signature(twin)
        assert list(actual.parameters.values()) == list(expected.parameters.values()), method
        assert actual.return_annotation == expected_raw_return(returns), method


# Each raw twin, called: against the sandbox, through both clients.


@attrs.frozen
class Call:
    """How the envelope methods of the table below are called, given a sandbox to seed."""

    args: tuple[object, ...] = ()
    kwargs: dict[str, object] = attrs.field(factory=dict[str, object])
    creates: bool = False
    status: int = 200
    changes: bool = False
    """It changes what it answers with (an `updated_at`, say): the two answers name the same document."""
    raw_args: tuple[object, ...] | None = None
    """The raw twin's own arguments, for a call that cannot be made twice on one document (a cancel)."""
    raw_kwargs: dict[str, object] | None = None
    """The raw twin's own keyword arguments, for a create that cannot be made twice (a reservation)."""


def calls(sandbox: Sandbox) -> dict[tuple[str, str], Call]:
    """The arguments of each envelope method, against `sandbox` seeded with one order of each kind."""
    inexplicit = sandbox.add_inexplicit_number_order()
    number = sandbox.add_number_order(customer_reference="raw")
    sub = sandbox.add_sub_number_order()
    group = {"country_iso": "US", "phone_number_type": "local", "count_requested": 1}
    pending = [sandbox.add_sub_number_order(status="pending")["id"] for _ in range(2)]
    number_id = number["phone_numbers"][0]["id"]
    requirement = {"requirement_id": str(uuid.uuid4()), "field_value": "value"}
    report = sandbox.seed("sub_number_orders_report")
    reservation = sandbox.seed("number_reservations", customer_reference="raw")
    block = sandbox.seed("number_block_orders", customer_reference="raw")
    free = ["+19705550170", "+19705550171"]  # for sale in the sandbox's stock, and never ordered here
    return {
        ("inexplicit_number_orders", "create"): Call(kwargs={"ordering_groups": [group]}, creates=True),
        ("inexplicit_number_orders", "list"): Call(kwargs={"page_size": 1}),
        ("inexplicit_number_orders", "retrieve"): Call((inexplicit["id"],)),
        ("number_orders", "create"): Call(kwargs={"phone_numbers": ["+13125550100"]}, creates=True),
        ("number_orders", "list"): Call(kwargs={"customer_reference": "raw"}),
        ("number_orders", "retrieve"): Call((number["id"],)),
        ("sub_number_orders", "list"): Call(kwargs={"order_request_id": sub["order_request_id"]}),
        ("sub_number_orders", "retrieve"): Call((sub["id"],), {"include_phone_numbers": True}),
        ("number_orders", "update"): Call((number["id"],), {"customer_reference": "renamed"}, changes=True),
        ("sub_number_orders", "update"): Call(
            (sub["id"],), {"regulatory_requirements": [requirement]}, changes=True
        ),
        ("sub_number_orders", "cancel"): Call((pending[0],), changes=True, raw_args=(pending[1],)),
        ("sub_number_orders", "update_requirement_group"): Call(
            (sub["id"],), {"requirement_group_id": str(uuid.uuid4())}, changes=True
        ),
        ("number_order_phone_numbers", "list"): Call(),
        ("number_order_phone_numbers", "retrieve"): Call((number_id,)),
        ("number_order_phone_numbers", "update_requirements"): Call(
            (number_id,), {"regulatory_requirements": [requirement]}, changes=True
        ),
        ("number_order_phone_numbers", "update_requirement_group"): Call(
            (number_id,), {"requirement_group_id": str(uuid.uuid4())}, changes=True
        ),
        ("sub_number_orders_report", "create"): Call(creates=True, status=202),
        ("sub_number_orders_report", "retrieve"): Call((report["id"],)),
        ("available_phone_numbers", "list"): Call(kwargs={"country_code": "US", "limit": 5}),
        ("available_phone_number_blocks", "list"): Call(kwargs={"country_code": "US"}),
        ("number_reservations", "create"): Call(
            kwargs={"phone_numbers": [free[0]]}, creates=True, raw_kwargs={"phone_numbers": [free[1]]}
        ),
        ("number_reservations", "list"): Call(kwargs={"customer_reference": "raw"}),
        ("number_reservations", "retrieve"): Call((reservation["id"],)),
        ("number_reservations.actions", "extend"): Call((reservation["id"],), changes=True),
        ("number_block_orders", "create"): Call(
            kwargs={"starting_number": "+19705551000", "range": 10}, creates=True
        ),
        ("number_block_orders", "list"): Call(kwargs={"starting_number": block["starting_number"]}),
        ("number_block_orders", "retrieve"): Call((block["id"],)),
    }


ASYNC_METHODS = [(name, method) for client, name, method in ENVELOPE_METHODS if client is AsyncTelnyx]


def test_every_envelope_method_is_called_below() -> None:
    assert set(calls(Sandbox())) == set(ASYNC_METHODS)  # not started: seeding needs no server


def check_raw_against_plain(sandbox: Sandbox, raw: APIResponse[Any], plain: object, call: Call) -> None:
    """What every raw twin must give, whichever client it came from."""
    answered = sandbox.requests[-1]
    assert raw.status_code == call.status
    assert raw.request_id == answered.request_id
    assert raw.headers["X-Request-Id"] == answered.request_id, "headers are case-insensitive"
    assert raw.retries_taken == 0
    assert raw.elapsed > 0
    parsed = raw.parse()
    assert raw.parse() is parsed, "parsed once"
    assert type(parsed) is type(plain)
    if isinstance(parsed, (AsyncPage, SyncPage)):
        assert isinstance(plain, (AsyncPage, SyncPage))
        assert (parsed.data, parsed.meta, parsed.number) == (plain.data, plain.meta, plain.number)
        assert parsed.data, "the table seeds something to list"
    elif call.changes:
        assert isinstance(parsed, Envelope)
        assert isinstance(plain, Envelope)
        if call.raw_args is None:
            assert parsed.data is not None
            assert plain.data is not None
            assert getattr(parsed.data, "id", None) == getattr(plain.data, "id", None)
    elif call.creates:
        assert isinstance(parsed, Envelope)
        assert parsed.data is not None
        assert [request.method for request in sandbox.requests].count("POST") == 2, "one order per call"
    else:
        assert parsed == plain


@pytest.mark.parametrize(("name", "method"), ASYNC_METHODS)
async def test_each_raw_twin_answers_with_the_response_of_its_plain_call(
    sandbox: Sandbox, name: str, method: str
) -> None:
    call = calls(sandbox)[name, method]
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client:
        resource = resource_of(client, name)
        plain = await getattr(resource, method)(*call.args, **call.kwargs)
        raw_args = call.args if call.raw_args is None else call.raw_args
        raw_kwargs = call.kwargs if call.raw_kwargs is None else call.raw_kwargs
        raw = await getattr(resource.with_raw_response, method)(*raw_args, **raw_kwargs)

    assert isinstance(raw, APIResponse)
    check_raw_against_plain(sandbox, raw, plain, call)


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    with Sandbox().serve_in_thread() as sandbox:
        yield sandbox


@pytest.mark.parametrize(("name", "method"), ASYNC_METHODS)
def test_each_blocking_raw_twin_answers_with_the_response_of_its_plain_call(
    served: Sandbox, name: str, method: str
) -> None:
    served.reset()
    call = calls(served)[name, method]
    with Telnyx(served.api_key, base_url=served.base_url) as client:
        resource = resource_of(client, name)
        plain = getattr(resource, method)(*call.args, **call.kwargs)
        raw_args = call.args if call.raw_args is None else call.raw_args
        raw_kwargs = call.kwargs if call.raw_kwargs is None else call.raw_kwargs
        raw = getattr(resource.with_raw_response, method)(*raw_args, **raw_kwargs)

    assert isinstance(raw, APIResponse)
    check_raw_against_plain(served, raw, plain, call)


# What a raw response tells


async def test_retries_taken_counts_the_retries_and_the_request_id_is_the_answers(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.status(503, times=2)

    raw = await client.number_orders.with_raw_response.retrieve(order_id)

    assert raw.retries_taken == 2
    assert len(sandbox.requests) == 3
    assert raw.request_id == sandbox.requests[-1].request_id
    assert raw.request_id not in {request.request_id for request in sandbox.requests[:2]}


async def test_elapsed_covers_the_whole_call_in_seconds(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.latency(0.05)

    raw = await client.number_orders.with_raw_response.retrieve(order_id)

    assert 0.05 <= raw.elapsed < 60


async def test_a_raw_page_pages_on_like_the_plain_one(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    for _ in range(3):
        sandbox.add_number_order()

    raw = await client.number_orders.with_raw_response.list(page_size=2)
    first = raw.parse()

    assert isinstance(raw, AsyncPageResponse)
    assert first.has_next_page()
    second = await first.get_next_page()
    assert [len(first.data), len(second.data)] == [2, 1]
    assert len([order async for order in first]) == 3


def test_a_blocking_raw_page_pages_on_with_for(served: Sandbox) -> None:
    served.reset()
    for _ in range(3):
        served.add_number_order()

    with Telnyx(served.api_key, base_url=served.base_url) as client:
        page = client.number_orders.with_raw_response.list(page_size=2).parse()
        assert isinstance(page, SyncPage)
        assert len(list(page)) == 3


async def test_an_unreadable_2xx_still_gives_the_response_and_parse_says_why(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.malformed()

    raw = await client.number_orders.with_raw_response.retrieve(order_id)

    assert raw.status_code == 200
    assert raw.request_id == sandbox.requests[-1].request_id, "the id to quote for a body gone wrong"
    with pytest.raises(APIResponseValidationError, match="not JSON"):
        raw.parse()


async def test_an_error_status_raises_as_the_plain_call_does(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    with pytest.raises(NotFoundError) as raised:
        await client.number_orders.with_raw_response.retrieve("no-such-order")

    assert raised.value.request_id == sandbox.requests[-1].request_id


async def test_headers_without_a_request_id_give_none_and_any_case_works(connect: Connect) -> None:
    client = connect(Script(status(200, **{"Content-Type": "application/json", "X-Other": "1"})))

    raw = await client.number_orders.with_raw_response.retrieve("1")

    assert raw.request_id is None
    assert raw.headers["x-other"] == raw.headers["X-OTHER"] == "1"
    assert repr(raw) == f"<APIResponse 200 request_id=None retries_taken=0 elapsed={raw.elapsed:.3f}>"


async def test_the_plain_calls_never_build_a_raw_response(
    client: AsyncTelnyx, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[APIResponse[Any]] = []
    original = APIResponse.__init__

    def counting(self: APIResponse[Any], *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(APIResponse, "__init__", counting)
    order_id = sandbox.add_number_order()["id"]

    await client.number_orders.retrieve(order_id)
    await client.number_orders.list()
    await client.inexplicit_number_orders.create(
        ordering_groups=[{"country_iso": "US", "phone_number_type": "local", "count_requested": 1}]
    )
    assert built == []
    await client.number_orders.with_raw_response.retrieve(order_id)
    assert len(built) == 1


async def test_a_raw_call_on_a_closed_client_is_refused_like_a_plain_one(sandbox: Sandbox) -> None:
    client = AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url)
    await client.aclose()

    with pytest.raises(RuntimeError, match="this client is closed; create a new one"):
        await client.number_orders.with_raw_response.retrieve("any")
    assert sandbox.requests == []


# The request id in the log


async def test_each_attempt_is_logged_with_its_request_id(
    client: AsyncTelnyx, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    order_id = sandbox.add_number_order()["id"]
    sandbox.faults.status(503)

    with caplog.at_level(logging.DEBUG, logger="telnyx_orders"):
        await client.number_orders.retrieve(order_id)

    failed, answered = sandbox.requests
    assert [record.getMessage() for record in caplog.records] == [
        f"GET /v2/number_orders/{order_id} -> 503 (attempt 1, request id {failed.request_id}); "
        "retrying in 0.500 s",
        f"GET /v2/number_orders/{order_id} -> 200 (attempt 2, request id {answered.request_id})",
    ]
