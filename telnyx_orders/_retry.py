"""The retry policy: after each attempt, whether to retry, after how long, and whether it may have landed.

The schedule comes from `backoff` (exponential, capped, full jitter). What may be retried follows one
rule: a request is sent again only when sending it twice cannot do harm. GETs are idempotent. A POST
creates an order that costs money and Telnyx accepts no idempotency key for it, so a POST is re-sent
only when it certainly did not take effect: the connection was never made, or Telnyx said 429.

When Telnyx says how long to wait (`Retry-After`, or `x-ratelimit-reset` on a 429), that wait is kept:
if it is longer than `max_server_delay` or than the time left before the deadline, the call stops at
once rather than come back sooner than asked, and the error says how long Telnyx asked to wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import math
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping

import aiohttp
import attrs
import backoff

from ._errors import APIError, APIResponseValidationError, APIStatusError

__all__ = ["Decision", "Outcome", "RetryPolicy", "exponential", "server_delay"]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_NOT_SENT_ERRORS = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_RETRYABLE_ERRORS = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)


@attrs.frozen
class Outcome:
    """How an attempt ended: with an answer (`status`, `headers`) or with a transport `error`."""

    method: str
    status: int | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str])
    error: BaseException | None = None

    @classmethod
    def of(cls, error: APIError) -> Outcome:
        """The outcome an API error reports, for a caller that sees only the error (such as `wait()`)."""
        if isinstance(error, APIStatusError):
            return cls(error.method, error.status_code, error.headers)
        if isinstance(error, APIResponseValidationError):
            return cls(error.method, error.status_code)
        # An APIConnectionError: the transport's exception is its cause.
        return cls(error.method, error=error.__cause__ or aiohttp.ClientConnectionError(str(error)))


@attrs.frozen
class Decision:
    """What to do after an attempt that did not succeed."""

    retry: bool
    delay: float = 0.0
    """Seconds to wait before the next attempt."""
    may_have_taken_effect: bool = False
    """The request was sent and may have changed something: it is not sent again."""
    asked: float | None = None
    """The wait the server asked for, if it asked."""
    note: str | None = None
    """Why the retries stop here when the error alone would not say (a wait longer than allowed)."""


@attrs.frozen
class RetryPolicy:
    """Exponential backoff from `initial_delay` up to `max_delay`, jittered; server waits up to
    `max_server_delay`. `sleep` is injectable so tests can observe delays without waiting them out.

    `AsyncTelnyx(retry_policy=RetryPolicy(...))` gives a client another one.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_server_delay: float = 60.0
    jitter: Callable[[float], float] | None = backoff.full_jitter
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def decide(
        self, outcome: Outcome, *, retries_taken: int = 0, max_retries: int = 1, time_left: float = math.inf
    ) -> Decision:
        """Whether to retry after `outcome`, and when, given the retries taken and the time left."""
        method = outcome.method
        status = outcome.status
        if status is not None:
            retryable = self.retries_status(method, status)
            asked = server_delay(status, outcome.headers)
            # A 5xx may come after the order was placed; a 4xx says it was not; a 2xx, that it was.
            landed = method not in _IDEMPOTENT_METHODS and not retryable and (status >= 500 or status < 300)
        else:
            assert outcome.error is not None
            retryable = self.retries_error(method, outcome.error)
            asked = None
            landed = method not in _IDEMPOTENT_METHODS and not retryable and self.was_sent(outcome.error)
        if not retryable:
            return Decision(False, may_have_taken_effect=landed, asked=asked)
        if asked is not None:
            if asked > self.max_server_delay:
                note = f"{_asked(asked)}, longer than the {self.max_server_delay:g} s this client waits"
                return Decision(False, asked=asked, note=note)
            if asked >= time_left:
                note = f"{_asked(asked)}, past the call's deadline ({max(time_left, 0):.3g} s left)"
                return Decision(False, asked=asked, note=note)
        if retries_taken >= max_retries:
            return Decision(False, asked=asked)
        if asked is not None:
            return Decision(True, asked, asked=asked)
        delay = self.backoff(retries_taken)
        return Decision(delay < time_left, delay)

    def backoff(self, retries_taken: int) -> float:
        """The computed wait before retry number `retries_taken + 1`."""
        schedule = exponential(self.initial_delay, self.max_delay)
        ceiling = next(itertools.islice(schedule, retries_taken, None))
        return ceiling if self.jitter is None else self.jitter(ceiling)

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


def _asked(seconds: float) -> str:
    return f"Telnyx asked to wait {seconds:g} s before trying again"


def exponential(initial: float, maximum: float, *, base: float = 2) -> Iterator[float]:
    """`initial`, `initial * base`, ... up to `maximum`, then `maximum` forever: backoff's schedule."""
    schedule = backoff.expo(base=base, factor=initial, max_value=maximum)
    next(schedule)  # backoff's generators are primed by one send before they yield delays
    return schedule


def server_delay(status: int, headers: Mapping[str, str]) -> float | None:
    """Seconds from `Retry-After` (seconds or HTTP date), or from `x-ratelimit-reset` on a 429.

    Telnyx sends `x-ratelimit-reset` on every response; only on a 429 does it say when to come back.
    A value that is not a wait (negative, not a number, a date past) is ignored.
    """
    names = ("Retry-After", "x-ratelimit-reset") if status == 429 else ("Retry-After",)
    for name in names:
        value = headers.get(name)
        if value is None:
            continue
        seconds = _parse_seconds(value.strip())
        if seconds is not None and seconds >= 0:
            return seconds
    return None


def _parse_seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) else None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp() - time.time()
