"""Route handlers: one per operation, answering from the sandbox state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import InvalidParameter, error_response, json_response
from telnyx_orders.testing._paging import Page, meta, paginate, parse_page

if TYPE_CHECKING:
    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import ResourceKind

PHONE_NUMBERS_LIMIT = 50
"""How many phone numbers ``filter[include_phone_numbers]=true`` includes, as Telnyx documents."""


def _retrieve(request: web.Request, kind: ResourceKind, id_param: str) -> web.Response:
    state = request.app[CONTEXT].state
    with state.lock:
        doc = state.table(kind).get(request.match_info[id_param])
        if doc is None:
            return error_response(404)
        return json_response({"data": doc})


def _matching(request: web.Request, kind: ResourceKind) -> list[JSONDict]:
    """The documents of ``kind`` the request selects, in insertion order (filters are not served yet)."""
    return list(request.app[CONTEXT].state.table(kind).values())


def _list(request: web.Request, kind: ResourceKind, page: Page | None) -> web.Response:
    with request.app[CONTEXT].state.lock:
        docs = _matching(request, kind)
        if page is None:
            # An operation without declared paging answers everything as one page.
            page = Page(number=1, size=max(len(docs), 1))
        return json_response({"data": paginate(docs, page), "meta": meta(page, len(docs))})


async def retrieve_inexplicit_number_order(request: web.Request) -> web.Response:
    """``RetrieveInexplicitNumberOrder``."""
    return _retrieve(request, "inexplicit_number_orders", "id")


async def list_inexplicit_number_orders(request: web.Request) -> web.Response:
    """``ListInexplicitNumberOrders``: flat ``page_number``/``page_size``."""
    page = parse_page(request.query, number_param="page_number", size_param="page_size")
    return _list(request, "inexplicit_number_orders", page)


async def retrieve_number_order(request: web.Request) -> web.Response:
    """``RetrieveNumberOrder``."""
    return _retrieve(request, "number_orders", "number_order_id")


async def list_number_orders(request: web.Request) -> web.Response:
    """``ListNumberOrders``: ``page[number]``/``page[size]``."""
    page = parse_page(request.query, number_param="page[number]", size_param="page[size]")
    return _list(request, "number_orders", page)


def _include_phone_numbers(request: web.Request) -> bool:
    name = "filter[include_phone_numbers]"
    raw = request.query.get(name, "false").lower()
    if raw not in ("true", "false"):
        raise InvalidParameter(400, f"{name} must be true or false.", parameter=name)
    return raw == "true"


async def get_sub_number_order(request: web.Request) -> web.Response:
    """``GetSubNumberOrder``: ``phone_numbers`` only with ``filter[include_phone_numbers]=true``."""
    if not _include_phone_numbers(request):
        return _retrieve(request, "sub_number_orders", "sub_number_order_id")
    state = request.app[CONTEXT].state
    key = request.match_info["sub_number_order_id"]
    with state.lock:
        doc = state.sub_number_orders.get(key)
        if doc is None:
            return error_response(404)
        numbers = state.sub_number_order_phone_numbers.get(key, [])[:PHONE_NUMBERS_LIMIT]
        return json_response({"data": {**doc, "phone_numbers": numbers}})


async def list_sub_number_orders(request: web.Request) -> web.Response:
    """``ListSubNumberOrders``: no paging declared, so every match on one page."""
    return _list(request, "sub_number_orders", None)
