"""Moving orders in flight as their steps come due, for a sandbox that sends webhooks.

Without webhooks an order moves only when a request arrives to see it. An event, though, must be sent
when the order finishes, request or not: the pacer advances the state at each step's due time, which
:meth:`Lifecycle.next_due` gives in ``clock`` seconds (waited out in real seconds: with a fake clock the
pacer just looks again after that long, and the test's own requests move the orders).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telnyx_orders.testing._state import SandboxState

MAX_NAP = 60.0
"""The longest the pacer waits without looking at the clock, in seconds."""


class Pacer:
    """Advances ``state`` in a task of the running loop from :meth:`start` until :meth:`close`."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start pacing on the running loop; the lifecycle wakes the pacer when it changes."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = self._loop.create_task(self._pace(self._wake))
        self._state.lifecycle.changed = self.wake

    def wake(self) -> None:
        """Look at the orders in flight again (from any thread): one started, or the step changed."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed: nothing is paced any more
            loop.call_soon_threadsafe(wake.set)

    async def close(self) -> None:
        """Stop pacing."""
        task, self._task, self._loop, self._wake = self._task, None, None, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _pace(self, wake: asyncio.Event) -> None:
        state = self._state
        while True:
            wake.clear()
            with state.lock:
                state.advance()
                due = state.lifecycle.next_due()
                nap = MAX_NAP if due is None else min(max(due - state.lifecycle.clock(), 0.0), MAX_NAP)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(wake.wait(), nap)
