"""Choosing numbers before buying them: search, reservations and block orders, on the wire and checked.

Against the sandbox, whose request log shows each request as it arrived; one test structures the spec's
own example in memory, through the client's `transport=` seam.

The query keys are the spec's own (deepObject: `filter[phone_number][starts_with]`), a list filter goes
as one comma-separated value as the official `telnyx` SDK sends it (its client's
`Querystring(array_format="comma")`), every argument is checked before anything is sent, and a create
that may have landed is never sent twice.
"""

from __future__ import annotations

import inspect
import json
from datetime import datetime, timezone
from typing import Any

import pytest

from telnyx_orders import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncSearch,
    AsyncTelnyx,
    HTTPResponse,
    InternalServerError,
    NotFoundError,
    SyncPage,
    Telnyx,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import (
    AvailablePhoneNumber,
    AvailablePhoneNumberBlock,
    AvailablePhoneNumbersMetadata,
    CostInformation,
    Feature,
    NumberBlockOrder,
    NumberReservation,
    RegionInformation,
    RegionType,
    ReservedPhoneNumberParams,
    SearchResults,
)

from .conftest import Connect, Script, SleepRecorder

NUMBER = {
    "phone_number": "+19705555098",
    "record_type": "available_phone_number",
    "vanity_format": "",
    "best_effort": False,
    "quickship": True,
    "reservable": True,
    "region_information": [{"region_name": "US", "region_type": "country_code"}],
    "cost_information": {"upfront_cost": "3.21", "monthly_cost": "6.54", "currency": "USD"},
    "features": [{"name": "sms"}, {"name": "voice"}],
}
BLOCK = {
    "phone_number": "+19705555000",
    "range": 10,
    "record_type": "available_phone_number_block",
    "region_information": [{"region_name": "US", "region_type": "country_code"}],
    "cost_information": {"upfront_cost": "3.21", "monthly_cost": "6.54", "currency": "USD"},
    "features": [{"name": "voice"}],
}
RESERVATION = {
    "id": "12ade33a-21c0-473b-b055-b3c836e1c292",
    "record_type": "number_reservation",
    "status": "success",
    "customer_reference": "MY REF 001",
    "phone_numbers": [
        {
            "id": "22ade33a-21c0-473b-b055-b3c836e1c292",
            "phone_number": "+19705555098",
            "status": "success",
            "expired_at": "2026-12-06T22:30:00Z",
            "record_type": "reserved_phone_number",
        }
    ],
    "created_at": "2026-12-06T22:00:00Z",
}


def ok(document: object) -> HTTPResponse:
    return HTTPResponse(200, "OK", {"Content-Type": "application/json"}, json.dumps(document).encode())


def found(*numbers: dict[str, Any]) -> HTTPResponse:
    meta = {"total_results": len(numbers), "best_effort_results": 0}
    return ok({"data": list(numbers), "meta": meta, "metadata": meta})


# Search: the request, as the sandbox received it


