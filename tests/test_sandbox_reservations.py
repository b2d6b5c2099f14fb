"""Number reservations in the sandbox: numbers held for the account that reserved them, until they expire.

Holds run on a fake clock, as the lifecycle does, so a test moves 30 minutes on without waiting. Every
request goes over HTTP with plain aiohttp; another account's reservation is seeded with ``account=``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import RemoteSandbox, Sandbox
from telnyx_orders.testing._documents import parse_timestamp

from .test_sandbox_control import api_get
from .test_sandbox_workflow import FakeClock, call

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

HOLD = 30 * 60
"""Seconds a reservation holds its numbers: the 30 minutes Telnyx documents."""
OTHER = "another-account-api-key"
US = {"filter[country_code]": "US"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(lifecycle_step=1.0, clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as session:
        yield session


async def ok(http: aiohttp.ClientSession, sandbox: Sandbox, method: str, path: str, **kwargs: Any) -> Any:
    """A request that must succeed; the ``data`` of its body."""
    status, body = await call(http, sandbox, method, path, **kwargs)
    assert status == 200, body
    return body["data"]


async def reserve(
    http: aiohttp.ClientSession, sandbox: Sandbox, *numbers: str, **body: Any
) -> dict[str, Any]:
    payload = {"phone_numbers": [{"phone_number": number} for number in numbers], **body}
    reservation: dict[str, Any] = await ok(http, sandbox, "POST", "/number_reservations", json=payload)
    return reservation


async def for_sale(http: aiohttp.ClientSession, sandbox: Sandbox, **filters: str) -> list[str]:
    params = {**US, "filter[limit]": "3", **{f"filter[{name}]": value for name, value in filters.items()}}
    found = await ok(http, sandbox, "GET", "/available_phone_numbers", params=params)
    return [item["phone_number"] for item in found]


async def order(http: aiohttp.ClientSession, sandbox: Sandbox, *numbers: str) -> dict[str, Any]:
    body = {"phone_numbers": [{"phone_number": number} for number in numbers]}
    placed: dict[str, Any] = await ok(http, sandbox, "POST", "/number_orders", json=body)
    return placed


def held_until(entry: dict[str, Any]) -> timedelta:
    """How long after its creation an entry's hold ends, by its timestamps."""
    expired_at, created_at = parse_timestamp(entry["expired_at"]), parse_timestamp(entry["created_at"])
    assert expired_at is not None
    assert created_at is not None
    return expired_at - created_at


