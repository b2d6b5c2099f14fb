"""Webhooks: the signed ``number_order.complete`` events a sandbox POSTs to its ``webhook_url``.

The event is the spec's ``NumberOrderWebhookEvent`` (the ``numberOrderStatusUpdate`` webhook):
``data{event_type, id, occurred_at, payload, record_type}`` with the number order and its phone numbers as
``payload``, and ``meta{attempt, delivered_to}``. Each attempt is signed as the spec says: the headers
``telnyx-timestamp`` (unix seconds) and ``telnyx-signature-ed25519`` (base64 of the Ed25519 signature of
``f"{timestamp}|{body}"``), with a key pair made for the sandbox; the public key is the base64 of its
raw 32 bytes, as Telnyx shows it in the portal.

Delivery runs in tasks of the sandbox's loop, never in the request that finished the order. The spec says
only that "the server must return a HTTP 200, otherwise we will reattempt", and Telnyx publishes no
schedule for number-order webhooks, so the sandbox's own bounded default applies: an answer other than
2xx, or none, is retried up to :data:`MAX_ATTEMPTS` attempts in all, :data:`FIRST_RETRY_DELAY` seconds
after the first failure and twice as long after each next one (``backoff.expo``), at most
:data:`MAX_RETRY_DELAY`; short, because a sandbox serves tests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import json
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import backoff

from telnyx_orders.testing._deliveries import WebhookDelivery
from telnyx_orders.testing._documents import new_id

if TYPE_CHECKING:
    from collections.abc import Iterator

    from telnyx_orders.testing._deliveries import WebhookDeliveryLog
    from telnyx_orders.testing._documents import JSONDict

EVENT_TYPE = "number_order.complete"
MAX_ATTEMPTS = 5
"""Attempts to deliver one event, the first included."""
FIRST_RETRY_DELAY = 0.05
"""Seconds from the first failed attempt to the second; each next wait doubles."""
MAX_RETRY_DELAY = 1.0
"""The longest wait between two attempts, in seconds."""
ATTEMPT_TIMEOUT = 5.0
"""Seconds one attempt may take, connecting and answering included, before it counts as failed."""
INSTALL_HINT = "pip install 'telnyx-orders[webhooks]'"

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"


class Signer(Protocol):
    """Signs what the sandbox sends; :func:`new_signer` makes one."""

    @property
    def public_key(self) -> str:
        """The base64 of the raw 32-byte Ed25519 public key that verifies the signatures."""
        ...

    def sign(self, timestamp: int, body: bytes) -> str:
        """The base64 Ed25519 signature of ``f"{timestamp}|{body}"``."""
        ...


class _Ed25519Signer:
    def __init__(self) -> None:
        try:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
        except ImportError:
            raise ImportError(
                f"a sandbox with a webhook_url signs its events with the cryptography package: {INSTALL_HINT}"
            ) from None
        self._key = Ed25519PrivateKey.generate()
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._public_key = base64.b64encode(raw).decode()

    @property
    def public_key(self) -> str:
        return self._public_key

    def sign(self, timestamp: int, body: bytes) -> str:
        return base64.b64encode(self._key.sign(str(timestamp).encode() + b"|" + body)).decode()


def new_signer() -> Signer:
    """A signer with a fresh key pair; ``ImportError`` naming the extra to install without cryptography."""
    return _Ed25519Signer()


def check_webhook_url(url: object) -> str:
    """``url`` if it is an http(s) URL to a literal loopback address, else ``ValueError``.

    The sandbox's traffic stays on this machine, as its own listening address does.
    """
    example = "such as http://127.0.0.1:8080/webhooks"
    if not isinstance(url, str):
        raise ValueError(f"webhook_url must be a URL string {example}, got {url!r}")
    parts = urllib.parse.urlsplit(url)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"webhook_url must be an http(s) URL {example}, got {url!r}")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"webhook_url must name a literal loopback address {example}, got {url!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the sandbox only sends webhooks to loopback addresses, got {url!r}")
    return url


def _retry_delays() -> Iterator[float]:
    delays = backoff.expo(base=2, factor=FIRST_RETRY_DELAY, max_value=MAX_RETRY_DELAY)
    next(delays)  # backoff's generators are primed by one send before they yield delays
    return delays


class _Event:
    """An event to deliver: its ``data``, snapshotted when the order became final."""

    def __init__(self, order: JSONDict, occurred_at: str, generation: int) -> None:
        self.data: JSONDict = {
            "event_type": EVENT_TYPE,
            "id": new_id(),
            "occurred_at": occurred_at,
            "payload": json.loads(json.dumps(order)),  # as it is now, not as it may be changed later
            "record_type": "event",
        }
        self.generation = generation

    @property
    def id(self) -> str:
        event_id: str = self.data["id"]
        return event_id

    def body(self, attempt: int, url: str) -> bytes:
        event: dict[str, Any] = {"data": self.data, "meta": {"attempt": attempt, "delivered_to": url}}
        return json.dumps(event).encode()


class WebhookSender:
    """POSTs each event to ``url`` from tasks of the sandbox's loop, retrying while the receiver fails.

    :meth:`announce` may be called from any thread (the state calls it under its lock); between
    :meth:`start` and :meth:`close` it schedules the delivery, otherwise the event is dropped (an order
    that finishes while the sandbox is stopped sends nothing). :meth:`close` cancels the deliveries
    still pending; :meth:`forget` (the sandbox's reset) cancels them from any thread, and the log
    records nothing more of them.
    """

    def __init__(self, url: str, signer: Signer, log: WebhookDeliveryLog) -> None:
        self.url = url
        self.signer = signer
        self.log = log
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._generation = 0
        self._recorded: asyncio.Condition | None = None

    async def start(self) -> None:
        """Begin delivering, on the running loop."""
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=ATTEMPT_TIMEOUT))
        self._recorded = asyncio.Condition()
        with self._lock:
            self._session = session
            self._loop = asyncio.get_running_loop()

    async def close(self) -> None:
        """Cancel every pending delivery, wait for it to end, and close the connections."""
        with self._lock:
            session, self._session, self._loop = self._session, None, None
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if session is not None:
            await session.close()

    async def wait(self, count: int, timeout: float) -> None:
        """Wait on the sandbox's loop until the log has recorded ``count`` attempts, or ``timeout`` passed."""
        recorded = self._recorded
        if recorded is None:
            return
        async with recorded:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(recorded.wait_for(lambda: self.log.recorded >= count), timeout)

    def announce(self, order: JSONDict, occurred_at: str) -> None:
        """Deliver a ``number_order.complete`` event for ``order``, final since ``occurred_at``."""
        with self._lock:
            loop = self._loop
            event = _Event(order, occurred_at, self._generation)
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed in between: the sandbox stopped
                loop.call_soon_threadsafe(self._spawn, event)

    def forget(self) -> None:
        """Cancel every pending delivery; whatever of them is still under way is not recorded."""
        with self._lock:
            self._generation += 1
            loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._cancel_all)

    def _cancel_all(self) -> None:
        for task in self._tasks:
            task.cancel()

    def _spawn(self, event: _Event) -> None:
        session = self._session
        if session is None or event.generation != self._generation:
            return
        task = asyncio.get_running_loop().create_task(self._deliver(session, event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, session: aiohttp.ClientSession, event: _Event) -> None:
        delays = _retry_delays()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if attempt > 1:
                await asyncio.sleep(next(delays))
            status, error, headers, body = await self._attempt(session, event, attempt)
            delivered = status is not None and 200 <= status < 300
            will_retry = not delivered and attempt < MAX_ATTEMPTS
            delivery = WebhookDelivery(event.id, attempt, status, error, headers, body, will_retry)
            with self._lock:
                if event.generation != self._generation:
                    return
                self.log.record(delivery)
            if self._recorded is not None:
                async with self._recorded:
                    self._recorded.notify_all()
            if not will_retry:
                return

    async def _attempt(
        self, session: aiohttp.ClientSession, event: _Event, attempt: int
    ) -> tuple[int | None, str | None, dict[str, str], bytes]:
        """One signed POST of the event: the status answered or why none came, the headers and body sent."""
        body = event.body(attempt, self.url)
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: self.signer.sign(timestamp, body),
        }
        status: int | None = None
        error: str | None = None
        try:
            async with session.post(self.url, data=body, headers=headers, allow_redirects=False) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            error = str(exc) or type(exc).__name__
        return status, error, headers, body
