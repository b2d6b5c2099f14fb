"""The aiohttp application: authentication, the request log, faults and error envelopes around the
routes of every registered resource.

The middlewares run in this order, so an unauthenticated request costs nothing but its headers:
every answer gets the Telnyx error envelope and an ``x-request-id`` (:func:`_envelope`); the key is
checked before the body is read (:func:`_authenticate`); then the body is read (at most
``client_max_size``, 1 MiB), the request recorded and the first matching fault fired (:func:`_record`).
A body refused unread (401, or 413 for a declared length over 1 MiB) ends its connection after the
answer (:func:`_refuse_unread`).
"""

from __future__ import annotations

import contextvars
import functools
import hmac
import logging
import uuid
from typing import TYPE_CHECKING

from aiohttp import web

from telnyx_orders.testing import _control as control
from telnyx_orders.testing._context import CONTEXT, AppContext
from telnyx_orders.testing._deadline import ReadDeadlines
from telnyx_orders.testing._errors import Rejection, error_response
from telnyx_orders.testing._log import RecordedRequest
from telnyx_orders.testing._operations import OPERATIONS
from telnyx_orders.testing._resources import RESOURCES
from telnyx_orders.testing._responders import RESPONDERS

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from telnyx_orders.testing._operations import Operation

PREFIX = "/v2"
MAX_BODY_BYTES = 1024 * 1024
"""The largest request body the sandbox reads; a larger one is answered 413."""
TOO_LARGE = f"The request body must be at most {MAX_BODY_BYTES} bytes."

_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("telnyx_orders.testing.request_id")
"""The id of the request being answered: aiohttp answers each request in a task of its own."""
DEADLINES = web.AppKey("telnyx_orders.testing.deadlines", ReadDeadlines)

logger = logging.getLogger("telnyx_orders.testing")


async def _answer(handler: Handler, request: web.Request) -> web.StreamResponse:
    """What ``handler`` answers, a refusal it raises (aiohttp's 404, 405 and 413 too) as an envelope."""
    try:
        return await handler(request)
    except Rejection as exc:
        return exc.response()
    except web.HTTPRequestEntityTooLarge:
        return await _refuse_unread(request, error_response(413, detail=TOO_LARGE))
    except web.HTTPException as exc:
        allow = exc.headers.get("Allow")
        return error_response(exc.status, headers=None if allow is None else {"Allow": allow})


@web.middleware
async def _envelope(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every failure in the Telnyx envelope, and every answer with an ``x-request-id``."""
    request_id = str(uuid.uuid4())
    _REQUEST_ID.set(request_id)
    try:
        response = await _answer(handler, request)
    except Exception:
        logger.exception("the sandbox failed to answer %s %s", request.method, request.path)
        response = error_response(500)
    if not response.prepared:
        response.headers.setdefault("x-request-id", request_id)
    return response


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 unless ``Authorization: Bearer <api key>``, before reading any of the body."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = request.app[CONTEXT].api_key
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        response = error_response(401)
        return await _refuse_unread(request, response) if request.body_exists else response
    return await handler(request)


async def _refuse_unread(request: web.Request, response: web.Response) -> web.Response:
    """Send ``response`` and end the connection there, leaving the request's body unread.

    The client sees the answer and then the end of the stream at once. The server does not read the
    body; aiohttp only drains whatever of it is still arriving, discarding it, until it ends or the
    read deadline passes, because closing a socket with unread bytes resets the connection and can
    destroy the answer before the client reads it.
    """
    response.force_close()
    response.headers.setdefault("x-request-id", _REQUEST_ID.get())
    await response.prepare(request)
    await response.write_eof()
    transport = request.transport
    if transport is not None and transport.can_write_eof():
        transport.write_eof()
    return response


def _operation(request: web.Request) -> Operation | None:
    name = request.match_info.route.name
    return name if name in OPERATIONS else None


@web.middleware
async def _record(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read the whole body, then record the request and fire the first matching fault on it."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return await _refuse_unread(request, error_response(413, detail=TOO_LARGE))
    try:
        body = await request.read()  # a body that grows past MAX_BODY_BYTES raises 413 as it arrives
    except ConnectionError:
        # The connection closed before the body arrived in full: its client left, or its read deadline
        # passed. Nobody is left to answer; this quiet 408 only spares the log a traceback.
        return error_response(408)
    request.app[DEADLINES].request_read(request.transport)
    if control.is_control_path(request.path):
        return await handler(request)
    context = request.app[CONTEXT]
    operation = _operation(request)
    request_id = _REQUEST_ID.get()
    fault = context.faults.take(request.method, operation)
    context.requests.record(
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
    handler = functools.partial(_answer, handler)
    if fault is None:
        response = await handler(request)
    else:
        response = await RESPONDERS[fault.kind].respond(request, fault, handler, headers)
    if not response.prepared:
        if fault is not None:
            response.headers.update(fault.headers)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
    return response


def build_app(context: AppContext, deadlines: ReadDeadlines) -> web.Application:
    """The sandbox application serving ``context`` under ``/v2``, and its control API under ``/_sandbox``."""
    app = web.Application(middlewares=[_envelope, _authenticate, _record], client_max_size=MAX_BODY_BYTES)
    app[CONTEXT] = context
    app[DEADLINES] = deadlines
    for resource in RESOURCES:
        for route in resource.routes:
            app.router.add_route(route.method, PREFIX + route.path, route.handler, name=route.operation)
    for method, path, handler in control.ROUTES:
        app.router.add_route(method, control.CONTROL_PREFIX + path, handler)
    return app
