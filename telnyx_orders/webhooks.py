"""Receiving Telnyx webhooks in an async service, and waiting for number orders by their events.

```python
from aiohttp import web
from telnyx_orders import AsyncTelnyx
from telnyx_orders.webhooks import OrderEvents, create_webhook_app

client = AsyncTelnyx()               # public_key from TELNYX_PUBLIC_KEY
events = OrderEvents(client)         # its handle() records each finished number order
app = create_webhook_app(client, events.handle)   # POST /webhooks
...
order = await events.wait_for_number_order(order_id)   # no polling while the event comes in time
```

The handler answers 200 only once your coroutine returned, so an event is never acknowledged before it
was handled; 401 to a webhook whose signature, headers or timestamp fail verification, 400 to a signed
body that is not the documented event, 413 to a body over `max_body_bytes`, and 500 (logged on the
`telnyx_orders.webhooks` logger) when your coroutine raised, so that Telnyx delivers the event again.
A redelivered event keeps its `data.id`: handlers that must act once deduplicate on it.

Verification needs the optional extra: `pip install 'telnyx-orders[webhooks]'`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from aiohttp import web

from ._client import AsyncTelnyx
from ._errors import APITimeoutError, WaitTimeoutError, WebhookPayloadError, WebhookVerificationError
from ._http import path_segment
from ._timeouts import check_seconds
from ._webhooks import PUBLIC_KEY_ENV, ConfiguredKey, check_public_key, require_cryptography
from .resources.webhooks import AsyncWebhooks, configured_key_of
from .types import NumberOrderWebhookEvent, NumberOrderWithPhoneNumbers, OrderStatus

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_PATH",
    "EventHandler",
    "OrderEvents",
    "WebhookRequestHandler",
    "create_webhook_app",
    "webhook_handler",
]

logger = logging.getLogger("telnyx_orders.webhooks")

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""The largest webhook body read (1 MiB): a number-order event is a few KiB per hundred numbers."""
DEFAULT_PATH = "/webhooks"

EventHandler = Callable[[NumberOrderWebhookEvent], Awaitable[object]]
"""Your coroutine function, given each verified event."""
WebhookRequestHandler = Callable[[web.Request], Awaitable[web.Response]]
"""An aiohttp request handler: `app.router.add_post(path, handler)`."""

_CHUNK_BYTES = 64 * 1024


def webhook_handler(
    verifier: AsyncTelnyx | str | bytes,
    on_event: EventHandler,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    clock: Callable[[], float] = time.time,
) -> WebhookRequestHandler:
    """An aiohttp handler that verifies each webhook, parses it and awaits `on_event(event)`.

    `verifier` is a client (its `public_key=`, else `TELNYX_PUBLIC_KEY`) or the key itself (base64
    text, or the raw 32 bytes). `clock` gives the current unix time the signature's timestamp is held
    to (300 s either way); it is a seam for tests. Answers: 200 once `on_event` returned; 401 when
    verification failed; 400 for a signed body that is not the event; 413 past `max_body_bytes`; 405
    to anything but POST; 500 when `on_event` raised (logged with its traceback), so Telnyx retries.

    Fails at once, not on the first webhook, when no key is configured or `cryptography` is missing
    (`WebhookVerificationError`), or for arguments of the wrong kind (`TypeError`/`ValueError`).
    """
    webhooks = _webhooks_of(verifier)
    if not callable(on_event):
        raise TypeError(f"on_event must be a coroutine function, not {type(on_event).__name__}")
    if not callable(clock):
        raise TypeError(f"clock must be a function returning unix seconds, not {type(clock).__name__}")
    limit = _check_max_body_bytes(max_body_bytes)

    async def handle_webhook(request: web.Request) -> web.Response:
        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"}, text="webhooks are POSTed\n")
        body = await _read_at_most(request, limit)
        if body is None:
            return web.Response(status=413, text=f"the body is over {limit} bytes\n")
        try:
            event = webhooks.unwrap(body, headers=request.headers, now=clock())
        except WebhookPayloadError as error:
            logger.warning("refused a signed webhook that is not a number-order event: %s", error)
            return web.Response(status=400, text=f"{error}\n")
        except WebhookVerificationError as error:
            logger.warning("refused a webhook that failed verification: %s", error)
            return web.Response(status=401, text=f"{error}\n")
        try:
            await on_event(event)
        except Exception:
            logger.exception(
                "the webhook handler raised on event %s (attempt %d); answered 500 so that it is sent again",
                event.data.id,
                event.meta.attempt,
            )
            return web.Response(status=500, text="the event was not handled; send it again\n")
        return web.Response(status=200, text="ok\n")

    return handle_webhook


def create_webhook_app(
    verifier: AsyncTelnyx | str | bytes,
    on_event: EventHandler,
    *,
    path: str = DEFAULT_PATH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    clock: Callable[[], float] = time.time,
) -> web.Application:
    """An aiohttp application serving `webhook_handler(...)` at `POST path` (default `/webhooks`).

    Run it (`web.run_app(app, port=...)`), or mount it in yours: `app.add_subapp("/telnyx", webhook_app)`.
    """
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"path must be an absolute URL path such as {DEFAULT_PATH!r}, not {path!r}")
    handler = webhook_handler(verifier, on_event, max_body_bytes=max_body_bytes, clock=clock)
    app = web.Application()
    app.router.add_route("*", path, handler)
    return app


