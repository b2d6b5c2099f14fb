"""The control API: a sandbox's faults, inventory, lifecycle, seeding and request log over HTTP.

For a sandbox served in another process, where ``sandbox.faults`` and friends are out of reach; the
blocking :class:`~telnyx_orders.testing.RemoteSandbox` speaks it. Routes live under ``/_sandbox``,
outside ``/v2``, and take the sandbox's API key as a Bearer token like the API does. They are never
recorded in the request log, never hit by faults and never counted by the rate-limit window.

- ``POST /_sandbox/faults``: a :class:`Fault`'s fields (``body`` as text) -> 201 ``{"data": fault}``.
- ``GET /_sandbox/faults`` -> ``{"data": [fault, ...]}``: every fault added, each with ``fired``.
- ``DELETE /_sandbox/faults`` -> 204: every fault forgotten.
- ``PUT /_sandbox/faults/seed``: ``{"seed": n}`` -> 204: the generator behind ``probability`` reseeded.
- ``PUT /_sandbox/inventory``: ``{country_iso, phone_number_type, count, national_destination_code?}``
  -> ``{"count": n}``.
- ``GET /_sandbox/inventory?country_iso=..&phone_number_type=..[&national_destination_code=..]``
  -> ``{"count": n}``.
- ``PUT /_sandbox/lifecycle``: ``{"step"?: seconds, "default_inventory"?: n, "reservation_hold"?: seconds}``
  -> every knob, as GET.
- ``GET /_sandbox/lifecycle`` -> ``{"step": seconds, "default_inventory": n, "reservation_hold": seconds}``.
- ``POST /_sandbox/seed/{kind}`` (a resource's kind, such as ``number_orders``): the seeding
  overrides -> 201 ``{"data": doc}``.
- ``PUT /_sandbox/documents/{kind}/{id}``: a document -> ``{"data": doc}``, stored as it is.
- ``GET /_sandbox/documents/{kind}`` -> ``{"data": {id: doc, ...}}``.
- ``GET /_sandbox/requests[?operation=..]`` -> ``{"data": [request, ...], "meta": {limit, max_bytes,
  dropped}}``,
  oldest first.
- ``DELETE /_sandbox/requests`` -> 204: the request log emptied.
- ``POST /_sandbox/reset`` -> 204, as :meth:`Sandbox.reset`.
- ``GET /_sandbox/webhooks`` -> ``{"url": url or null, "public_key": base64 or null}``.
- ``GET /_sandbox/webhooks/deliveries[?count=n&timeout=seconds]`` -> ``{"data": [delivery, ...], "meta":
  {"limit", "recorded"}}``, oldest first; with ``count``, once that many attempts have been recorded since
  the last clear, or ``timeout`` (default 10, at most 60) seconds passed, whichever comes first.
- ``DELETE /_sandbox/webhooks/deliveries`` -> 204: the delivery log emptied.

Bodies are JSON objects sent as ``application/json``. Errors use the Telnyx envelope: 400 for a body
that is not JSON or a missing or unknown query parameter, 415 for another content type, 422 for an
unknown or mistyped field (``source.pointer`` names it) or a value the in-process call refuses, with
the same message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._control_codec import (
    INVENTORY_FIELDS,
    LIFECYCLE_FIELDS,
    SEED_FIELDS,
    checked,
    delivery_to_json,
    fault_from_json,
    fault_to_json,
    request_to_json,
)
from telnyx_orders.testing._errors import InvalidBody, InvalidParameter, Problem, json_response
from telnyx_orders.testing._holds import check_hold
from telnyx_orders.testing._inventory import PoolKey, check_count
from telnyx_orders.testing._lifecycle import check_step
from telnyx_orders.testing._operations import check_operation
from telnyx_orders.testing._resources import resource_of
from telnyx_orders.testing._validation import read_json_object

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp.typedefs import Handler

    from telnyx_orders.testing._resource import Resource
    from telnyx_orders.testing._state import SandboxState

CONTROL_PREFIX = "/_sandbox"


def is_control_path(path: str) -> bool:
    """Whether ``path`` belongs to the control API rather than to the Telnyx API."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _no_content() -> web.Response:
    return web.Response(status=204)


