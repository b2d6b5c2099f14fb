"""Number block orders: a contiguous range of numbers, named by its first number and its size.

A block order is ``pending`` when created and ends ``success`` or ``failure`` two lifecycle steps later
(block orders have no processing status, as number orders have none). The spec types ``starting_number``
a plain string and ``range`` an integer, with no pattern or bounds, so any such request is accepted and
the numbers decide: a block succeeds when every number of it is a valid E.164 number of the same length
that no order took yet and no reservation of another account holds, and those numbers are then sold
(ending this account's own holds on them); otherwise it fails and takes nothing.
``GET /number_block_orders`` pages with ``page[number]``/``page[size]``.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._filters import all_of, created_between, text_filters
from telnyx_orders.testing._lifecycle import Stage
from telnyx_orders.testing._paging import parse_page
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._serving import create, list_page, retrieve
from telnyx_orders.testing._validation import E164, Checker

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._filters import Predicate
    from telnyx_orders.testing._state import SandboxState

KIND = "number_block_orders"
_SHARED = ("connection_id", "messaging_profile_id", "customer_reference")
"""The request's optional strings that the order carries."""
MAX_RANGE = 10_000
"""The largest block the sandbox fills: Telnyx sells blocks of 10, 100 and 1,000 numbers."""


def document(*, starting_number: str, block_range: int, now: str) -> JSONDict:
    """A successful ``NumberBlockOrder``."""
    return {
        "id": documents.new_id(),
        "record_type": "number_block_order",
        "starting_number": starting_number,
        "range": block_range,
        "phone_numbers_count": block_range,
        "connection_id": documents.CONNECTION_ID,
        "messaging_profile_id": documents.new_id(),
        "customer_reference": documents.CUSTOMER_REFERENCE,
        "requirements_met": True,
        "status": "success",
        "created_at": now,
        "updated_at": now,
    }


@dataclasses.dataclass(frozen=True)
class BlockRequest:
    """A valid ``CreateNumberBlockOrder`` body."""

    starting_number: str
    range: int
    shared: dict[str, str | None]


def parse(body: Mapping[str, object]) -> BlockRequest:
    """Check a ``CreateNumberBlockOrder`` body: ``starting_number`` (a string) and ``range`` (an integer)
    are required, the other strings optional; :class:`InvalidBody` lists every problem."""
    checker = Checker()
    starting_number = checker.string(body, "starting_number", "", required=True)
    block_range = 0
    if "range" not in body:
        checker.report("/range", "range is required.")
    elif isinstance(body["range"], bool) or not isinstance(body["range"], int):
        checker.report("/range", "range must be an integer.")
    else:
        block_range = body["range"]
    shared = {key: checker.string(body, key, "") for key in _SHARED}
    checker.raise_if_any()
    return BlockRequest(starting_number or "", block_range, shared)


def block(starting_number: str, block_range: int) -> list[str] | None:
    """The numbers of the block, or ``None`` when there is no such block to sell."""
    if not E164.fullmatch(starting_number) or not 1 <= block_range <= MAX_RANGE:
        return None
    first = int(starting_number[1:])
    last = first + block_range - 1
    if len(str(last)) != len(str(first)):
        return None
    return [f"+{number}" for number in range(first, last + 1)]


@dataclasses.dataclass(eq=False)
class _Flight:
    order: JSONDict
    outcome: str

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        if stage is Stage.TERMINAL:
            self.order.update(status=self.outcome, updated_at=now)


def _create(state: SandboxState, request: BlockRequest, account: str) -> JSONDict:
    """Place the block order of ``account`` (an API key)."""
    created_at = datetime.now(timezone.utc)
    now = documents.timestamp(created_at)
    order = document(starting_number=request.starting_number, block_range=request.range, now=now)
    documents.put(order, {"status": "pending", **request.shared})
    numbers = block(request.starting_number, request.range)
    if numbers is None or not all(state.for_sale_to(number, account) for number in numbers):
        outcome = "failure"
    else:
        outcome = "success"
        for number in numbers:
            state.sell(number)
    state.table(KIND)[order["id"]] = order
    state.lifecycle.start(_Flight(order, outcome), created_at)
    return order


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a successful block order of ``range`` (10) numbers from a fresh ``starting_number``.

    ``overrides`` replace top-level keys verbatim; the numbers of the block they name are taken.
    """
    starting_number = state.numbers.generate("US", "local", ends_with="00")
    doc = document(starting_number=starting_number, block_range=10, now=documents.timestamp())
    doc.update(overrides)
    key = documents.check_key(doc)
    first, size = doc.get("starting_number"), doc.get("range")
    numbers = block(first, size) if isinstance(first, str) and isinstance(size, int) else None
    for number in numbers or ():
        state.numbers.claim(number)
    state.table(KIND)[key] = doc
    return doc


def _filter(query: Mapping[str, str]) -> Predicate:
    """``ListNumberBlockOrders``: ``status``, ``created_at[gt]``/``[lt]`` (strict) and
    ``phone_numbers.starting_number``; all must hold."""
    predicates = text_filters(query, ("status",))
    starting_number = query.get("filter[phone_numbers.starting_number]")
    if starting_number is not None:
        predicates.append(lambda doc: doc.get("starting_number") == starting_number)
    return all_of(predicates + created_between(query))


async def _retrieve(request: web.Request) -> web.Response:
    return retrieve(request, KIND, "number_block_order_id")


async def _list(request: web.Request) -> web.Response:
    page = parse_page(request.query, number_param="page[number]", size_param="page[size]")
    return list_page(request, KIND, page, _filter(request.query))


async def _post(request: web.Request) -> web.Response:
    account = request.app[CONTEXT].api_key
    return await create(request, parse, lambda state, parsed: _create(state, parsed, account))


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/number_block_orders", "ListNumberBlockOrders", _list),
        Route("POST", "/number_block_orders", "CreateNumberBlockOrder", _post),
        Route("GET", "/number_block_orders/{number_block_order_id}", "RetrieveNumberBlockOrder", _retrieve),
    ),
    seed=seed,
)
