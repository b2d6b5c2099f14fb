"""When to retry a request, and how long to wait first.

The schedule comes from `backoff` (exponential, capped, full jitter). What may be retried follows one
rule: a request is sent again only when sending it twice cannot do harm. GETs are idempotent. A POST
creates an order that costs money and Telnyx accepts no idempotency key for it, so a POST is re-sent
only when it certainly did not take effect: the connection was never made, or Telnyx said 429.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping

import aiohttp
import attrs
import backoff

__all__ = ["RetryPolicy", "exponential", "server_delay"]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_NOT_SENT_ERRORS = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_RETRYABLE_ERRORS = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)


@attrs.frozen
class RetryPolicy:
    """Exponential backoff from `initial_delay` up to `max_delay`, jittered.

    A `Retry-After` header (or, on a 429, `x-ratelimit-reset`) between 0 and `max_server_delay` seconds
    replaces the computed delay. `sleep` is injectable so tests can observe delays without waiting them out.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_server_delay: float = 60.0
    jitter: Callable[[float], float] | None = backoff.full_jitter
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def delays(self) -> Iterator[float]:
        """The waits before the first, second, ... retry."""
        for delay in exponential(self.initial_delay, self.max_delay):
            yield delay if self.jitter is None else self.jitter(delay)

    def server_delay(self, status: int, headers: Mapping[str, str]) -> float | None:
        """The wait the server asked for, if it asked for a sane one."""
        return server_delay(status, headers, limit=self.max_server_delay)

    @staticmethod
    def retries_status(method: str, status: int) -> bool:
        if method in _IDEMPOTENT_METHODS:
            return status in _RETRYABLE_STATUSES or status >= 500
        return status == 429

    @staticmethod
    def retries_error(method: str, error: BaseException) -> bool:
        if isinstance(error, aiohttp.ClientSSLError):
            return False  # a certificate does not get better by asking again
        if method in _IDEMPOTENT_METHODS:
            return isinstance(error, _RETRYABLE_ERRORS)
        return isinstance(error, _NOT_SENT_ERRORS)

    @staticmethod
    def was_sent(error: BaseException) -> bool:
        """Whether the request may have reached the server before `error` ended the attempt."""
        return not isinstance(error, _NOT_SENT_ERRORS)


def exponential(initial: float, maximum: float, *, base: float = 2) -> Iterator[float]:
    """`initial`, `initial * base`, ... up to `maximum`, then `maximum` forever: backoff's schedule."""
    schedule = backoff.expo(base=base, factor=initial, max_value=maximum)
    next(schedule)  # backoff's generators are primed by one send before they yield delays
    return schedule


def server_delay(status: int, headers: Mapping[str, str], *, limit: float) -> float | None:
    """Seconds from `Retry-After` (seconds or HTTP date), or from `x-ratelimit-reset` on a 429.

    Telnyx sends `x-ratelimit-reset` on every response; only on a 429 does it say when to come back.
    A value outside 0..limit is ignored in favour of the computed backoff.
    """
    names = ("Retry-After", "x-ratelimit-reset") if status == 429 else ("Retry-After",)
    for name in names:
        value = headers.get(name)
        if value is None:
            continue
        seconds = _parse_seconds(value.strip())
        if seconds is not None and 0 <= seconds <= limit:
            return seconds
    return None


def _parse_seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return None if math.isnan(seconds) else seconds
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp() - time.time()
