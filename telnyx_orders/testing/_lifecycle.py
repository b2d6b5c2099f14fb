"""Orders in flight: pending, then processing after one lifecycle step, then terminal after another.

:meth:`Lifecycle.advance` catches every order up with the clock, and the server calls it (under the state
lock) before answering each request. Nothing else runs in the background, except for a sandbox that sends
webhooks: it also advances the orders as each step comes due (:meth:`Lifecycle.next_due`), so that an
order finishes, and its event is sent, with no request to see it. Nothing happens after the sandbox
closes, and a test with a fake clock decides exactly when each step is taken.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from telnyx_orders.testing._documents import timestamp

if TYPE_CHECKING:
    from collections.abc import Callable

    from telnyx_orders.testing._state import SandboxState


def _nothing() -> None:
    pass


class Stage(enum.IntEnum):
    """Where an order is in its lifecycle."""

    PENDING = 0
    PROCESSING = 1
    TERMINAL = 2


class Flight(Protocol):
    """An order in flight: it updates its own documents as it enters each stage."""

    def enter(self, stage: Stage, state: SandboxState, now: str) -> None:
        """Apply ``stage`` to the documents; ``now`` is the moment it was reached, as a timestamp."""


@dataclasses.dataclass(eq=False)
class _Tracked:
    flight: Flight
    started: float
    """The lifecycle clock when the order was created."""
    created_at: datetime
    stage: Stage = Stage.PENDING


def check_step(value: object) -> float:
    """``value`` as seconds if it is a finite, non-negative number, else ``ValueError``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"lifecycle_step must be a finite number of seconds >= 0, got {value!r}")
    return float(value)


class Lifecycle:
    """The orders in flight and the clock that moves them; see the module docstring.

    Not locked itself: the sandbox state calls it under its lock.
    """

    def __init__(self, *, step: float, clock: Callable[[], float]) -> None:
        self.changed: Callable[[], None] = _nothing
        """Called when an order starts or the step changes: a sandbox that paces its orders wakes up."""
        self.step = step
        self.clock = clock
        self._in_flight: list[_Tracked] = []

    @property
    def step(self) -> float:
        """Seconds between stages; a change applies to the orders already in flight too."""
        return self._step

    @step.setter
    def step(self, value: float) -> None:
        self._step = check_step(value)
        self.changed()

    def stage_after(self, elapsed: float) -> Stage:
        """The stage an order reaches ``elapsed`` seconds after its creation."""
        if elapsed >= 2 * self._step:
            return Stage.TERMINAL
        if elapsed >= self._step:
            return Stage.PROCESSING
        return Stage.PENDING

    def start(self, flight: Flight, created_at: datetime) -> None:
        """Track a just-created order, pending from now on."""
        self._in_flight.append(_Tracked(flight, self.clock(), created_at))
        self.changed()

    def next_due(self) -> float | None:
        """The clock reading at which an order in flight next enters a stage; ``None`` with none in flight."""
        return min(
            (tracked.started + (tracked.stage + 1) * self._step for tracked in self._in_flight), default=None
        )

    def advance(self, state: SandboxState) -> None:
        """Take every stage each order in flight has reached by now, in order, oldest order first."""
        now = self.clock()
        for tracked in self._in_flight:
            reached = self.stage_after(now - tracked.started)
            while tracked.stage < reached:
                tracked.stage = Stage(tracked.stage + 1)
                moment = tracked.created_at + timedelta(seconds=tracked.stage * self._step)
                tracked.flight.enter(tracked.stage, state, timestamp(moment))
        self._in_flight = [tracked for tracked in self._in_flight if tracked.stage < Stage.TERMINAL]

    def clear(self) -> None:
        """Forget every order in flight."""
        self._in_flight.clear()
