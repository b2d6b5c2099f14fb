"""Polling an inexplicit number order until it is done."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .._errors import APIError, RequirementsPendingError, WaitTimeoutError
from .._http import HTTPPipeline
from .._retry import Outcome, exponential
from .._timeouts import Deadline, Timeout
from ..types import Envelope, InexplicitNumberOrder

__all__ = ["wait_until_complete"]

_GROWTH = 1.5
"""How much longer each wait between polls is than the one before, up to the cap."""


async def wait_until_complete(
    retrieve: Callable[[Timeout], Awaitable[Envelope[InexplicitNumberOrder]]],
    *,
    id: str,
    timeout: float,
    poll_interval: float,
    max_poll_interval: float,
    on_progress: Callable[[InexplicitNumberOrder], object] | None,
    http: HTTPPipeline,
    waiting_for_requirements: Callable[[InexplicitNumberOrder], Awaitable[tuple[str, ...]]] | None = None,
) -> InexplicitNumberOrder:
    """Call `retrieve` until the order is complete; each call's deadline is capped by the wait's.

    A poll that failed is no reason to stop while the client's retry policy would retry it; a poll
    after one that Telnyx answered with a wait comes no sooner than that wait.
    """
    if max_poll_interval < poll_interval:
        raise ValueError(
            f"max_poll_interval ({max_poll_interval:g} s) must not be shorter than poll_interval "
            f"({poll_interval:g} s)"
        )
    deadline = Deadline.start(http.timeout, timeout)
    intervals = exponential(poll_interval, max_poll_interval, base=_GROWTH)
    last_seen: InexplicitNumberOrder | None = None
    while True:
        failure: APIError | None = None
        asked: float | None = None
        delay = next(intervals)
        try:
            order = (await retrieve(deadline.next_limits())).data
        except APIError as error:
            decision = http.retry.decide(Outcome.of(error))
            if not decision.retry:
                raise
            failure, asked = error, decision.asked
            delay = max(delay, asked or 0)
        else:
            if order is not None:
                last_seen = order
                if on_progress is not None:
                    on_progress(order)
                if order.is_complete:
                    return order
                waiting = () if waiting_for_requirements is None else await waiting_for_requirements(order)
                if waiting:
                    raise RequirementsPendingError(
                        f"inexplicit number order {id} waits for regulatory requirements of number "
                        f"order(s) {', '.join(waiting)}; give them (see retrieve_fulfillment()), "
                        "then wait again",
                        order=order,
                        waiting=waiting,
                    )
        if not deadline.allows(delay):
            message = (
                f"inexplicit number order {id} was not complete after {timeout:g} s ({_progress(last_seen)})"
            )
            if asked is not None:
                message += f"; Telnyx asked to wait {asked:g} s before the next poll"
            raise WaitTimeoutError(message, last_seen=last_seen) from failure
        await http.retry.sleep(delay)


def _progress(order: InexplicitNumberOrder | None) -> str:
    if order is None:
        return "no poll succeeded"
    statuses = [str(group.status) for group in order.ordering_groups or ()]
    return "ordering groups: " + ", ".join(statuses)
