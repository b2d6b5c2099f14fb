"""The blocking client's static types, for mypy and pyright: nothing here is called.

Checked with `--python-version 3.11` (the first with `typing.assert_type`), by the typecheck session and by
`tests/test_codegen.py` when the checkers are installed. A `# type: ignore[...]` marks a call that must
be rejected: mypy's strict mode and pyright (told to below) both fail on an ignore that is not needed.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import sys

import telnyx_orders.resources
import telnyx_orders.types
from telnyx_orders import APIResponse, AsyncPage, AsyncPaginator, AsyncTelnyx, SyncPage, Telnyx, Timeout
from telnyx_orders._sync.resources import (
    AvailablePhoneNumberBlocks,
    AvailablePhoneNumbers,
    InexplicitNumberOrders,
    NumberBlockOrders,
    NumberOrderPhoneNumbers,
    NumberOrders,
    NumberReservations,
    SubNumberOrders,
    SubNumberOrdersReports,
    Webhooks,
)
from telnyx_orders.resources import (
    AsyncAvailablePhoneNumberBlocks,
    AsyncAvailablePhoneNumbers,
    AsyncInexplicitNumberOrders,
    AsyncNumberBlockOrders,
    AsyncNumberOrderPhoneNumbers,
    AsyncNumberOrders,
    AsyncNumberReservations,
    AsyncSubNumberOrders,
    AsyncSubNumberOrdersReports,
    AsyncWebhooks,
)
from telnyx_orders.types import (
    Envelope,
    Fulfillment,
    InexplicitNumberOrder,
    NumberOrder,
    NumberOrderWebhookEvent,
    NumberOrderWithPhoneNumbers,
    OrderingGroupDict,
    OrderingGroupParams,
    PaginationMeta,
    SubNumberOrder,
)

if sys.version_info >= (3, 11):
    from typing import assert_type


def retrieve_returns_the_envelopes_async_telnyx_awaits(client: Telnyx) -> None:
    assert_type(Telnyx(api_key="k").inexplicit_number_orders.retrieve("x"), Envelope[InexplicitNumberOrder])
    assert_type(client.number_orders.retrieve("x", timeout=5), Envelope[NumberOrderWithPhoneNumbers])
    assert_type(client.sub_number_orders.retrieve("x", include_phone_numbers=True), Envelope[SubNumberOrder])


async def the_async_client_agrees(client: AsyncTelnyx) -> None:
    assert_type(await client.inexplicit_number_orders.retrieve("x"), Envelope[InexplicitNumberOrder])


def the_workflow_returns_models_and_pages(client: Telnyx) -> None:
    group = OrderingGroupParams(country_iso="US", phone_number_type="local", count_requested=2)
    as_dict: OrderingGroupDict = {"country_iso": "CA", "phone_number_type": "local", "count_requested": 1}
    created = client.inexplicit_number_orders.create(ordering_groups=[group, as_dict])
    assert_type(created, Envelope[InexplicitNumberOrder])
    assert_type(
        client.number_orders.create(phone_numbers=["+13125550100"]), Envelope[NumberOrderWithPhoneNumbers]
    )
    assert_type(client.inexplicit_number_orders.wait("x", timeout=30), InexplicitNumberOrder)
    assert_type(client.inexplicit_number_orders.retrieve_fulfillment("x"), Fulfillment)
    page = client.number_orders.list(status="pending", page_size=50)
    assert_type(page, SyncPage[NumberOrder])
    assert_type(page.data, tuple[NumberOrder, ...])
    assert_type(page.meta, PaginationMeta | None)
    assert_type(page.get_next_page(), SyncPage[NumberOrder])
    for order in page:
        assert_type(order, NumberOrder)
    for sub in client.sub_number_orders.list():
        assert_type(sub, SubNumberOrder)


async def the_async_workflow_awaits_and_iterates(client: AsyncTelnyx) -> None:
    paginator = client.inexplicit_number_orders.list(page_size=10)
    assert_type(paginator, AsyncPaginator[InexplicitNumberOrder])
    assert_type(await paginator, AsyncPage[InexplicitNumberOrder])
    async for order in paginator:
        assert_type(order, InexplicitNumberOrder)
    async for page in paginator.iter_pages():
        assert_type(page, AsyncPage[InexplicitNumberOrder])
        assert_type(await page.get_next_page(), AsyncPage[InexplicitNumberOrder])


def the_client_and_its_copies_are_blocking_clients(client: Telnyx) -> None:
    assert_type(client.with_options(timeout=Timeout(total=5)), Telnyx)
    with Telnyx(api_key="k", base_url="http://127.0.0.1:8080/v2") as entered:
        assert_type(entered, Telnyx)
    assert_type(client.inexplicit_number_orders, InexplicitNumberOrders)
    assert_type(client.number_orders, NumberOrders)
    assert_type(client.sub_number_orders, SubNumberOrders)
    assert_type(client.timeout, Timeout)
    assert_type(client.max_retries, int)
    assert_type(client.is_closed, bool)
    assert_type(client.close(), None)


def every_resource_keeps_its_type_on_both_clients(client: Telnyx, async_client: AsyncTelnyx) -> None:
    # Built on first access (cached properties), typed as the attributes they were.
    assert_type(async_client.inexplicit_number_orders, AsyncInexplicitNumberOrders)
    assert_type(async_client.number_orders, AsyncNumberOrders)
    assert_type(async_client.sub_number_orders, AsyncSubNumberOrders)
    assert_type(async_client.number_order_phone_numbers, AsyncNumberOrderPhoneNumbers)
    assert_type(async_client.sub_number_orders_report, AsyncSubNumberOrdersReports)
    assert_type(async_client.available_phone_numbers, AsyncAvailablePhoneNumbers)
    assert_type(async_client.available_phone_number_blocks, AsyncAvailablePhoneNumberBlocks)
    assert_type(async_client.number_reservations, AsyncNumberReservations)
    assert_type(async_client.number_block_orders, AsyncNumberBlockOrders)
    assert_type(async_client.webhooks, AsyncWebhooks)
    assert_type(client.number_order_phone_numbers, NumberOrderPhoneNumbers)
    assert_type(client.sub_number_orders_report, SubNumberOrdersReports)
    assert_type(client.available_phone_numbers, AvailablePhoneNumbers)
    assert_type(client.available_phone_number_blocks, AvailablePhoneNumberBlocks)
    assert_type(client.number_reservations, NumberReservations)
    assert_type(client.number_block_orders, NumberBlockOrders)
    assert_type(client.webhooks, Webhooks)


def the_packages_names_are_only_those_they_define() -> tuple[object, ...]:
    # They import their names on first use, with a `__getattr__` that type checkers do not see.
    return (
        telnyx_orders.NoSuchClient,  # type: ignore[attr-defined]
        telnyx_orders.types.NoSuchModel,  # type: ignore[attr-defined]
        telnyx_orders.resources.AsyncNoSuchResource,  # type: ignore[attr-defined]
    )


def wrong_arguments_are_rejected(client: Telnyx) -> None:
    client.number_orders.retrieve(42)  # type: ignore[arg-type]
    client.number_orders.retrieve("x", 5)  # type: ignore[call-arg]
    client.sub_number_orders.retrieve("x", include_phone_numbers="yes")  # type: ignore[arg-type]
    Telnyx("k", "http://127.0.0.1/v2")  # type: ignore[call-arg]
    client.with_options(max_connections=1)  # type: ignore[call-arg]
    client.inexplicit_number_orders.create(ordering_groups=[{"country_iso": "US"}])  # type: ignore[list-item]
    client.number_orders.list(page_size="50")  # type: ignore[arg-type]
    client.inexplicit_number_orders.wait("x", poll_interval="1")  # type: ignore[arg-type]


def raw_responses_parse_to_what_the_plain_calls_return(client: Telnyx) -> None:
    raw = client.number_orders.with_raw_response.retrieve("x")
    assert_type(raw, APIResponse[Envelope[NumberOrderWithPhoneNumbers]])
    assert_type(raw.parse(), Envelope[NumberOrderWithPhoneNumbers])
    assert_type(raw.request_id, str | None)
    assert_type(raw.retries_taken, int)
    assert_type(raw.elapsed, float)
    assert_type(raw.status_code, int)
    created = client.inexplicit_number_orders.with_raw_response.create(ordering_groups=[])
    assert_type(created.parse(), Envelope[InexplicitNumberOrder])
    page = client.sub_number_orders.with_raw_response.list().parse()
    assert_type(page, SyncPage[SubNumberOrder])
    client.inexplicit_number_orders.with_raw_response.wait("x")  # type: ignore[attr-defined]


async def async_raw_responses_parse_to_what_the_plain_calls_return(client: AsyncTelnyx) -> None:
    raw = await client.sub_number_orders.with_raw_response.retrieve("x", include_phone_numbers=True)
    assert_type(raw.parse(), Envelope[SubNumberOrder])
    page = (await client.number_orders.with_raw_response.list(page_size=10)).parse()
    assert_type(page, AsyncPage[NumberOrder])
    assert_type(await page.get_next_page(), AsyncPage[NumberOrder])


def webhooks_unwrap_in_place_on_both_clients(client: Telnyx, async_client: AsyncTelnyx) -> None:
    headers = {"telnyx-signature-ed25519": "s", "telnyx-timestamp": "1"}
    assert_type(client.webhooks.unwrap(b"{}", headers=headers), NumberOrderWebhookEvent)
    assert_type(async_client.webhooks.unwrap("{}", headers=[("a", "b")], now=1.0), NumberOrderWebhookEvent)
    assert_type(client.webhooks.unsafe_unwrap("{}").data.payload, NumberOrderWithPhoneNumbers)
    client.webhooks.unwrap({}, headers=headers)  # type: ignore[arg-type]
    client.webhooks.unwrap("{}")  # type: ignore[call-arg]
