"""The ordering workflow through the blocking client: create, list, wait, and what the order produced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from telnyx_orders import SyncPage, Telnyx, UnprocessableEntityError, WaitTimeoutError
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import Fulfillment, InexplicitNumberOrder, NumberOrder, OrderingGroupStatus

LIST_NUMBER_ORDERS = "ListNumberOrders"
TWO_LOCAL: dict[str, Any] = {"country_iso": "US", "phone_number_type": "local", "count_requested": 2}


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox(lifecycle_step=0.01).serve_in_thread() as running:
        yield running


@pytest.fixture
def sandbox(server: Sandbox) -> Iterator[Sandbox]:
    yield server
    server.reset()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Telnyx]:
    with Telnyx(sandbox.api_key, base_url=sandbox.base_url, max_retries=0) as client:
        yield client
    assert [thread for thread in threading.enumerate() if thread.name == "telnyx-orders-loop"] == []


def test_create_wait_and_collect_the_numbers(client: Telnyx, sandbox: Sandbox) -> None:
    created = client.inexplicit_number_orders.create(ordering_groups=[TWO_LOCAL], customer_reference="script")
    assert created.data is not None
    assert created.data.id is not None
    progress: list[str] = []

    order = client.inexplicit_number_orders.wait(
        created.data.id,
        poll_interval=0.01,
        on_progress=lambda seen: progress.append(threading.current_thread().name),
    )
    fulfillment = client.inexplicit_number_orders.retrieve_fulfillment(order)

    assert isinstance(order, InexplicitNumberOrder)
    assert order.ordering_groups is not None
    assert order.ordering_groups[0].status is OrderingGroupStatus.SUCCESS
    assert progress
    assert set(progress) == {"telnyx-orders-loop"}, "the callback runs on the client's loop thread"
    assert isinstance(fulfillment, Fulfillment)
    assert len(fulfillment.phone_numbers) == 2
    assert (
        client.number_orders.retrieve(fulfillment.number_orders[0].id or "").data
        == fulfillment.number_orders[0]
    )


def test_list_returns_the_first_page_and_for_walks_every_page(client: Telnyx, sandbox: Sandbox) -> None:
    ids = [sandbox.add_number_order()["id"] for _ in range(5)]

    page = client.number_orders.list(page_size=2)

    assert isinstance(page, SyncPage)
    assert all(isinstance(order, NumberOrder) for order in page.data)
    assert [order.id for order in page.data] == ids[:2]
    assert page.number == 1
    assert page.meta is not None
    assert page.meta.total_pages == 3
    assert page.has_next_page()
    assert [order.id for order in page] == ids
    assert [len(each.data) for each in page.iter_pages()] == [2, 2, 1]
    last = page.get_next_page().get_next_page()
    assert [order.id for order in last.data] == ids[4:]
    assert not last.has_next_page()
    assert "SyncPage 3: 1 items" in repr(last)


def test_stopping_early_fetches_no_more_pages(client: Telnyx, sandbox: Sandbox) -> None:
    for _ in range(6):
        sandbox.add_number_order()

    page = client.number_orders.list(page_size=2)
    for _ in page:
        break
    for _ in page.iter_pages():
        break

    assert len(sandbox.requests_to(LIST_NUMBER_ORDERS)) == 1


def test_errors_and_bad_arguments_surface_in_the_calling_thread(client: Telnyx, sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="page_size must be from 1 to 250"):
        client.inexplicit_number_orders.list(page_size=1000)
    with pytest.raises(TypeError, match="count_requested must be an int"):
        client.inexplicit_number_orders.create(ordering_groups=[{**TWO_LOCAL, "count_requested": "2"}])
    with pytest.raises(UnprocessableEntityError):
        client.inexplicit_number_orders.create(ordering_groups=[{**TWO_LOCAL, "country_iso": "FR"}])
    with pytest.raises(ValueError, match="last page"):
        client.sub_number_orders.list().get_next_page()

    assert [request.operation for request in sandbox.requests] == [
        "CreateInexplicitNumberOrder",
        "ListSubNumberOrders",
    ]


def test_a_wait_out_of_time_raises_in_the_calling_thread(client: Telnyx, sandbox: Sandbox) -> None:
    sandbox.lifecycle_step = 60.0
    try:
        created = client.inexplicit_number_orders.create(ordering_groups=[TWO_LOCAL])
        assert created.data is not None
        assert created.data.id is not None

        with pytest.raises(WaitTimeoutError) as timed_out:
            client.inexplicit_number_orders.wait(created.data.id, timeout=0.1, poll_interval=0.02)
    finally:
        sandbox.lifecycle_step = 0.01

    assert timed_out.value.last_seen is not None
    assert timed_out.value.last_seen.id == created.data.id


def test_a_number_order_is_created_through_the_blocking_client(client: Telnyx, sandbox: Sandbox) -> None:
    order = client.number_orders.create(phone_numbers=["+13125550100"]).data

    assert order is not None
    assert order.phone_numbers is not None
    assert [number.phone_number for number in order.phone_numbers] == ["+13125550100"]
    listed = client.sub_number_orders.list(order_request_id=order.id)
    assert [sub.id for sub in listed] == list(order.sub_number_orders_ids or ())