class OrderEvents:
    """Number orders finished, as their webhooks report them, for a service to wait on without polling.

    Give `handle` to the receiver (`create_webhook_app(client, events.handle)`); then
    `await events.wait_for_number_order(id)` returns the order from its `number_order.complete` event,
    and polls `client.number_orders.retrieve` only when no event came within `poll_after` seconds (a
    lost delivery, a receiver that was down). An event that arrives before the wait began counts: the
    newest `remember` finished orders are kept.
    """

    def __init__(self, client: AsyncTelnyx, *, remember: int = 10_000) -> None:
        if not isinstance(client, AsyncTelnyx):
            raise TypeError(f"client must be an AsyncTelnyx, not {type(client).__name__}")
        if isinstance(remember, bool) or not isinstance(remember, int) or remember < 1:
            raise ValueError(f"remember must be a positive int, not {remember!r}")
        self._client = client
        self._remember = remember
        self._finished: OrderedDict[str, NumberOrderWithPhoneNumbers] = OrderedDict()
        self._arrivals: dict[str, _Arrival] = {}

    async def handle(self, event: NumberOrderWebhookEvent) -> None:
        """Record the number order of `event` if it is final (`success` or `failure`), waking its waiters."""
        order = event.data.payload
        if order.id is None or not _is_final(order):
            return
        self._finished[order.id] = order
        self._finished.move_to_end(order.id)
        while len(self._finished) > self._remember:
            self._finished.popitem(last=False)
        arrival = self._arrivals.pop(order.id, None)
        if arrival is not None:
            arrival.event.set()

    def finished_number_order(self, number_order_id: str) -> NumberOrderWithPhoneNumbers | None:
        """The final number order an event reported for `number_order_id`, if one came (and is kept)."""
        return self._finished.get(number_order_id)

    async def wait_for_number_order(
        self,
        number_order_id: str,
        *,
        timeout: float = 600.0,
        poll_after: float = 60.0,
        poll_interval: float = 5.0,
    ) -> NumberOrderWithPhoneNumbers:
        """The number order once final: from its event, else, after `poll_after` s, from polling.

        While no event has come, nothing is requested for `poll_after` seconds; then the order is
        retrieved every `poll_interval` seconds until it is final or its event comes, whichever is first.
        A poll that fails raises its `APIError`.

        Raises:
            WaitTimeoutError: `timeout` seconds passed before the order was final.
        """
        path_segment(number_order_id, "number_order_id")
        timeout = check_seconds(timeout, "timeout")
        poll_after = check_seconds(poll_after, "poll_after")
        poll_interval = check_seconds(poll_interval, "poll_interval")
        arrival = self._arrivals.setdefault(number_order_id, _Arrival())
        arrival.waiters += 1
        try:
            return await self._wait(number_order_id, arrival.event, timeout, poll_after, poll_interval)
        finally:
            arrival.waiters -= 1
            if arrival.waiters == 0 and self._arrivals.get(number_order_id) is arrival:
                del self._arrivals[number_order_id]

    async def _wait(
        self,
        number_order_id: str,
        arrival: asyncio.Event,
        timeout: float,
        poll_after: float,
        poll_interval: float,
    ) -> NumberOrderWithPhoneNumbers:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        status: str | None = None
        if await self._arrived(number_order_id, arrival, min(poll_after, timeout)):
            return self._finished[number_order_id]
        while (remaining := deadline - loop.time()) > 0:
            try:
                order = (await self._client.number_orders.retrieve(number_order_id, timeout=remaining)).data
            except APITimeoutError as error:
                if deadline - loop.time() > 0:
                    raise
                raise _timed_out(number_order_id, timeout, status) from error
            if number_order_id in self._finished:  # its event came while the poll was under way
                return self._finished[number_order_id]
            if order is not None and _is_final(order):
                return order
            status = None if order is None or order.status is None else str(order.status)
            if await self._arrived(number_order_id, arrival, min(poll_interval, deadline - loop.time())):
                return self._finished[number_order_id]
        raise _timed_out(number_order_id, timeout, status)

    async def _arrived(self, number_order_id: str, arrival: asyncio.Event, seconds: float) -> bool:
        """Whether the order's event has come, waiting up to `seconds` for it."""
        if number_order_id in self._finished:
            return True
        if seconds > 0:
            try:
                await asyncio.wait_for(arrival.wait(), seconds)
            except asyncio.TimeoutError:
                return False
        return number_order_id in self._finished


class _Arrival:
    """Set when a number order's event comes; shared by everyone waiting for that order."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.waiters = 0


def _timed_out(number_order_id: str, timeout: float, status: str | None) -> WaitTimeoutError:
    polled = "no poll answered" if status is None else f"the last poll said {status}"
    return WaitTimeoutError(
        f"number order {number_order_id} was not final after {timeout:g} s: no event came, and {polled}",
        last_seen=None,
    )


def _is_final(order: NumberOrderWithPhoneNumbers) -> bool:
    return order.status is not None and order.status != OrderStatus.PENDING


def _webhooks_of(verifier: object) -> AsyncWebhooks:
    require_cryptography()
    if isinstance(verifier, AsyncTelnyx):
        configured = configured_key_of(verifier.webhooks)
        if configured is None:
            raise WebhookVerificationError(
                "the client has no key to verify webhooks with: give it public_key=... "
                f"or set {PUBLIC_KEY_ENV}"
            )
        configured.raw()  # a TELNYX_PUBLIC_KEY that is no key fails now, not on every webhook
        return verifier.webhooks
    if isinstance(verifier, (str, bytes)):
        check_public_key(verifier, "the verifier key")
        return AsyncWebhooks(ConfiguredKey(verifier, "the verifier key"))
    raise TypeError(
        "verifier must be an AsyncTelnyx or a public key (base64 str or raw bytes), "
        f"not {type(verifier).__name__}"
    )


def _check_max_body_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_body_bytes must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"max_body_bytes must be a positive number of bytes, not {value}")
    return value


async def _read_at_most(request: web.Request, limit: int) -> bytes | None:
    """The request's body, or None once it is longer than `limit` bytes (not read further)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(_CHUNK_BYTES):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
