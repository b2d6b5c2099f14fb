"""Inexplicit number orders: N numbers by country, type and area code, in ordering groups.

An order takes its numbers from the inventory when it is created, and every group is ``pending``.
One lifecycle step later each group is ``processing``, and a group whose allocation is not empty places
a number order (one sub number order, ``count_allocated`` invented numbers). One step after that each
group ends ``success``, ``partial_success`` or ``failed`` as its allocation decided, and its number
order succeeds with it. ``GET /inexplicit_number_orders`` pages with flat ``page_number``/``page_size``.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._inventory import NOT_ENOUGH_INVENTORY, Allocation, PoolKey
from telnyx_orders.testing._lifecycle import Stage
from telnyx_orders.testing._paging import parse_page
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._resources import number_orders
from telnyx_orders.testing._serving import create, list_page, retrieve
from telnyx_orders.testing._validation import (
    COUNTRIES,
    STRATEGIES,
    Checker,
    Strategy,
    json_array,
    json_object,
    quantity,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

KIND = "inexplicit_number_orders"
_SHARED = ("connection_id", "messaging_profile_id", "billing_group_id", "customer_reference")
"""What a seeded order's linked number order copies from it."""


def document(*, now: str) -> JSONDict:
    """An ``InexplicitNumberOrderResponse`` without ordering groups."""
    return {
        "id": documents.new_id(),
        "connection_id": documents.CONNECTION_ID,
        "messaging_profile_id": documents.new_id(),
        "customer_reference": documents.CUSTOMER_REFERENCE,
        "billing_group_id": documents.new_id(),
        "ordering_groups": [],
        "created_at": now,
        "updated_at": now,
    }


def ordering_group(*, count: int, orders: list[JSONDict], now: str) -> JSONDict:
    """One fulfilled ordering group, with the flat bracketed keys of the response.

    It searched by area code only, so ``phone_number[ends_with]``, ``phone_number[contains]`` and
    ``error_reason`` are absent.
    """
    return {
        "country_iso": "US",
        "phone_number_type": "local",
        "count_requested": count,
        "count_allocated": count,
        "status": "success",
        "national_destination_code": "970",
        "phone_number[starts_with]": "970",
        "administrative_area": "CO",
        "strategy": "always",
        "quickship": False,
        "exclude_held_numbers": False,
        "orders": orders,
        "created_at": now,
        "updated_at": now,
    }


@dataclasses.dataclass(frozen=True)
class OrderingGroupRequest:
    """One valid ``ordering_groups[]`` entry; ``count_requested`` already an integer."""

    country_iso: str
    phone_number_type: str
    count_requested: int
    strategy: Strategy = "always"
    national_destination_code: str | None = None
    administrative_area: str | None = None
    locality: str | None = None
    starts_with: str | None = None
    ends_with: str | None = None
    contains: str | None = None
    features: tuple[str, ...] = ()
    quickship: bool = False
    exclude_held_numbers: bool = False


@dataclasses.dataclass(frozen=True)
class InexplicitNumberOrderRequest:
    """A valid ``CreateInexplicitNumberOrder`` body."""

    ordering_groups: tuple[OrderingGroupRequest, ...]
    shared: dict[str, str | None]
    """The :data:`SHARED_FIELDS`, ``None`` when absent."""


def _features(checker: Checker, group: Mapping[str, object], at: str) -> tuple[str, ...]:
    if "features" not in group:
        return ()
    items = json_array(group["features"])
    if items is None:
        checker.report(f"{at}/features", "features must be an array of strings.")
        return ()
    features: list[str] = []
    for index, feature in enumerate(items):
        if isinstance(feature, str):
            features.append(feature)
        else:
            checker.report(f"{at}/features/{index}", "features must be an array of strings.")
    return tuple(features)


def _search(checker: Checker, group: Mapping[str, object], at: str) -> dict[str, str | None]:
    """The nested ``phone_number{starts_with, ends_with, contains}`` criteria."""
    if "phone_number" not in group:
        return {}
    criteria = json_object(group["phone_number"])
    if criteria is None:
        checker.report(f"{at}/phone_number", "phone_number must be an object.")
        return {}
    return {
        key: checker.string(criteria, key, f"{at}/phone_number")
        for key in ("starts_with", "ends_with", "contains")
    }


