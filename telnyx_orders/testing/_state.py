"""The sandbox's in-memory documents, and what resources draw on: numbers, holds, inventory, the clock."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from telnyx_orders.testing._holds import RESERVATION_HOLD, Holds
from telnyx_orders.testing._inventory import Inventory, PoolKey
from telnyx_orders.testing._lifecycle import Lifecycle
from telnyx_orders.testing._numbers import NumberGenerator

if TYPE_CHECKING:
    from collections.abc import Callable

    from telnyx_orders.testing._documents import JSONDict


class SandboxState:
    """Documents keyed by id in named tables (insertion order), and the services resources share.

    Documents are plain JSON dicts, stored and served as they are. Everything is guarded by
    :attr:`lock`, which handlers hold while they read or change documents, so a test may seed a sandbox
    running in another thread. Orders created over HTTP move through their lifecycle as
    :attr:`lifecycle_step` seconds of ``clock`` pass; the server calls :meth:`advance` before answering
    each request. Seeded documents are stored as they are and never move.
    """

    def __init__(
        self,
        *,
        lifecycle_step: float = 0.05,
        default_inventory: int = 1000,
        reservation_hold: float = RESERVATION_HOLD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self._tables: dict[str, dict[str, JSONDict]] = {}
        self.holds = Holds(duration=reservation_hold, clock=clock)
        """The numbers reservations hold, on the same clock as the lifecycle."""
        self.numbers = NumberGenerator(held=self.holds.held)
        """Every phone number issued (sold), so none is invented or sold twice."""
        self.inventory_pools = Inventory(default_inventory)
        self.lifecycle = Lifecycle(step=lifecycle_step, clock=clock)
        self.number_order_final: Callable[[JSONDict, str], None] | None = None
        """Told of each number order created over HTTP as it reaches a final status, with the moment it did
        (under the lock, in whichever thread moved it): the sandbox sends its webhook event."""

    @property
    def lifecycle_step(self) -> float:
        """Seconds from pending to processing, and again from processing to terminal (0: at once)."""
        return self.lifecycle.step

    @lifecycle_step.setter
    def lifecycle_step(self, seconds: float) -> None:
        with self.lock:
            self.lifecycle.step = seconds

    @property
    def default_inventory(self) -> int:
        """How many numbers a pool holds when an order first draws from it."""
        return self.inventory_pools.default

    @default_inventory.setter
    def default_inventory(self, count: int) -> None:
        with self.lock:
            self.inventory_pools.default = count

    @property
    def reservation_hold(self) -> float:
        """Seconds a reservation holds its numbers, and what an extension adds."""
        return self.holds.duration

    @reservation_hold.setter
    def reservation_hold(self, seconds: float) -> None:
        with self.lock:
            self.holds.duration = seconds

    def for_sale_to(self, number: str, account: str) -> bool:
        """Whether ``account`` (an API key) may buy ``number``: nobody bought it, and no reservation of
        another account holds it."""
        return not self.numbers.taken(number) and not self.holds.held_from(number, account)

    def sell(self, number: str) -> None:
        """Mark ``number`` sold, ending any hold on it (its holder's own order consumes the hold)."""
        self.numbers.claim(number)
        self.holds.release(number)

    def set_inventory(self, key: PoolKey, count: int) -> None:
        """Make the pool ``key`` hold ``count`` numbers."""
        key.check()
        with self.lock:
            self.inventory_pools.set(key, count)

    def inventory(self, key: PoolKey) -> int:
        """Numbers left in the pool ``key``; :attr:`default_inventory` for one no order has drawn from."""
        key.check()
        with self.lock:
            return self.inventory_pools.remaining(key)

    def advance(self) -> None:
        """Bring every order in flight up to date with the clock (the server does before each request)."""
        with self.lock:
            self.lifecycle.advance(self)

    def table(self, name: str) -> dict[str, JSONDict]:
        """The documents of one table, keyed by id; an empty table the first time it is named."""
        return self._tables.setdefault(name, {})

    def clear(self) -> None:
        """Forget every document, order in flight, issued number and inventory level (knobs stay)."""
        with self.lock:
            self._tables.clear()
            self.lifecycle.clear()
            self.numbers.clear()
            self.inventory_pools.clear()
            self.holds.clear()
