"""Waiting for a number order, and for a report: the same polls as an inexplicit order's wait.

The sandbox's clock moves only when the client sleeps between polls (`SandboxTime`), so a wait of
minutes takes no real time and every poll is counted in the sandbox's request log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from telnyx_orders import (
    AsyncTelnyx,
    RequirementsPendingError,
    RetryPolicy,
    Telnyx,
    WaitTimeoutError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import NumberOrderWithPhoneNumbers, OrderStatus

from .test_wait import SandboxTime

RETRIEVE = "RetrieveNumberOrder"
ADDRESS = "0e84f7f9-d195-4d02-9873-9ac4b99c276d"
FORM = "9e02e20d-167b-49f8-9b57-41495b538660"


@pytest.fixture
def sandbox_time() -> SandboxTime:
    return SandboxTime()


@pytest.fixture
async def sandbox(sandbox_time: SandboxTime) -> AsyncIterator[Sandbox]:
    async with Sandbox(clock=sandbox_time, lifecycle_step=2.0) as running:
        yield running


@pytest.fixture
async def client(sandbox: Sandbox, sandbox_time: SandboxTime) -> AsyncIterator[AsyncTelnyx]:
    retries = RetryPolicy(jitter=None, sleep=sandbox_time.sleep)
    async with AsyncTelnyx(
        sandbox.api_key, base_url=sandbox.base_url, max_retries=0, retry_policy=retries
    ) as bound:
        yield bound


async def place(client: AsyncTelnyx, *numbers: str) -> str:
    order = (await client.number_orders.create(phone_numbers=list(numbers))).data
    assert order is not None
    assert order.id is not None
    return order.id


async def test_wait_returns_the_number_order_once_it_is_no_longer_pending(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    order_id = await place(client, "+13125550100", "+13125550101")
    seen: list[str] = []

    order = await client.number_orders.wait(
        order_id, poll_interval=1.0, on_progress=lambda polled: seen.append(str(polled.status))
    )

    assert order.status == OrderStatus.SUCCESS
    assert [number.status for number in order.phone_numbers or ()] == ["success", "success"]
    assert seen[-1] == "success"
    assert set(seen[:-1]) == {"pending"}
    assert len(sandbox.requests_to(RETRIEVE)) == len(seen)
    assert sandbox_time.slept == [1.0, 1.5, 2.25][: len(sandbox_time.slept)]


async def test_a_failed_poll_does_not_end_the_wait(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    order_id = await place(client, "+13125550100")
    sandbox.faults.status(503, operation=RETRIEVE, times=2)

    order = await client.number_orders.wait(order_id)

    assert order.status == OrderStatus.SUCCESS
    assert [request.fault is not None for request in sandbox.requests_to(RETRIEVE)][:3] == [True, True, False]


async def test_an_order_waiting_for_requirements_stops_the_wait_until_they_are_given(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    order_id = await place(client, "+4930901870")

    with pytest.raises(
        RequirementsPendingError, match=f"number order {order_id} waits for regulatory"
    ) as stuck:
        await client.number_orders.wait(order_id, timeout=3600)

    assert stuck.value.waiting == (order_id,)
    assert isinstance(stuck.value.order, NumberOrderWithPhoneNumbers)
    assert stuck.value.order.requirements_met is False
    polls = len(sandbox.requests_to(RETRIEVE))
    assert polls <= 3, "it stops as soon as it sees the order wait, not at the deadline"

    given = [
        {"requirement_id": ADDRESS, "field_value": "an-address"},
        {"requirement_id": FORM, "field_value": "a-form"},
    ]
    await client.number_orders.update(order_id, regulatory_requirements=given)
    order = await client.number_orders.wait(order_id)

    assert (order.status, order.requirements_met) == (OrderStatus.SUCCESS, True)


async def test_out_of_time_the_wait_raises_with_the_last_order_seen() -> None:
    async with (
        Sandbox(lifecycle_step=60.0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        order_id = await place(client, "+13125550100")

        with pytest.raises(WaitTimeoutError) as late:
            await client.number_orders.wait(order_id, timeout=0.3, poll_interval=0.05)

    assert f"number order {order_id} was not complete after 0.3 s (status pending)" in str(late.value)
    assert isinstance(late.value.last_seen, NumberOrderWithPhoneNumbers)
    assert late.value.last_seen.id == order_id
    assert len(sandbox.requests_to(RETRIEVE)) >= 2


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"number_order_id": ""}, ValueError, "number_order_id"),
        ({"number_order_id": "x", "timeout": 0}, ValueError, "timeout"),
        ({"number_order_id": "x", "poll_interval": "1"}, TypeError, "poll_interval"),
        (
            {"number_order_id": "x", "poll_interval": 5, "max_poll_interval": 1},
            ValueError,
            "max_poll_interval",
        ),
    ],
)
async def test_bad_wait_arguments_are_refused_before_any_poll(
    client: AsyncTelnyx, sandbox: Sandbox, arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_orders.wait(**arguments)  # type: ignore[arg-type]

    assert sandbox.requests == []


async def test_a_report_wait_rides_out_a_failed_poll(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    await place(client, "+13125550100")
    report = (await client.sub_number_orders_report.create(country_code="US")).data
    assert report is not None
    assert report.id is not None
    sandbox.faults.status(503, operation="GetSubNumberOrdersReport")

    ready = await client.sub_number_orders_report.wait(report.id)

    assert ready.status == "success"
    assert [request.fault is not None for request in sandbox.requests_to("GetSubNumberOrdersReport")][:2] == [
        True,
        False,
    ]


def test_the_blocking_client_waits_for_a_number_order(served_sandbox: Sandbox) -> None:
    with Telnyx(served_sandbox.api_key, base_url=served_sandbox.base_url) as client:
        placed = client.number_orders.create(phone_numbers=["+13125550100"]).data
        assert placed is not None
        assert placed.id is not None

        order = client.number_orders.wait(placed.id, poll_interval=0.02, max_poll_interval=0.05, timeout=30)

    assert order.status == OrderStatus.SUCCESS
