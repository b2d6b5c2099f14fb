"""Sub number orders: the part of a number order for one country and number type.

``GET /sub_number_orders`` declares no paging, so every match comes on one page; with
``filter[include_phone_numbers]=true`` each order (listed or retrieved) carries its first 50
``phone_numbers``, as Telnyx documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._filters import (
    all_of,
    count_filter,
    flag,
    integer_parameter,
    text_filters,
    uuid_parameter,
)
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._serving import as_stored, list_page, retrieve

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._filters import Predicate
    from telnyx_orders.testing._state import SandboxState

KIND = "sub_number_orders"
_PHONE_NUMBERS = "sub_number_orders.phone_numbers"
"""The table holding ``{"phone_numbers": [...]}`` for each sub number order, under the order's id."""

PHONE_NUMBERS_LIMIT = 50
"""How many phone numbers ``filter[include_phone_numbers]=true`` includes, as Telnyx documents."""
_PHONE_NUMBER_STATUSES = frozenset({"pending", "success", "failure"})


def document(*, order_request_id: str, phone_numbers_count: int, now: str) -> JSONDict:
    """A ``SubNumberOrder`` for one country and number type."""
    return {
        "id": documents.new_id(),
        "record_type": "sub_number_order",
        "order_request_id": order_request_id,
        "country_code": "US",
        "phone_number_type": "local",
        "phone_numbers_count": phone_numbers_count,
        "customer_reference": documents.CUSTOMER_REFERENCE,
        "is_block_sub_number_order": False,
        "regulatory_requirements": [],
        "requirements_met": True,
        "status": "success",
        "user_id": documents.new_id(),
        "created_at": now,
        "updated_at": now,
    }


def store(state: SandboxState, doc: JSONDict, phone_numbers: list[JSONDict]) -> None:
    """Store a sub number order and the phone number objects it holds (shared, not copied)."""
    state.table(KIND)[doc["id"]] = doc
    state.table(_PHONE_NUMBERS)[doc["id"]] = {"phone_numbers": phone_numbers}


def phone_numbers(state: SandboxState, key: str) -> list[JSONDict]:
    """The phone number objects of the sub number order ``key`` (empty for a raw seeded one)."""
    held = state.table(_PHONE_NUMBERS).get(key)
    return [] if held is None else held["phone_numbers"]


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def new_phone_number(state: SandboxState, order: JSONDict) -> JSONDict:
    """A fresh phone number object fitting ``order``'s country, number type and status."""
    status = order.get("status")
    country_code = _text(order.get("country_code"), "US")
    phone_number_type = _text(order.get("phone_number_type"), "local")
    return documents.phone_number(
        state.numbers.generate(country_code, phone_number_type),
        country_code=country_code,
        phone_number_type=phone_number_type,
        status=status if isinstance(status, str) and status in _PHONE_NUMBER_STATUSES else "success",
    )


def seed_count(value: object) -> int:
    """How many phone numbers to invent for a ``phone_numbers_count`` override."""
    # An odd override (a string, a negative number) is stored verbatim but must not drive generation.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return 1


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a sub number order with ``phone_numbers_count`` (default 1) phone numbers.

    ``overrides`` replace top-level keys verbatim. The order is not linked to a number order
    unless ``order_request_id`` says so.
    """
    count = seed_count(overrides.get("phone_numbers_count", 1))
    doc = document(order_request_id=documents.new_id(), phone_numbers_count=count, now=documents.timestamp())
    doc.update(overrides)
    documents.check_key(doc)
    store(state, doc, [new_phone_number(state, doc) for _ in range(count)])
    return doc


def _filter(query: Mapping[str, str]) -> Predicate:
    """``ListSubNumberOrders``: ``status``, ``order_request_id`` (a UUID), ``country_code``,
    ``phone_number_type``, ``phone_numbers_count`` (an integer); all must hold."""
    uuid_parameter(query, "filter[order_request_id]")
    keys = ("status", "order_request_id", "country_code", "phone_number_type")
    return all_of(
        text_filters(query, keys) + count_filter(integer_parameter(query, "filter[phone_numbers_count]"))
    )


def _with_phone_numbers(state: SandboxState, key: str, doc: JSONDict) -> JSONDict:
    return {**doc, "phone_numbers": phone_numbers(state, key)[:PHONE_NUMBERS_LIMIT]}


async def _get(request: web.Request) -> web.Response:
    shows = _with_phone_numbers if flag(request.query, "filter[include_phone_numbers]") else as_stored
    return retrieve(request, KIND, "sub_number_order_id", shows)


async def _list(request: web.Request) -> web.Response:
    shows = _with_phone_numbers if flag(request.query, "filter[include_phone_numbers]") else as_stored
    return list_page(request, KIND, None, _filter(request.query), shows)


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/sub_number_orders", "ListSubNumberOrders", _list),
        Route("GET", "/sub_number_orders/{sub_number_order_id}", "GetSubNumberOrder", _get),
    ),
    seed=seed,
)
