"""Number orders: orders for named phone numbers, one sub number order per country and number type.

An order created over HTTP is ``pending`` with all its numbers, and succeeds two lifecycle steps
later (number orders have no processing status). A number held by another account's reservation is not
for sale: Telnyx documents that a reservation gives "exclusive rights to search for and order the reserved
phone number" (https://developers.telnyx.com/docs/numbers/phone-numbers/number-reservations) but no error
for an order of one, so the order is accepted, as every order the spec accepts is, and that number fails
in it: ``status: failure`` from the start, and so does its sub number order once none of its numbers is
left, and the order when none succeeds. A number already sold fails the same way. A number held for
this account is sold to it, ending the hold.
Inexplicit orders place theirs through :func:`place`. A listed order shows only ``id`` and
``phone_number`` of each number, as the spec's ``NumberOrder`` does; a retrieved one shows them whole.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing import _requirements as requirements
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._filters import all_of, count_filter, created_between, equal, flag, text_filters
from telnyx_orders.testing._lifecycle import Stage
from telnyx_orders.testing._numbers import classify
from telnyx_orders.testing._paging import parse_page
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._resources import sub_number_orders
from telnyx_orders.testing._serving import create, list_page, retrieve
from telnyx_orders.testing._validation import E164, Checker, is_uuid

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._filters import Predicate
    from telnyx_orders.testing._state import SandboxState

KIND = "number_orders"
LISTED_PHONE_NUMBER_KEYS = ("id", "phone_number")
"""What a listed number order shows of each number: the spec's ``PhoneNumbersJobPhoneNumber``."""


def document(*, phone_numbers_count: int, now: str) -> JSONDict:
    """A ``NumberOrderWithPhoneNumbers`` without its phone numbers and sub number order ids."""
    return {
        "id": documents.new_id(),
        "record_type": "number_order",
        "billing_group_id": documents.new_id(),
        "connection_id": documents.CONNECTION_ID,
        "customer_reference": documents.CUSTOMER_REFERENCE,
        "messaging_profile_id": documents.new_id(),
        "phone_numbers": [],
        "phone_numbers_count": phone_numbers_count,
        "requirements_met": True,
        "status": "success",
        "sub_number_orders_ids": [],
        "created_at": now,
        "updated_at": now,
    }


@dataclasses.dataclass(frozen=True)
class NumberRequest:
    """One valid ``phone_numbers[]`` entry of a number order."""

    phone_number: str
    bundle_id: str | None = None
    requirement_group_id: str | None = None


@dataclasses.dataclass(frozen=True)
class NumberOrderRequest:
    """A valid ``CreateNumberOrder`` body."""

    phone_numbers: tuple[NumberRequest, ...]
    shared: dict[str, str | None]
    """The :data:`SHARED_FIELDS`, ``None`` when absent."""


def parse(body: Mapping[str, object]) -> NumberOrderRequest:
    """Check a ``CreateNumberOrder`` body; :class:`InvalidBody` lists every problem.

    ``phone_numbers`` may be absent or empty (the spec requires neither): an order of no numbers. A number
    named twice is ordered once, with the first entry's ids. A ``bundle_id`` that is not a uuid names no
    bundle (the spec's ``PhoneNumber.bundle_id`` is ``format: uuid``), so the number is ordered without one.
    """
    checker = Checker()
    numbers: dict[str, NumberRequest] = {}
    for at, item in checker.objects(body, "phone_numbers", required=False):
        number = checker.string(item, "phone_number", at, required=True)
        bundle_id = checker.string(item, "bundle_id", at)
        requirement_group_id = checker.string(item, "requirement_group_id", at)
        # E.164 is no schema keyword but Telnyx documents it: the spec describes the field as
        # "e164_phone_number", as does Telnyx's API reference for "Create a number order"
        # (https://developers.telnyx.com/api/numbers/create-number-order: phone_number, string, required),
        # and Telnyx's error codes include 10016 "Phone number must be in +E.164 format".
        if number is not None and not E164.fullmatch(number):
            checker.report(f"{at}/phone_number", "phone_number must be in E.164 format, e.g. +19705555098.")
        elif number is not None and number not in numbers:
            bundle = bundle_id if bundle_id is not None and is_uuid(bundle_id) else None
            numbers[number] = NumberRequest(number, bundle, requirement_group_id)
    shared = checker.shared(body)
    checker.raise_if_any()
    return NumberOrderRequest(phone_numbers=tuple(numbers.values()), shared=shared)


@dataclasses.dataclass(frozen=True)
class OrderedNumber:
    """A number going into a number order, with the sub number order it belongs to."""

    phone_number: str
    country_code: str
    phone_number_type: str
    bundle_id: str | None = None
    for_sale: bool = True
    """Whether the number can be sold at all; one that cannot fails in the order."""


