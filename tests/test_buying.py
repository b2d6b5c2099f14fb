"""Choosing numbers, then buying exactly those: search -> reserve -> order -> wait -> what was bought.

Against the sandbox, whose searches, reservations and orders draw on one stock. Its lifecycle runs on a
fake clock that the client's retry sleeps move on, so waiting takes no time and the polls are counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from telnyx_orders import (
    APIConnectionError,
    AsyncTelnyx,
    InternalServerError,
    PurchaseError,
    RetryPolicy,
    Telnyx,
)
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import Purchase

from .test_sandbox_workflow import FakeClock

ORDER = "CreateNumberOrder"
RESERVE = "CreateNumberReservation"


class Sleeps:
    """The client's sleeps: recorded, and moving the sandbox's clock on instead of waiting."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        self.clock.tick(delay)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps(clock: FakeClock) -> Sleeps:
    return Sleeps(clock)


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(lifecycle_step=1.0, clock=clock) as running:
        yield running


@pytest.fixture
async def client(sandbox: Sandbox, sleeps: Sleeps) -> AsyncIterator[AsyncTelnyx]:
    policy = RetryPolicy(jitter=None, sleep=sleeps)
    async with AsyncTelnyx(sandbox.api_key, base_url=sandbox.base_url, retry_policy=policy) as bound:
        yield bound


# The journey, step by step


