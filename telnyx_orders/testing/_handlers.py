"""Route handlers: one per operation, answering from the sandbox state.

Every handler works under the state lock and first advances the orders in flight, so each answer
shows the lifecycle as of that request. Lists are in insertion order: oldest stored first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from telnyx_orders.testing import _workflow as workflow
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import error_response, json_response
from telnyx_orders.testing._filters import flag, number_order_filter, sub_number_order_filter
from telnyx_orders.testing._paging import Page, meta, paginate, parse_page
from telnyx_orders.testing._validation import (
    parse_inexplicit_number_order_request,
    parse_number_order_request,
    read_json_object,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import ResourceKind, SandboxState

_Request = TypeVar("_Request")

PHONE_NUMBERS_LIMIT = 50
"""How many phone numbers ``filter[include_phone_numbers]=true`` includes, as Telnyx documents."""
LISTED_PHONE_NUMBER_KEYS = ("id", "phone_number")
"""What a listed number order shows of each number: the spec's ``PhoneNumbersJobPhoneNumber``."""


def _retrieve(request: web.Request, kind: ResourceKind, id_param: str) -> web.Response:
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        doc = state.table(kind).get(request.match_info[id_param])
        if doc is None:
            return error_response(404)
        return json_response({"data": doc})


def _everything(_: JSONDict) -> bool:
    return True


def _as_stored(_: SandboxState, __: str, doc: JSONDict) -> JSONDict:
    return doc


def _listed_number(number: object) -> object:
    if not isinstance(number, dict):
        return number
    listed = cast("JSONDict", number)
    return {key: listed[key] for key in LISTED_PHONE_NUMBER_KEYS if key in listed}


def _as_listed_number_order(_: SandboxState, __: str, doc: JSONDict) -> JSONDict:
    numbers: object = doc.get("phone_numbers")
    if not isinstance(numbers, list):
        return doc
    return {**doc, "phone_numbers": [_listed_number(number) for number in cast("list[object]", numbers)]}


def _with_phone_numbers(state: SandboxState, key: str, doc: JSONDict) -> JSONDict:
    return {**doc, "phone_numbers": state.sub_number_order_phone_numbers.get(key, [])[:PHONE_NUMBERS_LIMIT]}


def _list(
    request: web.Request,
    kind: ResourceKind,
    page: Page | None,
    selects: Callable[[JSONDict], bool] = _everything,
    shows: Callable[[SandboxState, str, JSONDict], JSONDict] = _as_stored,
) -> web.Response:
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        docs = [(key, doc) for key, doc in state.table(kind).items() if selects(doc)]
        if page is None:
            # An operation without declared paging answers everything as one page.
            page = Page(number=1, size=max(len(docs), 1))
        data = [shows(state, key, doc) for key, doc in paginate(docs, page)]
        return json_response({"data": data, "meta": meta(page, len(docs))})


async def retrieve_inexplicit_number_order(request: web.Request) -> web.Response:
    """``RetrieveInexplicitNumberOrder``."""
    return _retrieve(request, "inexplicit_number_orders", "id")


async def list_inexplicit_number_orders(request: web.Request) -> web.Response:
    """``ListInexplicitNumberOrders``: flat ``page_number``/``page_size``."""
    page = parse_page(request.query, number_param="page_number", size_param="page_size")
    return _list(request, "inexplicit_number_orders", page)


async def _create(
    request: web.Request,
    parse: Callable[[JSONDict], _Request],
    create: Callable[[SandboxState, _Request], JSONDict],
) -> web.Response:
    order_request = parse(await read_json_object(request))
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        return json_response({"data": create(state, order_request)})


async def create_inexplicit_number_order(request: web.Request) -> web.Response:
    """``CreateInexplicitNumberOrder``: 200 with the order, every ordering group ``pending``."""
    return await _create(
        request, parse_inexplicit_number_order_request, workflow.create_inexplicit_number_order
    )


async def retrieve_number_order(request: web.Request) -> web.Response:
    """``RetrieveNumberOrder``."""
    return _retrieve(request, "number_orders", "number_order_id")


async def list_number_orders(request: web.Request) -> web.Response:
    """``ListNumberOrders``: ``page[number]``/``page[size]`` and the ``filter[...]`` of the spec; each
    order's ``phone_numbers`` show only ``id`` and ``phone_number``, as the spec's ``NumberOrder`` does."""
    page = parse_page(request.query, number_param="page[number]", size_param="page[size]")
    return _list(request, "number_orders", page, number_order_filter(request.query), _as_listed_number_order)


async def create_number_order(request: web.Request) -> web.Response:
    """``CreateNumberOrder``: 200 with the order and its phone numbers, all ``pending``."""
    return await _create(request, parse_number_order_request, workflow.create_number_order)


async def get_sub_number_order(request: web.Request) -> web.Response:
    """``GetSubNumberOrder``: ``phone_numbers`` only with ``filter[include_phone_numbers]=true``."""
    if not flag(request.query, "filter[include_phone_numbers]"):
        return _retrieve(request, "sub_number_orders", "sub_number_order_id")
    state = request.app[CONTEXT].state
    key = request.match_info["sub_number_order_id"]
    with state.lock:
        state.advance()
        doc = state.sub_number_orders.get(key)
        if doc is None:
            return error_response(404)
        return json_response({"data": _with_phone_numbers(state, key, doc)})


async def list_sub_number_orders(request: web.Request) -> web.Response:
    """``ListSubNumberOrders``: no paging declared, so every match on one page; with
    ``filter[include_phone_numbers]=true`` each carries its first 50 ``phone_numbers``."""
    selects = sub_number_order_filter(request.query)
    shows = _with_phone_numbers if flag(request.query, "filter[include_phone_numbers]") else _as_stored
    return _list(request, "sub_number_orders", None, selects, shows)