@dataclasses.dataclass(eq=False)
class PlacedNumberOrder:
    """A stored number order with its sub number orders and phone numbers, ``pending`` until final.

    It is final once its lifecycle is over (:meth:`succeed`) and every sub number order is final: a sub
    number order succeeds as soon as its numbers meet their requirements, or fails when cancelled.
    """

    order: JSONDict
    sub_orders: list[JSONDict]
    phone_numbers: list[JSONDict]
    members: dict[str, list[JSONDict]]
    """The phone numbers of each sub number order, by its id."""
    lifecycle_over: bool = False
    on_final: Callable[[JSONDict, str], None] | None = None
    """Told of the order once it is final, with the moment it became so."""

    def succeed(self, now: str) -> None:
        """End the lifecycle: what meets its requirements succeeds, the rest waits for them."""
        self.lifecycle_over = True
        self.refresh(now)

    def refresh(self, now: str) -> bool:
        """Bring the documents up to date with the requirements given; ``True`` once final."""
        if self.order.get("status") != "pending":
            return True
        for sub in self.sub_orders:
            members = self.members.get(sub["id"], [])
            numbers = [number for number in members if number.get("status") != "failure"]
            met = all(number.get("requirements_met") is True for number in numbers)
            sub.update(
                requirements_met=met, regulatory_requirements=requirements.as_sub_order_requirements(numbers)
            )
            if self.lifecycle_over and not numbers and sub.get("status") == "pending":
                sub.update(status="failure", updated_at=now)
            elif self.lifecycle_over and met and sub.get("status") == "pending":
                sub.update(status="success", updated_at=now)
                for number in numbers:
                    number["status"] = "success"
        self.order["requirements_met"] = all(
            number.get("requirements_met") is True for number in self.phone_numbers
        )
        if not self.lifecycle_over or any(sub.get("status") == "pending" for sub in self.sub_orders):
            return False
        succeeded = not self.sub_orders or any(sub.get("status") == "success" for sub in self.sub_orders)
        self.order.update(status="success" if succeeded else "failure", updated_at=now)
        if self.on_final is not None:
            self.on_final(self.order, now)
        return True