async def test_a_reservation_holds_the_numbers_searched_for_30_minutes(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first, second, _ = await for_sale(http, sandbox, reservable="true", exclude_held_numbers="true")
    reservation = await reserve(http, sandbox, first, second, customer_reference="hold-1")
    assert reservation["record_type"] == "number_reservation"
    assert reservation["status"] == "success"
    assert reservation["customer_reference"] == "hold-1"
    assert [entry["phone_number"] for entry in reservation["phone_numbers"]] == [first, second]
    for entry in reservation["phone_numbers"]:
        assert entry["status"] == "success"
        assert entry["record_type"] == "reserved_phone_number"
        assert "errors" not in entry
        assert held_until(entry) == timedelta(seconds=HOLD)
    retrieved = await ok(http, sandbox, "GET", f"/number_reservations/{reservation['id']}")
    assert retrieved == reservation
    listed = await ok(
        http, sandbox, "GET", "/number_reservations", params={"filter[phone_numbers.phone_number]": second}
    )
    assert [each["id"] for each in listed] == [reservation["id"]]
    assert await ok(http, sandbox, "GET", "/number_reservations", params={"filter[status]": "failure"}) == []


async def test_each_number_is_reserved_or_refused_on_its_own(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    theirs = sandbox.add_number_reservation(account=OTHER)["phone_numbers"][0]["phone_number"]
    sold = "+19705551111"
    await order(http, sandbox, sold)
    reservation = await reserve(http, sandbox, "+19705552222", theirs, sold, "not-a-number")
    assert reservation["status"] == "success"  # it holds one number
    assert [(entry["status"], entry.get("errors")) for entry in reservation["phone_numbers"]] == [
        ("success", None),
        ("failure", "Number is already on hold"),
        ("failure", "Number is not available"),
        ("failure", "Number is not available"),
    ]
    again = await reserve(http, sandbox, "+19705552222")
    assert again["status"] == "failure"  # held already, by this very account
    assert again["phone_numbers"][0]["errors"] == "Number is already on hold"
    assert (await reserve(http, sandbox))["status"] == "failure"  # the spec requires no number


async def test_held_numbers_are_for_sale_to_their_holder_alone(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    first, second, third = await for_sale(http, sandbox)
    await reserve(http, sandbox, first)
    sandbox.add_number_reservation(phone_numbers=[second], account=OTHER)
    assert await for_sale(http, sandbox) == [first, third, "+19705550003"]
    assert await for_sale(http, sandbox, exclude_held_numbers="true") == [
        third,
        "+19705550003",
        "+19705550004",
    ]


async def test_an_order_for_a_number_another_account_holds_fails_for_that_number(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    theirs = sandbox.add_number_reservation(phone_numbers=["+13125550100"], account=OTHER)
    placed = await order(http, sandbox, "+13125550100", "+18885550100")
    statuses = {number["phone_number"]: number["status"] for number in placed["phone_numbers"]}
    assert statuses == {"+13125550100": "failure", "+18885550100": "pending"}
    clock.tick(2.0)
    done = await ok(http, sandbox, "GET", f"/number_orders/{placed['id']}")
    assert done["status"] == "success"  # the toll-free number was sold
    subs = {
        sub["phone_number_type"]: sub["status"]
        for sub in await ok(
            http, sandbox, "GET", "/sub_number_orders", params={"filter[order_request_id]": placed["id"]}
        )
    }
    assert subs == {"local": "failure", "toll_free": "success"}
    alone = await order(http, sandbox, "+13125550100")
    clock.tick(2.0)
    assert (await ok(http, sandbox, "GET", f"/number_orders/{alone['id']}"))["status"] == "failure"
    assert sandbox.documents("number_reservations")[theirs["id"]]["status"] == "success"
    # Nor can this account see, find or extend the other account's reservation.
    assert await ok(http, sandbox, "GET", "/number_reservations") == []
    for method, path in (("GET", ""), ("POST", "/actions/extend")):
        status, _ = await call(http, sandbox, method, f"/number_reservations/{theirs['id']}{path}")
        assert status == 404


async def test_a_number_sold_once_fails_in_any_later_order(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    [number] = await for_sale(http, sandbox, limit="1")
    first = await order(http, sandbox, number)
    again = await order(http, sandbox, number)
    clock.tick(2.0)

    assert [entry["status"] for entry in first["phone_numbers"]] == ["pending"]
    assert [entry["status"] for entry in again["phone_numbers"]] == ["failure"]
    assert (await ok(http, sandbox, "GET", f"/number_orders/{first['id']}"))["status"] == "success"
    assert (await ok(http, sandbox, "GET", f"/number_orders/{again['id']}"))["status"] == "failure"
    assert number not in await for_sale(http, sandbox)


async def test_the_holders_own_order_takes_the_number_and_ends_the_hold(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    [number] = await for_sale(http, sandbox, limit="1")
    reservation = await reserve(http, sandbox, number)
    placed = await order(http, sandbox, number)
    assert [entry["status"] for entry in placed["phone_numbers"]] == ["pending"]
    clock.tick(2.0)
    assert (await ok(http, sandbox, "GET", f"/number_orders/{placed['id']}"))["status"] == "success"
    status, body = await call(
        http, sandbox, "POST", f"/number_reservations/{reservation['id']}/actions/extend"
    )
    assert status == 422
    assert "holds no number" in body["errors"][0]["detail"]
    assert number not in await for_sale(http, sandbox)
    assert (await reserve(http, sandbox, number))["phone_numbers"][0]["errors"] == "Number is not available"


async def test_a_hold_expires_after_30_minutes_unless_extended(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    theirs = sandbox.add_number_reservation(account=OTHER)["phone_numbers"][0]["phone_number"]
    mine = await reserve(http, sandbox, "+19705554444")
    extended = await ok(http, sandbox, "POST", f"/number_reservations/{mine['id']}/actions/extend")
    [entry] = extended["phone_numbers"]
    assert held_until(entry) == timedelta(seconds=2 * HOLD)  # the 30 minutes added to the first 30
    assert extended["id"] == mine["id"]
    clock.tick(HOLD)
    assert theirs in await for_sale(http, sandbox)  # the other account's hold ended: for sale again
    placed = await order(http, sandbox, theirs)
    assert [number["status"] for number in placed["phone_numbers"]] == ["pending"]
    assert "+19705554444" not in await for_sale(http, sandbox, exclude_held_numbers="true", limit="10")
    clock.tick(HOLD)
    status, _ = await call(http, sandbox, "POST", f"/number_reservations/{mine['id']}/actions/extend")
    assert status == 422
    assert (await reserve(http, sandbox, "+19705554444"))["status"] == "success"


async def test_block_orders_and_inexplicit_orders_respect_holds(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    sandbox.add_number_reservation(phone_numbers=["+19705557005"], account=OTHER)
    await reserve(http, sandbox, "+19705558005")
    blocked = await ok(
        http, sandbox, "POST", "/number_block_orders", json={"starting_number": "+19705557000", "range": 10}
    )
    own = await ok(
        http, sandbox, "POST", "/number_block_orders", json={"starting_number": "+19705558000", "range": 10}
    )
    clock.tick(2.0)
    assert (await ok(http, sandbox, "GET", f"/number_block_orders/{blocked['id']}"))["status"] == "failure"
    assert (await ok(http, sandbox, "GET", f"/number_block_orders/{own['id']}"))["status"] == "success"
    blocks = await ok(
        http, sandbox, "GET", "/available_phone_number_blocks", params={"filter[locality]": "x"}
    )
    assert blocks == []
    first_blocks = await ok(http, sandbox, "GET", "/available_phone_number_blocks")
    assert "+19705550000" in [block["phone_number"] for block in first_blocks]
    sandbox.add_number_reservation(phone_numbers=["+19705550000"], account=OTHER)
    group = {"country_iso": "US", "phone_number_type": "local", "count_requested": "1"}
    inexplicit = await ok(
        http, sandbox, "POST", "/inexplicit_number_orders", json={"ordering_groups": [group]}
    )
    clock.tick(2.0)
    await ok(http, sandbox, "GET", f"/inexplicit_number_orders/{inexplicit['id']}")
    bought = [
        number["phone_number"]
        for order in sandbox.documents("number_orders").values()
        for number in order["phone_numbers"]
    ]
    assert bought == ["+19705550001"]  # the first number, held by another account, was left alone
    after = await ok(http, sandbox, "GET", "/available_phone_number_blocks")
    assert "+19705550000" not in [block["phone_number"] for block in after]


def test_a_remote_sandbox_seeds_reservations_and_sets_the_hold() -> None:
    with Sandbox().serve_in_thread() as sandbox:
        remote = RemoteSandbox(sandbox.base_url, sandbox.api_key)
        theirs = remote.add_number_reservation(phone_numbers=["+19705550000"], account=OTHER)
        assert [entry["status"] for entry in theirs["phone_numbers"]] == ["success"]
        status, _, body = api_get(sandbox, "/available_phone_numbers?filter[country_code]=US&filter[limit]=1")
        assert (status, body["data"][0]["phone_number"]) == (200, "+19705550001")
        remote.reservation_hold = 0  # every new hold ends at once
        mine = remote.add_number_reservation(phone_numbers=["+19705550001"])
        status, _, body = api_get(sandbox, "/available_phone_numbers?filter[country_code]=US&filter[limit]=1")
        assert body["data"][0]["phone_number"] == "+19705550001"
        status, _, body = api_get(sandbox, f"/number_reservations/{mine['id']}")
        assert (status, body["data"]["id"]) == (200, mine["id"])
        with pytest.raises(ValueError, match="account must be an API key"):
            remote.add_number_reservation(account=7)
