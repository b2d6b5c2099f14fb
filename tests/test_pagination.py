"""Listing: pages fetched lazily, one at a time, and a stop wherever the listing really ends."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from telnyx_orders import APIResponseValidationError, AsyncPage, AsyncPaginator, AsyncTelnyx
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import InexplicitNumberOrder, NumberOrder, PaginationMeta, SubNumberOrder

LIST_INEXPLICIT = "ListInexplicitNumberOrders"
LIST_NUMBER_ORDERS = "ListNumberOrders"
LIST_SUB_NUMBER_ORDERS = "ListSubNumberOrders"


def seed_number_orders(sandbox: Sandbox, count: int) -> list[str]:
    return [sandbox.add_number_order(customer_reference=f"order-{n}")["id"] for n in range(count)]


def page_numbers_asked(sandbox: Sandbox, operation: str, parameter: str) -> list[str | None]:
    return [dict(request.query).get(parameter) for request in sandbox.requests_to(operation)]


def a_page(data: list[dict[str, Any]], **meta: int) -> dict[str, Any]:
    return {"data": data, "meta": meta} if meta else {"data": data}


# What list() returns


async def test_awaiting_list_gives_the_first_page_with_its_meta(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    ids = seed_number_orders(sandbox, 3)

    paginator = client.number_orders.list(page_size=2)
    assert isinstance(paginator, AsyncPaginator)
    assert sandbox.requests == [], "nothing is fetched before the paginator is awaited"
    page = await paginator

    assert isinstance(page, AsyncPage)
    assert all(isinstance(order, NumberOrder) for order in page.data)
    assert [order.id for order in page.data] == ids[:2]
    assert page.meta == PaginationMeta(page_number=1, page_size=2, total_pages=2, total_results=3)
    assert page.has_next_page()
    second = await page.get_next_page()
    assert [order.id for order in second.data] == ids[2:]
    assert not second.has_next_page()
    assert page_numbers_asked(sandbox, LIST_NUMBER_ORDERS, "page[number]") == ["1", "2"]


async def test_async_for_yields_every_item_of_every_page(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    ids = seed_number_orders(sandbox, 7)

    listed = [order.id async for order in client.number_orders.list(page_size=3)]

    assert listed == ids
    assert page_numbers_asked(sandbox, LIST_NUMBER_ORDERS, "page[number]") == ["1", "2", "3"]


async def test_async_for_over_a_page_continues_from_that_page(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    ids = seed_number_orders(sandbox, 5)
    second = await client.number_orders.list(page_size=2, page_number=2)

    assert [order.id async for order in second] == ids[2:]
    assert [[order.id for order in page.data] async for page in second.iter_pages()] == [ids[2:4], ids[4:]]


async def test_iter_pages_yields_each_page_once(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    seed_number_orders(sandbox, 5)

    sizes = [len(page.data) async for page in client.number_orders.list(page_size=2).iter_pages()]

    assert sizes == [2, 2, 1]


async def test_pages_are_fetched_only_as_iteration_reaches_them(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    seed_number_orders(sandbox, 10)

    async for _ in client.number_orders.list(page_size=2):
        break

    assert page_numbers_asked(sandbox, LIST_NUMBER_ORDERS, "page[number]") == ["1"]


async def test_iterating_holds_one_page_at_a_time(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    seed_number_orders(sandbox, 6)
    first_items: list[weakref.ref[NumberOrder]] = []

    async for order in client.number_orders.list(page_size=2):
        if order.customer_reference in ("order-0", "order-2", "order-4"):
            first_items.append(weakref.ref(order))
        del order
        gc.collect()
        # Every page but the one being iterated is gone.
        assert [ref() is None for ref in first_items] == [True] * (len(first_items) - 1) + [False]

    assert len(first_items) == 3


# Wire parameters


async def test_inexplicit_orders_page_with_flat_parameters(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    for _ in range(3):
        sandbox.add_inexplicit_number_order()

    listed = [order async for order in client.inexplicit_number_orders.list(page_size=2)]

    assert len(listed) == 3
    assert all(isinstance(order, InexplicitNumberOrder) for order in listed)
    first, second = sandbox.requests_to(LIST_INEXPLICIT)
    assert first.query == [("page_size", "2"), ("page_number", "1")]
    assert second.query == [("page_size", "2"), ("page_number", "2")]


async def test_no_page_size_leaves_telnyxs_default(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    await client.inexplicit_number_orders.list()

    (request,) = sandbox.requests_to(LIST_INEXPLICIT)
    assert request.query == [("page_number", "1")]


async def test_number_order_filters_use_the_bracketed_names(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    after = datetime(2026, 1, 1, tzinfo=timezone.utc)

    await client.number_orders.list(
        status="success",
        created_at_gt=after,
        created_at_lt="2027-01-01T00:00:00Z",
        phone_numbers_count=1,
        customer_reference="ref",
        requirements_met=True,
        page_size=10,
        page_number=3,
    )

    (request,) = sandbox.requests_to(LIST_NUMBER_ORDERS)
    assert dict(request.query) == {
        "filter[status]": "success",
        "filter[created_at][gt]": "2026-01-01T00:00:00+00:00",
        "filter[created_at][lt]": "2027-01-01T00:00:00Z",
        "filter[phone_numbers_count]": "1",
        "filter[customer_reference]": "ref",
        "filter[requirements_met]": "true",
        "page[size]": "10",
        "page[number]": "3",
    }


async def test_number_order_filters_select_on_the_server(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    kept = sandbox.add_number_order(customer_reference="keep")["id"]
    sandbox.add_number_order(customer_reference="drop")
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)

    matching = [order.id async for order in client.number_orders.list(customer_reference="keep")]
    recent = [order.id async for order in client.number_orders.list(created_at_gt=an_hour_ago)]
    older = [order.id async for order in client.number_orders.list(created_at_lt=an_hour_ago)]

    assert matching == [kept]
    assert len(recent) == 2
    assert older == []


async def test_sub_number_orders_filter_and_take_no_page_parameters(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    number_order = sandbox.add_number_order(phone_numbers_count=2)
    sandbox.add_number_order()

    page = await client.sub_number_orders.list(
        order_request_id=number_order["id"],
        status="success",
        country_code="US",
        phone_number_type="local",
        phone_numbers_count=2,
        include_phone_numbers=True,
    )

    (request,) = sandbox.requests_to(LIST_SUB_NUMBER_ORDERS)
    assert dict(request.query) == {
        "filter[order_request_id]": number_order["id"],
        "filter[status]": "success",
        "filter[country_code]": "US",
        "filter[phone_number_type]": "local",
        "filter[phone_numbers_count]": "2",
        "filter[include_phone_numbers]": "true",
    }
    (sub_number_order,) = page.data
    assert isinstance(sub_number_order, SubNumberOrder)
    assert sub_number_order.id == number_order["sub_number_orders_ids"][0]
    assert sub_number_order.phone_numbers is not None
    assert len(sub_number_order.phone_numbers) == 2
    assert not page.has_next_page(), "a listing without page parameters is one page"


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"page_size": 0}, ValueError, "page_size must be from 1 to 250, not 0"),
        ({"page_size": 251}, ValueError, "page_size must be from 1 to 250, not 251"),
        ({"page_size": "20"}, TypeError, "page_size must be an int"),
        ({"page_size": True}, TypeError, "page_size must be an int"),
        ({"page_number": 0}, ValueError, "page_number must be 1 or more"),
        ({"status": 1}, TypeError, "status must be a str"),
        ({"status": ""}, ValueError, "status must not be empty"),
        ({"requirements_met": "yes"}, TypeError, "requirements_met must be a bool"),
        ({"phone_numbers_count": -1}, ValueError, "phone_numbers_count must be 0 or more"),
        ({"created_at_gt": datetime(2026, 1, 1)}, ValueError, "created_at_gt must be timezone-aware"),
        ({"created_at_lt": 1767225600}, TypeError, "created_at_lt must be a datetime or an ISO 8601 str"),
    ],
)
def test_bad_list_arguments_are_refused_when_list_is_called(
    sandbox: Sandbox, client: AsyncTelnyx, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        client.number_orders.list(**arguments)

    assert sandbox.requests == []


# Where a listing ends


async def test_an_empty_listing_is_one_empty_page(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    page = await client.number_orders.list()

    assert page.data == ()
    assert not page.has_next_page()
    assert [order async for order in client.number_orders.list()] == []
    with pytest.raises(ValueError, match="this is the last page"):
        await page.get_next_page()


async def test_exactly_full_pages_stop_at_total_pages(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    seed_number_orders(sandbox, 6)

    listed = [order async for order in client.number_orders.list(page_size=3)]

    assert len(listed) == 6
    assert page_numbers_asked(sandbox, LIST_NUMBER_ORDERS, "page[number]") == ["1", "2"]


async def test_a_page_without_meta_is_the_last(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.faults.wrong_shape(a_page([{"id": "a"}, {"id": "b"}]), operation=LIST_NUMBER_ORDERS)

    listed = [order.id async for order in client.number_orders.list(page_size=2)]

    assert listed == ["a", "b"]
    assert len(sandbox.requests_to(LIST_NUMBER_ORDERS)) == 1


async def test_without_total_pages_a_full_page_asks_for_more_and_a_short_one_ends(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.wrong_shape(a_page([{"id": "a"}, {"id": "b"}], page_number=1, page_size=2))
    sandbox.faults.wrong_shape(a_page([{"id": "c"}], page_number=2, page_size=2))

    listed = [order.id async for order in client.number_orders.list(page_size=2)]

    assert listed == ["a", "b", "c"]
    assert page_numbers_asked(sandbox, LIST_NUMBER_ORDERS, "page[number]") == ["1", "2"]


async def test_a_server_that_ignores_the_page_parameter_is_caught_not_looped_on(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    same_page = a_page([{"id": "a"}, {"id": "b"}], page_number=1, page_size=2, total_pages=50)
    sandbox.faults.wrong_shape(same_page, operation=LIST_NUMBER_ORDERS, times=None)

    listed: list[str | None] = []

    async def list_every_order() -> None:
        async for order in client.number_orders.list(page_size=2):
            listed.append(order.id)

    with pytest.raises(
        APIResponseValidationError, match=r"page 2 was asked for and meta\.page_number says 1"
    ) as caught:
        await list_every_order()

    assert listed == ["a", "b"]
    assert len(sandbox.requests_to(LIST_NUMBER_ORDERS)) == 2
    assert caught.value.body == same_page
    assert caught.value.status_code == 200


async def test_a_repeated_page_without_page_numbers_is_caught_too(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    same_page = a_page([{"id": "a"}, {"id": "b"}], page_size=2, total_pages=50)
    sandbox.faults.wrong_shape(same_page, operation=LIST_INEXPLICIT, times=None)

    page = await client.inexplicit_number_orders.list(page_size=2)
    with pytest.raises(APIResponseValidationError, match="page 2 holds the same items as page 1"):
        await page.get_next_page()


async def test_a_listing_body_of_the_wrong_shape_is_a_validation_error(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.faults.wrong_shape({"data": {"id": "not-a-list"}}, operation=LIST_SUB_NUMBER_ORDERS)

    with pytest.raises(APIResponseValidationError, match="not the documented shape"):
        await client.sub_number_orders.list()


async def test_per_call_options_apply_to_every_page(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    seed_number_orders(sandbox, 3)

    async for _ in client.number_orders.list(page_size=2, extra_headers={"X-Trace": "t-9"}):
        pass

    assert [request.headers.get("x-trace") for request in sandbox.requests_to(LIST_NUMBER_ORDERS)] == [
        "t-9"
    ] * 2


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"timeout": -1}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"extra_headers": {"X": "a\nb"}}, ValueError),
    ],
)
def test_bad_call_options_are_refused_when_list_is_called(
    sandbox: Sandbox, client: AsyncTelnyx, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        client.inexplicit_number_orders.list(**options)
