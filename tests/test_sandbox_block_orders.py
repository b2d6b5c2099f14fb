"""Number block orders in the sandbox: a contiguous range of numbers, taken whole or not at all.

The lifecycle runs on a fake clock (``lifecycle_step`` is one fake second), so nothing sleeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import RemoteSandbox, Sandbox

from .test_sandbox_workflow import FakeClock, call

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


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


async def order_block(http: aiohttp.ClientSession, sandbox: Sandbox, **body: Any) -> dict[str, Any]:
    status, answer = await call(http, sandbox, "POST", "/number_block_orders", json=body)
    assert status == 200, answer
    order: dict[str, Any] = answer["data"]
    return order


async def test_a_free_block_is_pending_then_taken_whole(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await order_block(
        http,
        sandbox,
        starting_number="+19705551000",
        range=10,
        customer_reference="block-1",
        connection_id="c-1",
    )
    assert {key: order[key] for key in ("record_type", "status", "starting_number", "range")} == {
        "record_type": "number_block_order",
        "status": "pending",
        "starting_number": "+19705551000",
        "range": 10,
    }
    assert (order["phone_numbers_count"], order["customer_reference"], order["connection_id"]) == (
        10,
        "block-1",
        "c-1",
    )
    clock.now += 1.0
    assert (await call(http, sandbox, "GET", f"/number_block_orders/{order['id']}"))[1]["data"][
        "status"
    ] == "pending"
    clock.now += 1.0
    _, answer = await call(http, sandbox, "GET", f"/number_block_orders/{order['id']}")
    assert answer["data"]["status"] == "success"
    assert answer["data"]["updated_at"] > order["updated_at"]


async def test_a_block_that_overlaps_one_already_taken_fails_and_takes_nothing(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    await order_block(http, sandbox, starting_number="+19705552000", range=10)
    overlapping = await order_block(http, sandbox, starting_number="+19705552005", range=10)
    after = await order_block(http, sandbox, starting_number="+19705552010", range=5)
    clock.now += 2.0
    statuses = {
        doc["starting_number"]: doc["status"] for doc in sandbox.documents("number_block_orders").values()
    }
    assert statuses == {"+19705552000": "success", "+19705552005": "failure", "+19705552010": "success"}
    assert overlapping["status"] == after["status"] == "pending"


@pytest.mark.parametrize(
    ("starting_number", "block_range"),
    [
        ("9705553000", 10),
        ("+1970555", 0),
        ("+19705553000", -5),
        ("+999999999999995", 10),
        ("+19705553000", 10**6),
    ],
    ids=["not-e164", "empty", "negative", "past-the-last-number", "too-large"],
)
async def test_a_block_the_spec_allows_but_no_one_sells_is_an_order_that_fails(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock, starting_number: str, block_range: int
) -> None:
    order = await order_block(http, sandbox, starting_number=starting_number, range=block_range)
    clock.now += 2.0
    assert sandbox.documents("number_block_orders")[order["id"]]["status"] == "failure"


@pytest.mark.parametrize(
    ("body", "pointers"),
    [
        ({}, ["/starting_number", "/range"]),
        ({"starting_number": 19705550000, "range": "10"}, ["/starting_number", "/range"]),
        ({"starting_number": "+19705550000", "range": True}, ["/range"]),
        (
            {"starting_number": "+19705550000", "range": 10, "customer_reference": None},
            ["/customer_reference"],
        ),
    ],
)
async def test_a_body_that_breaks_the_schema_is_a_422_naming_each_field(
    sandbox: Sandbox, http: aiohttp.ClientSession, body: dict[str, Any], pointers: list[str]
) -> None:
    status, answer = await call(http, sandbox, "POST", "/number_block_orders", json=body)
    assert status == 422
    assert [error["source"]["pointer"] for error in answer["errors"]] == pointers
    assert sandbox.documents("number_block_orders") == {}


async def test_block_orders_are_listed_by_page_and_filtered(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    first = await order_block(http, sandbox, starting_number="+19705554000", range=10)
    second = await order_block(http, sandbox, starting_number="+19705554000", range=10)  # overlaps: fails
    clock.now += 2.0
    _, page = await call(
        http, sandbox, "GET", "/number_block_orders", params={"page[size]": "1", "page[number]": "2"}
    )
    assert [doc["id"] for doc in page["data"]] == [second["id"]]
    assert page["meta"] == {"page_number": 2, "page_size": 1, "total_pages": 2, "total_results": 2}
    _, failed = await call(http, sandbox, "GET", "/number_block_orders", params={"filter[status]": "failure"})
    assert [doc["id"] for doc in failed["data"]] == [second["id"]]
    _, named = await call(
        http,
        sandbox,
        "GET",
        "/number_block_orders",
        params={"filter[phone_numbers.starting_number]": "+19705554000"},
    )
    assert [doc["id"] for doc in named["data"]] == [first["id"], second["id"]]
    _, later = await call(
        http, sandbox, "GET", "/number_block_orders", params={"filter[created_at][gt]": first["created_at"]}
    )
    assert all(doc["created_at"] > first["created_at"] for doc in later["data"])


async def test_a_seeded_block_takes_its_numbers(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    seeded = sandbox.seed("number_block_orders", starting_number="+19705555000", range=100)
    assert (seeded["status"], seeded["range"]) == ("success", 100)
    _, served = await call(http, sandbox, "GET", f"/number_block_orders/{seeded['id']}")
    assert served == {"data": seeded}
    inside = await order_block(http, sandbox, starting_number="+19705555050", range=10)
    clock.now += 2.0
    assert sandbox.documents("number_block_orders")[inside["id"]]["status"] == "failure"


def test_a_remote_sandbox_seeds_and_reads_block_orders() -> None:
    with Sandbox().serve_in_thread() as sandbox:
        remote = RemoteSandbox(sandbox.base_url, sandbox.api_key)
        seeded = remote.seed("number_block_orders", customer_reference="remote")
        assert remote.documents("number_block_orders") == {seeded["id"]: seeded}
        assert seeded["starting_number"].endswith("00")