async def test_every_search_filter_goes_on_the_wire_under_the_specs_key(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    await client.available_phone_numbers.list(
        country_code="us",
        phone_number_type="local",
        national_destination_code="970",
        locality="Fort Collins",
        administrative_area="CO",
        rate_center="FORT COLLINS",
        features=["sms", "voice"],
        phone_number_starts_with="970",
        phone_number_ends_with="98",
        phone_number_contains="555",
        limit=10,
        best_effort=False,
        quickship=True,
        reservable=True,
        exclude_held_numbers=True,
    )

    (request,) = sandbox.requests
    assert (request.method, request.path) == ("GET", "/v2/available_phone_numbers")
    assert request.query == [
        ("filter[country_code]", "US"),
        ("filter[phone_number_type]", "local"),
        ("filter[national_destination_code]", "970"),
        ("filter[locality]", "Fort Collins"),
        ("filter[administrative_area]", "CO"),
        ("filter[rate_center]", "FORT COLLINS"),
        ("filter[features]", "sms,voice"),
        ("filter[phone_number][starts_with]", "970"),
        ("filter[phone_number][ends_with]", "98"),
        ("filter[phone_number][contains]", "555"),
        ("filter[limit]", "10"),
        ("filter[best_effort]", "false"),
        ("filter[quickship]", "true"),
        ("filter[reservable]", "true"),
        ("filter[exclude_held_numbers]", "true"),
    ]


async def test_a_search_sends_only_the_filters_given_and_a_block_search_takes_its_four(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    await client.available_phone_numbers.list(country_code="US")
    await client.available_phone_number_blocks.list(
        country_code="US", phone_number_type="local", national_destination_code="970", locality="Denver"
    )

    plain, blocks = sandbox.requests
    assert plain.query == [("filter[country_code]", "US")]
    assert (blocks.path, blocks.operation) == (
        "/v2/available_phone_number_blocks",
        "ListAvailablePhoneNumberBlocks",
    )
    assert blocks.query == [
        ("filter[country_code]", "US"),
        ("filter[phone_number_type]", "local"),
        ("filter[national_destination_code]", "970"),
        ("filter[locality]", "Denver"),
    ]


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"limit": 0}, ValueError, "limit must be 1 or more, not 0"),
        ({"limit": "10"}, TypeError, "limit must be an int"),
        ({"limit": True}, TypeError, "limit must be an int"),
        ({"features": "sms"}, TypeError, "features must be a list of str"),
        ({"features": []}, ValueError, "features must not be empty"),
        ({"features": ["sms", 1]}, TypeError, "features must hold str, not int"),
        ({"features": ["sms,voice"]}, ValueError, "without commas"),
        ({"country_code": "USA"}, ValueError, "two-letter ISO 3166-1 country code"),
        ({"country_code": 1}, TypeError, "country_code must be a str"),
        ({"best_effort": "yes"}, TypeError, "best_effort must be a bool"),
        ({"phone_number_starts_with": ""}, ValueError, "phone_number_starts_with must not be empty"),
        ({"locality": 3}, TypeError, "locality must be a str"),
        ({"timeout": -1}, ValueError, "timeout"),
    ],
)
async def test_a_bad_search_filter_is_refused_before_anything_is_sent(
    client: AsyncTelnyx, sandbox: Sandbox, filters: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        client.available_phone_numbers.list(**filters)
    if set(filters) <= set(inspect.signature(client.number_orders.buy).parameters):
        with pytest.raises(error, match=message):
            await client.number_orders.buy(**{"country_code": "US", **filters})
    assert sandbox.requests == []


# Search: the answer


async def test_awaited_a_search_gives_the_numbers_with_features_region_cost_and_counts(
    connect: Connect,
) -> None:
    # In memory: the spec's own example, structured field by field.
    client = connect(Script(found(NUMBER)))

    results = await client.available_phone_numbers.list(country_code="US")

    assert isinstance(results, SearchResults)
    assert (
        results.meta
        == results.metadata
        == AvailablePhoneNumbersMetadata(total_results=1, best_effort_results=0)
    )
    (number,) = results.data or ()
    assert number == AvailablePhoneNumber(
        phone_number="+19705555098",
        record_type="available_phone_number",
        vanity_format="",
        best_effort=False,
        quickship=True,
        reservable=True,
        region_information=(RegionInformation(region_name="US", region_type=RegionType.COUNTRY_CODE),),
        cost_information=CostInformation(upfront_cost="3.21", monthly_cost="6.54", currency="USD"),
        features=(Feature(name="sms"), Feature(name="voice")),
    )
    blocks = connect(Script(found(BLOCK)))
    assert [
        (block.phone_number, block.range) for block in await blocks.available_phone_number_blocks.list()
    ] == [("+19705555000", 10)]


async def test_iterated_a_search_gives_every_result_from_one_request(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    search = client.available_phone_numbers.list(country_code="US", national_destination_code="970", limit=2)
    numbers = [number.phone_number async for number in search]

    assert isinstance(search, AsyncSearch)
    assert numbers == ["+19705550000", "+19705550001"]
    assert len(sandbox.requests) == 1
    again = [number.phone_number async for number in search]
    assert again == numbers
    assert len(sandbox.requests) == 2, "each iteration searches again: what is for sale changes"
    block = next(iter(await client.available_phone_number_blocks.list(country_code="US")))
    assert isinstance(block, AvailablePhoneNumberBlock)


async def test_a_search_answer_of_the_wrong_shape_is_a_typed_error(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    body = json.dumps({"data": [{**NUMBER, "features": "sms"}]}).encode()
    sandbox.faults.malformed(body=body, operation="ListAvailablePhoneNumbers")

    with pytest.raises(APIResponseValidationError, match="features"):
        await client.available_phone_numbers.list(country_code="US")


async def test_a_search_is_a_read_and_is_retried(
    client: AsyncTelnyx, sandbox: Sandbox, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(503, operation="ListAvailablePhoneNumbers")

    results = await client.available_phone_numbers.list(country_code="US", limit=1)

    assert len(sandbox.requests_to("ListAvailablePhoneNumbers")) == 2
    assert len(sleeps.delays) == 1
    assert len(results.data or ()) == 1


# Reservations: the request, as the sandbox received it


async def test_a_reservation_takes_numbers_as_strings_params_or_dicts(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    reservation = await client.number_reservations.create(
        phone_numbers=[
            "+19705550100",
            ReservedPhoneNumberParams(phone_number="+19705550101"),
            {"phone_number": "+19705550102"},
        ],
        customer_reference="MY REF 001",
    )

    (request,) = sandbox.requests
    assert (request.method, request.path) == ("POST", "/v2/number_reservations")
    assert request.json() == {
        "phone_numbers": [
            {"phone_number": "+19705550100"},
            {"phone_number": "+19705550101"},
            {"phone_number": "+19705550102"},
        ],
        "customer_reference": "MY REF 001",
    }
    assert isinstance(reservation.data, NumberReservation)
    assert reservation.data.customer_reference == "MY REF 001"
    held = reservation.data.phone_numbers or ()
    assert [number.phone_number for number in held] == ["+19705550100", "+19705550101", "+19705550102"]
    assert all(number.expired_at is not None and number.expired_at.tzinfo is not None for number in held)


@pytest.mark.parametrize(
    ("phone_numbers", "error", "message"),
    [
        ([], ValueError, "phone_numbers must not be empty"),
        ("+19705555098", TypeError, "phone_numbers must be a list"),
        (["19705555098"], ValueError, r"phone_numbers\[0\]: phone_number must be an E.164 number"),
        (["+19705555098", 5], TypeError, r"phone_numbers\[1\]: expected ReservedPhoneNumberParams"),
        ([{"number": "+19705555098"}], TypeError, r"phone_numbers\[0\]: unknown keys 'number'"),
        ([{"phone_number": "+1", "bundle_id": "b"}], TypeError, "unknown keys 'bundle_id'"),
    ],
)
async def test_a_bad_number_to_reserve_is_refused_before_anything_is_sent(
    client: AsyncTelnyx, sandbox: Sandbox, phone_numbers: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_reservations.create(phone_numbers=phone_numbers)
    assert sandbox.requests == []


async def test_reservations_are_listed_filtered_and_paged_under_the_specs_keys(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    made = [
        sandbox.add_number_reservation(phone_numbers=[f"+1970555020{i}"], customer_reference="r")["id"]
        for i in range(3)
    ]

    page = await client.number_reservations.list(
        status="success",
        created_at_gt=datetime(2026, 1, 1, tzinfo=timezone.utc),
        created_at_lt="2099-01-01T00:00:00Z",
        phone_number="+19705550201",
        customer_reference="r",
        page_number=1,
        page_size=1,
    )

    (request,) = sandbox.requests
    assert sorted(request.query) == sorted(
        [
            ("filter[status]", "success"),
            ("filter[created_at][gt]", "2026-01-01T00:00:00+00:00"),
            ("filter[created_at][lt]", "2099-01-01T00:00:00Z"),
            ("filter[phone_numbers.phone_number]", "+19705550201"),
            ("filter[customer_reference]", "r"),
            ("page[number]", "1"),
            ("page[size]", "1"),
        ]
    )
    assert [reservation.id for reservation in page.data] == [made[1]]
    every = [
        reservation.id
        async for reservation in client.number_reservations.list(customer_reference="r", page_size=2)
    ]
    assert sorted(every) == sorted(made)


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"phone_number": "9705555098"}, ValueError, "phone_number must be an E.164 number"),
        ({"created_at_gt": datetime(2026, 1, 1)}, ValueError, "timezone-aware"),
        ({"page_size": 251}, ValueError, "page_size must be from 1 to 250"),
        ({"status": 1}, TypeError, "status must be a str"),
    ],
)
async def test_a_bad_reservation_filter_is_refused_before_anything_is_sent(
    client: AsyncTelnyx, sandbox: Sandbox, filters: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        client.number_reservations.list(**filters)
    assert sandbox.requests == []


async def test_retrieve_and_extend_name_the_reservation_in_the_path(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    reservation_id = sandbox.add_number_reservation(phone_numbers=["+19705550300"])["id"]

    retrieved = await client.number_reservations.retrieve(reservation_id)
    extended = await client.number_reservations.actions.extend(reservation_id)

    retrieve, extend = sandbox.requests
    assert (retrieve.method, retrieve.path) == ("GET", f"/v2/number_reservations/{reservation_id}")
    assert (extend.method, extend.path, extend.body) == (
        "POST",
        f"/v2/number_reservations/{reservation_id}/actions/extend",
        b"",
    )
    assert retrieved.data is not None
    assert extended.data is not None
    assert extended.data.id == retrieved.data.id == reservation_id
    with pytest.raises(ValueError, match="number_reservation_id must not be a relative path segment"):
        await client.number_reservations.actions.extend("..")
    with pytest.raises(NotFoundError):
        await client.number_reservations.retrieve("no-such-reservation")


@pytest.mark.parametrize("fault", ["status", "drop_after"])
async def test_a_reservation_that_may_have_landed_is_not_sent_again(
    client: AsyncTelnyx, sandbox: Sandbox, sleeps: SleepRecorder, fault: str
) -> None:
    if fault == "status":
        sandbox.faults.status(500, operation="CreateNumberReservation")
    else:
        sandbox.faults.drop_after(operation="CreateNumberReservation")

    with pytest.raises((InternalServerError, APIConnectionError)) as failed:
        await client.number_reservations.create(phone_numbers=["+19705550400"])

    assert len(sandbox.requests_to("CreateNumberReservation")) == 1
    assert sleeps.delays == []
    assert getattr(failed.value, "may_have_taken_effect", False)
    assert "the numbers may be held" in str(failed.value)


# Block orders: against the sandbox, which serves them


async def test_a_block_order_is_created_retrieved_and_listed(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    created = await client.number_block_orders.create(
        starting_number="+19705551000",
        range=10,
        connection_id="c-1",
        messaging_profile_id="m-1",
        customer_reference="block",
    )

    order = created.data
    assert isinstance(order, NumberBlockOrder)
    assert (order.starting_number, order.range, order.status) == ("+19705551000", 10, "pending")
    assert (order.connection_id, order.messaging_profile_id, order.customer_reference) == (
        "c-1",
        "m-1",
        "block",
    )
    assert order.id is not None
    request = sandbox.requests_to("CreateNumberBlockOrder")[0]
    assert json.loads(request.body) == {
        "starting_number": "+19705551000",
        "range": 10,
        "connection_id": "c-1",
        "messaging_profile_id": "m-1",
        "customer_reference": "block",
    }
    retrieved = await client.number_block_orders.retrieve(order.id)
    assert retrieved.data is not None
    assert retrieved.data.id == order.id
    listed = [found.id async for found in client.number_block_orders.list(starting_number="+19705551000")]
    assert listed == [order.id]
    others = await client.number_block_orders.list(starting_number="+19705559000", page_size=5)
    assert others.data == ()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"starting_number": "19705551000", "range": 10}, ValueError, "starting_number must be an E.164"),
        ({"starting_number": 19705551000, "range": 10}, TypeError, "starting_number must be a str"),
        ({"starting_number": "+19705551000", "range": 0}, ValueError, "range must be 1 or more"),
        ({"starting_number": "+19705551000", "range": "10"}, TypeError, "range must be an int"),
        ({"starting_number": "+19705551000", "range": 10, "connection_id": ""}, ValueError, "connection_id"),
    ],
)
async def test_a_bad_block_order_is_refused_before_anything_is_sent(
    sandbox: Sandbox, client: AsyncTelnyx, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_block_orders.create(**arguments)
    with pytest.raises(ValueError, match=r"starting_number must be an E\.164"):
        client.number_block_orders.list(starting_number="+1-970")
    assert sandbox.requests == []


async def test_a_block_order_that_failed_on_the_server_is_not_resent_and_may_exist(
    sandbox: Sandbox, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    sandbox.faults.status(503, operation="CreateNumberBlockOrder")

    with pytest.raises(InternalServerError) as failed:
        await client.number_block_orders.create(starting_number="+19705551000", range=10)

    assert len(sandbox.requests_to("CreateNumberBlockOrder")) == 1
    assert sleeps.delays == []
    assert failed.value.may_have_taken_effect
    assert "the order may exist" in str(failed.value)


def test_the_blocking_client_orders_a_block_and_pages_through_orders(served_sandbox: Sandbox) -> None:
    with Telnyx(served_sandbox.api_key, base_url=served_sandbox.base_url) as client:
        first = client.number_block_orders.create(starting_number="+19705552000", range=10).data
        second = client.number_block_orders.create(starting_number="+19705553000", range=10).data
        page = client.number_block_orders.list(page_size=1)

        assert isinstance(page, SyncPage)
        assert first is not None
        assert second is not None
        assert {order.id for order in page} == {first.id, second.id}


# Search: against the sandbox, on both clients


async def test_a_search_finds_numbers_for_sale_with_the_features_asked_for(client: AsyncTelnyx) -> None:
    results = await client.available_phone_numbers.list(
        country_code="US", national_destination_code="970", features=["sms", "fax"], limit=5
    )

    numbers = results.data or ()
    assert 1 <= len(numbers) <= 5
    assert results.meta is not None
    assert results.meta.total_results == len(numbers)
    for number in numbers:
        assert (number.phone_number or "").startswith("+1970")
        assert {"sms", "fax"} <= {feature.name for feature in number.features or ()}
        assert number.cost_information is not None
        assert number.cost_information.currency == "USD"
        assert number.region_information, "each number says where it is"
    iterated = [
        number
        async for number in client.available_phone_numbers.list(
            country_code="US", national_destination_code="970", features=["sms", "fax"], limit=5
        )
    ]
    assert iterated == list(numbers)


async def test_which_filters_a_search_needs_is_left_to_the_server(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    from telnyx_orders import UnprocessableEntityError

    with pytest.raises(UnprocessableEntityError):
        await client.available_phone_numbers.list(national_destination_code="970")
    assert len(sandbox.requests) == 1, "sent: only the server knows what it requires"


async def test_a_block_search_finds_blocks_of_consecutive_numbers(client: AsyncTelnyx) -> None:
    blocks = [block async for block in client.available_phone_number_blocks.list(country_code="US")]

    assert blocks
    for block in blocks:
        assert block.range is not None
        assert block.range >= 1
        assert (block.phone_number or "").startswith("+1")


def test_the_blocking_client_iterates_a_search_with_for(served_sandbox: Sandbox) -> None:
    with Telnyx(served_sandbox.api_key, base_url=served_sandbox.base_url) as client:
        results = client.available_phone_numbers.list(
            country_code="US", national_destination_code="312", limit=3
        )

        assert isinstance(results, SearchResults)
        assert [number.phone_number for number in results] == [
            number.phone_number for number in results.data or ()
        ]
        assert len(results.data or ()) == 3
        raw = client.available_phone_numbers.with_raw_response.list(country_code="US", limit=1)
        assert raw.status_code == 200
        assert len(raw.parse().data or ()) == 1
