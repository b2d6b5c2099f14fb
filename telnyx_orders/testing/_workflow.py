"""The ordering workflow: creating orders from valid requests, and what each lifecycle stage does to them.

An inexplicit order takes its numbers from the inventory when it is created; each ordering group
whose allocation is not empty places a number order (one sub number order, ``count_allocated``
invented numbers) when it starts processing, and that number order succeeds with the group. A number
order created directly succeeds after the same two steps (number orders have no processing status).
Callers hold the state lock.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._inventory import NOT_ENOUGH_INVENTORY, Allocation, PoolKey
from telnyx_orders.testing._lifecycle import Stage
from telnyx_orders.testing._numbers import classify

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState
    from telnyx_orders.testing._validation import (
        InexplicitNumberOrderRequest,
        NumberOrderRequest,
        OrderingGroupRequest,
    )


@dataclasses.dataclass(frozen=True)
class OrderedNumber:
    """A number going into a number order, with the sub number order it belongs to."""

    phone_number: str
    country_code: str
    phone_number_type: str
    bundle_id: str | None = None


@dataclasses.dataclass(frozen=True)
class PlacedNumberOrder:
    """A stored number order with its sub number orders and phone numbers, all ``pending``."""

    order: JSONDict
    sub_orders: list[JSONDict]
    phone_numbers: list[JSONDict]

    def succeed(self, now: str) -> None:
        """Mark the order, its sub number orders and its phone numbers ``success``."""
        for doc in (self.order, *self.sub_orders):
            doc.update(status="success", updated_at=now)
        for number in self.phone_numbers:
            number["status"] = "success"


def place_number_order(
    state: SandboxState, numbers: Iterable[OrderedNumber], shared: Mapping[str, str | None], now: str
) -> PlacedNumberOrder:
    """Store a pending number order for ``numbers``: one sub number order per (country, type)."""
    order = documents.put(documents.number_order(phone_numbers_count=0, now=now), shared)
    order["status"] = "pending"
    by_sub_order: dict[tuple[str, str], list[JSONDict]] = {}
    phone_numbers: list[JSONDict] = []
    for number in numbers:
        doc = documents.phone_number(
            number.phone_number,
            country_code=number.country_code,
            phone_number_type=number.phone_number_type,
            status="pending",
            bundle_id=number.bundle_id,
        )
        phone_numbers.append(doc)
        by_sub_order.setdefault((number.country_code, number.phone_number_type), []).append(doc)
    sub_orders: list[JSONDict] = []
    for (country_code, phone_number_type), members in by_sub_order.items():
        sub = documents.sub_number_order(
            order_request_id=order["id"], phone_numbers_count=len(members), now=now
        )
        documents.put(
            sub,
            {
                "country_code": country_code,
                "phone_number_type": phone_number_type,
                "customer_reference": shared.get("customer_reference"),
                "status": "pending",
            },
        )
        state.sub_number_orders[sub["id"]] = sub
        state.sub_number_order_phone_numbers[sub["id"]] = members
        sub_orders.append(sub)
    order.update(
        phone_numbers=phone_numbers,
        phone_numbers_count=len(phone_numbers),
        sub_number_orders_ids=[sub["id"] for sub in sub_orders],
    )
    state.number_orders[order["id"]] = order
    return PlacedNumberOrder(order, sub_orders, phone_numbers)


@dataclasses.dataclass(eq=False)
class _PlannedGroup:
    doc: JSONDict
    request: OrderingGroupRequest
    allocation: Allocation
    placed: PlacedNumberOrder | None = None

    def process(self, state: SandboxState, shared: Mapping[str, str | None], now: str) -> None:
        self.doc.update(status="processing", count_allocated=self.allocation.count, updated_at=now)
        if self.allocation.count == 0:
            return
        request = self.request
        numbers = [
            OrderedNumber(
                state.numbers.generate(
                    request.country_iso,
                    request.phone_number_type,
                    national_destination_code=request.national_destination_code,
                    starts_with=request.starts_with,
                    ends_with=request.ends_with,
                    contains=request.contains,
                ),
                request.country_iso,
                request.phone_number_type,
            )
            for _ in range(self.allocation.count)
        ]
        self.placed = place_number_order(state, numbers, shared, now)
        self.doc["orders"] = [
            {
                "number_order_id": self.placed.order["id"],
                "sub_number_order_ids": list(self.placed.order["sub_number_orders_ids"]),
            }
        ]

    def finish(self, now: str) -> None:
        outcome = self.allocation.outcome
        documents.put(
            self.doc,
            {
                "status": outcome,
                "error_reason": NOT_ENOUGH_INVENTORY if outcome == "failed" else None,
                "updated_at": now,
            },
        )
        if self.placed is not None:
            self.placed.succeed(now)


@dataclasses.dataclass(eq=False)
class _InexplicitOrderFlight:
    order: JSONDict
    groups: list[_PlannedGroup]
    shared: Mapping[str, str | None]

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        for group in self.groups:
            if stage is Stage.PROCESSING:
                group.process(state, self.shared, now)
            else:
                group.finish(now)
        self.order["updated_at"] = now


@dataclasses.dataclass(eq=False)
class _NumberOrderFlight:
    placed: PlacedNumberOrder

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        if stage is Stage.TERMINAL:
            self.placed.succeed(now)


def _group_document(group: OrderingGroupRequest, now: str) -> JSONDict:
    doc = documents.ordering_group(count=group.count_requested, orders=[], now=now)
    return documents.put(
        doc,
        {
            "country_iso": group.country_iso,
            "phone_number_type": group.phone_number_type,
            "count_allocated": 0,
            "status": "pending",
            "national_destination_code": group.national_destination_code,
            "phone_number[starts_with]": group.starts_with,
            "phone_number[ends_with]": group.ends_with,
            "phone_number[contains]": group.contains,
            "administrative_area": group.administrative_area,
            "strategy": group.strategy,
            "quickship": group.quickship,
            "exclude_held_numbers": group.exclude_held_numbers,
        },
    )


def create_inexplicit_number_order(state: SandboxState, request: InexplicitNumberOrderRequest) -> JSONDict:
    """Store a pending inexplicit order, allocating each group's numbers from the inventory now."""
    created_at = datetime.now(timezone.utc)
    now = documents.timestamp(created_at)
    order = documents.put(documents.inexplicit_number_order(now=now), request.shared)
    groups: list[_PlannedGroup] = []
    for group in request.ordering_groups:
        key = PoolKey(group.country_iso, group.phone_number_type, group.national_destination_code)
        allocation = state.inventory_pools.allocate(key, group.count_requested, group.strategy)
        groups.append(_PlannedGroup(_group_document(group, now), group, allocation))
    order["ordering_groups"] = [group.doc for group in groups]
    state.inexplicit_number_orders[order["id"]] = order
    state.lifecycle.start(_InexplicitOrderFlight(order, groups, request.shared), created_at)
    return order


def create_number_order(state: SandboxState, request: NumberOrderRequest) -> JSONDict:
    """Store a pending number order for the requested numbers."""
    created_at = datetime.now(timezone.utc)
    numbers: list[OrderedNumber] = []
    for number in request.phone_numbers:
        state.numbers.claim(number.phone_number)
        country_code, phone_number_type = classify(number.phone_number)
        numbers.append(OrderedNumber(number.phone_number, country_code, phone_number_type, number.bundle_id))
    placed = place_number_order(state, numbers, request.shared, documents.timestamp(created_at))
    state.lifecycle.start(_NumberOrderFlight(placed), created_at)
    return placed.order