async def test_search_reserve_order_wait_and_the_numbers_bought(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    found = await client.available_phone_numbers.list(
        country_code="US", national_destination_code="970", features=["sms"], reservable=True, limit=2
    )
    chosen = [number.phone_number for number in found if number.phone_number]
    assert len(chosen) == 2

    reservation = (await client.number_reservations.create(phone_numbers=chosen, customer_reference="j")).data
    assert reservation is not None
    assert reservation.id is not None
    assert [(held.phone_number, held.status) for held in reservation.phone_numbers or ()] == [
        (chosen[0], "success"),
        (chosen[1], "success"),
    ]
    assert all(held.expired_at is not None for held in reservation.phone_numbers or ())
    extended = (await client.number_reservations.actions.extend(reservation.id)).data
    assert extended is not None
    before = [held.expired_at for held in reservation.phone_numbers or ()]
    after = [held.expired_at for held in extended.phone_numbers or ()]
    assert all(a is not None and b is not None and b > a for a, b in zip(before, after, strict=True))

    placed = (await client.number_orders.create(phone_numbers=chosen, customer_reference="j")).data
    assert placed is not None
    assert placed.id is not None
    order = await client.number_orders.wait(placed.id)

    assert order.status == "success"
    assert sorted((number.phone_number, number.status) for number in order.phone_numbers or ()) == [
        (chosen[0], "success"),
        (chosen[1], "success"),
    ]
    again = await client.available_phone_numbers.list(country_code="US", national_destination_code="970")
    assert not {number.phone_number for number in again} & set(chosen), "sold numbers are not for sale"
    assert [r.id async for r in client.number_reservations.list(customer_reference="j")] == [reservation.id]


def test_the_blocking_client_searches_reserves_orders_and_waits(served_sandbox: Sandbox) -> None:
    with Telnyx(served_sandbox.api_key, base_url=served_sandbox.base_url) as client:
        chosen = [
            number.phone_number
            for number in client.available_phone_numbers.list(
                country_code="US", national_destination_code="312", reservable=True, limit=1
            )
            if number.phone_number
        ]
        reservation = client.number_reservations.create(phone_numbers=chosen).data
        assert reservation is not None
        assert reservation.status == "success"
        assert reservation.id is not None
        assert client.number_reservations.retrieve(reservation.id).data == reservation

        purchase = client.number_orders.create(phone_numbers=chosen).data
        assert purchase is not None
        assert purchase.id is not None
        order = client.number_orders.wait(purchase.id, poll_interval=0.02, max_poll_interval=0.05, timeout=30)
        assert order.status == "success"
        assert [number.phone_number for number in order.phone_numbers or ()] == chosen


async def test_an_order_for_a_number_another_account_holds_fails_for_that_number(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    theirs = "+19705550100"
    sandbox.add_number_reservation(phone_numbers=[theirs], account="another-api-key")

    found = await client.available_phone_numbers.list(country_code="US", national_destination_code="970")
    assert theirs not in {number.phone_number for number in found}
    placed = (await client.number_orders.create(phone_numbers=[theirs])).data
    assert placed is not None
    assert placed.id is not None

    order = await client.number_orders.wait(placed.id)
    assert [(number.phone_number, number.status) for number in order.phone_numbers or ()] == [
        (theirs, "failure")
    ]


# number_orders.buy(): the journey in one call


async def test_buy_searches_reserves_orders_and_waits_in_one_call(
    client: AsyncTelnyx, sandbox: Sandbox, sleeps: Sleeps
) -> None:
    purchase = await client.number_orders.buy(
        count=3,
        country_code="US",
        national_destination_code="970",
        features=["sms", "voice"],
        customer_reference="bought",
        poll_interval=1.0,
    )

    assert isinstance(purchase, Purchase)
    held = [number.phone_number for number in purchase.reservation.phone_numbers or ()]
    assert len(held) == 3
    assert all((number or "").startswith("+1970") for number in held)
    assert purchase.order.status == "success"
    assert [(number.phone_number, number.status) for number in purchase.phone_numbers] == [
        (number, "success") for number in held
    ]
    assert purchase.reservation.customer_reference == purchase.order.customer_reference == "bought"
    assert [len(sandbox.requests_to(operation)) for operation in (RESERVE, ORDER)] == [1, 1]
    assert sleeps.delays, "it waited for the order, on the sandbox's clock"
    assert set(sleeps.delays) == {1.0}


async def test_buy_orders_nothing_when_the_search_finds_too_few(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    with pytest.raises(
        PurchaseError, match="the search found 0 reservable numbers of the 2 asked for"
    ) as failed:
        await client.number_orders.buy(count=2, country_code="US", phone_number_contains="99999999")

    assert failed.value.reservation is None
    assert failed.value.order is None
    assert [request.method for request in sandbox.requests] == ["GET"]


async def test_a_reservation_that_may_have_landed_is_not_sent_again_and_nothing_is_ordered(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    sandbox.faults.status(503, operation=RESERVE)

    with pytest.raises(PurchaseError) as failed:
        await client.number_orders.buy(country_code="US", national_destination_code="970")

    assert isinstance(failed.value.__cause__, InternalServerError)
    assert failed.value.__cause__.may_have_taken_effect
    assert failed.value.reservation is None
    assert "the numbers may be held: it was not sent again; nothing was ordered" in str(failed.value)
    assert [len(sandbox.requests_to(operation)) for operation in (RESERVE, ORDER)] == [1, 0]


@pytest.mark.parametrize("fault", ["status", "drop_after"])
async def test_an_order_that_may_have_landed_is_not_sent_again_and_the_reservation_is_left_to_expire(
    client: AsyncTelnyx, sandbox: Sandbox, fault: str
) -> None:
    if fault == "status":
        sandbox.faults.status(500, operation=ORDER)
    else:
        sandbox.faults.drop_after(operation=ORDER)

    with pytest.raises(PurchaseError) as failed:
        await client.number_orders.buy(count=2, country_code="US", customer_reference="once")

    error = failed.value
    assert error.may_have_ordered
    assert isinstance(error.__cause__, (InternalServerError, APIConnectionError))
    assert "the order may exist: it was not sent again, so that the numbers are not bought twice" in str(
        error
    )
    assert "left to expire" in str(error)
    assert len(sandbox.requests_to(ORDER)) == 1
    assert error.reservation is not None
    assert error.reservation.id is not None
    kept = (await client.number_reservations.retrieve(error.reservation.id)).data
    assert kept is not None
    assert [held.status for held in kept.phone_numbers or ()] == ["success", "success"]
    placed = [
        order.customer_reference async for order in client.number_orders.list(customer_reference="once")
    ]
    # A 500 answered in its place means no order; a connection dropped after it means one, placed once.
    assert placed == ([] if fault == "status" else ["once"])


async def test_an_order_refused_before_it_landed_says_nothing_was_ordered(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    sandbox.faults.status(422, operation=ORDER)

    with pytest.raises(PurchaseError, match="nothing was ordered") as failed:
        await client.number_orders.buy(country_code="US")

    assert not failed.value.may_have_ordered
    assert failed.value.reservation is not None


async def test_buy_gives_up_waiting_at_its_deadline_and_names_the_order_placed(
    client: AsyncTelnyx, sandbox: Sandbox
) -> None:
    sandbox.lifecycle_step = 1e9  # the order never leaves pending

    with pytest.raises(PurchaseError, match="was placed, and following it stopped") as failed:
        await client.number_orders.buy(country_code="US", timeout=0.5, poll_interval=0.1)

    assert failed.value.order is not None
    assert failed.value.order.status == "pending"
    assert len(sandbox.requests_to(ORDER)) == 1


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"count": 0}, ValueError, "count must be 1 or more"),
        ({"limit": 3}, TypeError, "unexpected keyword argument 'limit'"),
        ({"features": "sms"}, TypeError, "features must be a list of str"),
        ({"country_code": "USA"}, ValueError, "two-letter"),
        ({"connection_id": ""}, ValueError, "connection_id must not be empty"),
        ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds"),
        ({"poll_interval": "1"}, TypeError, "poll_interval must be a number of seconds"),
    ],
)
async def test_buy_checks_its_arguments_before_anything_is_sent(
    client: AsyncTelnyx, sandbox: Sandbox, arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        await client.number_orders.buy(**arguments)  # type: ignore[arg-type]
    assert sandbox.requests == []


def test_the_blocking_client_buys_in_one_call(served_sandbox: Sandbox) -> None:
    with Telnyx(served_sandbox.api_key, base_url=served_sandbox.base_url) as client:
        purchase = client.number_orders.buy(
            count=2, country_code="US", national_destination_code="312", poll_interval=0.02, timeout=30
        )

    assert purchase.order.status == "success"
    assert len(purchase.phone_numbers) == 2
    assert all((number.phone_number or "").startswith("+1312") for number in purchase.phone_numbers)
