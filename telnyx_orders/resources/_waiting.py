"""Polling something Telnyx works on until it is done: the one loop behind every `wait()`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from .._errors import APIError, RequirementsPendingError, WaitTimeoutError
from .._http import HTTPPipeline
from .._retry import Outcome, exponential
from .._timeouts import Deadline, Timeout
from ..types import Envelope

if TYPE_CHECKING:
    from ..types import (
        InexplicitNumberOrder,
        NumberOrderWithPhoneNumbers,
        NumberReservation,
        SubNumberOrdersReport,
    )

__all__ = ["poll_until_done"]

# The constraints by name: the models stay off the import path of a program that never waits.
Polled = TypeVar(
    "Polled",
    "InexplicitNumberOrder",
    "NumberOrderWithPhoneNumbers",
    "NumberReservation",
    "SubNumberOrdersReport",
)

_GROWTH = 1.5
"""How much longer each wait between polls is than the one before, up to the cap."""


async def poll_until_done(
    retrieve: Callable[[Timeout], Awaitable[Envelope[Polled]]],
    *,
    what: str,
    is_done: Callable[[Polled], bool],
    progress: Callable[[Polled], str],
    timeout: float,
    poll_interval: float,
    max_poll_interval: float,
    http: HTTPPipeline,
    on_progress: Callable[[Polled], object] | None = None,
    stuck: Callable[[Polled], Awaitable[RequirementsPendingError | None]] | None = None,
) -> Polled:
    """Call `retrieve` until `is_done` says so, and return what it fetched last.

    Each call's deadline is capped by the wait's. A poll that failed is no reason to stop while the
    client's retry policy would retry it; a poll after one that Telnyx answered with a wait comes no
    sooner than that wait. `stuck` may name a reason the thing will not finish by itself (it waits for
    regulatory requirements), which is raised at once instead of polling to the deadline. `what` names
    the thing in errors ("number order 123"), and `progress` says how far the last one fetched got.
    """
    if max_poll_interval < poll_interval:
        raise ValueError(
            f"max_poll_interval ({max_poll_interval:g} s) must not be shorter than poll_interval "
            f"({poll_interval:g} s)"
        )
    deadline = Deadline.start(http.timeout, timeout)
    intervals = exponential(poll_interval, max_poll_interval, base=_GROWTH)
    last_seen: Polled | None = None
    while True:
        failure: APIError | None = None
        asked: float | None = None
        delay = next(intervals)
        try:
            fetched = (await retrieve(deadline.next_limits())).data
        except APIError as error:
            decision = http.retry.decide(Outcome.of(error))
            if not decision.retry:
                raise
            failure, asked = error, decision.asked
            delay = max(delay, asked or 0)
        else:
            if fetched is not None:
                last_seen = fetched
                if on_progress is not None:
                    on_progress(fetched)
                if is_done(fetched):
                    return fetched
                reason = None if stuck is None else await stuck(fetched)
                if reason is not None:
                    raise reason
        if not deadline.allows(delay):
            seen = "no poll succeeded" if last_seen is None else progress(last_seen)
            message = f"{what} was not complete after {timeout:g} s ({seen})"
            if asked is not None:
                message += f"; Telnyx asked to wait {asked:g} s before the next poll"
            raise WaitTimeoutError(message, last_seen=last_seen) from failure
        await http.retry.sleep(delay)
