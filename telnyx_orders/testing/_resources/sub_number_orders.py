"""Sub number orders: the part of a number order for one country and number type.

``GET /sub_number_orders`` declares no paging, so every match comes on one page; with
``filter[include_phone_numbers]=true`` each order (listed or retrieved) carries its first 50
``phone_numbers``, as Telnyx documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing import _requirements as requirements
from telnyx_orders.testing._errors import InvalidParameter, json_response
from telnyx_orders.testing._filters import (
    all_of,
    count_filter,
    flag,
    integer_parameter,
    text_filters,
    uuid_parameter,
)
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._serving import as_stored, list_page, retrieve, stored

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


def refresh_requirements(state: SandboxState, key: str, doc: JSONDict) -> None:
    """Update a sub number order's own requirement fields from its numbers (a seeded one has no owner)."""
    numbers = phone_numbers(state, key)
    if numbers:
        doc.update(
            requirements_met=all(number.get("requirements_met") is True for number in numbers),
            regulatory_requirements=requirements.as_sub_order_requirements(numbers),
        )


def _update(state: SandboxState, doc: JSONDict, values: dict[str, str], now: str) -> JSONDict:
    """Give the order's numbers the requirement values; the number order completes once all are met."""
    requirements.fill(phone_numbers(state, doc["id"]), values)
    refresh_requirements(state, doc["id"], doc)
    doc["updated_at"] = now
    return doc


def _cancel(state: SandboxState, doc: JSONDict, _: None, now: str) -> JSONDict:
    """Cancel a pending sub number order: it and its numbers end ``failure`` (the spec's status enum has no
    ``cancelled``). Any other status is a 422, the spec's "Unprocessable entity": the spec says only that
    a sub number order can be cancelled in ``pending`` status, and declares 400, 404 and 422 as its errors."""
    status = doc.get("status")
    if status != "pending":
        raise InvalidParameter(
            422,
            f"Only a pending sub number order can be cancelled; this one is {status!r}.",
            pointer="/status",
        )
    doc.update(status="failure", updated_at=now)
    for number in phone_numbers(state, doc["id"]):
        number["status"] = "failure"
    return doc


_GROUP_KEYS = (
    "country_code",
    "created_at",
    "customer_reference",
    "id",
    "is_block_sub_number_order",
    "order_request_id",
    "phone_number_type",
    "phone_numbers_count",
    "record_type",
    "regulatory_requirements",
    "requirements_met",
    "status",
    "updated_at",
)
"""What ``SubNumberOrderRequirementGroupResponse.data`` declares but ``phone_numbers`` (no ``user_id``)."""


def requirement_group_number(number: JSONDict) -> JSONDict:
    """A phone number as the requirement-group responses show it: ``bundle_id`` nullable, and each
    requirement with a ``status`` and without ``record_type``."""
    shown = {key: number[key] for key in requirements.GROUP_NUMBER_KEYS if key in number}
    shown["bundle_id"] = number.get("bundle_id")
    shown["regulatory_requirements"] = [
        {
            **{key: item[key] for key in ("field_type", "field_value", "requirement_id") if key in item},
            "status": "approved" if "field_value" in item else "pending",
        }
        for item in requirements.items_of(number)
    ]
    return shown


def _use_group(state: SandboxState, doc: JSONDict, group_id: str, now: str) -> JSONDict:
    """Meet every requirement of the order's numbers with the group; the unwrapped response's ``data``."""
    numbers = phone_numbers(state, doc["id"])
    requirements.fill_all(numbers, group_id)
    refresh_requirements(state, doc["id"], doc)
    doc["updated_at"] = now
    shown = {key: doc[key] for key in _GROUP_KEYS if key in doc}
    shown["phone_numbers"] = [requirement_group_number(number) for number in numbers]
    return shown


async def _patch(request: web.Request) -> web.Response:
    return await requirements.change(request, KIND, "sub_number_order_id", requirements.parse_values, _update)


async def _patch_cancel(request: web.Request) -> web.Response:
    # PATCH .../cancel takes no request body (the spec declares none): whatever is sent is not read.
    with stored(request, KIND, "sub_number_order_id") as (state, _, doc):
        now = documents.timestamp()
        _cancel(state, doc, None, now)
        requirements.settle(state, now)
        return json_response({"data": doc})


async def _post_group(request: web.Request) -> web.Response:
    return await requirements.change(request, KIND, "id", requirements.parse_group, _use_group)


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/sub_number_orders", "ListSubNumberOrders", _list),
        Route("GET", "/sub_number_orders/{sub_number_order_id}", "GetSubNumberOrder", _get),
        Route("PATCH", "/sub_number_orders/{sub_number_order_id}", "UpdateSubNumberOrder", _patch),
        Route(
            "PATCH", "/sub_number_orders/{sub_number_order_id}/cancel", "CancelSubNumberOrder", _patch_cancel
        ),
        Route(
            "POST",
            "/sub_number_orders/{id}/requirement_group",
            "updateSubNumberOrderRequirementGroup",
            _post_group,
        ),
    ),
    seed=seed,
)
