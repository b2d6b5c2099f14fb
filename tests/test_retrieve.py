"""Retrieving orders: what goes on the wire and what comes back."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from telnyx_orders import AsyncTelnyx
from telnyx_orders.testing import Sandbox
from telnyx_orders.types import (
    Envelope,
    InexplicitNumberOrder,
    NumberOrderWithPhoneNumbers,
    OrderingGroupStatus,
    OrderingStrategy,
    OrderLink,
    OrderStatus,
    PhoneNumberType,
    SubNumberOrder,
)

SEED_ID = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"

# The response printed on the page that started the project, verbatim.
SEED_DOCUMENT = {
    "id": SEED_ID,
    "connection_id": "<string>",
    "messaging_profile_id": "<string>",
    "customer_reference": "<string>",
    "billing_group_id": "<string>",
    "ordering_groups": [
        {
            "country_iso": "<string>",
            "phone_number_type": "<string>",
            "count_requested": 123,
            "count_allocated": 123,
            "status": "pending",
            "national_destination_code": "<string>",
            "phone_number[starts_with]": "<string>",
            "phone_number[ends_with]": "<string>",
            "phone_number[contains]": "<string>",
            "administrative_area": "<string>",
            "strategy": "always",
            "quickship": True,
            "exclude_held_numbers": True,
            "error_reason": "<string>",
            "orders": [
                {
                    "number_order_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
                    "sub_number_order_ids": ["3c90c3cc-0d44-4b50-8888-8dd25736052a"],
                }
            ],
            "created_at": "2023-11-07T05:31:56Z",
            "updated_at": "2023-11-07T05:31:56Z",
        }
    ],
    "created_at": "2023-11-07T05:31:56Z",
    "updated_at": "2023-11-07T05:31:56Z",
}


async def test_the_seed_pages_example_retrieves_a_typed_order(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    sandbox.seed_raw("inexplicit_number_orders", SEED_DOCUMENT)

    response = await client.inexplicit_number_orders.retrieve(SEED_ID)

    assert isinstance(response, Envelope)
    order = response.data
    assert isinstance(order, InexplicitNumberOrder)
    assert order.id == SEED_ID
    assert order.customer_reference == "<string>"
    assert order.created_at == datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)
    assert order.ordering_groups is not None
    (group,) = order.ordering_groups
    assert group.count_requested == 123
    assert group.status is OrderingGroupStatus.PENDING
    assert group.status == "pending"
    assert group.strategy is OrderingStrategy.ALWAYS
    assert group.phone_number_starts_with == "<string>"
    assert group.phone_number_ends_with == "<string>"
    assert group.phone_number_contains == "<string>"
    assert group.quickship is True
    assert group.orders == (
        OrderLink(
            number_order_id="3c90c3cc-0d44-4b50-8888-8dd25736052a",
            sub_number_order_ids=("3c90c3cc-0d44-4b50-8888-8dd25736052a",),
        ),
    )


async def test_retrieve_sends_bearer_auth_json_accept_and_a_user_agent(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    order = sandbox.add_inexplicit_number_order()

    await client.inexplicit_number_orders.retrieve(order["id"])

    (request,) = sandbox.requests_to("RetrieveInexplicitNumberOrder")
    assert request.method == "GET"
    assert request.path == f"/v2/inexplicit_number_orders/{order['id']}"
    assert request.headers["authorization"] == f"Bearer {sandbox.api_key}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("telnyx-orders/")


async def test_number_order_retrieve_returns_its_phone_numbers(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    stored = sandbox.add_number_order()

    response = await client.number_orders.retrieve(stored["id"])

    assert isinstance(response.data, NumberOrderWithPhoneNumbers)
    assert response.data.id == stored["id"]
    assert response.data.status is OrderStatus.SUCCESS
    assert response.data.phone_numbers is not None
    assert [number.phone_number for number in response.data.phone_numbers] == [
        number["phone_number"] for number in stored["phone_numbers"]
    ]


async def test_sub_number_order_includes_phone_numbers_only_when_asked(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    stored = sandbox.add_sub_number_order(phone_numbers_count=3)

    plain = await client.sub_number_orders.retrieve(stored["id"])
    detailed = await client.sub_number_orders.retrieve(stored["id"], include_phone_numbers=True)

    assert isinstance(plain.data, SubNumberOrder)
    assert plain.data.phone_numbers is None
    assert detailed.data is not None
    assert detailed.data.phone_numbers is not None
    assert len(detailed.data.phone_numbers) == 3
    first, second = sandbox.requests_to("GetSubNumberOrder")
    assert first.query == []
    assert second.query == [("filter[include_phone_numbers]", "true")]


async def test_include_phone_numbers_false_is_sent_explicitly(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    stored = sandbox.add_sub_number_order()

    await client.sub_number_orders.retrieve(stored["id"], include_phone_numbers=False)

    (request,) = sandbox.requests_to("GetSubNumberOrder")
    assert request.query == [("filter[include_phone_numbers]", "false")]


async def test_unknown_enum_values_are_kept_not_rejected(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    stored = sandbox.add_inexplicit_number_order(
        ordering_groups=[{"status": "on_hold", "strategy": "sometimes", "phone_number_type": "satellite"}]
    )

    order = (await client.inexplicit_number_orders.retrieve(stored["id"])).data

    assert order is not None
    assert order.ordering_groups is not None
    group = order.ordering_groups[0]
    assert group.status == "on_hold"
    assert isinstance(group.status, OrderingGroupStatus)
    assert group.status is not None
    assert not group.status.is_known
    assert not group.status.is_terminal
    assert group.strategy == "sometimes"
    assert group.phone_number_type == "satellite"
    assert isinstance(group.phone_number_type, PhoneNumberType)


async def test_extra_keys_are_ignored_and_missing_fields_are_none(
    sandbox: Sandbox, client: AsyncTelnyx
) -> None:
    sandbox.seed_raw("inexplicit_number_orders", {"id": "sparse", "brand_new_field": {"nested": [1, 2]}})

    order = (await client.inexplicit_number_orders.retrieve("sparse")).data

    assert order == InexplicitNumberOrder(id="sparse")
    assert order.ordering_groups is None
    assert order.created_at is None


@pytest.mark.parametrize(
    ("order_id", "wire_segment"),
    [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("what?", "what%3F"),
        ("frag#ment", "frag%23ment"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
    ],
)
async def test_an_id_never_leaves_its_path_segment(
    sandbox: Sandbox, client: AsyncTelnyx, order_id: str, wire_segment: str
) -> None:
    sandbox.seed_raw("inexplicit_number_orders", {"id": order_id}, id=order_id)

    order = (await client.inexplicit_number_orders.retrieve(order_id)).data

    assert order is not None
    assert order.id == order_id
    (request,) = sandbox.requests_to("RetrieveInexplicitNumberOrder")
    assert request.raw_path == f"/v2/inexplicit_number_orders/{wire_segment}"
    assert request.operation == "RetrieveInexplicitNumberOrder"


@pytest.mark.parametrize("bad_id", ["", "   ", ".", "..", "line\nbreak", "carriage\rreturn", "nul\x00"])
async def test_a_bad_id_is_refused_before_any_request(
    sandbox: Sandbox, client: AsyncTelnyx, bad_id: str
) -> None:
    with pytest.raises(ValueError, match="id"):
        await client.inexplicit_number_orders.retrieve(bad_id)
    with pytest.raises(ValueError, match="number_order_id"):
        await client.number_orders.retrieve(bad_id)
    with pytest.raises(ValueError, match="sub_number_order_id"):
        await client.sub_number_orders.retrieve(bad_id)

    assert sandbox.requests == []


async def test_a_non_string_id_is_a_type_error(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    with pytest.raises(TypeError, match="id must be a str"):
        await client.inexplicit_number_orders.retrieve(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="include_phone_numbers must be a bool"):
        await client.sub_number_orders.retrieve("x", include_phone_numbers="yes")  # type: ignore[arg-type]

    assert sandbox.requests == []


async def test_extra_headers_go_on_the_wire_for_that_call_only(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    order = sandbox.add_inexplicit_number_order()

    await client.inexplicit_number_orders.retrieve(order["id"], extra_headers={"X-Trace": "abc"})
    await client.inexplicit_number_orders.retrieve(order["id"])

    first, second = sandbox.requests_to("RetrieveInexplicitNumberOrder")
    assert first.headers["x-trace"] == "abc"
    assert "x-trace" not in second.headers


async def test_a_header_value_with_a_line_break_is_refused(sandbox: Sandbox, client: AsyncTelnyx) -> None:
    with pytest.raises(ValueError, match="control characters"):
        await client.inexplicit_number_orders.retrieve("x", extra_headers={"X-Evil": "a\r\nInjected: 1"})

    assert sandbox.requests == []
