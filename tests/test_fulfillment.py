"""What an order produced: every linked number order and sub number order, fetched in one call."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from telnyx_orders import (
    APITimeoutError,
    AsyncTelnyx,
    HTTPRequest,
    HTTPResponse,
    MockTransport,
    NotFoundError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import (
    Fulfillment,
    InexplicitNumberOrder,
    NumberOrderWithPhoneNumbers,
    OrderStatus,
    SubNumberOrder,
)

RETRIEVE_NUMBER_ORDER = "RetrieveNumberOrder"
GET_SUB_NUMBER_ORDER = "GetSubNumberOrder"


async def completed_order(client: AsyncTelnyx, *groups: dict[str, Any]) -> InexplicitNumberOrder:
    created = (await client.inexplicit_number_orders.create(ordering_groups=list(groups))).data
    assert created is not None
    assert created.id is not None
    return await client.inexplicit_number_orders.wait(created.id, poll_interval=0.01)


def linking_order(sandbox: Sandbox, links: list[dict[str, Any]]) -> dict[str, Any]:
    return sandbox.seed_raw(
        "inexplicit_number_orders",
        {"id": "linking", "ordering_groups": [{"status": "success", "orders": links}]},
    )


async def test_the_numbers_an_order_bought_come_in_one_call(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    order = await completed_order(
        client,
        {
            "country_iso": "US",
            "phone_number_type": "local",
            "count_requested": 3,
            "national_destination_code": "312",
        },
        {"country_iso": "US", "phone_number_type": "toll_free", "count_requested": 2},
    )

    fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment(order)

    assert isinstance(fulfillment, Fulfillment)
    assert fulfillment.order is order
    assert len(fulfillment.number_orders) == 2
    assert all(
        isinstance(number_order, NumberOrderWithPhoneNumbers) for number_order in fulfillment.number_orders
    )
    assert all(isinstance(sub, SubNumberOrder) for sub in fulfillment.sub_number_orders)
    assert [sub.phone_numbers_count for sub in fulfillment.sub_number_orders] == [3, 2]
    numbers = [number.phone_number or "" for number in fulfillment.phone_numbers]
    assert len(numbers) == len(set(numbers)) == 5
    assert all(re.fullmatch(r"\+1\d{10}", number) for number in numbers)
    assert all(number.startswith("+1312") for number in numbers[:3])
    assert {number.status for number in fulfillment.phone_numbers} == {OrderStatus.SUCCESS}
    sub_requests = sandbox.requests_to(GET_SUB_NUMBER_ORDER)
    assert [dict(request.query) for request in sub_requests] == [
        {"filter[include_phone_numbers]": "true"}
    ] * 2


async def test_an_order_id_is_retrieved_first(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    order = await completed_order(
        client, {"country_iso": "CA", "phone_number_type": "local", "count_requested": 1}
    )
    assert order.id is not None

    fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment(order.id)

    assert fulfillment.order == order
    assert len(fulfillment.phone_numbers) == 1


async def test_a_failed_group_produced_nothing(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.set_inventory("US", "local", 0)
    order = await completed_order(
        client, {"country_iso": "US", "phone_number_type": "local", "count_requested": 1}
    )
    requests_before = len(sandbox.requests)

    fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment(order)

    assert fulfillment == Fulfillment(order=order)
    assert fulfillment.phone_numbers == ()
    assert len(sandbox.requests) == requests_before


async def test_each_linked_order_is_fetched_once(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    number_order = sandbox.add_number_order(phone_numbers_count=2)
    link = {
        "number_order_id": number_order["id"],
        "sub_number_order_ids": number_order["sub_number_orders_ids"],
    }
    linking_order(sandbox, [link, link])

    fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment("linking")

    assert [order.id for order in fulfillment.number_orders] == [number_order["id"]]
    assert len(fulfillment.sub_number_orders) == 1
    assert len(fulfillment.phone_numbers) == 2
    assert len(sandbox.requests_to(RETRIEVE_NUMBER_ORDER)) == 1
    assert len(sandbox.requests_to(GET_SUB_NUMBER_ORDER)) == 1


class LinkedOrders:
    """A transport's handler: an inexplicit order "linking" that links `count` number orders, answered
    in memory, the number orders after `delay` seconds; it counts the requests in flight."""

    def __init__(self, count: int, *, delay: float = 0.0) -> None:
        self.ids = [f"number-order-{index}" for index in range(count)]
        self.delay = delay
        self.in_flight = self.most_in_flight = self.number_orders_fetched = 0

    async def __call__(self, request: HTTPRequest) -> HTTPResponse:
        if request.url.path.endswith("/inexplicit_number_orders/linking"):
            links = [{"number_order_id": id, "sub_number_order_ids": []} for id in self.ids]
            order = {"id": "linking", "ordering_groups": [{"status": "success", "orders": links}]}
            return HTTPResponse(200, body=json.dumps({"data": order}).encode())
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            # Each of these is one turn of the loop: every request that could start meanwhile, does.
            for _ in range(5):
                await asyncio.sleep(0)
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        self.number_orders_fetched += 1
        number_order_id = request.url.path.rpartition("/")[2]
        return HTTPResponse(200, body=json.dumps({"data": {"id": number_order_id}}).encode())


async def test_at_most_max_concurrency_requests_are_in_flight() -> None:
    linked = LinkedOrders(6)
    async with AsyncTelnyx("key", transport=MockTransport(linked)) as client:
        fulfillment = await client.inexplicit_number_orders.retrieve_fulfillment("linking", max_concurrency=2)

    assert [order.id for order in fulfillment.number_orders] == linked.ids
    assert linked.most_in_flight == 2


async def test_the_timeout_is_the_deadline_of_every_request_together() -> None:
    linked = LinkedOrders(4, delay=0.15)
    loop = asyncio.get_running_loop()
    async with AsyncTelnyx("key", transport=MockTransport(linked)) as client:
        started = loop.time()
        with pytest.raises(APITimeoutError):
            await client.inexplicit_number_orders.retrieve_fulfillment(
                "linking", max_concurrency=1, timeout=0.4, max_retries=0
            )
        elapsed = loop.time() - started

    assert linked.number_orders_fetched == 2, "the third 0.15 s request would end past 0.4 s"
    assert 0.4 <= elapsed < 0.45


async def test_a_linked_order_that_cannot_be_fetched_fails_the_call(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    linking_order(
        sandbox,
        [
            {"number_order_id": sandbox.add_number_order()["id"], "sub_number_order_ids": []},
            {"number_order_id": "gone", "sub_number_order_ids": []},
        ],
    )

    with pytest.raises(NotFoundError):
        await client.inexplicit_number_orders.retrieve_fulfillment("linking")


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"order": "linking", "max_concurrency": 0}, ValueError, "max_concurrency must be 1 or more"),
        ({"order": "linking", "max_concurrency": 2.0}, TypeError, "max_concurrency must be an int"),
        ({"order": 42}, TypeError, "order must be an InexplicitNumberOrder or its id"),
        ({"order": ""}, ValueError, "id must be a non-empty string"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    sandbox: Sandbox, client: AsyncTelnyx, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.inexplicit_number_orders.retrieve_fulfillment(**arguments)

    assert sandbox.requests == []
