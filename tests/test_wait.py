"""Waiting for an order (inexplicit, or a number order) or a report: polls that grow apart, ride out
failures, stop when the order waits for regulatory requirements, and stop at the deadline."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from telnyx_orders import (
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RequirementsPendingError,
    RetryPolicy,
    Telnyx,
    TelnyxError,
    WaitTimeoutError,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import (
    InexplicitNumberOrder,
    NumberOrderWithPhoneNumbers,
    OrderingGroupStatus,
    OrderStatus,
)

RETRIEVE = "RetrieveInexplicitNumberOrder"
THREE_LOCAL: dict[str, Any] = {"country_iso": "US", "phone_number_type": "local", "count_requested": 3}


class SandboxTime:
    """The sandbox's clock, moved on by the client's sleeps: a wait of minutes runs in no real time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


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


async def create(client: AsyncTelnyx, **group: Any) -> str:
    order = (await client.inexplicit_number_orders.create(ordering_groups=[{**THREE_LOCAL, **group}])).data
    assert order is not None
    assert order.id is not None
    return order.id


async def test_wait_returns_the_order_once_every_group_is_done(
    client: AsyncTelnyx, sandbox_time: SandboxTime
) -> None:
    order_id = await create(client)
    seen: list[list[str]] = []

    order = await client.inexplicit_number_orders.wait(
        order_id,
        poll_interval=1.0,
        on_progress=lambda o: seen.append([str(g.status) for g in o.ordering_groups or ()]),
    )

    assert isinstance(order, InexplicitNumberOrder)
    assert order.is_complete
    assert order.ordering_groups is not None
    (group,) = order.ordering_groups
    assert group.status is OrderingGroupStatus.SUCCESS
    assert group.count_allocated == 3
    assert group.orders is not None
    assert len(group.orders) == 1
    # Polls at t = 0, 1, 2.5 and 4.75; the order moves on at t = 2 and t = 4.
    assert sandbox_time.slept == [1.0, 1.5, 2.25]
    assert seen == [["pending"], ["pending"], ["processing"], ["success"]]


