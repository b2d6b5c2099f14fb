"""The record of a sandbox's webhook deliveries: each attempt to POST an event, and how it ended."""

from __future__ import annotations

import dataclasses
import json
import threading
from typing import Any

from telnyx_orders.testing._log import LiveView

DEFAULT_DELIVERY_LIMIT = 10_000
"""How many delivery attempts a log keeps before it drops the oldest."""


@dataclasses.dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver a webhook event: what was sent, and what the receiver answered."""

    event_id: str
    """``data.id`` of the event: the same on every attempt to deliver it."""
    attempt: int
    """``meta.attempt`` of the body sent: 1 for the first attempt, then 2, 3, ..."""
    status: int | None
    """The receiver's HTTP status; ``None`` when no answer came (refused, reset, timed out)."""
    error: str | None
    """Why no answer came, when none did."""
    headers: dict[str, str]
    """The headers set on the request, lower-cased: ``telnyx-signature-ed25519``, ``telnyx-timestamp``."""
    body: bytes
    """The exact body sent: what the signature covers."""
    will_retry: bool
    """Whether another attempt follows: ``False`` once delivered, or on the last attempt allowed."""

    @property
    def delivered(self) -> bool:
        """Whether the receiver accepted the event (answered 2xx)."""
        return self.status is not None and 200 <= self.status < 300

    def json(self) -> Any:
        """The body parsed as JSON: the event as sent on this attempt."""
        return json.loads(self.body)


class WebhookDeliveryLog(LiveView[WebhookDelivery]):
    """Every attempt a sandbox made to deliver a webhook event, oldest first (the newest :attr:`limit`).

    A live, thread-safe view, like :class:`RequestLog`: ``len(sandbox.webhook_deliveries)``, indexing
    and iteration see the attempts recorded so far, and it compares equal to any sequence of the same
    attempts. Deliveries happen in the background: :meth:`wait` blocks until some are recorded
    (``await asyncio.to_thread(log.wait, 3)`` from a coroutine on the sandbox's loop).
    """

    def __init__(self, limit: int = DEFAULT_DELIVERY_LIMIT) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"the delivery log limit must be a positive integer, got {limit!r}")
        self._limit = limit
        self._lock = threading.Condition()
        self._entries: list[WebhookDelivery] = []
        self._recorded = 0
        """Attempts recorded since the last clear, dropped ones included."""

    @property
    def limit(self) -> int:
        """How many attempts the log keeps."""
        return self._limit

    @property
    def recorded(self) -> int:
        """How many attempts were recorded since the last clear, those dropped for :attr:`limit` included."""
        with self._lock:
            return self._recorded

    def record(self, delivery: WebhookDelivery) -> None:
        """Append ``delivery``, dropping the oldest while the log is full (the sandbox calls this)."""
        with self._lock:
            self._entries.append(delivery)
            del self._entries[: -self._limit]
            self._recorded += 1
            self._lock.notify_all()

    def wait(self, count: int, *, timeout: float = 10.0) -> list[WebhookDelivery]:
        """Block until ``count`` attempts have been recorded since the last clear, and return the log then.

        ``TimeoutError`` if fewer have been recorded after ``timeout`` seconds.
        """
        with self._lock:
            if not self._lock.wait_for(lambda: self._recorded >= count, timeout):
                raise TimeoutError(
                    f"{self._recorded} webhook delivery attempts recorded in {timeout} s, not {count}"
                )
            return list(self._entries)

    def snapshot(self) -> list[WebhookDelivery]:
        """The attempts recorded so far, oldest first, as a list of their own."""
        with self._lock:
            return list(self._entries)

    def of(self, event_id: str) -> list[WebhookDelivery]:
        """The attempts to deliver the event ``event_id``, oldest first."""
        return [delivery for delivery in self.snapshot() if delivery.event_id == event_id]

    def clear(self) -> None:
        """Forget every recorded attempt."""
        with self._lock:
            self._entries.clear()
            self._recorded = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} attempts, limit {self._limit}>"
