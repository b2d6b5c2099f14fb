"""What each fault kind does to the request it fires on: one registered responder per kind.

A new kind is one function here, registered with :func:`responder`, and its name in
:data:`~telnyx_orders.testing.FaultKind`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from aiohttp import web

from telnyx_orders.testing._context import CONTEXT
from telnyx_orders.testing._errors import error_response, json_response

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from aiohttp.typedefs import Handler

    from telnyx_orders.testing._faults import Fault

    Respond = Callable[[web.Request, Fault, Handler, Mapping[str, str]], Awaitable[web.StreamResponse]]
    """``(request, fault, the route's handler, the common response headers) -> response``."""

TRUNCATED_MISSING_BYTES = 1024
"""How many more bytes a ``truncated`` fault declares in ``Content-Length`` than it sends."""


@dataclasses.dataclass(frozen=True)
class Responder:
    """A fault kind: how it answers, the fields it needs, and the defaults of the fields it reads."""

    respond: Respond
    requires: tuple[str, ...] = ()
    status: int | None = None
    body: bytes | None = None


RESPONDERS: dict[str, Responder] = {}
"""Every fault kind, by name."""


def responder(
    kind: str, *, requires: tuple[str, ...] = (), status: int | None = None, body: bytes | None = None
) -> Callable[[Respond], Respond]:
    """Register the decorated function as the responder of fault ``kind``."""

    def register(respond: Respond) -> Respond:
        RESPONDERS[kind] = Responder(respond, requires, status, body)
        return respond

    return register


def _drop(request: web.Request) -> web.Response:
    transport = request.transport
    if transport is not None:
        transport.close()
    # aiohttp fails to write this to the closed transport and moves on quietly.
    return web.Response(status=500)


def _with_content_type(response: web.Response, fault: Fault) -> web.Response:
    if fault.content_type is not None:
        response.content_type = fault.content_type
    return response


@responder("status", requires=("status",))
async def _status(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    return error_response(fault.status or 500, code=fault.code, title=fault.title, detail=fault.detail)


@responder("rate_limit", status=429)
async def _rate_limit(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    response = error_response(fault.status or 429, code=fault.code, title=fault.title, detail=fault.detail)
    response.headers["x-ratelimit-limit"] = str(request.app[CONTEXT].rate_limit.limit)
    response.headers["x-ratelimit-remaining"] = "0"
    response.headers["x-ratelimit-reset"] = str(fault.reset)
    return response


@responder("latency")
async def _latency(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    try:
        await asyncio.wait_for(request.app[CONTEXT].closing.wait(), fault.delay)
    except asyncio.TimeoutError:
        return await handler(request)
    return _drop(request)  # the sandbox is closing: cut the delay short


@responder("drop_before")
async def _drop_before(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    return _drop(request)


@responder("drop_after")
async def _drop_after(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    await handler(request)
    return _drop(request)


@responder("html", status=502, body=b"<html>Bad Gateway</html>")
async def _html(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    response = web.Response(body=fault.body, status=fault.status or 502, content_type="text/html")
    return _with_content_type(response, fault)


@responder("malformed", status=200, body=b"<<this is not json>>")
async def _malformed(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    response = web.Response(body=fault.body, status=fault.status or 200, content_type="application/json")
    return _with_content_type(response, fault)


@responder("truncated", status=200, body=b'{"data": {"id": "')
async def _truncated(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
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


@responder("wrong_shape", status=200)
async def _wrong_shape(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    return _with_content_type(json_response(fault.json_body, status=fault.status or 200), fault)


@responder("respond", requires=("handler",))
async def _respond(
    request: web.Request, fault: Fault, handler: Handler, headers: Mapping[str, str]
) -> web.StreamResponse:
    assert fault.handler is not None  # checked when the fault was made
    return await fault.handler(request)