def _params(query: Mapping[str, str], allowed: tuple[str, ...], *, required: tuple[str, ...] = ()) -> None:
    for name in query:
        if name not in allowed:
            raise InvalidParameter(
                400, f"unknown parameter {name!r}; expected one of: {', '.join(allowed)}.", parameter=name
            )
    for name in required:
        if name not in query:
            raise InvalidParameter(400, f"{name} is required.", parameter=name)


async def add_fault(request: web.Request) -> web.Response:
    """``POST /_sandbox/faults``."""
    fault = fault_from_json(await read_json_object(request))
    request.app[CONTEXT].faults.add(fault)
    return json_response({"data": fault_to_json(fault)}, status=201)


async def list_faults(request: web.Request) -> web.Response:
    """``GET /_sandbox/faults``."""
    return json_response({"data": [fault_to_json(fault) for fault in request.app[CONTEXT].faults.faults]})


async def clear_faults(request: web.Request) -> web.Response:
    """``DELETE /_sandbox/faults``."""
    request.app[CONTEXT].faults.clear()
    return _no_content()


async def reseed_faults(request: web.Request) -> web.Response:
    """``PUT /_sandbox/faults/seed``."""
    body = checked(await read_json_object(request), SEED_FIELDS, required=("seed",))
    request.app[CONTEXT].faults.reseed(body["seed"])
    return _no_content()


def _inventory(
    state: SandboxState, country_iso: str, phone_number_type: str, national_destination_code: str | None
) -> web.Response:
    try:
        count = state.inventory(PoolKey(country_iso, phone_number_type, national_destination_code))
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None
    return json_response({"count": count})


async def set_inventory(request: web.Request) -> web.Response:
    """``PUT /_sandbox/inventory``."""
    body = checked(
        await read_json_object(request),
        INVENTORY_FIELDS,
        required=("country_iso", "phone_number_type", "count"),
    )
    state = request.app[CONTEXT].state
    code: str | None = body.get("national_destination_code")
    try:
        state.set_inventory(PoolKey(body["country_iso"], body["phone_number_type"], code), body["count"])
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None
    return _inventory(state, body["country_iso"], body["phone_number_type"], code)


async def get_inventory(request: web.Request) -> web.Response:
    """``GET /_sandbox/inventory``."""
    query = request.query
    _params(
        query,
        ("country_iso", "phone_number_type", "national_destination_code"),
        required=("country_iso", "phone_number_type"),
    )
    return _inventory(
        request.app[CONTEXT].state,
        query["country_iso"],
        query["phone_number_type"],
        query.get("national_destination_code"),
    )


def _knobs(state: SandboxState) -> web.Response:
    knobs = {
        "step": state.lifecycle_step,
        "default_inventory": state.default_inventory,
        "reservation_hold": state.reservation_hold,
    }
    return json_response(knobs)


async def set_lifecycle(request: web.Request) -> web.Response:
    """``PUT /_sandbox/lifecycle``: every knob given is checked before any changes."""
    body = checked(await read_json_object(request), LIFECYCLE_FIELDS)
    if not body:
        raise InvalidBody([Problem("", "Give step, default_inventory, reservation_hold or several.")])
    try:
        step = check_step(body["step"]) if "step" in body else None
        default_inventory = (
            check_count(body["default_inventory"], "default_inventory")
            if "default_inventory" in body
            else None
        )
        hold = check_hold(body["reservation_hold"]) if "reservation_hold" in body else None
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None
    state = request.app[CONTEXT].state
    with state.lock:
        if step is not None:
            state.lifecycle_step = step
        if default_inventory is not None:
            state.default_inventory = default_inventory
        if hold is not None:
            state.reservation_hold = hold
        return _knobs(state)


async def get_lifecycle(request: web.Request) -> web.Response:
    """``GET /_sandbox/lifecycle``."""
    return _knobs(request.app[CONTEXT].state)


def _resource(request: web.Request) -> Resource:
    try:
        return resource_of(request.match_info["kind"])
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None


async def seed(request: web.Request) -> web.Response:
    """``POST /_sandbox/seed/{kind}``: an empty body seeds the defaults."""
    resource = _resource(request)
    overrides = await read_json_object(request) if request.body_exists else {}
    try:
        doc = resource.seed_with(request.app[CONTEXT].state, overrides)
    except ValueError as exc:
        raise InvalidParameter(422, str(exc)) from None
    return json_response({"data": doc}, status=201)


