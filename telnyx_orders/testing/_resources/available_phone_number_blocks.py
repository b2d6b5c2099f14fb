"""Block search: ``GET /available_phone_number_blocks`` answers blocks of consecutive numbers for sale.

A block is :data:`BLOCK_RANGE` numbers from one ending in 0, every one of them unsold and held by no
reservation, so a number block order for it (``starting_number``, ``range``) succeeds. At most
:data:`BLOCKS` blocks are answered, and no more numbers than the pool's stock. Filters: ``country_code``
(``US`` when absent: the spec requires none, and Telnyx documents the requirement only for the number
search), ``phone_number_type`` (``local`` when absent), ``national_destination_code`` and ``locality``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _catalogue as catalogue
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import json_response
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._resources.available_phone_numbers import flat_query, last, phone_number_type

if TYPE_CHECKING:
    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

KIND = "available_phone_number_blocks"
BLOCK_RANGE = 10
"""Numbers in each block answered: the smallest block Telnyx sells."""
BLOCKS = 10
"""Blocks a search answers, at most."""


def block(first: str, phone_number_type: str) -> JSONDict:
    """The spec's ``AvailablePhoneNumberBlock`` starting at ``first``."""
    number = catalogue.available_phone_number(first, phone_number_type, best_effort=False)
    return {
        "record_type": "available_phone_number_block",
        "phone_number": first,
        "range": BLOCK_RANGE,
        "features": number["features"],
        "region_information": number["region_information"],
        "cost_information": catalogue.cost_information(phone_number_type, BLOCK_RANGE),
    }


def search(state: SandboxState, query: dict[str, str]) -> JSONDict:
    """The answer to a block search with the parameters ``query``."""
    place = catalogue.Where(
        country_code=query.get("filter[country_code]", "US"),
        phone_number_type=phone_number_type(query) or "local",
        national_destination_code=query.get("filter[national_destination_code]"),
        locality=query.get("filter[locality]"),
    )
    firsts = list(catalogue.blocks_for_sale(state, place, size=BLOCK_RANGE, count=BLOCKS))
    data = [block(first, place.phone_number_type) for first in firsts]
    return {"data": data, "meta": {"total_results": len(data), "best_effort_results": 0}}


async def _list(request: web.Request) -> web.Response:
    state = request.app[CONTEXT].state
    query = last(flat_query(request.query))
    with state.lock:
        state.advance()
        return json_response(search(state, query))


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Blocks for sale are not stored: they are whatever the stock holds (``set_inventory``)."""
    raise ValueError(f"{KIND} are not stored: set the stock with set_inventory() instead")


RESOURCE = Resource(
    kind=KIND,
    routes=(Route("GET", "/available_phone_number_blocks", "ListAvailablePhoneNumberBlocks", _list),),
    seed=seed,
)
