"""Number order phone numbers: each number of every sub number order, with its requirements.

The numbers are those the sub number orders hold (one object, shared with the orders showing it), so a
requirement given here shows on the number order and sub number order too, and completes them once
all are met. ``GET /number_order_phone_numbers`` declares no paging: every match comes on one page.
``bundle_id`` is ``null`` for a number without a bundle, as the spec's nullable type allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telnyx_orders.testing import _documents as documents
from telnyx_orders.testing import _requirements as requirements
from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import error_response, json_response
from telnyx_orders.testing._paging import Page, meta
from telnyx_orders.testing._resource import Resource, Route
from telnyx_orders.testing._resources import sub_number_orders
from telnyx_orders.testing._validation import read_json_object

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web

    from telnyx_orders.testing._documents import JSONDict
    from telnyx_orders.testing._state import SandboxState

KIND = "number_order_phone_numbers"
_NUMBER_KEYS = (*requirements.GROUP_NUMBER_KEYS, "regulatory_requirements")
"""What a ``NumberOrderPhoneNumber`` shows of the number object (not ``country_iso_alpha2``)."""


def _every_number(state: SandboxState) -> dict[str, tuple[JSONDict, JSONDict]]:
    """Every phone number of every sub number order, by its id, with that sub number order."""
    found: dict[str, tuple[JSONDict, JSONDict]] = {}
    for key, sub in state.table(sub_number_orders.KIND).items():
        for number in sub_number_orders.phone_numbers(state, key):
            if isinstance(number.get("id"), str):
                found[number["id"]] = (number, sub)
    return found


def show(number: JSONDict, sub: JSONDict) -> JSONDict:
    """A ``NumberOrderPhoneNumber``: the number with the ids of its orders."""
    shown = {key: number[key] for key in _NUMBER_KEYS if key in number}
    shown.update(bundle_id=number.get("bundle_id"), is_block_number=False, sub_number_order_id=sub["id"])
    return documents.put(shown, {"order_request_id": sub.get("order_request_id")})


def seed(state: SandboxState, **overrides: Any) -> JSONDict:
    """Store a sub number order of one number and return that number, ``overrides`` applied to it."""
    sub = sub_number_orders.seed(state, phone_numbers_count=1)
    [number] = sub_number_orders.phone_numbers(state, sub["id"])
    number.update(overrides)
    return show(number, sub)


def _answer(
    request: web.Request,
    id_param: str,
    change: Callable[[SandboxState, JSONDict, JSONDict, str], JSONDict] | None,
) -> web.Response:
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        found = _every_number(state).get(request.match_info[id_param])
        if found is None:
            return error_response(404)
        number, sub = found
        if change is None:
            return json_response({"data": show(number, sub)})
        now = documents.timestamp()
        shown = change(state, number, sub, now)
        sub_number_orders.refresh_requirements(state, sub["id"], sub)
        requirements.settle(state, now)
        return json_response({"data": shown})


async def _list(request: web.Request) -> web.Response:
    country_code = request.query.get("filter[country_code]")
    state = request.app[CONTEXT].state
    with state.lock:
        state.advance()
        data = [
            show(number, sub)
            for number, sub in _every_number(state).values()
            if country_code is None or number.get("country_code") == country_code
        ]
        return json_response({"data": data, "meta": meta(Page(number=1, size=max(len(data), 1)), len(data))})


async def _get(request: web.Request) -> web.Response:
    return _answer(request, "number_order_phone_number_id", None)


async def _patch(request: web.Request) -> web.Response:
    values = requirements.parse_values(await read_json_object(request))

    def give(_: SandboxState, number: JSONDict, sub: JSONDict, __: str) -> JSONDict:
        requirements.fill([number], values)
        return show(number, sub)

    return _answer(request, "number_order_phone_number_id", give)


async def _post_group(request: web.Request) -> web.Response:
    group_id = requirements.parse_group(await read_json_object(request))

    def use_group(_: SandboxState, number: JSONDict, sub: JSONDict, __: str) -> JSONDict:
        requirements.fill_all([number], group_id)
        shown = sub_number_orders.requirement_group_number(number)
        shown.update(is_block_number=False, sub_number_order_id=sub["id"])
        return documents.put(shown, {"order_request_id": sub.get("order_request_id")})

    return _answer(request, "id", use_group)


RESOURCE = Resource(
    kind=KIND,
    routes=(
        Route("GET", "/number_order_phone_numbers", "RetrieveOrderPhoneNumbers", _list),
        Route(
            "GET",
            "/number_order_phone_numbers/{number_order_phone_number_id}",
            "GetNumberOrderPhoneNumber",
            _get,
        ),
        Route(
            "PATCH",
            "/number_order_phone_numbers/{number_order_phone_number_id}",
            "UpdateNumberOrderPhoneNumber",
            _patch,
        ),
        Route(
            "POST",
            "/number_order_phone_numbers/{id}/requirement_group",
            "updateNumberOrderPhoneNumberRequirementGroup",
            _post_group,
        ),
    ),
    seed=seed,
)