async def store_document(request: web.Request) -> web.Response:
    """``PUT /_sandbox/documents/{kind}/{id}``."""
    resource = _resource(request)
    doc = await read_json_object(request)
    state = request.app[CONTEXT].state
    with state.lock:
        state.table(resource.kind)[request.match_info["id"]] = doc
        return json_response({"data": doc})


async def list_documents(request: web.Request) -> web.Response:
    """``GET /_sandbox/documents/{kind}``."""
    resource = _resource(request)
    state = request.app[CONTEXT].state
    with state.lock:
        return json_response({"data": state.table(resource.kind)})


async def list_requests(request: web.Request) -> web.Response:
    """``GET /_sandbox/requests``."""
    _params(request.query, ("operation",))
    operation = request.query.get("operation")
    try:
        check_operation(operation)
    except ValueError as exc:
        raise InvalidParameter(422, str(exc), parameter="operation") from None
    log = request.app[CONTEXT].requests
    recorded = [request_to_json(each) for each in log if operation is None or each.operation == operation]
    meta = {"limit": log.limit, "max_bytes": log.max_bytes, "dropped": log.dropped}
    return json_response({"data": recorded, "meta": meta})


async def clear_requests(request: web.Request) -> web.Response:
    """``DELETE /_sandbox/requests``."""
    request.app[CONTEXT].requests.clear()
    return _no_content()


async def reset(request: web.Request) -> web.Response:
    """``POST /_sandbox/reset``."""
    request.app[CONTEXT].reset()
    return _no_content()


async def webhooks(request: web.Request) -> web.Response:
    """``GET /_sandbox/webhooks``."""
    context = request.app[CONTEXT]
    return json_response({"url": context.webhook_url, "public_key": context.webhook_public_key})


MAX_WAIT = 60.0
"""The longest a control request waits for deliveries, in seconds."""


def _wait_params(query: Mapping[str, str]) -> tuple[int, float] | None:
    _params(query, ("count", "timeout"))
    if "count" not in query:
        if "timeout" in query:
            raise InvalidParameter(400, "timeout is given only with count.", parameter="timeout")
        return None
    try:
        count = int(query["count"])
        timeout = float(query.get("timeout", "10"))
    except ValueError:
        raise InvalidParameter(400, "count must be an integer and timeout a number of seconds.") from None
    if count < 0 or not 0 <= timeout <= MAX_WAIT:
        raise InvalidParameter(400, f"count must be >= 0 and timeout from 0 to {MAX_WAIT:g} seconds.")
    return count, timeout


async def list_deliveries(request: web.Request) -> web.Response:
    """``GET /_sandbox/webhooks/deliveries``."""
    wait = _wait_params(request.query)
    context = request.app[CONTEXT]
    log = context.webhook_deliveries
    if wait is not None and context.webhook_sender is not None:
        await context.webhook_sender.wait(*wait)
    data = [delivery_to_json(each) for each in log]
    return json_response({"data": data, "meta": {"limit": log.limit, "recorded": log.recorded}})


async def clear_deliveries(request: web.Request) -> web.Response:
    """``DELETE /_sandbox/webhooks/deliveries``."""
    request.app[CONTEXT].webhook_deliveries.clear()
    return _no_content()


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/faults", add_fault),
    ("GET", "/faults", list_faults),
    ("DELETE", "/faults", clear_faults),
    ("PUT", "/faults/seed", reseed_faults),
    ("PUT", "/inventory", set_inventory),
    ("GET", "/inventory", get_inventory),
    ("PUT", "/lifecycle", set_lifecycle),
    ("GET", "/lifecycle", get_lifecycle),
    ("POST", "/seed/{kind}", seed),
    ("PUT", "/documents/{kind}/{id}", store_document),
    ("GET", "/documents/{kind}", list_documents),
    ("GET", "/requests", list_requests),
    ("DELETE", "/requests", clear_requests),
    ("POST", "/reset", reset),
    ("GET", "/webhooks", webhooks),
    ("GET", "/webhooks/deliveries", list_deliveries),
    ("DELETE", "/webhooks/deliveries", clear_deliveries),
)
"""``(method, path under CONTROL_PREFIX, handler)`` of every control route."""