def _ordering_group(checker: Checker, group: Mapping[str, object], at: str) -> OrderingGroupRequest:
    country_iso = checker.string(group, "country_iso", at, required=True)
    if country_iso is not None and country_iso not in COUNTRIES:
        checker.report(f"{at}/country_iso", f"country_iso must be one of: {', '.join(COUNTRIES)}.")
    # A plain string in the spec: a type the sandbox does not stock is a group that fails, not a 422.
    phone_number_type = checker.string(group, "phone_number_type", at, required=True)
    count_requested = checker.string(group, "count_requested", at, required=True)
    strategy = checker.string(group, "strategy", at)
    if strategy is not None and strategy not in STRATEGIES:
        checker.report(f"{at}/strategy", f"strategy must be one of: {', '.join(STRATEGIES)}.")
    search = _search(checker, group, at)
    return OrderingGroupRequest(
        country_iso=country_iso or "",
        phone_number_type=phone_number_type or "",
        count_requested=quantity(count_requested or ""),
        strategy="never" if strategy == "never" else "always",
        # Any string: an area code the sandbox has no numbers for is a group that fails, not a 422.
        national_destination_code=checker.string(group, "national_destination_code", at),
        administrative_area=checker.string(group, "administrative_area", at),
        locality=checker.string(group, "locality", at),
        starts_with=search.get("starts_with"),
        ends_with=search.get("ends_with"),
        contains=search.get("contains"),
        features=_features(checker, group, at),
        quickship=checker.boolean(group, "quickship", at),
        exclude_held_numbers=checker.boolean(group, "exclude_held_numbers", at),
    )


def parse(body: Mapping[str, object]) -> InexplicitNumberOrderRequest:
    """Check a ``CreateInexplicitNumberOrder`` body; :class:`InvalidBody` lists every problem.

    ``ordering_groups`` is required but may be empty (the spec sets no ``minItems``): an order of nothing.
    """
    checker = Checker()
    groups = tuple(
        _ordering_group(checker, group, at)
        for at, group in checker.objects(body, "ordering_groups", required=True)
    )
    shared = checker.shared(body)
    checker.raise_if_any()
    return InexplicitNumberOrderRequest(ordering_groups=groups, shared=shared)


@dataclasses.dataclass(eq=False)
class _PlannedGroup:
    doc: JSONDict
    request: OrderingGroupRequest
    allocation: Allocation
    placed: number_orders.PlacedNumberOrder | None = None

    def process(self, state: SandboxState, shared: Mapping[str, str | None], now: str) -> None:
        self.doc.update(status="processing", count_allocated=self.allocation.count, updated_at=now)
        if self.allocation.count == 0:
            return
        request = self.request
        numbers = [
            number_orders.OrderedNumber(
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
        self.placed = number_orders.place(state, numbers, shared, now)
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
class _Flight:
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


def _group_document(group: OrderingGroupRequest, now: str) -> JSONDict:
    doc = ordering_group(count=group.count_requested, orders=[], now=now)
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


def _create(state: SandboxState, request: InexplicitNumberOrderRequest) -> JSONDict:
    created_at = datetime.now(timezone.utc)
    now = documents.timestamp(created_at)
    order = documents.put(document(now=now), request.shared)
    groups: list[_PlannedGroup] = []
    for group in request.ordering_groups:
        key = PoolKey(group.country_iso, group.phone_number_type, group.national_destination_code)
        allocation = state.inventory_pools.allocate(key, group.count_requested, group.strategy)
        groups.append(_PlannedGroup(_group_document(group, now), group, allocation))
    order["ordering_groups"] = [group.doc for group in groups]
    state.table(KIND)[order["id"]] = order
    state.lifecycle.start(_Flight(order, groups, request.shared), created_at)
    return order


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a fulfilled inexplicit number order with one ordering group.

    The group's ``orders`` link to a number order and a sub number order created with it.
    ``overrides`` replace top-level keys verbatim; overriding ``ordering_groups`` skips creating
    the linked orders.
    """
    now = documents.timestamp()
    doc = document(now=now)
    doc.update(overrides)
    key = documents.check_key(doc)
    if "ordering_groups" not in overrides:
        number_order = number_orders.seed(
            state, phone_numbers_count=1, created_at=now, updated_at=now, **{k: doc[k] for k in _SHARED}
        )
        link = {
            "number_order_id": number_order["id"],
            "sub_number_order_ids": list(number_order["sub_number_orders_ids"]),
        }
        doc["ordering_groups"] = [ordering_group(count=1, orders=[link], now=now)]
    state.table(KIND)[key] = doc
    return doc


async def _retrieve(request: web.Request) -> web.Response:
    return retrieve(request, KIND, "id")


async def _list(request: web.Request) -> web.Response:
    page = parse_page(request.query, number_param="page_number", size_param="page_size")
    return list_page(request, KIND, page)


async def _post(request: web.Request) -> web.Response:
    return await create(request, parse, _create)


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/inexplicit_number_orders", "ListInexplicitNumberOrders", _list),
        Route("POST", "/inexplicit_number_orders", "CreateInexplicitNumberOrder", _post),
        Route("GET", "/inexplicit_number_orders/{id}", "RetrieveInexplicitNumberOrder", _retrieve),
    ),
    seed=seed,
)