def place(
    state: SandboxState, numbers: Iterable[OrderedNumber], shared: Mapping[str, str | None], now: str
) -> PlacedNumberOrder:
    """Store a pending number order for ``numbers``: one sub number order per (country, type)."""
    order = documents.put(document(phone_numbers_count=0, now=now), shared)
    order["status"] = "pending"
    by_sub_order: dict[tuple[str, str], list[JSONDict]] = {}
    phone_numbers: list[JSONDict] = []
    for number in numbers:
        doc = documents.phone_number(
            number.phone_number,
            country_code=number.country_code,
            phone_number_type=number.phone_number_type,
            status="pending" if number.for_sale else "failure",
            bundle_id=number.bundle_id,
        )
        requirements.prepare(doc)
        phone_numbers.append(doc)
        by_sub_order.setdefault((number.country_code, number.phone_number_type), []).append(doc)
    sub_orders: list[JSONDict] = []
    placed_members: dict[str, list[JSONDict]] = {}
    for (country_code, phone_number_type), members in by_sub_order.items():
        sub = sub_number_orders.document(
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
        sub_number_orders.store(state, sub, members)
        sub_orders.append(sub)
        placed_members[sub["id"]] = members
    order.update(
        phone_numbers=phone_numbers,
        phone_numbers_count=len(phone_numbers),
        sub_number_orders_ids=[sub["id"] for sub in sub_orders],
    )
    state.table(KIND)[order["id"]] = order
    placed = PlacedNumberOrder(
        order, sub_orders, phone_numbers, placed_members, on_final=state.number_order_final
    )
    placed.refresh(now)
    requirements.track(state, order["id"], placed)
    return placed


@dataclasses.dataclass(eq=False)
class _Flight:
    placed: PlacedNumberOrder

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        if stage is Stage.TERMINAL:
            self.placed.succeed(now)


def _create(state: SandboxState, request: NumberOrderRequest, account: str) -> JSONDict:
    """Place the order of ``account`` (an API key)."""
    created_at = datetime.now(timezone.utc)
    numbers: list[OrderedNumber] = []
    for number in request.phone_numbers:
        for_sale = state.for_sale_to(number.phone_number, account)
        if for_sale:
            state.sell(number.phone_number)
        country_code, phone_number_type = classify(number.phone_number)
        numbers.append(
            OrderedNumber(number.phone_number, country_code, phone_number_type, number.bundle_id, for_sale)
        )
    placed = place(state, numbers, request.shared, documents.timestamp(created_at))
    state.lifecycle.start(_Flight(placed), created_at)
    return placed.order


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a number order with one linked sub number order holding its phone numbers.

    ``overrides`` replace top-level keys verbatim. Overriding ``sub_number_orders_ids`` skips
    creating the sub number order; overriding ``phone_numbers`` keeps the given list.
    """
    count = sub_number_orders.seed_count(overrides.get("phone_numbers_count", 1))
    doc = document(phone_numbers_count=count, now=documents.timestamp())
    doc.update(overrides)
    key = documents.check_key(doc)
    if "sub_number_orders_ids" in overrides:
        numbers = [sub_number_orders.new_phone_number(state, doc) for _ in range(count)]
    else:
        sub = sub_number_orders.seed(
            state,
            order_request_id=key,
            phone_numbers_count=count,
            **{k: doc[k] for k in ("customer_reference", "requirements_met", "status", "created_at")},
            updated_at=doc["created_at"],
        )
        doc["sub_number_orders_ids"] = [sub["id"]]
        numbers = list(sub_number_orders.phone_numbers(state, sub["id"]))
    if "phone_numbers" not in overrides:
        doc["phone_numbers"] = numbers
    state.table(KIND)[key] = doc
    return doc


def _filter(query: Mapping[str, str]) -> Predicate:
    """``ListNumberOrders``: ``status``, ``created_at[gt]``/``[lt]`` (strict), ``phone_numbers_count``,
    ``customer_reference``, ``requirements_met``; all must hold.

    ``phone_numbers_count`` is a string in the spec: one that is not a whole number matches no order.
    """
    predicates = text_filters(query, ("status", "customer_reference"))
    predicates += count_filter(query.get("filter[phone_numbers_count]"))
    requirements_met = flag(query, "filter[requirements_met]")
    if requirements_met is not None:
        predicates.append(equal("requirements_met", requirements_met))
    return all_of(predicates + created_between(query))


def _listed_number(number: object) -> object:
    if not isinstance(number, dict):
        return number
    listed = cast("JSONDict", number)
    return {key: listed[key] for key in LISTED_PHONE_NUMBER_KEYS if key in listed}


def _as_listed(_: SandboxState, __: str, doc: JSONDict) -> JSONDict:
    numbers: object = doc.get("phone_numbers")
    if not isinstance(numbers, list):
        return doc
    return {**doc, "phone_numbers": [_listed_number(number) for number in cast("list[object]", numbers)]}


async def _retrieve(request: web.Request) -> web.Response:
    return retrieve(request, KIND, "number_order_id")


async def _list(request: web.Request) -> web.Response:
    page = parse_page(request.query, number_param="page[number]", size_param="page[size]")
    return list_page(request, KIND, page, _filter(request.query), _as_listed)


async def _post(request: web.Request) -> web.Response:
    account = request.app[CONTEXT].api_key
    return await create(request, parse, lambda state, parsed: _create(state, parsed, account))


@dataclasses.dataclass(frozen=True)
class NumberOrderUpdate:
    """A valid ``UpdateNumberOrder`` body."""

    customer_reference: str | None
    values: dict[str, str]


def parse_update(body: Mapping[str, object]) -> NumberOrderUpdate:
    """Check an ``UpdateNumberOrder`` body: an optional ``customer_reference`` and requirement values."""
    checker = Checker()
    customer_reference = checker.string(body, "customer_reference", "")
    checker.raise_if_any()
    return NumberOrderUpdate(customer_reference, requirements.parse_values(body))


def _numbers_of(doc: JSONDict) -> list[JSONDict]:
    numbers: object = doc.get("phone_numbers")
    if not isinstance(numbers, list):
        return []
    return [cast("JSONDict", number) for number in cast("list[object]", numbers) if isinstance(number, dict)]


def _update(state: SandboxState, doc: JSONDict, update: NumberOrderUpdate, now: str) -> JSONDict:
    """Rename the order and give its numbers the requirement values; it completes once all are met."""
    documents.put(doc, {"customer_reference": update.customer_reference, "updated_at": now})
    requirements.fill(_numbers_of(doc), update.values)
    return doc


async def _patch(request: web.Request) -> web.Response:
    return await requirements.change(request, KIND, "number_order_id", parse_update, _update)


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/number_orders", "ListNumberOrders", _list),
        Route("POST", "/number_orders", "CreateNumberOrder", _post),
        Route("GET", "/number_orders/{number_order_id}", "RetrieveNumberOrder", _retrieve),
        Route("PATCH", "/number_orders/{number_order_id}", "UpdateNumberOrder", _patch),
    ),
    seed=seed,
)
