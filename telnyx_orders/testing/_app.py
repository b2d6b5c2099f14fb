"""The aiohttp application: routes, request log, faults, authentication and error envelopes."""

from __future__ import annotations

import asyncio
import hmac
import uuid
from typing import TYPE_CHECKING

from aiohttp import web

from telnyx_orders.testing import _control as control
from telnyx_orders.testing import _handlers as handlers
from telnyx_orders.testing import _operations as ops
from telnyx_orders.testing._context import CONTEXT, AppContext
from telnyx_orders.testing._errors import Rejection, error_response, json_response
from telnyx_orders.testing._log import RecordedRequest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp.typedefs import Handler

    from telnyx_orders.testing._faults import Fault

PREFIX = "/v2"

_ROUTES: tuple[tuple[str, str, str, Handler], ...] = (
    (
        "GET",
        "/inexplicit_number_orders",
        ops.LIST_INEXPLICIT_NUMBER_ORDERS,
        handlers.list_inexplicit_number_orders,
    ),
    (
        "POST",
        "/inexplicit_number_orders",
        ops.CREATE_INEXPLICIT_NUMBER_ORDER,
        handlers.create_inexplicit_number_order,
    ),
    (
        "GET",
        "/inexplicit_number_orders/{id}",
        ops.RETRIEVE_INEXPLICIT_NUMBER_ORDER,
        handlers.retrieve_inexplicit_number_order,
    ),
    ("GET", "/number_orders", ops.LIST_NUMBER_ORDERS, handlers.list_number_orders),
    ("POST", "/number_orders", ops.CREATE_NUMBER_ORDER, handlers.create_number_order),
    ("GET", "/number_orders/{number_order_id}", ops.RETRIEVE_NUMBER_ORDER, handlers.retrieve_number_order),
    ("GET", "/sub_number_orders", ops.LIST_SUB_NUMBER_ORDERS, handlers.list_sub_number_orders),
    (
        "GET",
        "/sub_number_orders/{sub_number_order_id}",
        ops.GET_SUB_NUMBER_ORDER,
        handlers.get_sub_number_order,
    ),
)

TRUNCATED_MISSING_BYTES = 1024
"""How many more bytes a ``truncated`` fault declares in ``Content-Length`` than it sends."""


def _drop(request: web.Request) -> web.Response:
    transport = request.transport
    if transport is not None:
        transport.close()
    # aiohttp fails to write this to the closed transport and moves on quietly.
    return web.Response(status=500)


async def _sleep_unless_closing(closing: asyncio.Event, delay: float) -> bool:
    """Sleep ``delay`` seconds; ``False`` if the sandbox started closing meanwhile."""
    try:
        await asyncio.wait_for(closing.wait(), delay)
    except asyncio.TimeoutError:
        return True
    return False


async def _truncated(request: web.Request, fault: Fault, headers: Mapping[str, str]) -> web.StreamResponse:
    body = fault.body or b""
    response = web.StreamResponse(status=fault.status or 200, headers={**headers, **fault.headers})
    response.content_type = fault.content_type or "application/json"
    response.content_length = len(body) + TRUNCATED_MISSING_BYTES
    await response.prepare(request)
    await response.write(body)
    transport = request.transport
    if transport is not None:
        transport.close()
    return response


async def _apply(
    fault: Fault, request: web.Request, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    context = request.app[CONTEXT]
    if fault.kind == "latency":
        if not await _sleep_unless_closing(context.closing, fault.delay):
            return _drop(request)
        return await handler(request)
    if fault.kind == "drop_before":
        return _drop(request)
    if fault.kind == "drop_after":
        await handler(request)
        return _drop(request)
    if fault.kind == "status":
        return error_response(fault.status or 500, code=fault.code, title=fault.title, detail=fault.detail)
    if fault.kind == "rate_limit":
        response = error_response(
            fault.status or 429, code=fault.code, title=fault.title, detail=fault.detail
        )
        response.headers["x-ratelimit-limit"] = str(context.rate_limit.limit)
        response.headers["x-ratelimit-remaining"] = "0"
        response.headers["x-ratelimit-reset"] = str(fault.reset)
        return response
    if fault.kind == "truncated":
        return await _truncated(request, fault, headers)
    if fault.kind == "wrong_shape":
        response = json_response(fault.json_body, status=fault.status or 200)
    else:
        default_type = "text/html" if fault.kind == "html" else "application/json"
        response = web.Response(body=fault.body, status=fault.status or 200, content_type=default_type)
    if fault.content_type is not None:
        response.content_type = fault.content_type
    return response


@web.middleware
async def _intercept(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request, add the common headers and fire the first matching fault."""
    if control.is_control_path(request.path):
        return await handler(request)
    context = request.app[CONTEXT]
    operation = request.match_info.route.name
    body = await request.read()
    request_id = str(uuid.uuid4())
    fault = context.faults.take(request.method, operation)
    context.requests.append(
        RecordedRequest(
            method=request.method,
            path=request.path,
            query=list(request.query.items()),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=body,
            operation=operation,
            request_id=request_id,
            fault=fault,
            raw_path=request.raw_path.partition("?")[0],
        )
    )
    headers = {"x-request-id": request_id, **context.rate_limit.hit()}
    response = await handler(request) if fault is None else await _apply(fault, request, handler, headers)
    if not response.prepared:
        if fault is not None:
            response.headers.update(fault.headers)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
    return response


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 unless ``Authorization: Bearer <api key>``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = request.app[CONTEXT].api_key
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        return error_response(401)
    return await handler(request)


@web.middleware
async def _envelope_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer rejected requests and aiohttp's own 404/405 with the Telnyx envelope."""
    try:
        return await handler(request)
    except Rejection as exc:
        return exc.response()
    except web.HTTPException as exc:
        allow = exc.headers.get("Allow")
        return error_response(exc.status, headers=None if allow is None else {"Allow": allow})


def build_app(context: AppContext) -> web.Application:
    """The sandbox application serving ``context`` under ``/v2``, and its control API under ``/_sandbox``."""
    app = web.Application(middlewares=[_intercept, _authenticate, _envelope_errors])
    app[CONTEXT] = context
    for method, path, name, handler in _ROUTES:
        app.router.add_route(method, PREFIX + path, handler, name=name)
    for method, path, handler in control.ROUTES:
        app.router.add_route(method, control.CONTROL_PREFIX + path, handler)
    return app
