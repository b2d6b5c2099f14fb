"""Time limits: `Timeout`, the deadline of a call, and what each request and attempt gets of it.

A call's `timeout` is the deadline of the whole call, retries and the waits between them included. A
call that makes several requests (`wait()`, `retrieve_fulfillment()`) gives each request what time is
left; a request gives each attempt what time is left. Every limit is kept to the loop clock: aiohttp
rounds a timer of 5 s or more up to the next whole second unless told otherwise, which made
`timeout=5.3` end near 6 s.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import aiohttp
import attrs

__all__ = [
    "DEFAULT_TIMEOUT",
    "NO_ROUNDING",
    "Deadline",
    "Timeout",
    "check_seconds",
    "client_timeout",
    "to_timeout",
]

NO_ROUNDING = math.inf
"""aiohttp's `ceil_threshold`: timers at least this long are rounded up to a whole second; so, none."""


def _positive_or_none(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"Timeout.{attribute.name} must be a number of seconds or None, not {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"Timeout.{attribute.name} must be a positive number of seconds, not {value!r}")


@attrs.frozen
class Timeout:
    """Time limits of a call.

    `total` is the deadline of the whole call, retries and the waits between them included; `connect`
    and `read` limit each attempt (an attempt that hits them is retried while the deadline allows).
    `None` means no limit.
    """

    total: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    connect: float | None = attrs.field(default=5.0, validator=_positive_or_none)
    read: float | None = attrs.field(default=None, validator=_positive_or_none)


DEFAULT_TIMEOUT = Timeout()


def check_seconds(value: float, name: str) -> float:
    """`value` as a positive, finite number of seconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def to_timeout(value: float | Timeout) -> Timeout:
    """A `Timeout` from a number of seconds (the whole call's deadline) or a `Timeout`."""
    if isinstance(value, Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or a Timeout, not {value!r}")
    total = check_seconds(value, "timeout")
    return Timeout(total=total, connect=min(5.0, total))


class Deadline:
    """When a call must be over, by the running loop's clock, and the limits of what it starts before then."""

    __slots__ = ("at", "limits")

    def __init__(self, limits: Timeout, at: float | None) -> None:
        self.limits = limits
        """The limits of each request or attempt, before the deadline cuts their `total` short."""
        self.at = at
        """The loop's `time()` at the deadline; `None` for none."""

    @classmethod
    def start(cls, limits: Timeout, seconds: float | None = None) -> Deadline:
        """The deadline `seconds` from now (by default `limits.total`), for requests limited by `limits`."""
        if seconds is None:
            seconds = limits.total
        at = None if seconds is None else asyncio.get_running_loop().time() + seconds
        return cls(limits, at)

    def remaining(self) -> float:
        """Seconds left: infinite without a deadline, 0 or less once it passed."""
        return math.inf if self.at is None else self.at - asyncio.get_running_loop().time()

    def passed(self) -> bool:
        return self.remaining() <= 0

    def allows(self, delay: float) -> bool:
        """Whether waiting `delay` seconds would still leave time to do something."""
        return delay < self.remaining()

    def next_limits(self) -> Timeout:
        """The limits of a request (or attempt) starting now: `limits`, with `total` cut to the time left."""
        left = self.remaining()
        total = self.limits.total
        if math.isinf(left) or (total is not None and total <= left):
            return self.limits
        return attrs.evolve(self.limits, total=max(left, 0.001))


def client_timeout(limits: Timeout) -> aiohttp.ClientTimeout:
    """`limits` as aiohttp's timeout of one attempt, kept to the loop clock rather than whole seconds."""
    # sock_connect, not connect: waiting for a free pooled connection is bounded by the deadline alone.
    return aiohttp.ClientTimeout(
        total=limits.total, sock_connect=limits.connect, sock_read=limits.read, ceil_threshold=NO_ROUNDING
    )