async def test_the_gap_between_polls_grows_and_is_capped(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    sandbox.lifecycle_step = 10.0
    order_id = await create(client)

    await client.inexplicit_number_orders.wait(order_id, poll_interval=1.0, max_poll_interval=3.0)

    assert sandbox_time.slept[:6] == [1.0, 1.5, 2.25, 3.0, 3.0, 3.0]
    assert set(sandbox_time.slept[3:]) == {3.0}
    assert 20.0 <= sandbox_time.now < 23.0


async def test_a_group_short_of_numbers_with_strategy_never_fails(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    sandbox.set_inventory("US", "local", 2)
    order_id = await create(client, strategy="never")

    order = await client.inexplicit_number_orders.wait(order_id)

    assert order.ordering_groups is not None
    (group,) = order.ordering_groups
    assert group.status is OrderingGroupStatus.FAILED
    assert group.count_allocated == 0
    assert group.error_reason
    assert not group.orders
    assert sandbox.inventory("US", "local") == 2


async def test_a_group_short_of_numbers_takes_what_there_is_by_default(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    sandbox.set_inventory("US", "local", 2)
    order_id = await create(client)

    order = await client.inexplicit_number_orders.wait(order_id)

    assert order.ordering_groups is not None
    (group,) = order.ordering_groups
    assert group.status is OrderingGroupStatus.PARTIAL_SUCCESS
    assert (group.count_requested, group.count_allocated) == (3, 2)
    assert order.is_complete


async def test_a_rate_limited_poll_waits_as_long_as_telnyx_asks(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    order_id = await create(client)
    sandbox.faults.rate_limit(operation=RETRIEVE, reset=7)

    order = await client.inexplicit_number_orders.wait(order_id, poll_interval=1.0)

    assert order.is_complete
    assert sandbox_time.slept[0] == 7.0


async def test_a_rate_limit_wait_longer_than_the_retry_policy_allows_ends_the_wait(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    order_id = await create(client)
    sandbox.faults.rate_limit(operation=RETRIEVE, reset=120)

    with pytest.raises(RateLimitError, match="Telnyx asked to wait 120 s"):
        await client.inexplicit_number_orders.wait(order_id)

    assert len(sandbox.requests_to(RETRIEVE)) == 1


async def test_a_rate_limit_wait_past_the_deadline_ends_the_wait_at_once_saying_so(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    order_id = await create(client)
    sandbox.faults.rate_limit(operation=RETRIEVE, reset=30)

    with pytest.raises(WaitTimeoutError, match="Telnyx asked to wait 30 s") as timed_out:
        await client.inexplicit_number_orders.wait(order_id, timeout=20)

    assert isinstance(timed_out.value.__cause__, RateLimitError)
    assert sandbox_time.slept == []


async def test_a_failed_poll_does_not_end_the_wait(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    order_id = await create(client)
    sandbox.faults.status(503, operation=RETRIEVE)
    sandbox.faults.drop_before(operation=RETRIEVE)

    order = await client.inexplicit_number_orders.wait(order_id, poll_interval=1.0)

    assert order.is_complete
    assert [request.fault is not None for request in sandbox.requests_to(RETRIEVE)][:3] == [True, True, False]


async def test_an_order_that_does_not_exist_ends_the_wait_at_once(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    with pytest.raises(NotFoundError):
        await client.inexplicit_number_orders.wait("no-such-order")

    assert len(sandbox.requests_to(RETRIEVE)) == 1


async def test_out_of_time_the_wait_raises_with_the_last_order_seen() -> None:
    async with (
        Sandbox(lifecycle_step=60.0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        order_id = await create(client)
        started = time.monotonic()

        with pytest.raises(WaitTimeoutError) as timed_out:
            await client.inexplicit_number_orders.wait(order_id, timeout=0.3, poll_interval=0.05)

        elapsed = time.monotonic() - started
    error = timed_out.value
    assert isinstance(error, TimeoutError)
    assert isinstance(error, TelnyxError)
    assert error.last_seen is not None
    assert error.last_seen.id == order_id
    assert f"inexplicit number order {order_id} was not complete after 0.3 s" in str(error)
    assert "ordering groups: pending" in str(error)
    assert 0.1 < elapsed < 0.3, "no poll is started that could not finish by the deadline"


async def test_out_of_time_after_failed_polls_the_last_failure_is_the_cause() -> None:
    async with (
        Sandbox() as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client,
    ):
        sandbox.faults.status(500, operation=RETRIEVE, times=None)

        with pytest.raises(WaitTimeoutError) as timed_out:
            await client.inexplicit_number_orders.wait("any", timeout=0.2, poll_interval=0.05)

    assert timed_out.value.last_seen is None
    assert "no poll succeeded" in str(timed_out.value)
    assert isinstance(timed_out.value.__cause__, InternalServerError)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a positive number of seconds"),
        ({"poll_interval": -1}, ValueError, "poll_interval must be a positive number of seconds"),
        ({"poll_interval": "1"}, TypeError, "poll_interval must be a number of seconds"),
        (
            {"poll_interval": 5, "max_poll_interval": 1},
            ValueError,
            r"max_poll_interval \(1 s\) must not be shorter than poll_interval \(5 s\)",
        ),
    ],
)
async def test_bad_wait_arguments_are_refused_before_any_poll(
    client: AsyncTelnyx, sandbox: Sandbox, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.inexplicit_number_orders.wait("an-order", **arguments)

    assert sandbox.requests == []


async def test_a_bad_id_is_refused_before_any_poll(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="id must be a non-empty string"):
        await client.inexplicit_number_orders.wait(" ")

    assert sandbox.requests == []


def test_an_order_is_complete_when_every_group_is_terminal() -> None:
    def order(*statuses: str | None) -> InexplicitNumberOrder:
        groups = [{"status": status} for status in statuses]
        from telnyx_orders._converter import structure

        return structure({"ordering_groups": groups}, InexplicitNumberOrder)

    assert order("success", "failed", "partial_success").is_complete
    assert not order("success", "processing").is_complete
    assert not order("success", None).is_complete
    assert not order("on_hold").is_complete, "a status this version does not know is not terminal"
    assert order().is_complete, "an order without groups has nothing left to wait for"


# Number orders and reports wait on the same polling loop.

RETRIEVE_NUMBER_ORDER = "RetrieveNumberOrder"
GERMAN_ADDRESS = "0e84f7f9-d195-4d02-9873-9ac4b99c276d"
GERMAN_FORM = "9e02e20d-167b-49f8-9b57-41495b538660"


async def place_number_order(client: AsyncTelnyx, *numbers: str) -> str:
    order = (await client.number_orders.create(phone_numbers=list(numbers))).data
    assert order is not None
    assert order.id is not None
    return order.id


async def test_a_number_order_wait_returns_the_order_once_it_is_no_longer_pending(
    client: AsyncTelnyx, sandbox: Sandbox, sandbox_time: SandboxTime
) -> None:
    order_id = await place_number_order(client, "+13125550100", "+13125550101")
    seen: list[str] = []

    order = await client.number_orders.wait(
        order_id, poll_interval=1.0, on_progress=lambda polled: seen.append(str(polled.status))
    )

    assert order.status == OrderStatus.SUCCESS
    assert [number.status for number in order.phone_numbers or ()] == ["success", "success"]
    assert seen[-1] == "success"
    assert set(seen[:-1]) == {"pending"}
    assert len(sandbox.requests_to(RETRIEVE_NUMBER_ORDER)) == len(seen)
    assert sandbox_time.slept == [1.0, 1.5, 2.25][: len(sandbox_time.slept)]


async def test_a_failed_poll_does_not_end_a_number_order_wait(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    order_id = await place_number_order(client, "+13125550100")
    sandbox.faults.status(503, operation=RETRIEVE_NUMBER_ORDER, times=2)

    order = await client.number_orders.wait(order_id)

    assert order.status == OrderStatus.SUCCESS
    faulted = [request.fault is not None for request in sandbox.requests_to(RETRIEVE_NUMBER_ORDER)]
    assert faulted[:3] == [True, True, False]


async def test_a_number_order_waiting_for_requirements_stops_the_wait_until_they_are_given(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    order_id = await place_number_order(client, "+4930901870")

    with pytest.raises(
        RequirementsPendingError, match=f"number order {order_id} waits for regulatory"
    ) as stuck:
        await client.number_orders.wait(order_id, timeout=3600)

    assert stuck.value.waiting == (order_id,)
    assert isinstance(stuck.value.order, NumberOrderWithPhoneNumbers)
    assert stuck.value.order.requirements_met is False
    polls = len(sandbox.requests_to(RETRIEVE_NUMBER_ORDER))
    assert polls <= 3, "it stops as soon as it sees the order wait, not at the deadline"

    given = [
        {"requirement_id": GERMAN_ADDRESS, "field_value": "an-address"},
        {"requirement_id": GERMAN_FORM, "field_value": "a-form"},
    ]
    await client.number_orders.update(order_id, regulatory_requirements=given)
    order = await client.number_orders.wait(order_id)

    assert (order.status, order.requirements_met) == (OrderStatus.SUCCESS, True)


async def test_out_of_time_a_number_order_wait_raises_with_the_last_order_seen() -> None:
    async with (
        Sandbox(lifecycle_step=60.0) as sandbox,
        AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url) as client,
    ):
        order_id = await place_number_order(client, "+13125550100")

        with pytest.raises(WaitTimeoutError) as late:
            await client.number_orders.wait(order_id, timeout=0.3, poll_interval=0.05)

    assert f"number order {order_id} was not complete after 0.3 s (status pending)" in str(late.value)
    assert isinstance(late.value.last_seen, NumberOrderWithPhoneNumbers)
    assert late.value.last_seen.id == order_id
    assert len(sandbox.requests_to(RETRIEVE_NUMBER_ORDER)) >= 2


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
async def test_bad_number_order_wait_arguments_are_refused_before_any_poll(
    client: AsyncTelnyx, sandbox: Sandbox, arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_orders.wait(**arguments)  # type: ignore[arg-type]

    assert sandbox.requests == []


async def test_a_report_wait_rides_out_a_failed_poll(client: AsyncTelnyx, sandbox: Sandbox) -> None:
    await place_number_order(client, "+13125550100")
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
