"""The sandbox's ordering workflow over real HTTP with plain aiohttp: creating orders, their lifecycle,
inventory, linked number orders and list filters.

Most tests drive the lifecycle with a fake clock (``lifecycle_step`` is one fake second), so nothing
sleeps and every step happens exactly when the test says.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from telnyx_orders.testing import Sandbox

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

STEP = 1.0
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
NOT_ENOUGH = "Not enough phone numbers in inventory to fulfill the request"


class FakeClock:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = STEP) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(lifecycle_step=STEP, clock=clock) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as session:
        yield session


async def call(
    http: aiohttp.ClientSession, sandbox: Sandbox, method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    """Send a request to ``base_url + path``; the status and the parsed JSON body."""
    async with http.request(method, sandbox.base_url + path, **kwargs) as response:
        assert response.headers["Content-Type"] == "application/json"
        return response.status, json.loads(await response.read())


async def fetch(http: aiohttp.ClientSession, sandbox: Sandbox, path: str, **params: str) -> Any:
    """GET that must succeed; the ``data`` of the body."""
    status, body = await call(http, sandbox, "GET", path, params=params)
    assert status == 200, body
    return body["data"]


async def create(http: aiohttp.ClientSession, sandbox: Sandbox, path: str, body: Any) -> dict[str, Any]:
    """POST that must succeed; the created order."""
    status, answer = await call(http, sandbox, "POST", path, json=body)
    assert status == 200, answer
    assert set(answer) == {"data"}
    return answer["data"]  # type: ignore[no-any-return]


def group(**fields: Any) -> dict[str, Any]:
    """An ordering group for one US local number, with ``fields`` replacing or adding keys."""
    return {"country_iso": "US", "phone_number_type": "local", "count_requested": "1", **fields}


async def order_numbers(
    http: aiohttp.ClientSession, sandbox: Sandbox, *groups: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """Create an inexplicit number order with ``groups``."""
    return await create(
        http, sandbox, "/inexplicit_number_orders", {"ordering_groups": list(groups), **fields}
    )


def pointers(body: Any) -> list[str]:
    """The ``source.pointer`` of every error, checking each is a 10015 envelope entry."""
    assert set(body) == {"errors"}
    for error in body["errors"]:
        assert error["code"] == "10015"
        assert error["meta"]["url"] == "https://developers.telnyx.com/docs/overview/errors/10015"
    return [error["source"]["pointer"] for error in body["errors"]]


def field_of(pointer: str) -> str:
    """The name of the field a pointer ends at: ``/ordering_groups/0/features/1`` -> ``features``."""
    return next(token for token in reversed(pointer.split("/")) if not token.isdigit())


def stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


# --- creating an inexplicit number order ----------------------------------------------------------------


async def test_create_answers_the_pending_order_echoing_the_request(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    order = await order_numbers(
        http,
        sandbox,
        group(
            count_requested="3",
            national_destination_code="303",
            phone_number={"starts_with": "303", "ends_with": "12", "contains": "55"},
            administrative_area="CO",
            locality="Denver",
            features=["voice", "sms"],
            quickship=True,
            exclude_held_numbers=True,
            strategy="never",
            unknown_key="ignored",
        ),
        connection_id="conn-1",
        messaging_profile_id="mp-1",
        billing_group_id="bg-1",
        customer_reference="ref-1",
        something_else={"ignored": True},
    )
    [created_group] = order["ordering_groups"]
    assert created_group == {
        "country_iso": "US",
        "phone_number_type": "local",
        "count_requested": 3,
        "count_allocated": 0,
        "status": "pending",
        "national_destination_code": "303",
        "phone_number[starts_with]": "303",
        "phone_number[ends_with]": "12",
        "phone_number[contains]": "55",
        "administrative_area": "CO",
        "strategy": "never",
        "quickship": True,
        "exclude_held_numbers": True,
        "orders": [],
        "created_at": order["created_at"],
        "updated_at": order["created_at"],
    }
    assert {k: order[k] for k in ("connection_id", "messaging_profile_id", "billing_group_id")} == {
        "connection_id": "conn-1",
        "messaging_profile_id": "mp-1",
        "billing_group_id": "bg-1",
    }
    assert order["customer_reference"] == "ref-1"
    assert order["created_at"] == order["updated_at"]
    assert await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}") == order
    assert sandbox.requests_to("CreateInexplicitNumberOrder")[0].json()["ordering_groups"][0]["features"] == [
        "voice",
        "sms",
    ]


async def test_optional_fields_default_when_absent(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    order = await order_numbers(http, sandbox, group())
    [created_group] = order["ordering_groups"]
    assert created_group["strategy"] == "always"
    assert (created_group["quickship"], created_group["exclude_held_numbers"]) == (False, False)
    # The spec types them strings, never null: a field without a value is left out.
    assert "national_destination_code" not in created_group
    assert "phone_number[starts_with]" not in created_group
    assert "connection_id" not in order


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, ["/ordering_groups"]),
        ({"ordering_groups": None}, ["/ordering_groups"]),
        ({"ordering_groups": group()}, ["/ordering_groups"]),
        ({"ordering_groups": ["US", group()]}, ["/ordering_groups/0"]),
        (
            {"ordering_groups": [{}]},
            [
                "/ordering_groups/0/country_iso",
                "/ordering_groups/0/phone_number_type",
                "/ordering_groups/0/count_requested",
            ],
        ),
        ({"ordering_groups": [group(country_iso="GB")]}, ["/ordering_groups/0/country_iso"]),
        ({"ordering_groups": [group(country_iso="us")]}, ["/ordering_groups/0/country_iso"]),
        ({"ordering_groups": [group(country_iso=1)]}, ["/ordering_groups/0/country_iso"]),
        ({"ordering_groups": [group(phone_number_type=7)]}, ["/ordering_groups/0/phone_number_type"]),
        ({"ordering_groups": [group(count_requested=5)]}, ["/ordering_groups/0/count_requested"]),
        ({"ordering_groups": [group(count_requested=True)]}, ["/ordering_groups/0/count_requested"]),
        ({"ordering_groups": [group(strategy="sometimes")]}, ["/ordering_groups/0/strategy"]),
        # The spec types them string, boolean, object: JSON Schema's type excludes null.
        ({"ordering_groups": [group(strategy=None)]}, ["/ordering_groups/0/strategy"]),
        ({"ordering_groups": [group(quickship=None)]}, ["/ordering_groups/0/quickship"]),
        ({"ordering_groups": [group(phone_number=None)]}, ["/ordering_groups/0/phone_number"]),
        ({"ordering_groups": [group(country_iso=None)]}, ["/ordering_groups/0/country_iso"]),
        ({"ordering_groups": [group(quickship="yes")]}, ["/ordering_groups/0/quickship"]),
        ({"ordering_groups": [group(exclude_held_numbers=1)]}, ["/ordering_groups/0/exclude_held_numbers"]),
        ({"ordering_groups": [group(features="voice")]}, ["/ordering_groups/0/features"]),
        ({"ordering_groups": [group(features=["voice", 1])]}, ["/ordering_groups/0/features/1"]),
        ({"ordering_groups": [group(phone_number="970")]}, ["/ordering_groups/0/phone_number"]),
        (
            {"ordering_groups": [group(phone_number={"starts_with": 970, "contains": "5"})]},
            ["/ordering_groups/0/phone_number/starts_with"],
        ),
        (
            {"ordering_groups": [group(national_destination_code=970)]},
            ["/ordering_groups/0/national_destination_code"],
        ),
        ({"ordering_groups": [group(administrative_area=5)]}, ["/ordering_groups/0/administrative_area"]),
        ({"ordering_groups": [group(locality=[])]}, ["/ordering_groups/0/locality"]),
        (
            {"ordering_groups": [group(), group(count_requested=2, strategy="maybe")]},
            ["/ordering_groups/1/count_requested", "/ordering_groups/1/strategy"],
        ),
        (
            {
                "ordering_groups": [group()],
                "connection_id": 1,
                "messaging_profile_id": [],
                "billing_group_id": {},
                "customer_reference": False,
            },
            ["/connection_id", "/messaging_profile_id", "/billing_group_id", "/customer_reference"],
        ),
    ],
)
async def test_an_invalid_inexplicit_order_is_a_422_with_one_pointer_per_problem(
    sandbox: Sandbox, http: aiohttp.ClientSession, body: Any, expected: list[str]
) -> None:
    status, answer = await call(http, sandbox, "POST", "/inexplicit_number_orders", json=body)
    assert status == 422
    assert pointers(answer) == expected
    for error in answer["errors"]:
        assert error["title"] == "Unprocessable entity"
        assert field_of(error["source"]["pointer"]) in error["detail"]
    assert sandbox.documents("inexplicit_number_orders") == {}
    assert sandbox.inventory("US", "local") == 1000


async def test_the_country_rule_is_the_servers_and_names_the_allowed_values(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    _, answer = await call(
        http,
        sandbox,
        "POST",
        "/inexplicit_number_orders",
        json={"ordering_groups": [group(country_iso="MX")]},
    )
    assert answer["errors"][0]["detail"] == "country_iso must be one of: US, CA."


@pytest.mark.parametrize(
    ("fields", "count"),
    [
        # Plain strings in the spec, with no rule Telnyx documents: accepted, and the stock decides.
        ({"phone_number_type": "toll-free"}, 1),
        ({"phone_number_type": "phone_number_type"}, 1),  # what the official SDK's own tests send
        ({"national_destination_code": "97"}, 1),
        ({"national_destination_code": "national_destination_code"}, 1),
        ({"count_requested": "0"}, 0),
        ({"count_requested": "five"}, 0),
        ({"count_requested": "-1"}, 0),
        ({"count_requested": "\u0663"}, 0),
    ],
)
async def test_a_group_the_spec_allows_but_no_stock_fills_is_an_order_that_fails(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock, fields: dict[str, Any], count: int
) -> None:
    order = await order_numbers(http, sandbox, group(**fields))
    [created_group] = order["ordering_groups"]
    assert (created_group["status"], created_group["count_requested"]) == ("pending", count)
    clock.tick(2 * STEP)
    [done] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert (done["status"], done["count_allocated"], done["orders"]) == ("failed", 0, [])
    assert done["error_reason"] == NOT_ENOUGH
    assert sandbox.documents("number_orders") == {}
    assert sandbox.inventory("US", "local") == 1000


async def test_no_groups_or_more_numbers_than_exist_are_orders_too(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    assert (await order_numbers(http, sandbox))["ordering_groups"] == []  # the spec sets no minItems
    sandbox.set_inventory("US", "local", 2)
    order = await order_numbers(http, sandbox, group(count_requested="9" * 40))
    assert order["ordering_groups"][0]["count_requested"] == 10**15  # read up to more than E.164 holds
    clock.tick(2 * STEP)
    [done] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert (done["status"], done["count_allocated"]) == ("partial_success", 2)


@pytest.mark.parametrize(
    ("data", "content_type", "status", "pointer"),
    [
        (b"{not json", "application/json", 400, None),
        (b"", "application/json", 400, None),
        (b'{"ordering_groups": NaN}', "application/json", 400, None),
        (b"\xff\xfe", "application/json", 400, None),
        (b"[" * 100_000, "application/json", 400, None),  # nested past what any parser recurses
        (b"", "text/plain", 400, None),  # no body at all: the spec's 400, whatever the type says
        (b"[]", "application/json", 422, ""),
        (b'"order"', "application/json", 422, ""),
        (b"null", "application/json", 422, ""),
        (b'{"ordering_groups": []}', "text/plain", 415, None),
        (b'{"ordering_groups": []}', "application/x-www-form-urlencoded", 415, None),
    ],
)
@pytest.mark.parametrize("path", ["/inexplicit_number_orders", "/number_orders"])
async def test_a_body_that_is_not_a_json_object_is_refused_with_the_envelope(
    sandbox: Sandbox,
    http: aiohttp.ClientSession,
    *,
    path: str,
    data: bytes,
    content_type: str,
    status: int,
    pointer: str | None,
) -> None:
    got, answer = await call(http, sandbox, "POST", path, data=data, headers={"Content-Type": content_type})
    assert got == status
    [error] = answer["errors"]
    assert error.get("source") == (None if pointer is None else {"pointer": pointer})
    assert error["meta"]["url"].endswith(error["code"])
    assert sandbox.documents("number_orders") == sandbox.documents("inexplicit_number_orders") == {}


async def test_a_charset_parameter_is_fine(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    status, _ = await call(
        http,
        sandbox,
        "POST",
        "/inexplicit_number_orders",
        data=json.dumps({"ordering_groups": [group()]}).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert status == 200


# --- the lifecycle --------------------------------------------------------------------------------------


async def test_an_order_is_pending_then_processing_then_terminal_one_step_apart(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await order_numbers(http, sandbox, group(count_requested="2"), customer_reference="ref-9")
    path = f"/inexplicit_number_orders/{order['id']}"

    clock.tick(STEP - 0.001)
    [still_pending] = (await fetch(http, sandbox, path))["ordering_groups"]
    assert (still_pending["status"], still_pending["count_allocated"], still_pending["orders"]) == (
        "pending",
        0,
        [],
    )
    assert sandbox.documents("number_orders") == {}

    clock.tick(0.001)
    processing = await fetch(http, sandbox, path)
    [group_doc] = processing["ordering_groups"]
    assert (group_doc["status"], group_doc["count_allocated"]) == ("processing", 2)
    [link] = group_doc["orders"]
    number_order = await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}")
    assert number_order["status"] == "pending"
    assert number_order["sub_number_orders_ids"] == link["sub_number_order_ids"]
    assert [n["status"] for n in number_order["phone_numbers"]] == ["pending", "pending"]
    [sub_id] = link["sub_number_order_ids"]
    assert (await fetch(http, sandbox, f"/sub_number_orders/{sub_id}"))["status"] == "pending"
    created = stamp(order["created_at"])
    assert stamp(group_doc["updated_at"]) == stamp(processing["updated_at"]) == created + timedelta(seconds=1)
    assert number_order["created_at"] == group_doc["updated_at"]

    clock.tick(STEP)
    done = await fetch(http, sandbox, path)
    [group_doc] = done["ordering_groups"]
    assert (group_doc["status"], group_doc["count_allocated"], group_doc.get("error_reason")) == (
        "success",
        2,
        None,
    )
    assert group_doc["orders"] == [link]
    assert stamp(done["updated_at"]) == created + timedelta(seconds=2)
    assert done["created_at"] == order["created_at"]
    number_order = await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}")
    assert number_order["status"] == "success"
    assert [n["status"] for n in number_order["phone_numbers"]] == ["success", "success"]
    sub = await fetch(
        http, sandbox, f"/sub_number_orders/{sub_id}", **{"filter[include_phone_numbers]": "true"}
    )
    assert sub["status"] == "success"
    assert [n["status"] for n in sub["phone_numbers"]] == ["success", "success"]

    clock.tick(100 * STEP)
    assert await fetch(http, sandbox, path) == done


async def test_a_late_reader_sees_the_terminal_state_with_every_step_taken(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await order_numbers(http, sandbox, group())
    clock.tick(10 * STEP)
    [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert group_doc["status"] == "success"
    [link] = group_doc["orders"]
    assert (await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}"))["status"] == "success"


async def test_with_a_zero_step_the_next_request_sees_the_end() -> None:
    async with (
        Sandbox(lifecycle_step=0) as sandbox,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as http,
    ):
        order = await order_numbers(http, sandbox, group(count_requested="2"))
        assert order["ordering_groups"][0]["status"] == "pending"
        [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))[
            "ordering_groups"
        ]
        assert (group_doc["status"], group_doc["count_allocated"]) == ("success", 2)
        [number_order] = await fetch(http, sandbox, "/number_orders")
        assert number_order["status"] == "success"


async def test_the_real_clock_moves_orders_on_its_own() -> None:
    async with (
        Sandbox(lifecycle_step=0.01) as sandbox,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {sandbox.api_key}"}) as http,
    ):
        assert sandbox.lifecycle_step == 0.01
        order = await order_numbers(http, sandbox, group())
        assert order["ordering_groups"][0]["status"] == "pending"
        await asyncio.sleep(0.03)
        [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))[
            "ordering_groups"
        ]
        assert group_doc["status"] == "success"


async def test_changing_the_step_applies_to_orders_in_flight(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await order_numbers(http, sandbox, group())
    sandbox.lifecycle_step = 10.0
    clock.tick(STEP)
    assert (await fetch(http, sandbox, "/inexplicit_number_orders"))[0]["ordering_groups"][0][
        "status"
    ] == "pending"
    sandbox.lifecycle_step = 0
    assert sandbox.lifecycle_step == 0.0
    [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert group_doc["status"] == "success"


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), True, "1"])
def test_the_step_must_be_a_finite_non_negative_number(value: Any) -> None:
    with pytest.raises(ValueError, match="lifecycle_step"):
        Sandbox(lifecycle_step=value)
    sandbox = Sandbox()
    with pytest.raises(ValueError, match="lifecycle_step"):
        sandbox.lifecycle_step = value
    assert sandbox.lifecycle_step == 0.05


async def test_lists_show_the_advanced_state_in_insertion_order(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    seeded = sandbox.add_inexplicit_number_order()
    first = await order_numbers(http, sandbox, group())
    clock.tick(STEP)
    second = await order_numbers(http, sandbox, group())
    clock.tick(STEP)
    listed = await fetch(http, sandbox, "/inexplicit_number_orders")
    assert [o["id"] for o in listed] == [seeded["id"], first["id"], second["id"]]
    assert [o["ordering_groups"][0]["status"] for o in listed] == ["success", "success", "processing"]
    numbers = await fetch(http, sandbox, "/number_orders")
    assert [n["status"] for n in numbers] == ["success", "success", "pending"]
    assert [n["id"] for n in numbers[1:]] == [
        o["ordering_groups"][0]["orders"][0]["number_order_id"] for o in listed[1:]
    ]


# --- inventory ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "requested", "strategy", "outcome", "allocated", "left"),
    [
        (5, 5, "always", "success", 5, 0),
        (5, 3, "never", "success", 3, 2),
        (5, 8, "always", "partial_success", 5, 0),
        (0, 2, "always", "failed", 0, 0),
        (5, 8, "never", "failed", 0, 5),
    ],
)
async def test_inventory_and_strategy_decide_the_outcome(
    sandbox: Sandbox,
    http: aiohttp.ClientSession,
    clock: FakeClock,
    *,
    pool: int,
    requested: int,
    strategy: str,
    outcome: str,
    allocated: int,
    left: int,
) -> None:
    sandbox.set_inventory("US", "local", pool)
    order = await order_numbers(http, sandbox, group(count_requested=str(requested), strategy=strategy))
    assert sandbox.inventory("US", "local") == left  # taken at creation
    clock.tick(2 * STEP)
    [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert (group_doc["status"], group_doc["count_requested"], group_doc["count_allocated"]) == (
        outcome,
        requested,
        allocated,
    )
    assert group_doc.get("error_reason") == (NOT_ENOUGH if outcome == "failed" else None)
    if allocated:
        [link] = group_doc["orders"]
        number_order = await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}")
        assert number_order["phone_numbers_count"] == len(number_order["phone_numbers"]) == allocated
    else:
        assert group_doc["orders"] == []
        assert sandbox.documents("number_orders") == {}


async def test_a_failed_group_still_passes_through_processing(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    sandbox.set_inventory("CA", "mobile", 0)
    order = await order_numbers(http, sandbox, group(country_iso="CA", phone_number_type="mobile"))
    clock.tick(STEP)
    [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert (group_doc["status"], group_doc["count_allocated"], group_doc.get("error_reason")) == (
        "processing",
        0,
        None,
    )
    clock.tick(STEP)
    [group_doc] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert (group_doc["status"], group_doc["error_reason"]) == ("failed", NOT_ENOUGH)


async def test_pools_are_per_country_type_and_area_code(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.set_inventory("US", "local", 2, national_destination_code="303")
    await order_numbers(http, sandbox, group(count_requested="2", national_destination_code="303"))
    assert sandbox.inventory("US", "local", national_destination_code="303") == 0
    assert sandbox.inventory("US", "local") == 1000  # a group without an area code draws from here
    await order_numbers(http, sandbox, group(count_requested="4", phone_number={"starts_with": "303"}))
    assert sandbox.inventory("US", "local") == 996
    assert sandbox.inventory("US", "local", national_destination_code="303") == 0
    assert sandbox.inventory("US", "toll_free") == sandbox.inventory("CA", "local") == 1000


async def test_groups_of_one_order_draw_from_a_shared_pool_in_order(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    sandbox.set_inventory("US", "local", 5)
    order = await order_numbers(
        http,
        sandbox,
        group(count_requested="3"),
        group(count_requested="3", strategy="never"),
        group(count_requested="3"),
    )
    assert sandbox.inventory("US", "local") == 0
    clock.tick(2 * STEP)
    groups = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"]
    assert [(g["status"], g["count_allocated"]) for g in groups] == [
        ("success", 3),
        ("failed", 0),
        ("partial_success", 2),
    ]
    number_order_ids = [g["orders"][0]["number_order_id"] for g in groups if g["orders"]]
    assert len(set(number_order_ids)) == 2  # one number order per group that got numbers


async def test_default_inventory_fills_a_pool_the_first_time_it_is_used(
    http: aiohttp.ClientSession, sandbox: Sandbox
) -> None:
    assert sandbox.default_inventory == 1000
    sandbox.default_inventory = 3
    assert sandbox.inventory("US", "local") == 3
    await order_numbers(http, sandbox, group(count_requested="2"))
    sandbox.default_inventory = 50
    assert sandbox.inventory("US", "local") == 1  # already in use: keeps its level
    assert sandbox.inventory("US", "toll_free") == 50
    assert Sandbox(default_inventory=7).inventory("CA", "local") == 7


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("GB", "local", 1), {}, ValueError),
        (("us", "local", 1), {}, ValueError),
        (("US", 7, 1), {}, TypeError),
        (("US", "tollfree", 1), {}, ValueError),
        (("US", "local", -1), {}, ValueError),
        (("US", "local", 1.5), {}, ValueError),
        (("US", "local", True), {}, ValueError),
        (("US", "local", 1), {"national_destination_code": "97"}, ValueError),
        (("US", "local", 1), {"national_destination_code": 970}, ValueError),
    ],
)
def test_set_inventory_refuses_pools_no_order_could_use(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception]
) -> None:
    sandbox = Sandbox()
    with pytest.raises(error):
        sandbox.set_inventory(*args, **kwargs)
    with pytest.raises(ValueError, match="default_inventory"):
        sandbox.default_inventory = -1
    with pytest.raises(ValueError, match="default_inventory"):
        Sandbox(default_inventory=-5)


# --- linked orders and their numbers --------------------------------------------------------------------


async def test_linked_orders_carry_the_numbers_and_the_shared_ids(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    shared = {
        "connection_id": "conn-7",
        "messaging_profile_id": "mp-7",
        "billing_group_id": "bg-7",
        "customer_reference": "ref-7",
    }
    order = await order_numbers(
        http, sandbox, group(count_requested="60", national_destination_code="720"), **shared
    )
    clock.tick(STEP)
    [link] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"][0][
        "orders"
    ]
    number_order = await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}")
    assert {key: number_order[key] for key in shared} == shared
    assert (number_order["phone_numbers_count"], number_order["record_type"]) == (60, "number_order")
    numbers = [n["phone_number"] for n in number_order["phone_numbers"]]
    assert len(set(numbers)) == 60
    assert all(E164.fullmatch(n) and n.startswith("+1720") and len(n) == 12 for n in numbers)
    assert {(n["country_code"], n["phone_number_type"]) for n in number_order["phone_numbers"]} == {
        ("US", "local")
    }
    [sub_id] = link["sub_number_order_ids"]
    sub = await fetch(
        http, sandbox, f"/sub_number_orders/{sub_id}", **{"filter[include_phone_numbers]": "true"}
    )
    assert (sub["order_request_id"], sub["country_code"], sub["phone_number_type"]) == (
        number_order["id"],
        "US",
        "local",
    )
    assert (sub["phone_numbers_count"], sub["customer_reference"]) == (60, "ref-7")
    assert [n["phone_number"] for n in sub.pop("phone_numbers")] == numbers[:50]


@pytest.mark.parametrize(
    ("fields", "prefix", "suffix"),
    [
        ({"country_iso": "CA"}, "+1416", ""),
        ({"phone_number_type": "toll_free"}, "+1888", ""),
        ({"national_destination_code": "512"}, "+1512", ""),
        ({"phone_number": {"starts_with": "415"}}, "+1415", ""),
        ({"phone_number": {"starts_with": "+1415"}}, "+1415", ""),
        ({"national_destination_code": "212", "phone_number": {"starts_with": "212"}}, "+1212", ""),
        ({"national_destination_code": "212", "phone_number": {"starts_with": "9"}}, "+12129", ""),
        ({"phone_number": {"ends_with": "1234"}}, "+1970", "1234"),
        ({"phone_number": {"starts_with": "97"}}, "+197", ""),
        ({"phone_number": {"starts_with": "abc", "ends_with": "x1"}}, "+1970", ""),
    ],
)
async def test_invented_numbers_honour_country_area_code_and_search(
    sandbox: Sandbox,
    http: aiohttp.ClientSession,
    clock: FakeClock,
    fields: dict[str, Any],
    prefix: str,
    suffix: str,
) -> None:
    order = await order_numbers(http, sandbox, group(count_requested="3", **fields))
    clock.tick(STEP)
    [link] = (await fetch(http, sandbox, f"/inexplicit_number_orders/{order['id']}"))["ordering_groups"][0][
        "orders"
    ]
    numbers = [
        n["phone_number"]
        for n in (await fetch(http, sandbox, f"/number_orders/{link['number_order_id']}"))["phone_numbers"]
    ]
    assert len(set(numbers)) == 3
    for number in numbers:
        assert E164.fullmatch(number)
        assert len(number) == 12
        assert number.startswith(prefix)
        assert number.endswith(suffix)


async def test_contains_is_honoured_and_criteria_give_way_when_no_number_is_left(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    await order_numbers(http, sandbox, group(count_requested="2", phone_number={"contains": "4242"}))
    await order_numbers(
        http,
        sandbox,
        group(count_requested="2", national_destination_code="970", phone_number={"starts_with": "5551234"}),
    )
    clock.tick(STEP)
    [contains, exact] = [
        [n["phone_number"] for n in no["phone_numbers"]]
        for no in await fetch(http, sandbox, "/number_orders")
    ]
    assert all("4242" in number[2:] for number in contains)
    # Only one number starts 970-555-1234; the second falls back to the area code alone.
    assert exact[0] == "+19705551234"
    assert exact[1].startswith("+1970")
    assert exact[1] != exact[0]


async def test_numbers_are_never_issued_twice(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    seeded = sandbox.add_number_order(phone_numbers_count=2)
    explicit = await create(
        http, sandbox, "/number_orders", {"phone_numbers": [{"phone_number": "+19705550002"}]}
    )
    await order_numbers(http, sandbox, group(count_requested="5"))
    await order_numbers(http, sandbox, group(count_requested="5", phone_number={"starts_with": "970555"}))
    clock.tick(STEP)
    everything = [
        n["phone_number"]
        for order in await fetch(http, sandbox, "/number_orders")
        for n in order["phone_numbers"]
    ]
    assert len(everything) == 2 + 1 + 5 + 5
    assert len(set(everything)) == len(everything)
    assert [n["phone_number"] for n in seeded["phone_numbers"]] == ["+19705550000", "+19705550001"]
    assert explicit["phone_numbers"][0]["phone_number"] in everything


# --- creating a number order ----------------------------------------------------------------------------


async def test_a_number_order_groups_its_numbers_into_sub_orders_and_succeeds(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await create(
        http,
        sandbox,
        "/number_orders",
        {
            "phone_numbers": [
                {"phone_number": "+19705555098", "bundle_id": "bc8e4d67-33a0-4cbb-af74-7b58f05bd494"},
                {"phone_number": "+14165550100", "requirement_group_id": "rg-1"},
                {"phone_number": "+18005550100"},
                # French numbers need no requirements in the sandbox; German ones wait for theirs.
                {"phone_number": "+33142685300"},
                {"phone_number": "+19705555099", "unknown": 1},
                {"phone_number": "+99912345"},
            ],
            "connection_id": "conn-2",
            "customer_reference": "ref-2",
            "ignored": [1, 2],
        },
    )
    assert (order["status"], order["phone_numbers_count"], order["record_type"]) == (
        "pending",
        6,
        "number_order",
    )
    assert (order["connection_id"], order["customer_reference"], order.get("billing_group_id")) == (
        "conn-2",
        "ref-2",
        None,
    )
    assert order["requirements_met"] is True
    numbers = order["phone_numbers"]
    assert [n["phone_number"] for n in numbers] == [
        "+19705555098",
        "+14165550100",
        "+18005550100",
        "+33142685300",
        "+19705555099",
        "+99912345",
    ]
    assert [n.get("bundle_id") for n in numbers] == ["bc8e4d67-33a0-4cbb-af74-7b58f05bd494", *[None] * 5]
    assert {n["status"] for n in numbers} == {"pending"}
    subs = [
        await fetch(http, sandbox, f"/sub_number_orders/{sub_id}")
        for sub_id in order["sub_number_orders_ids"]
    ]
    assert [(s["country_code"], s["phone_number_type"], s["phone_numbers_count"]) for s in subs] == [
        ("US", "local", 2),
        ("CA", "local", 1),
        ("US", "toll_free", 1),
        ("FR", "local", 1),
        ("ZZ", "local", 1),
    ]
    assert all(s["order_request_id"] == order["id"] and s["status"] == "pending" for s in subs)
    assert all(s["customer_reference"] == "ref-2" for s in subs)
    assert await fetch(http, sandbox, f"/number_orders/{order['id']}") == order

    clock.tick(STEP)
    assert (await fetch(http, sandbox, f"/number_orders/{order['id']}"))["status"] == "pending"
    clock.tick(STEP)
    done = await fetch(http, sandbox, f"/number_orders/{order['id']}")
    assert done["status"] == "success"
    assert {n["status"] for n in done["phone_numbers"]} == {"success"}
    assert stamp(done["updated_at"]) == stamp(order["created_at"]) + timedelta(seconds=2)
    subs = await fetch(http, sandbox, "/sub_number_orders", **{"filter[order_request_id]": order["id"]})
    assert [s["status"] for s in subs] == ["success"] * 5


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"phone_numbers": None}, ["/phone_numbers"]),
        ({"phone_numbers": "+19705555098"}, ["/phone_numbers"]),
        ({"phone_numbers": ["+19705555098"]}, ["/phone_numbers/0"]),
        ({"phone_numbers": [{}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": 19705555098}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "19705555098"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+09705555098"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+1"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+1970555509812345"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+1 970 555 5098"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+19705555098\n"}]}, ["/phone_numbers/0/phone_number"]),
        ({"phone_numbers": [{"phone_number": "+1970555\u0665098"}]}, ["/phone_numbers/0/phone_number"]),
        (
            {"phone_numbers": [{"phone_number": "+19705555098", "bundle_id": 1, "requirement_group_id": []}]},
            ["/phone_numbers/0/bundle_id", "/phone_numbers/0/requirement_group_id"],
        ),
        (
            {"phone_numbers": [{"phone_number": "+19705555098", "bundle_id": None}]},
            ["/phone_numbers/0/bundle_id"],
        ),
        (
            {
                "phone_numbers": [{"phone_number": "+19705555098"}],
                "connection_id": 5,
                "customer_reference": 1,
            },
            ["/connection_id", "/customer_reference"],
        ),
        (
            {"phone_numbers": [{"phone_number": "x"}, 7, {"phone_number": "+1970"}]},
            ["/phone_numbers/0/phone_number", "/phone_numbers/1"],
        ),
    ],
)
async def test_an_invalid_number_order_is_a_422_with_one_pointer_per_problem(
    sandbox: Sandbox, http: aiohttp.ClientSession, body: Any, expected: list[str]
) -> None:
    status, answer = await call(http, sandbox, "POST", "/number_orders", json=body)
    assert status == 422
    assert pointers(answer) == expected
    assert sandbox.documents("number_orders") == sandbox.documents("sub_number_orders") == {}


async def test_a_number_order_may_name_no_number_and_names_each_number_once(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    # The spec requires no phone_numbers and sets no uniqueItems: an order of nothing is an order,
    # and a number named twice is ordered once, with what its first entry says.
    assert (await create(http, sandbox, "/number_orders", {}))["phone_numbers"] == []
    assert (await create(http, sandbox, "/number_orders", {"phone_numbers": []}))["phone_numbers_count"] == 0
    bundle = "bc8e4d67-33a0-4cbb-af74-7b58f05bd494"
    numbers = [{"phone_number": "+19705555098", "bundle_id": bundle}, {"phone_number": "+19705555098"}]
    order = await create(http, sandbox, "/number_orders", {"phone_numbers": numbers})
    assert [(n["phone_number"], n.get("bundle_id")) for n in order["phone_numbers"]] == [
        ("+19705555098", bundle)
    ]
    # PhoneNumber.bundle_id is format: uuid, so a bundle_id that is not one names no bundle.
    order = await create(
        http,
        sandbox,
        "/number_orders",
        {"phone_numbers": [{"phone_number": "+19705555097", "bundle_id": "b-1"}]},
    )
    assert "bundle_id" not in order["phone_numbers"][0]


# --- list filters ---------------------------------------------------------------------------------------


async def test_number_orders_filter_by_status_reference_count_and_requirements(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    old = await create(
        http,
        sandbox,
        "/number_orders",
        {"phone_numbers": [{"phone_number": "+19705550100"}], "customer_reference": "alpha"},
    )
    clock.tick(2 * STEP)
    new = await create(
        http,
        sandbox,
        "/number_orders",
        {
            "phone_numbers": [{"phone_number": "+19705550101"}, {"phone_number": "+19705550102"}],
            "customer_reference": "beta",
        },
    )
    unmet = sandbox.add_number_order(requirements_met=False, customer_reference="alpha", status="failure")

    async def ids(**filters: str) -> list[str]:
        return [o["id"] for o in await fetch(http, sandbox, "/number_orders", **filters)]

    assert await ids() == [old["id"], new["id"], unmet["id"]]
    assert await ids(**{"filter[status]": "success"}) == [old["id"]]
    assert await ids(**{"filter[status]": "pending"}) == [new["id"]]
    assert await ids(**{"filter[status]": "failure"}) == [unmet["id"]]
    assert await ids(**{"filter[customer_reference]": "alpha"}) == [old["id"], unmet["id"]]
    assert await ids(**{"filter[customer_reference]": "ALPHA"}) == []
    assert await ids(**{"filter[phone_numbers_count]": "2"}) == [new["id"]]
    assert await ids(**{"filter[phone_numbers_count]": "1"}) == [old["id"], unmet["id"]]
    assert await ids(**{"filter[requirements_met]": "false"}) == [unmet["id"]]
    assert await ids(**{"filter[requirements_met]": "True"}) == [old["id"], new["id"]]
    assert await ids(**{"filter[customer_reference]": "alpha", "filter[status]": "success"}) == [old["id"]]
    assert await ids(**{"filter[unknown]": "x"}) == [old["id"], new["id"], unmet["id"]]


async def test_number_orders_filter_by_creation_time_strictly(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    times = ["2024-01-01T00:00:00.000000Z", "2024-06-01T12:00:00.000000Z", "2025-01-01T00:00:00.000000Z"]
    orders = [sandbox.add_number_order(created_at=t)["id"] for t in times]
    sandbox.seed_raw("number_orders", {"id": "no-date"})
    sandbox.seed_raw("number_orders", {"id": "bad-date", "created_at": "yesterday"})

    async def ids(**filters: str) -> list[str]:
        status, body = await call(http, sandbox, "GET", "/number_orders", params=filters)
        assert status == 200
        assert body["meta"]["total_results"] == len(body["data"])
        return [o["id"] for o in body["data"]]

    assert await ids(**{"filter[created_at][gt]": "2024-01-01T00:00:00Z"}) == orders[1:]
    assert await ids(**{"filter[created_at][lt]": "2025-01-01T00:00:00.000000Z"}) == orders[:2]
    assert await ids(**{"filter[created_at][gt]": "2024-01-01", "filter[created_at][lt]": "2025-01-01"}) == [
        orders[1]
    ]
    assert await ids(**{"filter[created_at][gt]": "2024-06-01T13:59:59.9+02:00"}) == orders[1:]
    assert await ids(**{"filter[created_at][gt]": "2024-06-01T14:00:00+02:00"}) == orders[2:]
    assert await ids(**{"filter[created_at][lt]": "2024-06-01T07:00:00.0000010-05:00"}) == orders[:2]
    assert await ids(**{"filter[created_at][lt]": "2024-06-01T07:00-0500"}) == orders[:1]
    assert len(await ids()) == 5


async def test_number_order_filters_combine_with_paging(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    wanted = [sandbox.add_number_order(customer_reference="x")["id"] for _ in range(3)]
    sandbox.add_number_order(customer_reference="y")
    status, body = await call(
        http,
        sandbox,
        "GET",
        "/number_orders",
        params={"filter[customer_reference]": "x", "page[number]": "2", "page[size]": "2"},
    )
    assert status == 200
    assert [o["id"] for o in body["data"]] == wanted[2:]
    assert body["meta"] == {"page_number": 2, "page_size": 2, "total_pages": 2, "total_results": 3}


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        # filter[created_at] is additionalProperties: false in the spec.
        ("/number_orders", "filter[created_at][eq]", "2024-01-01T00:00:00Z"),
        ("/number_orders", "filter[created_at]", "2024-01-01T00:00:00Z"),
        ("/number_orders", "filter[requirements_met]", "yes"),
        ("/sub_number_orders", "filter[phone_numbers_count]", "1.0"),
        ("/sub_number_orders", "filter[phone_numbers_count]", "\u0663"),
        ("/sub_number_orders", "filter[order_request_id]", "nope"),
        ("/sub_number_orders", "filter[include_phone_numbers]", "1"),
    ],
)
async def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    sandbox: Sandbox, http: aiohttp.ClientSession, path: str, parameter: str, value: str
) -> None:
    status, body = await call(http, sandbox, "GET", path, params={parameter: value})
    assert status == 400
    [error] = body["errors"]
    assert (error["code"], error["source"]) == ("10015", {"parameter": parameter})
    assert parameter in error["detail"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("filter[created_at][gt]", "yesterday"),
        ("filter[created_at][gt]", "2024-13-01T00:00:00Z"),
        ("filter[created_at][lt]", "2024-01-01T25:00:00Z"),
        ("filter[created_at][lt]", "2024-01-01T00:00:00+24:00"),
        ("filter[created_at][lt]", "1704067200"),
        ("filter[created_at][lt]", ""),
        ("filter[phone_numbers_count]", "one"),
        ("filter[phone_numbers_count]", "-1"),
        ("filter[phone_numbers_count]", "\u0663"),
    ],
)
async def test_a_string_filter_that_names_no_moment_or_count_matches_no_number_order(
    sandbox: Sandbox, http: aiohttp.ClientSession, parameter: str, value: str
) -> None:
    # The spec types these strings: accepted, and no order was created at "yesterday" or holds "one" number.
    sandbox.add_number_order(created_at="2024-01-01T00:00:00.000000Z", phone_numbers_count=1)
    assert await fetch(http, sandbox, "/number_orders", **{parameter: value}) == []


async def test_sub_number_orders_filter_on_every_declared_field(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    order = await create(
        http,
        sandbox,
        "/number_orders",
        {
            "phone_numbers": [
                {"phone_number": "+19705550100"},
                {"phone_number": "+19705550101"},
                {"phone_number": "+14165550100"},
            ]
        },
    )
    us, ca = order["sub_number_orders_ids"]
    clock.tick(2 * STEP)
    toll_free = sandbox.add_sub_number_order(phone_number_type="toll_free", status="pending")["id"]

    async def ids(**filters: str) -> list[str]:
        return [s["id"] for s in await fetch(http, sandbox, "/sub_number_orders", **filters)]

    assert await ids() == [us, ca, toll_free]
    assert await ids(**{"filter[status]": "success"}) == [us, ca]
    assert await ids(**{"filter[status]": "pending"}) == [toll_free]
    assert await ids(**{"filter[order_request_id]": order["id"]}) == [us, ca]
    assert await ids(**{"filter[country_code]": "CA"}) == [ca]
    assert await ids(**{"filter[phone_number_type]": "toll_free"}) == [toll_free]
    assert await ids(**{"filter[phone_numbers_count]": "2"}) == [us]
    assert await ids(**{"filter[phone_numbers_count]": "1", "filter[country_code]": "US"}) == [toll_free]
    assert await ids(**{"filter[order_request_id]": "12ade33a-21c0-473b-b055-b3c836e1c293"}) == []
    assert await ids(**{"filter[phone_numbers_count]": "-1"}) == []


async def test_listed_sub_number_orders_carry_phone_numbers_only_when_asked(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    big = sandbox.add_sub_number_order(phone_numbers_count=55)
    small = sandbox.add_sub_number_order(phone_numbers_count=2, country_code="CA")
    sandbox.seed_raw("sub_number_orders", {"id": "raw"})
    plain = await fetch(http, sandbox, "/sub_number_orders")
    assert all("phone_numbers" not in s for s in plain)
    assert (
        await fetch(http, sandbox, "/sub_number_orders", **{"filter[include_phone_numbers]": "false"})
        == plain
    )
    listed = await fetch(http, sandbox, "/sub_number_orders", **{"filter[include_phone_numbers]": "TRUE"})
    assert [len(s["phone_numbers"]) for s in listed] == [50, 2, 0]
    assert {key: value for key, value in listed[0].items() if key != "phone_numbers"} == big
    retrieved = await fetch(
        http, sandbox, f"/sub_number_orders/{big['id']}", **{"filter[include_phone_numbers]": "true"}
    )
    assert listed[0]["phone_numbers"] == retrieved["phone_numbers"], "the same first 50, listed or retrieved"
    assert len({n["phone_number"] for n in listed[0]["phone_numbers"]}) == 50
    only_ca = await fetch(
        http,
        sandbox,
        "/sub_number_orders",
        **{"filter[include_phone_numbers]": "true", "filter[country_code]": "CA"},
    )
    assert [s["id"] for s in only_ca] == [small["id"]]
    assert {n["country_code"] for n in only_ca[0]["phone_numbers"]} == {"CA"}


# --- faults, reset, threads -----------------------------------------------------------------------------


async def test_a_create_dropped_after_handling_still_places_the_order(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    sandbox.faults.drop_after(operation="CreateInexplicitNumberOrder")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(http, sandbox, "POST", "/inexplicit_number_orders", json={"ordering_groups": [group()]})
    [order] = await fetch(http, sandbox, "/inexplicit_number_orders")
    assert order["ordering_groups"][0]["count_requested"] == 1
    assert sandbox.inventory("US", "local") == 999


async def test_reset_forgets_orders_in_flight_and_inventory_but_keeps_the_knobs(
    sandbox: Sandbox, http: aiohttp.ClientSession, clock: FakeClock
) -> None:
    sandbox.default_inventory = 10
    sandbox.set_inventory("US", "local", 4)
    await order_numbers(http, sandbox, group(count_requested="3"))
    await create(http, sandbox, "/number_orders", {"phone_numbers": [{"phone_number": "+19705550000"}]})
    sandbox.reset()
    assert (sandbox.lifecycle_step, sandbox.default_inventory) == (STEP, 10)
    assert sandbox.inventory("US", "local") == 10
    clock.tick(2 * STEP)
    assert await fetch(http, sandbox, "/number_orders") == []
    assert await fetch(http, sandbox, "/inexplicit_number_orders") == []
    seeded = sandbox.add_number_order()
    assert seeded["phone_numbers"][0]["phone_number"] == "+19705550000"  # issued numbers are forgotten too


def _blocking(url: str, api_key: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_the_threaded_sandbox_serves_the_workflow_while_the_test_seeds() -> None:
    with Sandbox(lifecycle_step=0).serve_in_thread() as sandbox:
        sandbox.set_inventory("US", "local", 2, national_destination_code="970")
        status, body = _blocking(
            f"{sandbox.base_url}/inexplicit_number_orders",
            sandbox.api_key,
            {"ordering_groups": [group(count_requested="3", national_destination_code="970")]},
        )
        assert (status, body["data"]["ordering_groups"][0]["status"]) == (200, "pending")
        assert sandbox.inventory("US", "local", national_destination_code="970") == 0
        _, listed = _blocking(f"{sandbox.base_url}/inexplicit_number_orders", sandbox.api_key)
        [group_doc] = listed["data"][0]["ordering_groups"]
        assert (group_doc["status"], group_doc["count_allocated"]) == ("partial_success", 2)
        _, numbers = _blocking(f"{sandbox.base_url}/number_orders", sandbox.api_key)
        assert [n["phone_numbers_count"] for n in numbers["data"]] == [2]
